"""Registration, assignment with working-day deadlines across 国庆, return, reassignment, extension."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.proposals.conftest import ASSIGNED, co_of, lead_of
from zhuanxing.accounts.models import AuditEntry
from zhuanxing.proposals import services
from zhuanxing.proposals.models import Assignment, Extension, Proposal

pytestmark = pytest.mark.django_db


def test_deadlines_count_working_days_over_national_day_and_its_swapped_days(assigned):
    lead, science = lead_of(assigned), co_of(assigned, "科技局")
    assert assigned.state == Proposal.State.HANDLING
    # 5 working days from Mon 23 Sep 2024: 24–27 and Sunday 29 (调休)
    assert lead.return_until == dt.date(2024, 9, 29)
    # co-units, 20 working days: 24–27, 29, 30 Sep, 8–12 Oct (12th a 调休 Saturday), 14–18, 21–24 → 24 Oct
    # (Monday to Friday would have said 21 Oct)
    assert science.due_on == dt.date(2024, 10, 24)
    # the lead, 60 working days → 19 December 2024
    assert lead.due_on == dt.date(2024, 12, 19)
    assert {a.unit.name: a.role for a in assigned.assignments.all()} == {
        "经信局": Assignment.Role.LEAD,
        "科技局": Assignment.Role.CO,
        "商务局": Assignment.Role.CO,
    }
    assert AuditEntry.objects.filter(action="proposals.assign", object_id=str(assigned.pk)).exists()


def test_only_one_lead_and_not_both_lead_and_co(people, register):
    units = people["units"]
    proposal = register()
    with pytest.raises(ValidationError, match="主办单位不能同时作为会办单位"):
        services.proposal_assign(
            actor=people["office"], proposal=proposal, lead=units["经信局"], co_units=[units["经信局"]]
        )
    services.proposal_assign(actor=people["office"], proposal=proposal, lead=units["经信局"], on=ASSIGNED)
    with pytest.raises(ValidationError, match="只能有一个主办单位"):
        services.proposal_assign(actor=people["office"], proposal=proposal, lead=units["科技局"])


def test_only_the_office_assigns(people, register):
    with pytest.raises(PermissionDenied):
        services.proposal_assign(actor=people["economy"], proposal=register(), lead=people["units"]["经信局"])


def test_a_misrouted_case_goes_back_within_the_days_and_is_reassigned(people, assigned):
    units = people["units"]
    lead = lead_of(assigned)
    with pytest.raises(ValidationError, match="请填写退回理由"):
        services.assignment_return(actor=people["economy"], assignment=lead, reason=" ", today=ASSIGNED)
    with pytest.raises(ValidationError, match="5个工作日内.*2024-09-29"):
        services.assignment_return(
            actor=people["economy"], assignment=lead, reason="属科技局职能", today=dt.date(2024, 9, 30)
        )
    with pytest.raises(PermissionDenied):
        services.assignment_return(actor=people["science"], assignment=lead, reason="x", today=ASSIGNED)
    services.assignment_return(
        actor=people["economy"], assignment=lead, reason="属科技局职能", today=dt.date(2024, 9, 29)
    )
    assigned.refresh_from_db()
    assert assigned.state == Proposal.State.RETURNED
    # the returned unit cannot get it back; the co-units stay
    with pytest.raises(ValidationError, match="经信局已退回本件"):
        services.proposal_assign(actor=people["office"], proposal=assigned, lead=units["经信局"])
    again = services.proposal_assign(
        actor=people["office"], proposal=assigned, lead=units["科技局"], on=dt.date(2024, 10, 8)
    )
    assert again.state == Proposal.State.HANDLING
    new_lead = lead_of(again)
    assert new_lead.unit.name == "科技局" and new_lead.assigned_on == dt.date(2024, 10, 8)
    assert co_of(again, "商务局").assigned_on == ASSIGNED  # untouched
    # 科技局, a co-unit until now, became the lead: its co-handling part is closed
    assert not again.assignments.filter(unit__name="科技局", role=Assignment.Role.CO, active=True).exists()
    assert AuditEntry.objects.filter(action="proposals.return", reason="属科技局职能").exists()


def test_one_extension_with_approval_and_a_second_request_is_refused(people, assigned):
    lead = lead_of(assigned)
    with pytest.raises(PermissionDenied):
        services.extension_request(actor=people["science"], proposal=assigned, days=10, reason="x")
    with pytest.raises(ValidationError, match="请填写延期理由"):
        services.extension_request(
            actor=people["economy"], proposal=assigned, days=10, reason="", today=ASSIGNED
        )
    extension = services.extension_request(
        actor=people["economy"], proposal=assigned, days=10, reason="需等年报数据", today=ASSIGNED
    )
    with pytest.raises(ValidationError, match="每件提案建议只能申请一次延期"):
        services.extension_request(
            actor=people["economy"], proposal=assigned, days=5, reason="再延", today=ASSIGNED
        )
    with pytest.raises(PermissionDenied):
        services.extension_decide(actor=people["economy"], extension=extension, approve=True)
    services.extension_decide(actor=people["office"], extension=extension, approve=True)
    extension.refresh_from_db()
    assert extension.state == Extension.State.APPROVED
    assert extension.old_due_on == dt.date(2024, 12, 19)
    # 10 more working days: 20, 23–27, 30, 31 Dec 2024, 2, 3 Jan 2025 (1 January is a holiday)
    assert lead_of(assigned).due_on == dt.date(2025, 1, 3) == extension.new_due_on
    with pytest.raises(ValidationError, match="已审批"):
        services.extension_decide(actor=people["office"], extension=extension, approve=False)
    assert lead.pk == lead_of(assigned).pk


def test_registration_refuses_future_dates_unknown_units_and_a_number_twice(people, register):
    with pytest.raises(ValidationError, match="晚于今天"):
        register(submitted_on=dt.date.today() + dt.timedelta(days=3))
    with pytest.raises(ValidationError, match="未知的承办单位：环保局"):
        register(suggested_units=["环保局"])
    register()
    with pytest.raises(ValidationError):
        register()


def test_a_co_unit_writes_its_view_and_the_lead_sees_it(people, assigned, client_for):
    from django.test import Client

    science = co_of(assigned, "科技局")
    todos = client_for_user(people["science"]).get("/api/todos").json()["items"]
    due = [t for t in todos if t["kind"] == "proposals.coview.due"]
    assert due and due[0]["count"] == 1 and due[0]["due"] == science.due_on.isoformat()
    assert client_for_user(people["science"]).get(due[0]["url"]).status_code == 200
    with pytest.raises(PermissionDenied):
        services.coview_submit(actor=people["commerce"], assignment=science, text="x")
    with pytest.raises(ValidationError, match="只有有效的会办单位"):
        services.coview_submit(actor=people["economy"], assignment=lead_of(assigned), text="x")
    services.coview_submit(
        actor=people["science"],
        assignment=science,
        text="科技市场于2014年5月投入运行。",
        figures="2014年促成签约项目 9 项\n技术交易额 680 万元",
        today=dt.date(2024, 10, 10),
    )
    client = Client()
    client.force_login(people["economy"])
    page = client.get(f"/proposals/{assigned.pk}/").content.decode()
    assert "科技市场于2014年5月投入运行。" in page and "技术交易额 680 万元" in page
    assert "科技局" in page
    todos = client_for_user(people["science"]).get("/api/todos").json()["items"]
    assert not [t for t in todos if t["kind"] == "proposals.coview.due"]  # sent: no longer waiting


def client_for_user(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client
