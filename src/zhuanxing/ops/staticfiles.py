"""Static files with content hashes in their names (``app.3f2a9c.js``) and compressed copies,
served by WhiteNoise with a year's ``Cache-Control`` so plotly and the other scripts load once.

Before ``collectstatic`` has run (tests, a fresh checkout) a name has no manifest entry; then the
plain name is used, which the development server and WhiteNoise's finders serve.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def create_compressor(self, **kwargs):
        # gzip only: brotli at its highest level takes minutes over the admin's and the apps' files
        # on a small server, for little gain on an intranet.
        return super().create_compressor(**(kwargs | {"use_brotli": False}))

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:
            return name
