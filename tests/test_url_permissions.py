"""Every URL pattern, requested by every role, answers as the access tables say.

The tables live beside each app's tests (``tests/<app>/access_table.py``, see
``tests/access.py``). A new page or endpoint fails this test until it is added to
its app's table, so nobody ships a URL whose permissions were never written down.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access import EVERYONE, LOGIN, ROLES, STAFF_ONLY

FOUNDATION_TABLE = {
    "web:home": (None, EVERYONE),
    "web:audit_log": (None, STAFF_ONLY),
    "accounts:login": (None, [200, 302, 302, 302, 302, 302, 302]),
    "accounts:logout": (None, [405] * 7),
    "set_language": (None, [302] * 7),
    "api:api-root": (None, [404] * 7),
    "api:openapi-json": (None, [200] * 7),
    "api:openapi-view": (None, [200] * 7),
}
SKIPPED_NAMESPACES = {"admin"}  # Django admin decides with is_staff and model permissions


def _app_tables(attribute: str) -> dict:
    merged: dict = {}
    tests_dir = Path(__file__).parent
    for info in pkgutil.iter_modules([str(tests_dir)]):
        if info.ispkg and (tests_dir / info.name / "access_table.py").exists():
            module = importlib.import_module(f"tests.{info.name}.access_table")
            merged.update(getattr(module, attribute, {}))
    return merged


ACCESS_TABLE = FOUNDATION_TABLE | _app_tables("ACCESS_TABLE")
CROSS_CHECKS = _app_tables("CROSS_CHECKS")


def named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            if inner in SKIPPED_NAMESPACES:
                continue
            prefix = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from named_patterns(entry, prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name


def test_every_named_url_is_in_a_table():
    missing = sorted(name for name in set(named_patterns()) if name not in ACCESS_TABLE)
    assert not missing, f"add these URLs to their app's tests/<app>/access_table.py: {missing}"


def _check(name, kwargs_builder, expected_row, fixtures, client_for):
    url = reverse(name, kwargs=kwargs_builder(fixtures) if kwargs_builder else None)
    failures = []
    for role, expected in zip(ROLES, expected_row, strict=True):
        response = client_for(None if role == "anon" else role).get(url)
        if expected == LOGIN:
            ok = response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            ok = response.status_code == expected
        if not ok:
            failures.append(f"{role}: expected {expected}, got {response.status_code}")
    assert not failures, f"{name} {url}: " + "; ".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ACCESS_TABLE))
def test_role_access(name, access_fixtures, client_for):
    kwargs_builder, expected = ACCESS_TABLE[name]
    _check(name, kwargs_builder, expected, access_fixtures, client_for)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CROSS_CHECKS))
def test_role_access_to_objects_of_others(name, access_fixtures, client_for):
    kwargs_builder, expected = CROSS_CHECKS[name]
    _check(name, kwargs_builder, expected, access_fixtures, client_for)
