"""An application from draft to paid, each step by its role, every step audited; returns,
rejections, expert review with conflicts of interest, the public notice and its objections,
staged payment, deadlines and the overdue list."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.programs.conftest import BANK, approved, draft, on_notice, submitted
from zhuanxing.accounts.models import AuditEntry, Role, User
from zhuanxing.programs import selectors, services
from zhuanxing.programs.models import Application, ConflictDeclaration, Policy, ReviewAssignment
from zhuanxing.workdays import add_working_days

pytestmark = pytest.mark.django_db
State = Application.State


def transitions(application):
    """(action, from, to, reason, actor) of every audited step, oldest first."""
    entries = AuditEntry.objects.filter(object_type="programs.application", object_id=str(application.pk))
    return [
        (
            e.action,
            (e.old or {}).get("state"),
            (e.new or {}).get("state"),
            e.reason,
            e.actor.username if e.actor else None,
        )
        for e in entries.order_by("at", "id")
    ]


def test_from_draft_to_paid_through_the_pages(client_for, users, policy):
    firm, town, staff = client_for("enterprise"), client_for("town"), client_for("bureau")
    page = firm.post(
        f"/programs/policies/{policy.pk}/apply/tech/",
        {"field_equipment_investment": "1000", "project_name": "数控机床购置", **BANK},
    )
    application = Application.objects.get()
    assert page.status_code == 302 and page["Location"] == f"/programs/applications/{application.pk}/"
    detail = firm.get(page["Location"]).content.decode()
    # the enterprise sees its award and why before it submits: 高新技术企业 8%
    assert "设备投资额 1000 万元 × 8% = 80 万元" in detail and "提交申报" in detail
    assert application.state == State.DRAFT and application.computed == Decimal("80.00")

    for client, action in ((firm, "submit"), (town, "pass"), (staff, "pass")):
        assert client.post(f"/programs/applications/{application.pk}/{action}/").status_code == 302
    application.refresh_from_db()
    assert application.state == State.NOTICE
    assert application.notice_until > application.notice_from  # 5 working days
    public = client_for(None).get("/programs/notice/").content.decode()
    assert application.number in public and "宁波恒达轴承有限公司" in public and "80.00" in public

    approved(users, application)
    application.refresh_from_db()
    assert (application.state, application.approved, application.paid) == (
        State.APPROVED,
        Decimal("80.00"),
        0,
    )
    for stage, amount in ((1, "24.00"), (2, "56.00")):  # 30% and 70%
        assert (
            staff.post(
                f"/programs/applications/{application.pk}/pay/", {"stage": stage, "amount": amount}
            ).status_code
            == 302
        )
    application.refresh_from_db()
    assert (application.state, application.paid) == (State.PAID, Decimal("80.00"))
    assert [p.amount for p in application.payments.all()] == [Decimal("24.00"), Decimal("56.00")]
    mine = firm.get("/programs/applications/").content.decode()
    assert "已拨付" in mine and "80.00" in mine

    assert transitions(application) == [
        ("申报创建", None, State.DRAFT, "", "enterprise"),
        ("申报提交", State.DRAFT, State.SUBMITTED, "", "enterprise"),
        ("申报镇街初审通过", State.SUBMITTED, State.BUREAU_REVIEW, "", "town"),
        ("申报部门审核通过", State.BUREAU_REVIEW, State.NOTICE, "", "bureau"),
        ("申报核定", State.NOTICE, State.APPROVED, "", "bureau"),
        ("申报拨付第1期", State.APPROVED, State.PAYING, "", "bureau"),
        ("申报拨付第2期", State.PAYING, State.PAID, "", "bureau"),
    ]


def test_computed_approved_and_paid_are_kept_apart(users, policy):
    # budget 100: the first takes 80, the second only the 20 left
    first = on_notice(users, submitted(users, policy))
    second = submitted(users, policy, enterprise=users["enterprise"].enterprise, equipment_investment="500")
    second = on_notice(users, second)
    approved(users, first)
    second = approved(users, second)
    assert (second.computed, second.approved, second.paid) == (
        Decimal("40.00"),
        Decimal("20.00"),
        Decimal("0.00"),
    )
    assert second.approved_reasons == "预算不足按比例核减"
    services.payment_record(actor=users["bureau"], application=second, stage=1)
    second.refresh_from_db()
    assert second.paid == Decimal("6.00")  # 30% of the approved 20, not of the computed 40


def test_the_planned_stages_and_a_repeated_stage(users, policy):
    application = approved(users, on_notice(users, submitted(users, policy, equipment_investment="999")))
    assert selectors.next_payment(application) == (1, Decimal("23.97"))  # 79.92 × 30%, rounded down
    services.payment_record(actor=users["bureau"], application=application, stage=1)
    with pytest.raises(ValidationError, match="第1期已登记"):
        services.payment_record(actor=users["bureau"], application=application, stage=1)
    with pytest.raises(ValidationError, match="不超过未拨付的 55.95 万元"):
        services.payment_record(actor=users["bureau"], application=application, stage=2, amount="60")
    assert selectors.next_payment(Application.objects.get(pk=application.pk)) == (2, Decimal("55.95"))


def test_returned_for_completion_and_resubmitted(users, policy):
    application = submitted(users, policy)
    with pytest.raises(ValidationError, match="必须说明理由"):
        services.application_decide(actor=users["town"], application=application, decision="return")
    services.application_decide(
        actor=users["town"], application=application, decision="return", reason="请补充发票"
    )
    application.refresh_from_db()
    assert application.state == State.RETURNED
    services.application_update(
        actor=users["enterprise"], application=application, fields={"equipment_investment": "1500"}, **BANK
    )
    application = services.application_submit(actor=users["enterprise"], application=application)
    assert (application.state, application.computed) == (State.SUBMITTED, Decimal("120.00"))
    assert [t[3] for t in transitions(application) if t[0] == "申报退回补正"] == ["请补充发票"]
    assert [t[0] for t in transitions(application)][-2:] == ["申报修改", "申报提交"]


def test_rejection_needs_a_reason_at_every_step(users, policy):
    application = submitted(users, policy)
    with pytest.raises(ValidationError):
        services.application_decide(
            actor=users["town"], application=application, decision="reject", reason=" "
        )
    services.application_decide(
        actor=users["town"], application=application, decision="reject", reason="不符合产业导向"
    )
    application.refresh_from_db()
    assert application.state == State.REJECTED
    with pytest.raises(PermissionDenied, match="不能执行此操作"):
        services.application_decide(actor=users["bureau"], application=application, decision="pass")


def test_submission_requires_the_fields_and_the_bank_account(users, policy):
    application = services.application_create(
        actor=users["enterprise"],
        policy=policy,
        clause_id="tech",
        enterprise=users["enterprise"].enterprise,
        fields={},
    )
    assert application.computed_reasons == "设备投资额未填写"
    with pytest.raises(ValidationError) as error:
        services.application_submit(actor=users["enterprise"], application=application)
    assert error.value.messages == ["设备投资额未填写", "收款户名未填写", "开户银行未填写", "银行账号未填写"]


def test_facts_are_kept_as_they_were_at_submission(users, policy, district):
    application = submitted(users, policy)
    assert application.facts == {"scale": "规上", "high_tech": True, "rd": "500.0000", "sales": "10000.0000"}


def test_an_ineligible_application_shows_why(users, policy, district):
    application = draft(users["bureau"], policy, district["chemicals"])  # R&D 50 < 100 and < 2% of 10000
    assert (application.computed, application.computed_reasons) == (Decimal("0.00"), "研发投入未达标")
    small = draft(users["bureau"], policy, district["fasteners"])
    assert small.computed_reasons == "技术改造项目补助不符合申报条件"


def test_applications_outside_the_period_are_refused(users, policy):
    today = timezone.localdate()
    services.policy_update(actor=users["bureau"], policy=policy, closes_on=today - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="申报已于"):
        draft(users["enterprise"], Policy.objects.get(), users["enterprise"].enterprise)


def test_automatic_clauses_take_no_application(users, policy):
    with pytest.raises(ValidationError, match="免申即享条款，无需申报"):
        draft(users["enterprise"], policy, users["enterprise"].enterprise, clause="high-tech-bonus")


# ---------------------------------------------------------------- expert review and conflicts of interest


@pytest.fixture
def expert_policy(users, policy):
    return services.policy_update(actor=users["bureau"], policy=policy, expert_clauses=["tech"])


def at_expert_review(users, policy):
    application = submitted(users, policy)
    application = services.application_decide(actor=users["town"], application=application, decision="pass")
    return services.application_decide(actor=users["bureau"], application=application, decision="pass")


def test_expert_review_before_the_notice(users, expert_policy):
    application = at_expert_review(users, expert_policy)
    assert application.state == State.EXPERT_REVIEW
    with pytest.raises(ValidationError, match="还没有专家提交评审意见"):
        services.application_decide(actor=users["bureau"], application=application, decision="pass")
    services.review_assign(actor=users["bureau"], application=application, reviewer=users["reviewer"])
    with pytest.raises(ValidationError, match="已分配过"):
        services.review_assign(actor=users["bureau"], application=application, reviewer=users["reviewer"])
    with pytest.raises(ValidationError, match="还有专家未提交"):
        services.application_decide(actor=users["bureau"], application=application, decision="pass")
    services.review_submit(
        actor=users["reviewer"], application=application, opinion="support", comment="方案可行"
    )
    application = services.application_decide(actor=users["bureau"], application=application, decision="pass")
    assert application.state == State.NOTICE and application.expert_reviewed_at is not None
    assert ("专家评审意见", None, None, "方案可行", "reviewer") in transitions(application)


def test_only_reviewers_without_conflict_are_assigned(users, expert_policy, district):
    application = at_expert_review(users, expert_policy)
    with pytest.raises(ValidationError, match="不是评审专家"):
        services.review_assign(actor=users["bureau"], application=application, reviewer=users["expert"])
    services.conflict_declare(actor=users["reviewer"], enterprise=district["bearings"], relation="relative")
    with pytest.raises(ValidationError, match="已申报利益冲突：近亲属任职或持股"):
        services.review_assign(actor=users["bureau"], application=application, reviewer=users["reviewer"])
    # a reviewer whose own institution is the applicant
    colleague = User.objects.create(username="colleague", role=Role.REVIEWER)
    services.reviewer_profile_set(actor=colleague, institution="宁波恒达轴承 有限公司")
    with pytest.raises(ValidationError, match="评审专家的工作单位即申报企业"):
        services.review_assign(actor=users["bureau"], application=application, reviewer=colleague)
    choices = dict(selectors.reviewer_choices(application))
    assert choices == {
        users["reviewer"]: "已申报利益冲突：近亲属任职或持股",
        colleague: "评审专家的工作单位即申报企业",
    }


def test_a_conflict_declared_after_assignment_recuses_and_blocks_the_review(
    users, expert_policy, district, client_for
):
    application = at_expert_review(users, expert_policy)
    services.review_assign(actor=users["bureau"], application=application, reviewer=users["reviewer"])
    assert (
        "review" in client_for("reviewer").get(f"/programs/applications/{application.pk}/").context["actions"]
    )
    page = client_for("reviewer").post(
        "/programs/conflicts/",
        {"form": "conflict", "uscc": district["bearings"].uscc, "relation": "own", "note": "曾任职"},
    )
    assert page.status_code == 302 and ConflictDeclaration.objects.get().relation == "own"
    assert application.reviews.get().state == ReviewAssignment.State.RECUSED
    # recused: the application is no longer the reviewer's to see or review
    assert client_for("reviewer").get(f"/programs/applications/{application.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.review_submit(
            actor=users["reviewer"], application=application, opinion="support", comment="x"
        )


def test_a_reviewer_with_a_conflict_cannot_review_an_open_assignment(users, expert_policy, district):
    application = at_expert_review(users, expert_policy)
    services.review_assign(actor=users["bureau"], application=application, reviewer=users["reviewer"])
    ConflictDeclaration.objects.create(
        reviewer=users["reviewer"], enterprise=district["bearings"], relation="other"
    )
    with pytest.raises(PermissionDenied, match="存在利益冲突"):
        services.review_submit(
            actor=users["reviewer"], application=application, opinion="support", comment="x"
        )
    services.review_recuse(actor=users["reviewer"], application=application, reason="利益冲突")
    assert application.reviews.get().state == ReviewAssignment.State.RECUSED


# ---------------------------------------------------------------- public notice


def object_publicly(client, application, *, text: str, answer: str | None = None, name="张三"):
    """Open the public notice (which draws the image challenge), then object with its answer."""
    client.get("/programs/notice/")
    answer = client.session["captcha_answer"] if answer is None else answer
    return client.post(
        f"/programs/notice/{application.pk}/object/",
        {"name": name, "contact": "13800000000", "text": text, "captcha": answer.lower()},
    )


def test_a_wrong_or_reused_challenge_answer_is_refused(users, policy, client_for):
    application = on_notice(users, submitted(users, policy))
    anonymous = client_for(None)
    page = object_publicly(anonymous, application, text="项目未实施", answer="XXXX")
    assert not application.objections.exists()
    assert "验证码不正确" in anonymous.get("/programs/notice/").content.decode()
    image = anonymous.get("/programs/notice/captcha.png")
    assert (
        page.status_code == 302 and image["Content-Type"] == "image/png" and image.content[:4] == b"\x89PNG"
    )
    object_publicly(anonymous, application, text="项目未实施")
    replay = {"name": "张三", "contact": "1", "text": "再来一次", "captcha": "anything"}
    anonymous.post(f"/programs/notice/{application.pk}/object/", replay)  # the answer was used up
    assert application.objections.count() == 1


def test_objections_from_one_address_are_limited_and_bounded_in_size(users, policy, client_for, settings):
    settings.ZHUANXING_PUBLIC_OBJECTIONS_PER_HOUR = 2
    application = on_notice(users, submitted(users, policy))
    anonymous = client_for(None)
    long_text = object_publicly(anonymous, application, text="长" * 5000)
    assert not application.objections.exists()
    object_publicly(anonymous, application, text="第一条")
    object_publicly(anonymous, application, text="第二条")
    object_publicly(anonymous, application, text="第三条")
    assert long_text.status_code == 302
    assert list(application.objections.values_list("text", flat=True)) == ["第一条"]
    assert "提交异议过于频繁" in anonymous.get("/programs/notice/").content.decode()


def test_an_open_objection_is_a_to_do_for_staff(users, policy, client_for):
    from zhuanxing.web.todos import todos_for

    application = on_notice(users, submitted(users, policy))
    object_publicly(client_for(None), application, text="项目未实施")
    [todo] = [t for t in todos_for(users["bureau"]) if t.kind == "programs.public_objection"]
    assert todo.count == 1 and todo.url == f"/programs/applications/{application.pk}/#objections"
    assert client_for("bureau").get(todo.url).status_code == 200
    assert not [t for t in todos_for(users["enterprise"]) if t.kind == "programs.public_objection"]


def test_anyone_may_object_during_the_notice_and_approval_waits(users, policy, client_for):
    application = on_notice(users, submitted(users, policy))
    page = object_publicly(client_for(None), application, text="项目未实施")
    assert page.status_code == 302
    objection = application.objections.get()
    with pytest.raises(ValidationError, match="公示期至"):
        services.application_approve(actor=users["bureau"], application=application)
    with pytest.raises(ValidationError, match="还有公示异议未处理"):
        approved(users, application)
    services.objection_decide(
        actor=users["bureau"], objection=objection, uphold=False, reply="经核实项目已实施"
    )
    assert approved(users, application).state == State.APPROVED
    assert ("公示异议", None, None, "项目未实施", None) in transitions(application)


def test_objections_only_while_the_notice_runs(users, policy):
    application = on_notice(users, submitted(users, policy))
    late = application.notice_until + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="不在公示期内"):
        services.objection_submit(application=application, name="李四", contact="x", text="y", today=late)


# ---------------------------------------------------------------- deadlines


def test_every_step_has_a_deadline_and_late_ones_are_listed(users, policy, client_for):
    long_ago = timezone.now() - dt.timedelta(days=30)
    firm = users["enterprise"]
    late = services.application_submit(
        actor=firm, application=draft(firm, policy, firm.enterprise), now=long_ago
    )
    assert late.deadline == add_working_days(
        timezone.localtime(long_ago).date(), 5
    )  # 镇街初审: 5 working days
    fresh = submitted(users, policy, equipment_investment="300")
    assert list(selectors.overdue(Application.objects.all(), timezone.localdate())) == [late]
    page = client_for("town").get("/programs/overdue/").content.decode()
    assert late.number in page and fresh.number not in page
    assert client_for("enterprise").get("/programs/overdue/").status_code == 403


def test_the_reviewer_page_keeps_the_institution_and_names_unknown_enterprises(users, client_for):
    reviewer = client_for("reviewer")
    page = reviewer.post(
        "/programs/conflicts/", {"form": "conflict", "uscc": "91330211XXXXXXXXXX", "relation": "own"}
    )
    assert "企业库中没有该统一社会信用代码" in page.content.decode()
    assert (
        reviewer.post("/programs/conflicts/", {"form": "profile", "institution": "宁波大学"}).status_code
        == 302
    )
    assert users["reviewer"].reviewer_profile.institution == "宁波大学"
    assert AuditEntry.objects.filter(action="评审专家工作单位").exists()


def test_declaring_a_conflict_does_not_tell_a_reviewer_an_unassigned_enterprises_name(
    users, district, client_for
):
    from zhuanxing.programs.models import ConflictDeclaration

    other = district["chemicals"]  # no application of it is assigned to the reviewer
    page = client_for("reviewer").post(
        "/programs/conflicts/",
        {"uscc": other.uscc, "relation": ConflictDeclaration.Relation.values[0], "note": ""},
        follow=True,
    )
    body = page.content.decode()
    assert ConflictDeclaration.objects.filter(reviewer=users["reviewer"], enterprise=other).exists()
    assert other.uscc in body and other.name not in body
