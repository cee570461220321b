"""Several hosts on one PostgreSQL database: two gunicorn servers with separate matching-index
directories; a demand posted through one is found and recommended through the other within 2 s.
And a restarted PostgreSQL (its connections terminated) costs no application restart."""

from __future__ import annotations

import json
import time

import pytest
from django.db import connection

from tests.ops.servers import Server, session_for
from tests.techmarket.fixtures import SERVO_DEMAND, build_market

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs PostgreSQL"),
]


@pytest.fixture
def servers(tmp_path):
    started = []

    def start(name: str) -> Server:
        server = Server(tmp_path / name)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def test_a_demand_posted_on_one_host_is_recommended_on_the_other(industries, users, servers):
    build_market(users)
    host_a, host_b = servers("a"), servers("b")
    enterprise, expert = session_for(users["enterprise"]), session_for(users["expert"])
    # both hosts built their own index from the database
    status, body = host_b.get("/api/techmarket/search?q=伺服电机&kind=expert", session=expert)
    assert status == 200 and [hit["name"] for hit in json.loads(body)] == ["周明"]

    status, body = host_a.request("POST", "/api/techmarket/demands", session=enterprise, body=SERVO_DEMAND)
    assert status == 201, body
    demand = json.loads(body)
    assert any(m["name"] == "周明" for m in demand["matches"])  # recommended on host A

    posted = time.monotonic()
    seen_after = None
    while time.monotonic() - posted < 5:
        status, html = host_b.get("/techmarket/for-me/", session=expert)
        if status == 200 and SERVO_DEMAND["title"] in html:
            seen_after = time.monotonic() - posted
            break
        time.sleep(0.1)
    assert seen_after is not None and seen_after <= 2.0, seen_after
    # and its text is searchable there
    status, body = host_b.get("/api/techmarket/search?q=送料机械手&kind=demand", session=expert)
    assert SERVO_DEMAND["title"] in [hit["name"] for hit in json.loads(body)]


def _terminate_other_backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_the_server_reconnects_after_postgresql_drops_its_connections(industries, users, servers):
    server = servers("a")
    bureau = session_for(users["bureau"])
    assert server.get("/healthz")[0] == 200
    assert server.get("/enterprises/", session=bureau)[0] == 200
    assert _terminate_other_backends() >= 1  # the server's kept connection is gone
    # CONN_HEALTH_CHECKS: the broken connection is noticed before the request uses it
    for path in ("/healthz", "/enterprises/", "/evaluation/"):
        status, body = server.get(path, session=bureau)
        assert status == 200, (path, body[:300])
