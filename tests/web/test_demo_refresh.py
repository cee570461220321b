"""``make demo`` on a machine whose demo was built long ago offers to rebuild it with today's dates."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.e2e.conftest import industries  # noqa: F401 (the industry table, for real transactions)
from zhuanxing.registry.models import Enterprise

pytestmark = pytest.mark.django_db
OLD = "2024-01-05\n"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def stamp(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path / "demo-built-on"


def run(**options) -> str:
    out = io.StringIO()
    call_command("demo-data", if_empty=True, stale_after=30, enterprises=50, stdout=out, **options)
    return out.getvalue()


def test_old_demo_without_a_terminal_only_prints_the_hint(district, stamp, monkeypatch):
    stamp.write_text(OLD)
    monkeypatch.setattr("sys.stdin", io.StringIO())
    printed = run()
    assert "make demo REFRESH=1" in printed and "跳过演示数据生成" in printed
    assert Enterprise.objects.filter(pk=district["bearings"].pk).exists()


def test_old_demo_on_a_terminal_asks_and_no_keeps_it(district, stamp, monkeypatch):
    stamp.write_text(OLD)
    questions = []
    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("builtins.input", lambda prompt: questions.append(prompt) or "")
    run()
    assert questions and "（y/N）" in questions[0]
    assert Enterprise.objects.filter(pk=district["bearings"].pk).exists()
    assert stamp.read_text() == OLD


def test_recent_demo_is_kept_without_asking(district, stamp, monkeypatch):
    stamp.write_text(f"{timezone.localdate() - dt.timedelta(days=3)}\n")
    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("builtins.input", lambda prompt: pytest.fail("asked about a recent demo"))
    assert "make demo REFRESH=1" not in run()
    assert Enterprise.objects.filter(pk=district["bearings"].pk).exists()


# The rebuild empties every table (TRUNCATE on PostgreSQL), which cannot run inside the test's
# transaction once it holds rows: this one runs in real transactions.
@pytest.mark.django_db(transaction=True)
def test_yes_rebuilds_with_today_and_records_the_day(industries, district, stamp, monkeypatch):  # noqa: F811
    stamp.write_text(OLD)
    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    run()
    assert not Enterprise.objects.filter(uscc=district["bearings"].uscc).exists()
    assert Enterprise.objects.count() == 50
    assert stamp.read_text() == f"{timezone.localdate().isoformat()}\n"
