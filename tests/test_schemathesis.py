"""schemathesis over the whole OpenAPI document (issue 18 §3): a fixed seed, a few
examples per operation, every operation, as a signed-in bureau user with a CSRF token.
No answer may be a server error or carry a status code the document does not list."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import status_code_conformance  # noqa: E402

from zhuanxing.config.wsgi import application  # noqa: E402

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
CSRF = "a" * 32


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """schemathesis calls the WSGI app directly, not through Django's test client, so the end of
    each request would close the database connection that holds the test's transaction (on
    PostgreSQL); do what the test client does and keep it open."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bureau_cookies(users):
    from django.test import Client

    client = Client()
    client.force_login(users["bureau"])
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=3,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_has_no_server_error_and_no_undocumented_status(case, bureau_cookies):
    response = case.call(
        cookies=bureau_cookies, headers={"X-CSRFToken": CSRF, "Referer": "http://localhost/"}
    )
    case.validate_response(response, checks=[not_a_server_error, status_code_conformance])
