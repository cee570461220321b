"""Killing the process at random moments of an import, an evaluation run and a payment (kill -9,
PostgreSQL) leaves the old state or the new one, never a mix: each is one transaction, and a
connection that dies takes its transaction with it."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from decimal import Decimal

import pytest
from django.db import connection  # noqa: F401 (the skip condition reads it)

from tests.conftest import uscc_for
from tests.imports.files import xlsx
from tests.ops.servers import ROOT, database_url

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="kill tests run on PostgreSQL"),
]
POINTS = 5
ENTERPRISES = 3000


def launch(operation: str, argument) -> subprocess.Popen:
    env = os.environ | {"DATABASE_URL": database_url(), "PYTHONPATH": f"{ROOT}:{ROOT / 'src'}"}
    return subprocess.Popen(
        [sys.executable, str(ROOT / "tests/ops/kill_target.py"), operation, str(argument)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def complete(operation: str, argument) -> float:
    """Run to the end; the write's own duration."""
    process = launch(operation, argument)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err[-2000:]
    return float(out.split("done ")[1])


def kill_during(operation: str, argument, seconds: float, rng: random.Random) -> float:
    """Start the write, kill -9 the process a random moment into it; returns that moment."""
    process = launch(operation, argument)
    assert process.stdout.readline().strip() == "start"
    moment = rng.uniform(0, seconds)
    time.sleep(moment)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    process.stdout.close()
    process.stderr.close()
    time.sleep(0.05)  # PostgreSQL notices the closed socket and rolls back
    return moment


@pytest.fixture
def many_enterprises(industries, district, users):
    from zhuanxing.registry.models import AnnualData, Enterprise, ImportBatch, LandParcel

    town = district["luotuo"]
    firms = Enterprise.objects.bulk_create(
        Enterprise(uscc=uscc_for(1000 + i), name=f"测试企业{i}", town=town, industry_id="3451", scale="规上")
        for i in range(ENTERPRISES)
    )
    LandParcel.objects.bulk_create(
        LandParcel(certificate_no=f"测试{i}", owner=firm, area_mu=Decimal(10 + i % 50))
        for i, firm in enumerate(firms)
    )
    batch = ImportBatch.objects.create(source=ImportBatch.Source.TAX, year=2024)
    AnnualData.objects.bulk_create(
        AnnualData(enterprise=firm, year=2024, tax=Decimal(100 + i % 300), sources={"tax": batch.pk})
        for i, firm in enumerate(firms)
    )
    return firms


def test_a_killed_evaluation_run_leaves_no_run_or_a_whole_one(many_enterprises):
    from zhuanxing.evaluation.models import EvaluationResult, EvaluationRun

    seconds = complete("run", 2024)
    whole = EvaluationResult.objects.count()
    assert whole == ENTERPRISES
    EvaluationRun.objects.all().delete()
    rng = random.Random(13)
    for _ in range(POINTS):
        moment = kill_during("run", 2024, seconds, rng)
        runs = list(EvaluationRun.objects.all())
        assert len(runs) <= 1, moment
        if runs:  # the kill came after the commit
            assert runs[0].results.count() == whole and runs[0].summary["evaluated"] == whole, moment
        else:
            assert EvaluationResult.objects.count() == 0, moment
        EvaluationRun.objects.all().delete()


def test_a_killed_import_leaves_the_old_figures_or_the_whole_file(many_enterprises, tmp_path, settings):
    from zhuanxing.registry.models import AnnualData, ImportBatch

    path = xlsx(
        tmp_path / "税务.xlsx",
        ["统一社会信用代码", "企业名称", "实缴税金（万元）", "社保费（万元）"],
        [[firm.uscc, "", 200 + i % 100, 10] for i, firm in enumerate(many_enterprises)],
    )
    seconds = complete("import", path)
    assert AnnualData.objects.filter(year=2025).count() == ENTERPRISES

    def reset():
        AnnualData.objects.filter(year=2025).delete()
        ImportBatch.objects.filter(year=2025).delete()

    reset()
    rng = random.Random(14)
    for _ in range(POINTS):
        moment = kill_during("import", path, seconds, rng)
        batches = ImportBatch.objects.filter(year=2025).count()
        rows = AnnualData.objects.filter(year=2025)
        if batches:
            assert batches == 1 and rows.count() == ENTERPRISES, moment
            assert rows.filter(tax__isnull=True).count() == 0, moment
        else:
            assert rows.count() == 0, moment
        reset()


def test_a_killed_payment_is_recorded_whole_or_not_at_all(industries, users, tmp_path):
    from tests.programs.conftest import TEST_POLICY, approved, figures, on_notice, submitted  # noqa: F401
    from zhuanxing.accounts.models import AuditEntry
    from zhuanxing.programs import services
    from zhuanxing.programs.models import Application, Payment
    from zhuanxing.registry import services as registry_services
    from zhuanxing.registry.models import ImportBatch

    enterprise = users["enterprise"].enterprise
    batch = ImportBatch.objects.create(source=ImportBatch.Source.STATS, year=2023)
    registry_services.annual_values_set(
        batch=batch, enterprise=enterprise, year=2023, values={"rd": Decimal(500), "sales": Decimal(10000)}
    )
    policy = services.policy_create(actor=users["bureau"], text=TEST_POLICY, published=True)
    application = approved(users, on_notice(users, submitted(users, policy)))
    before = Application.objects.filter(pk=application.pk).values("state", "paid", "paid_at").get()
    seconds = complete("pay", application.pk)
    assert Payment.objects.count() == 1

    paid_audits = AuditEntry.objects.filter(action__startswith="申报拨付")
    baseline = 0

    def reset():
        # The audit trail is append-only: count each try's entries from the ones before it.
        nonlocal baseline
        Payment.objects.all().delete()
        Application.objects.filter(pk=application.pk).update(**before)
        baseline = paid_audits.count()

    reset()
    rng = random.Random(15)
    for _ in range(POINTS):
        moment = kill_during("pay", application.pk, max(seconds, 0.02), rng)
        state = Application.objects.get(pk=application.pk)
        payments = list(Payment.objects.all())
        audits = paid_audits.count() - baseline
        if payments:
            assert len(payments) == 1 and state.paid == payments[0].amount and audits == 1, moment
        else:
            assert state.paid == Decimal("0") and state.state == before["state"] and audits == 0, moment
        reset()


def test_the_report_card_pool_draws_the_same_zip_as_one_process(many_enterprises, users, monkeypatch):
    import io
    import zipfile

    from tests.evaluation.fixtures import TEST_SCHEME
    from zhuanxing.evaluation import report_cards, services

    run = services.run_create(actor=users["bureau"], year=2024, scheme_text=TEST_SCHEME)
    monkeypatch.setattr(report_cards, "POOL_FROM", 1)
    monkeypatch.setattr(report_cards, "CHUNK", 7)
    archives = []
    for workers in (2, 1):
        buffer = io.BytesIO()
        assert report_cards.write_zip(run, buffer, workers=workers, limit=40) == 40
        with zipfile.ZipFile(buffer) as archive:
            archives.append([(i.filename, i.file_size) for i in archive.infolist()])
    assert archives[0] == archives[1] and len(archives[0]) == 40
