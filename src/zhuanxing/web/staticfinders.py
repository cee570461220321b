"""A staticfiles finder for plotly.js as the installed plotly package ships it.

``static/plotly/plotly.min.js`` is then collected, hashed and gzipped by ``collectstatic`` like
the site's own files, and WhiteNoise serves it precompressed with a far-future ``Cache-Control``.
Only that one file is taken: the package's folder also holds plotly's widget bundle and datasets.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from django.contrib.staticfiles.finders import BaseFinder
from django.contrib.staticfiles.utils import matches_patterns
from django.core.files.storage import FileSystemStorage

PREFIX = "plotly"
FILENAME = "plotly.min.js"


def _package_data() -> Path:
    spec = importlib.util.find_spec("plotly")
    return Path(next(iter(spec.submodule_search_locations))) / "package_data"


class PlotlyFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=_package_data())
        self.storage.prefix = PREFIX  # collectstatic stores the file as plotly/plotly.min.js

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        if path != f"{PREFIX}/{FILENAME}":
            return []
        found = self.storage.path(FILENAME)
        return [found] if find_all else found

    def list(self, ignore_patterns):
        if not matches_patterns(FILENAME, ignore_patterns or []):
            yield FILENAME, self.storage
