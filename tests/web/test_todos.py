"""To-dos on the home page and ``GET /api/todos``: derived from the workflow tables, each line
linking to a page that user may open, plus the items that are not a pending transition."""

import dataclasses
import datetime as dt

import pytest
from django.utils import timezone

from tests.programs.conftest import on_notice, submitted
from zhuanxing import workflow
from zhuanxing.programs.models import Application
from zhuanxing.programs.workflows import APPLICATION
from zhuanxing.web.todos import todos_for

pytestmark = pytest.mark.django_db
State = Application.State
ROLES = ["admin", "bureau", "town", "enterprise", "expert", "reviewer"]


def kinds(user):
    return {item.kind: item for item in todos_for(user)}


def test_the_town_official_is_told_of_the_application_waiting_for_first_review(users, policy):
    application = submitted(users, policy)
    item = kinds(users["town"])["programs.application.pass.submitted"]
    assert item.count == 1 and item.title == "政策兑现申报：待镇街初审"
    assert item.url == f"/programs/applications/{application.pk}/"
    assert item.oldest == timezone.localdate() and item.due == application.deadline
    # staff may stand in for the town, but 初审 is the town's to-do, not theirs; the enterprise
    # has nothing to do now
    assert "programs.application.pass.submitted" not in kinds(users["bureau"])
    assert not [k for k in kinds(users["enterprise"]) if k.startswith("programs.")]


def test_each_stage_is_the_to_do_of_whoever_acts_next(users, policy):
    application = submitted(users, policy)
    on_notice(users, application)
    assert "programs.application.approve.notice" in kinds(users["bureau"])
    assert "programs.application.pass.submitted" not in kinds(users["town"])
    returned = submitted(users, policy, clause="tech", equipment_investment="500")
    from zhuanxing.programs import services

    services.application_decide(actor=users["town"], application=returned, decision="return", reason="缺发票")
    firm = kinds(users["enterprise"])
    assert firm["programs.application.submit.draft"].count == 1  # 补正后再提交


def test_several_waiting_records_link_to_the_filtered_list(users, policy, district):
    submitted(users, policy)
    submitted(users, policy, clause="tech", equipment_investment="300")
    item = kinds(users["town"])["programs.application.pass.submitted"]
    assert item.count == 2 and item.url == "/programs/applications/?state=submitted"


def test_a_stage_added_to_a_workflow_table_shows_up_as_a_to_do(users, policy):
    """No change to the home page: a new row in the table is a new to-do."""
    submitted(users, policy)
    extra = dataclasses.replace(
        APPLICATION.row("pass", State.SUBMITTED),
        action="site_visit",
        label="现场核查",
        todo_label="",
        todo_for=None,
        sources=(State.SUBMITTED,),
        targets=(State.BUREAU_REVIEW,),
        permitted=lambda user, application: user.role == "bureau",
    )
    variant = dataclasses.replace(APPLICATION, transitions=(*APPLICATION.transitions, extra))
    workflow.register(variant)
    try:
        item = kinds(users["bureau"])["programs.application.site_visit.submitted"]
        assert item.title.endswith("待现场核查") and item.count == 1
        assert "programs.application.site_visit.submitted" not in kinds(users["town"])
        page = _client(users["bureau"]).get("/").content.decode()
        assert "待现场核查" in page
    finally:
        workflow.register(APPLICATION)


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_the_api_answers_the_contract_and_every_url_opens_for_that_user(users, policy, district):
    application = submitted(users, policy)
    on_notice(users, submitted(users, policy, clause="tech", equipment_investment="300"))
    services_return = submitted(users, policy, clause="tech", equipment_investment="200")
    from zhuanxing.programs import services

    services.application_decide(
        actor=users["town"], application=services_return, decision="return", reason="x"
    )
    seen = 0
    for role in ROLES:
        client = _client(users[role])
        answer = client.get("/api/todos")
        assert answer.status_code == 200
        body = answer.json()
        assert set(body) == {"items"}
        for item in body["items"]:
            assert set(item) == {"kind", "title", "count", "oldest", "due", "url"}
            assert isinstance(item["count"], int) and item["count"] > 0
            for day in (item["oldest"], item["due"]):
                assert day is None or dt.date.fromisoformat(day)
            assert client.get(item["url"]).status_code == 200, (role, item)
            seen += 1
    assert seen >= 3 and application.pk


def test_the_api_refuses_anonymous_users(client):
    answer = client.get("/api/todos")
    assert answer.status_code == 401 and answer.json()["detail"] == "请先登录"


def test_an_evaluation_notice_ending_soon_and_an_unanswered_demand(users, district):
    from zhuanxing.evaluation.models import EvaluationRun
    from zhuanxing.techmarket.models import Demand

    today = timezone.localdate()
    run = EvaluationRun.objects.create(
        year=2024,
        scheme_id="s",
        scheme_name="s",
        scheme_text="x",
        state=EvaluationRun.State.PUBLISHED,
        publish_until=today + dt.timedelta(days=2),
        published_at=timezone.now(),
    )
    Demand.objects.create(
        enterprise=district["bearings"],
        title="轴承热处理变形控制",
        problem="热处理后变形超差",
        field="装备制造",
        created_at=timezone.now() - dt.timedelta(days=20),
        valid_until=today + dt.timedelta(days=100),
    )
    staff = kinds(users["bureau"])
    assert staff["evaluation.run.notice_ending"].url == f"/evaluation/runs/{run.pk}/"
    assert staff["evaluation.run.notice_ending"].due == run.publish_until
    assert staff["techmarket.demand.unanswered"].count == 1
    assert "evaluation.run.notice_ending" not in kinds(users["town"])


def test_nothing_to_do_says_so(users, client_for):
    page = client_for("expert").get("/").content.decode()
    assert "暂无待办事项" in page
    assert "可见企业" not in page  # an expert sees no enterprises: no empty figures


def test_the_home_page_queries_do_not_grow_with_the_waiting_records(users, policy, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(users["town"])
    submitted(users, policy, clause="tech", equipment_investment="100")
    client.get("/")
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    for n in range(5):
        submitted(users, policy, clause="tech", equipment_investment=str(200 + n))
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get("/")
    assert page.context["todo_groups"][0][1][0]["count"] == 6


def test_every_menu_entry_opens_for_its_user(users, client_for):
    """The menu asks each app's access module: no entry answers 403 (外脑诊断, 技术合同, 我的评价)."""
    for role in ROLES:
        client = client_for(role)
        home = client.get("/")
        for item in home.context["nav_items"]:
            assert client.get(item["url"]).status_code == 200, (role, item["label"])
        techmarket = client.get("/techmarket/")
        for url in ("/techmarket/consultations/", "/techmarket/contracts/"):
            if url in techmarket.content.decode():
                assert client.get(url).status_code == 200, (role, url)
    labels = [i["label"] for i in client_for("admin").get("/").context["nav_items"]]
    assert "我的评价" not in labels and "审计记录" in labels
    expert = client_for("expert").get("/techmarket/").content.decode()
    assert "/techmarket/contracts/" not in expert and "/techmarket/consultations/" in expert
