"""Every URL pattern, requested by every role, answers as the table below says.

A new page or endpoint fails this test until it is added to ACCESS_TABLE, so
nobody ships a URL whose permissions were never written down. Values: the HTTP
status expected, or "login" for a redirect to the login page.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ["anon", "admin", "bureau", "town", "enterprise", "expert", "reviewer"]
LOGIN = "login"

# role columns: anon, admin, bureau, town, enterprise, expert, reviewer
EVERYONE = [LOGIN, 200, 200, 200, 200, 200, 200]
REGISTRY_READERS = [LOGIN, 200, 200, 200, 200, 403, 403]
STAFF_ONLY = [LOGIN, 200, 200, 403, 403, 403, 403]
API_REGISTRY_READERS = [401, 200, 200, 200, 200, 403, 403]


def own_enterprise(d):
    return {"uscc": d["bearings"].uscc}


def other_town_enterprise(d):
    return {"uscc": d["chemicals"].uscc}


# url name -> (kwargs builder or None, expected per role)
ACCESS_TABLE: dict[str, tuple] = {
    "web:home": (None, EVERYONE),
    "web:audit_log": (None, STAFF_ONLY),
    "accounts:login": (None, [200, 302, 302, 302, 302, 302, 302]),
    "accounts:logout": (None, [405] * 7),
    "set_language": (None, [302] * 7),
    "registry:enterprise_list": (None, REGISTRY_READERS),
    "registry:enterprise_create": (None, STAFF_ONLY),
    "registry:enterprise_detail": (own_enterprise, [LOGIN, 200, 200, 200, 200, 403, 403]),
    "registry:enterprise_edit": (own_enterprise, STAFF_ONLY),
    "api:list_towns": (None, API_REGISTRY_READERS),
    "api:list_clusters": (None, API_REGISTRY_READERS),
    "api:api-root": (None, [404] * 7),
    "api:list_enterprises": (None, API_REGISTRY_READERS),
    # same path as the list: GET lists; the POST that creates is tested with the API
    "api:create_enterprise": (None, API_REGISTRY_READERS),
    "api:get_enterprise": (own_enterprise, API_REGISTRY_READERS),
    "api:update_enterprise": (
        own_enterprise,
        API_REGISTRY_READERS,
    ),  # GET of the detail path; PATCH is staff-only
    "api:openapi-json": (None, [200] * 7),
    "api:openapi-view": (None, [200] * 7),
}
# Requests for another town's enterprise: only staff see it.
CROSS_CHECKS = {
    "registry:enterprise_detail": (other_town_enterprise, [LOGIN, 200, 200, 404, 404, 403, 403]),
    "api:get_enterprise": (other_town_enterprise, [401, 200, 200, 404, 404, 403, 403]),
}
SKIPPED_NAMESPACES = {"admin"}  # Django admin decides with is_staff and model permissions


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


def test_every_named_url_is_in_the_table():
    names = set(named_patterns())
    missing = sorted(name for name in names if name not in ACCESS_TABLE)
    assert not missing, f"add these URLs to ACCESS_TABLE: {missing}"


def _check(name, kwargs_builder, expected_row, district, client_for):
    url = reverse(name, kwargs=kwargs_builder(district) if kwargs_builder else None)
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
def test_role_access(name, district, users, client_for):
    kwargs_builder, expected = ACCESS_TABLE[name]
    _check(name, kwargs_builder, expected, district, client_for)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CROSS_CHECKS))
def test_role_access_to_another_towns_enterprise(name, district, users, client_for):
    kwargs_builder, expected = CROSS_CHECKS[name]
    _check(name, kwargs_builder, expected, district, client_for)
