"""Statistics checked against counts made by hand, and the overview's colours and query count."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhuanxing.proposals import selectors, services
from zhuanxing.proposals.models import Proposal

pytestmark = pytest.mark.django_db


def test_statistics_by_body_session_unit_class_and_satisfaction(people, register, template):
    units = people["units"]
    office, economy, leader = people["office"], people["economy"], people["leader"]
    made = []
    # 4 CPPCC (九届四次) + 1 NPC (十六届三次); 经信局 leads 3, 科技局 leads 2
    for number, body, lead in [
        (1, "cppcc", "经信局"),
        (2, "cppcc", "经信局"),
        (3, "cppcc", "科技局"),
        (4, "cppcc", "经信局"),
        (5, "npc", "科技局"),
    ]:
        extra = {"term": 16, "meeting": 3} if body == "npc" else {}
        proposal = register(number=number, body=body, **extra)
        made.append(
            services.proposal_assign(
                actor=office, proposal=proposal, lead=units[lead], on=dt.date(2024, 9, 23)
            )
        )
    # 经信局 answers 1 (A), 2 (B), 4 (B); feedback: 1 满意/满意, 2 基本满意/不满意, 4 满意/基本满意
    for proposal, cls in zip([made[0], made[1], made[3]], "ABB", strict=True):
        draft = services.draft_save(actor=economy, proposal=proposal, template=template, reply_class=cls)
        services.draft_submit(actor=economy, draft=draft)
        services.draft_approve(actor=leader, draft=draft)
    for proposal, handling, result in [
        (made[0], "satisfied", "satisfied"),
        (made[1], "fairly", "unsatisfied"),
        (made[3], "satisfied", "fairly"),
    ]:
        services.feedback_record(actor=office, proposal=proposal, handling=handling, result=result)
    stats = selectors.statistics(Proposal.objects.all())
    assert stats["total"] == 5
    assert stats["answered"] == 2  # no. 2 is back in a second handling
    assert stats["by_body"] == {"政协提案": 4, "人大代表建议": 1}
    assert stats["by_session"] == {"区政协九届四次会议": 4, "区人大十六届三次会议": 1}
    assert stats["by_class"] == {"A": 1, "B": 2, "C": 0, "D": 0}
    assert stats["by_unit"] == [
        {"unit": "经信局", "total": 3, "answered": 3, "A": 1, "B": 2, "C": 0, "D": 0},
        {"unit": "科技局", "total": 2, "answered": 0, "A": 0, "B": 0, "C": 0, "D": 0},
    ]
    # handling: 满意 2, 基本满意 1 → 3/3 = 100.0%; result: 满意 1, 基本满意 1, 不满意 1 → 2/3 = 66.7%
    assert stats["handling"]["satisfaction"] == Decimal("100.0")
    assert stats["result"]["satisfaction"] == Decimal("66.7")
    assert stats["result"]["counts"] == {"满意": 1, "基本满意": 1, "不满意": 1}
    assert stats["result"]["shares"]["不满意"] == Decimal("33.3")


def test_the_overview_shows_overdue_red_and_due_soon_amber_in_few_queries(people, register, client_for):
    from django.test import Client

    units = people["units"]
    today = dt.date.today()
    late = services.proposal_assign(
        actor=people["office"],
        proposal=register(number=1),
        lead=units["经信局"],
        on=today - dt.timedelta(days=200),
    )
    services.proposal_assign(
        actor=people["office"], proposal=register(number=2), lead=units["经信局"], on=today
    )
    assert selectors.deadline_status(today + dt.timedelta(days=7), today) == "soon"
    assert selectors.deadline_status(today + dt.timedelta(days=8), today) == "ok"
    assert selectors.deadline_status(today - dt.timedelta(days=1), today) == "overdue"
    client = Client()
    client.force_login(people["economy"])
    for n in range(3, 8):
        services.proposal_assign(
            actor=people["office"], proposal=register(number=n), lead=units["经信局"], on=today
        )
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/proposals/").content.decode()
    assert len(queries) <= 10
    assert 'class="overdue"' in page and late.title in page
    client.force_login(people["science"])
    assert "暂无数据" in client.get("/proposals/").content.decode()
