"""Browser hardening (issue 18 §6) and the production secret key (§5)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from zhuanxing.config.settings import DEVELOPMENT_SECRET_KEY, weak_secret_key

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "zhuanxing"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/api/openapi.json", "/enterprises/"])
def test_every_answer_carries_the_security_headers(client_for, url):
    response = client_for("bureau").get(url)
    csp = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval', no CDN
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "geolocation=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_no_template_has_inline_script_or_handler():
    offenders = []
    for template in TEMPLATES.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(f"{template.name}: {tag}")
        offenders += [f"{template.name}: {m}" for m in re.findall(r"<[^>]*\son[a-z]+\s*=", text)]
    assert not offenders, offenders


@pytest.mark.parametrize(
    ("key", "weak"),
    [
        ("x", True),
        ("", True),
        (DEVELOPMENT_SECRET_KEY, True),
        ("django-insecure-" + "k" * 60, True),
        ("a" * 60, True),
        ("Zq3v_7Lm9pR2sT8wX1yB4nC6dF0gH5jK-eQaWsEdRfTgYhUjIkOlP", False),
    ],
)
def test_weak_secret_keys_are_named(key, weak):
    assert bool(weak_secret_key(key)) is weak


@pytest.mark.parametrize("key", ["x", DEVELOPMENT_SECRET_KEY])
def test_production_refuses_to_start_with_a_weak_key(key):
    env = os.environ | {
        "DEBUG": "0",
        "SECRET_KEY": key,
        "DJANGO_SETTINGS_MODULE": "zhuanxing.config.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_charts_carry_no_inline_script():
    from zhuanxing.web.charts import bar_chart

    html = str(bar_chart(["骆驼街道"], {"A": [3]}, title="分类"))
    assert "<script" not in html and "data-plotly-figure=" in html
