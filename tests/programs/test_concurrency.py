"""Two staff approving the same application at the same moment pay it once, and approvals racing
for one budget never exceed it: real threads, each on its own database connection, against
PostgreSQL's row locks (``SELECT … FOR UPDATE`` on the policy, then the applications)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from tests.e2e.conftest import industries  # noqa: F401 (a fixture: transactional tests empty the tables)
from tests.programs.conftest import after_notice, draft, figures, on_notice, policy  # noqa: F401 (fixtures)
from zhuanxing.accounts.models import AuditEntry
from zhuanxing.programs import selectors, services
from zhuanxing.programs.models import Application, Payment

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks (it serialises whole transactions), so a race proves nothing",
    ),
]
RACERS = 6


def race(action, count: int = RACERS) -> list:
    """Run ``action(i)`` in ``count`` threads released at the same instant; each result or exception."""
    start = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            start.wait()
            results[index] = action(index)
        except Exception as exc:  # the losers' refusals are the point
            results[index] = exc
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_approvals_and_payments_of_one_application_happen_once(industries, users, policy):  # noqa: F811
    application = services.application_submit(
        actor=users["enterprise"],
        application=draft(users["enterprise"], policy, users["enterprise"].enterprise),
    )
    application = on_notice(users, application)
    staff = [users["bureau"], users["admin"]]
    moment = after_notice(application)

    results = race(
        lambda i: services.application_approve(actor=staff[i % 2], application=application, now=moment)
    )
    winners = [r for r in results if isinstance(r, Application)]
    assert len(winners) == 1
    assert all(isinstance(r, PermissionDenied | ValidationError) for r in results if r not in winners)
    assert AuditEntry.objects.filter(action="申报核定").count() == 1
    assert selectors.committed(policy) == Decimal("80.00")

    results = race(lambda i: services.payment_record(actor=staff[i % 2], application=application, stage=1))
    assert len([r for r in results if isinstance(r, Payment)]) == 1
    application.refresh_from_db()
    assert application.paid == Decimal("24.00") and Payment.objects.count() == 1
    assert AuditEntry.objects.filter(action="申报拨付第1期").count() == 1


def test_concurrent_approvals_never_exceed_the_budget(industries, users, policy):  # noqa: F811
    firm = users["enterprise"]
    applications = []
    for _ in range(RACERS):  # six 数字化车间 projects of 40 each against a budget of 100
        application = draft(firm, policy, firm.enterprise, clause="workshop", project_investment="800")
        applications.append(
            on_notice(users, services.application_submit(actor=firm, application=application))
        )
    moment = after_notice(applications[0])

    results = race(
        lambda i: services.application_approve(actor=users["bureau"], application=applications[i], now=moment)
    )
    approved = sorted(r.approved for r in results if isinstance(r, Application))
    assert approved == [Decimal("20.00"), Decimal("40.00"), Decimal("40.00")]
    assert all("预算" in " ".join(r.messages) for r in results if isinstance(r, ValidationError))
    assert selectors.committed(policy) == Decimal("100.00")
    assert Application.objects.filter(state=Application.State.APPROVED).count() == 3
