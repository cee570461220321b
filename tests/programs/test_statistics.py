"""Statistics per policy and clause, their charts and the xlsx export."""

import datetime as dt
import io
import json
from decimal import Decimal

import polars as pl
import pytest
from django.utils import timezone

from tests.programs.conftest import after_notice, draft, submitted
from zhuanxing.programs import selectors, services
from zhuanxing.programs.models import Policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(users, policy, district):
    """One paid (80), one rejected at the town, one draft (not counted); times a day apart."""
    start = timezone.now() - dt.timedelta(days=20)
    firm = users["enterprise"]
    paid = services.application_submit(
        actor=firm, application=draft(firm, policy, firm.enterprise), now=start
    )
    paid = services.application_decide(
        actor=users["town"], application=paid, decision="pass", now=start + dt.timedelta(days=1)
    )
    paid = services.application_decide(
        actor=users["bureau"], application=paid, decision="pass", now=start + dt.timedelta(days=3)
    )
    paid = services.application_approve(actor=users["bureau"], application=paid, now=after_notice(paid))
    services.payment_record(actor=users["bureau"], application=paid, stage=1)
    rejected = submitted(users, policy, equipment_investment="500")
    services.application_decide(
        actor=users["town"], application=rejected, decision="reject", reason="重复申报"
    )
    draft(firm, policy, firm.enterprise, equipment_investment="300")
    return paid


def test_figures_per_clause(activity):
    [figures] = selectors.statistics(Policy.objects.all())
    [tech] = figures.clauses
    assert (tech.applications, tech.approvals, tech.rejections) == (2, 1, 1)
    assert (tech.computed, tech.approved, tech.paid) == (
        Decimal("120.00"),
        Decimal("80.00"),
        Decimal("24.00"),
    )
    days = tech.average_days
    assert round(days["镇街初审"], 3) == 1 and round(days["部门审核"], 3) == 2
    assert days["专家评审"] is None and days["拨付"] is None  # not fully paid yet
    assert figures.budget_used == pytest.approx(0.8)
    assert figures.total.approved == Decimal("80.00")


def test_page_with_charts_and_export(activity, client_for):
    page = client_for("bureau").get("/programs/statistics/")
    assert page.status_code == 200 and len(page.context["charts"]) == 2
    assert "技术改造项目补助" in page.content.decode()
    amounts_chart = str(page.context["charts"][0])
    assert json.dumps("技术改造项目补助")[1:-1] in amounts_chart  # drawn per clause, not per stage
    export = client_for("bureau").get("/programs/statistics/?format=xlsx")
    sheets = pl.read_excel(io.BytesIO(export.content), sheet_id=0)
    clauses = sheets["条款统计"]
    assert clauses.columns[:8] == [
        "政策",
        "条款",
        "申报件数",
        "核定件数",
        "不予支持件数",
        "计算额（万元）",
        "核定额（万元）",
        "已拨付（万元）",
    ]
    assert clauses.row(0)[:8] == ("测试政策", "技术改造项目补助", 2, 1, 1, 120, 80, 24)
    assert sheets["预算执行"].row(0) == ("测试政策", 100, 80, 0.8, 24)
    assert client_for("town").get("/programs/statistics/").status_code == 403
