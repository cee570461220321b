"""A bounded, deterministic query-string fuzz of every list page and list endpoint,
for every role: malformed filters never give a server error (issue 18 §3).

The pages are the URLs of the URL × role access tables that take no path argument;
every request sets all the usual filter names at once to malformed values, the
values rotating per page and role so that each value meets every parameter.
"""

from __future__ import annotations

import urllib.parse

import pytest
from django.test import Client
from django.urls import reverse

from tests.access import ROLES
from tests.test_url_permissions import ACCESS_TABLE

PARAMETERS = [
    "q", "year", "page", "page_size", "town", "state", "status", "kind", "field", "source",
    "policy", "scale", "cluster", "channel", "match", "event", "run", "tier", "sort", "id",
]  # fmt: skip
# NUL bytes are refused before any view (see tests/test_bad_input.py); here the views
# themselves meet the values.
BAD_VALUES = [
    "²",
    "١٢",
    "-546",
    "99999999999999999999",
    "1e309",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "\u202e",
    "x" * 3000,
    "2025 ",
    "[]",
]
SKIPPED = {"accounts:logout", "set_language", "api:openapi-view"}
URL_NAMES = sorted(
    name for name, (kwargs, _expected) in ACCESS_TABLE.items() if kwargs is None and name not in SKIPPED
)


@pytest.mark.django_db
def test_no_list_page_fails_on_malformed_filters(access_fixtures):
    failures = []
    for role in ROLES:
        failures += _fuzz(access_fixtures["users"], role)
    assert not failures, failures


def _fuzz(users, role) -> list:
    client = Client()
    if role != "anon":
        client.force_login(users[role])
    failures = []
    for index, name in enumerate(URL_NAMES):
        path = reverse(name)
        for attempt in range(2):
            offset = index + attempt * 7 + ROLES.index(role) * 3
            query = {p: BAD_VALUES[(offset + k) % len(BAD_VALUES)] for k, p in enumerate(PARAMETERS)}
            url = f"{path}?{urllib.parse.urlencode(query)}"
            response = client.get(url, HTTP_HX_REQUEST="true" if attempt else None)
            if response.status_code >= 500:
                failures.append((role, response.status_code, url[:200]))
    return failures
