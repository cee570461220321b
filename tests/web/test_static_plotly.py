"""plotly.js is a static file: found in the plotly package, collected with a hashed name and a
gzip copy, and served by WhiteNoise compressed and cached far-future."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client


def test_the_finder_takes_plotly_from_the_installed_package():
    import plotly

    found = finders.find("plotly/plotly.min.js")
    assert found is not None and found.startswith(plotly.__path__[0])
    assert finders.find("plotly/widgetbundle.js") is None  # only the one file is published


@pytest.fixture
def collected(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", interactive=False, verbosity=0)
    return tmp_path


@pytest.mark.django_db
def test_collected_plotly_is_hashed_compressed_and_cached_for_a_year(collected):
    url = static("plotly/plotly.min.js")
    assert re.fullmatch(r"/static/plotly/plotly\.min\.[0-9a-f]{12}\.js", url)
    collected_file = collected / url.removeprefix("/static/")
    assert collected_file.with_name(collected_file.name + ".gz").stat().st_size <= 1_500_000

    response = Client().get(url, headers={"accept-encoding": "gzip, br"})  # through WhiteNoise's middleware
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert int(response["Content-Length"]) <= 1_500_000
    assert "max-age=31536000" in response["Cache-Control"] and "immutable" in response["Cache-Control"]
