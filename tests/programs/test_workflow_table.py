"""The declared workflows: the registry, ``apply_transition``'s checks and effects, and the pages
that read the tables (buttons, statistics' stages, the overdue list)."""

import dataclasses
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.programs.conftest import submitted
from zhuanxing import workflow
from zhuanxing.accounts.models import AuditEntry
from zhuanxing.programs import selectors, services
from zhuanxing.programs.models import Application
from zhuanxing.programs.workflows import APPLICATION

pytestmark = pytest.mark.django_db
State = Application.State


def test_every_stateful_record_has_one_registered_workflow():
    keys = {w.key for w in workflow.workflows()}
    assert {
        "programs.application",
        "evaluation.run",
        "evaluation.objection",
        "techmarket.match",
        "techmarket.consultation",
    } <= keys
    for declared in workflow.workflows():
        states = set(declared.states)
        for row in declared.transitions:
            # every row names real states of its model, and the registry hands out the same object
            assert set(row.sources) <= states and set(row.targets) <= states, (declared.key, row.action)
        assert workflow.get(declared.key) is declared


def test_a_row_is_looked_up_by_action_and_state():
    assert APPLICATION.row("pass", State.SUBMITTED).label == "初审通过"
    assert APPLICATION.row("pass", State.BUREAU_REVIEW).label == "审核通过"
    assert APPLICATION.row("pass", State.NOTICE) is None
    assert APPLICATION.row("return", State.SUBMITTED).reason_required


def test_a_declaration_with_two_rows_for_one_action_and_state_is_refused():
    row = APPLICATION.row("submit", State.DRAFT)
    with pytest.raises(ValueError, match="two rows"):
        workflow.Workflow(key="x", label="x", model=Application, transitions=(row, row))


def test_apply_transition_sets_state_stamps_deadline_and_audits_in_one_go(users, policy):
    application = submitted(users, policy)
    moment = timezone.make_aware(dt.datetime(2026, 3, 2, 10, 0))  # a Monday
    moved = workflow.apply_transition(APPLICATION, application, "pass", actor=users["town"], now=moment)
    assert moved.state == State.BUREAU_REVIEW
    assert moved.town_reviewed_at == moment and moved.state_since == moment
    assert moved.deadline == dt.date(2026, 3, 16)  # 10 working days for 部门审核
    entry = AuditEntry.objects.filter(object_id=str(application.pk), action="申报镇街初审通过").get()
    assert (entry.old, entry.new, entry.actor) == (
        {"state": "submitted"},
        {"state": "bureau_review"},
        users["town"],
    )


def test_apply_transition_refuses_wrong_state_wrong_user_and_missing_reason(users, policy):
    application = submitted(users, policy)
    with pytest.raises(PermissionDenied, match="不能执行此操作"):
        workflow.apply_transition(APPLICATION, application, "approve", actor=users["bureau"])
    with pytest.raises(PermissionDenied):
        workflow.apply_transition(APPLICATION, application, "pass", actor=users["enterprise"])
    with pytest.raises(ValidationError, match="必须说明理由"):
        workflow.apply_transition(APPLICATION, application, "return", actor=users["town"], reason="  ")
    application.refresh_from_db()
    assert application.state == State.SUBMITTED  # nothing moved, nothing half-written
    assert not AuditEntry.objects.filter(object_id=str(application.pk), action__contains="初审").exists()


def test_a_failing_prepare_hook_rolls_the_whole_transition_back(users, policy):
    application = submitted(users, policy)

    def prepare(record):
        record.town_reviewed_at = timezone.now()
        raise ValidationError("材料不全")

    with pytest.raises(ValidationError, match="材料不全"):
        workflow.apply_transition(APPLICATION, application, "pass", actor=users["town"], prepare=prepare)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED and application.town_reviewed_at is None


def test_listeners_hear_every_transition(users, policy):
    heard = []

    def listener(**event):
        heard.append((event["workflow"].key, event["transition"].action, event["before"], event["after"]))

    workflow.listen(listener)
    try:
        submitted(users, policy)
    finally:
        workflow.unlisten(listener)
    assert heard == [("programs.application", "submit", "draft", "submitted")]


def test_generic_workflow_checks_the_rows_predicate(users, district):
    """Without an app ``authorize`` hook the row's own predicate decides (techmarket, evaluation)."""
    from zhuanxing.evaluation.workflows import RUN

    assert RUN.authorize is None
    assert [r.action for r in RUN.rows_from("draft")] == ["publish"]
    assert RUN.row("publish", "draft").allows(users["bureau"], None)
    assert not RUN.row("publish", "draft").allows(users["town"], None)


def test_the_application_buttons_are_labelled_from_the_table(client_for, users, policy):
    application = submitted(users, policy)
    page = client_for("town").get(f"/programs/applications/{application.pk}/").content.decode()
    assert 'id="pass">初审通过</button>' in page and ">退回补正</button>" in page
    assert ">审核通过<" not in page


def test_a_stage_added_to_the_table_shows_in_the_statistics(monkeypatch):
    extra = dataclasses.replace(
        APPLICATION.row("pass", State.SUBMITTED),
        action="precheck",
        label="预审",
        sources=(State.DRAFT,),
        stage="预审",
        stage_start="created_at",
        stamps=("submitted_at",),
    )
    variant = dataclasses.replace(APPLICATION, transitions=(extra, *APPLICATION.transitions))
    monkeypatch.setattr("zhuanxing.programs.workflows.APPLICATION", variant)
    assert list(selectors.stages()) == ["预审", "镇街初审", "部门审核", "专家评审", "公示与核定", "拨付"]


def test_the_overdue_list_covers_the_states_the_table_times(users, policy):
    timed = set(APPLICATION.timed_states())
    assert {State.SUBMITTED, State.BUREAU_REVIEW, State.EXPERT_REVIEW, State.NOTICE, State.PAYING} <= timed
    assert State.PAID not in timed and State.REJECTED not in timed
    application = submitted(users, policy)
    late_day = application.deadline + dt.timedelta(days=1)
    assert list(selectors.overdue(Application.objects.all(), late_day)) == [application]
    services.application_decide(
        actor=users["town"], application=application, decision="reject", reason="重复"
    )
    assert not selectors.overdue(Application.objects.all(), late_day).exists()
