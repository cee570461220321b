"""Malformed input never gives a server error (issue 18 §3).

One table: each row is (role, method, url, body or None, expected statuses). Adding a
case is one line. API answers must use the one error shape ``{"detail", "errors"}``
with a Chinese detail; pages answer 4xx with a readable page (or ignore the value).
"""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import uscc_for

BEARINGS = uscc_for(1)
OK = (200,)
BAD = (400, 422)
OK_OR_BAD = (200, 400, 422)

CASES = [
    # NUL bytes in text filters: pages and APIs
    ("bureau", "GET", "/enterprises/?q=%00", None, OK_OR_BAD),
    ("bureau", "GET", "/enterprises/?q=a%00b&town=%00", None, OK_OR_BAD),
    ("bureau", "GET", "/search/?q=%00", None, OK_OR_BAD),
    ("bureau", "GET", "/api/registry/enterprises?q=%00", None, BAD),
    ("bureau", "GET", "/api/registry/enterprises?town=%00", None, BAD),
    ("bureau", "GET", "/api/programs/applications?q=%00", None, OK_OR_BAD),
    ("bureau", "GET", "/api/programs/policies?q=%00", None, OK_OR_BAD),
    ("bureau", "GET", "/api/techmarket/demands?q=%00", None, BAD),
    ("bureau", "GET", "/api/techmarket/search?q=%00", None, BAD),
    ("bureau", "GET", "/api/search?q=%00", None, BAD),
    ("enterprise", "GET", "/api/techmarket/search?q=%00", None, BAD),
    # non-ASCII digits in integer parameters
    ("bureau", "GET", "/enterprises/?year=%C2%B2", None, OK_OR_BAD),
    ("bureau", "GET", "/imports/?year=%C2%B2", None, OK_OR_BAD),
    ("bureau", "GET", "/evaluation/?year=%C2%B2", None, OK_OR_BAD),
    ("bureau", "GET", "/campaigns/?year=%C2%B2", None, OK_OR_BAD),
    ("bureau", "GET", "/techmarket/statistics/?year=%C2%B2", None, OK_OR_BAD),
    ("bureau", "GET", "/api/techmarket/contracts?year=%C2%B2", None, BAD),
    ("bureau", "GET", "/api/techmarket/statistics?year=%C2%B2", None, BAD),
    ("bureau", "GET", "/api/imports/batches?year=%C2%B2", None, OK_OR_BAD),
    ("bureau", "GET", "/api/registry/enterprises?year=%C2%B2", None, OK_OR_BAD),
    ("bureau", "GET", "/api/registry/enterprises?page=%C2%B2", None, BAD),
    # out-of-range numbers
    ("bureau", "GET", "/api/techmarket/contracts?year=-546", None, BAD),
    ("bureau", "GET", "/api/techmarket/contracts?year=99999999999999999999", None, BAD),
    ("bureau", "GET", "/api/techmarket/statistics?year=-546", None, BAD),
    ("bureau", "GET", "/api/registry/enterprises?page=-1", None, OK_OR_BAD),
    ("bureau", "GET", "/api/registry/enterprises?page=99999999999999999999", None, OK_OR_BAD),
    ("bureau", "GET", "/techmarket/statistics/?year=-546", None, OK_OR_BAD),
    ("bureau", "GET", "/evaluation/?year=99999999999", None, OK_OR_BAD),
    # unknown search kind
    ("bureau", "GET", "/api/techmarket/search?q=轴承&kind=nonsense", None, BAD),
    ("bureau", "GET", "/techmarket/search/?q=轴承&kind=nonsense", None, OK_OR_BAD),
    # nulls and wrong types in JSON bodies
    ("bureau", "PATCH", f"/api/registry/enterprises/{BEARINGS}", {"address": None}, BAD),
    ("bureau", "PATCH", f"/api/registry/enterprises/{BEARINGS}", {"name": None}, BAD),
    ("bureau", "PATCH", f"/api/registry/enterprises/{BEARINGS}", {"name": "a\x00b"}, BAD),
    ("bureau", "PATCH", f"/api/registry/enterprises/{BEARINGS}", {"founded": "２０２０-01-01"}, BAD),
    ("bureau", "GET", "/api/techmarket/search?kind=nonsense", None, BAD),
    ("bureau", "GET", "/techmarket/search/?kind=nonsense", None, OK_OR_BAD),
    ("bureau", "PATCH", f"/api/registry/enterprises/{BEARINGS}", "not json", OK_OR_BAD),
    ("bureau", "PATCH", f"/api/registry/enterprises/{BEARINGS}", [1, 2], OK_OR_BAD),
    ("bureau", "POST", "/api/registry/enterprises", {"uscc": None}, BAD),
    ("bureau", "POST", "/api/techmarket/contracts", {"year": -546}, BAD),
]


def _call(client, method, url, body):
    if body is None:
        return getattr(client, method.lower())(url)
    data = body if isinstance(body, str) else json.dumps(body)
    return getattr(client, method.lower())(url, data=data, content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "method", "url", "body", "expected"), CASES, ids=[f"{c[1]} {c[2]}" for c in CASES]
)
def test_bad_input_gets_a_clear_answer(client_for, role, method, url, body, expected):
    response = _call(client_for(role), method, url, body)
    assert response.status_code in expected, response.content[:400]
    if url.startswith("/api/") and response.status_code in BAD:
        payload = response.json()
        assert set(payload) == {"detail", "errors"}
        assert re.search(r"[\u4e00-\u9fff]", payload["detail"]), payload
