"""Who may take which step: checked inside each transition's transaction, whatever page or
script calls it; applications of others are not found."""

import pytest
from django.core.exceptions import PermissionDenied

from tests.programs.conftest import BANK, draft, on_notice, submitted
from zhuanxing.accounts.models import AuditEntry
from zhuanxing.programs import access, services
from zhuanxing.programs.models import Application

pytestmark = pytest.mark.django_db
State = Application.State


def test_each_step_belongs_to_its_role(users, policy):
    application = draft(users["enterprise"], policy, users["enterprise"].enterprise)
    for role in ("town", "reviewer", "expert"):
        with pytest.raises(PermissionDenied):
            services.application_submit(actor=users[role], application=application)
    application = services.application_submit(actor=users["enterprise"], application=application)
    for role in ("enterprise", "reviewer", "expert"):
        with pytest.raises(PermissionDenied):
            services.application_decide(actor=users[role], application=application, decision="pass")
    application = services.application_decide(actor=users["town"], application=application, decision="pass")
    for role in ("town", "enterprise", "reviewer"):  # 部门审核 is the bureau's
        with pytest.raises(PermissionDenied):
            services.application_decide(actor=users[role], application=application, decision="pass")
    application = services.application_decide(actor=users["bureau"], application=application, decision="pass")
    for role in ("town", "enterprise"):
        with pytest.raises(PermissionDenied):
            services.application_approve(actor=users[role], application=application)
    assert Application.objects.get().state == State.NOTICE
    # nothing of the refused attempts was written
    assert AuditEntry.objects.filter(object_type="programs.application").count() == 4


def test_a_refused_step_changes_nothing(users, policy):
    application = submitted(users, policy)
    with pytest.raises(PermissionDenied):
        services.application_decide(
            actor=users["enterprise"], application=application, decision="reject", reason="x"
        )
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_the_town_reviews_its_own_town_only(users, policy, district):
    other = submitted(users, policy, enterprise=district["chemicals"], user=users["bureau"])  # staff on paper
    with pytest.raises(PermissionDenied):
        services.application_decide(actor=users["town"], application=other, decision="pass")
    assert (
        services.application_decide(actor=users["bureau"], application=other, decision="pass").state
        == State.BUREAU_REVIEW
    )


def test_staff_enter_paper_applications_enterprises_only_their_own(users, policy, district):
    with pytest.raises(PermissionDenied):
        draft(users["enterprise"], policy, district["chemicals"])
    with pytest.raises(PermissionDenied):
        draft(users["town"], policy, district["bearings"])
    assert draft(users["bureau"], policy, district["chemicals"]).created_by == users["bureau"]


def test_applications_of_others_are_not_found(users, policy, district, client_for):
    own = submitted(users, policy)
    other = submitted(users, policy, enterprise=district["chemicals"], user=users["bureau"])
    firm, town = client_for("enterprise"), client_for("town")
    assert firm.get(f"/programs/applications/{own.pk}/").status_code == 200
    assert firm.get(f"/programs/applications/{other.pk}/").status_code == 404
    assert town.get(f"/programs/applications/{other.pk}/").status_code == 404
    assert firm.post(f"/programs/applications/{other.pk}/submit/").status_code == 404
    assert client_for("expert").get(f"/programs/applications/{own.pk}/").status_code == 403
    listed = firm.get("/programs/applications/").context["page"].object_list
    assert list(listed) == [own]
    assert set(town.get("/programs/applications/").context["page"].object_list) == {own}


def test_a_refused_step_through_the_page_is_forbidden(users, policy, client_for):
    application = submitted(users, policy)
    assert client_for("enterprise").post(f"/programs/applications/{application.pk}/pass/").status_code == 403
    assert client_for("town").post(f"/programs/applications/{application.pk}/nope/").status_code == 404


def test_the_pages_offer_each_role_its_own_buttons(users, policy, client_for):
    application = on_notice(users, submitted(users, policy))
    assert access.actions_for(users["enterprise"], application) == set()
    assert access.actions_for(users["town"], application) == set()
    assert access.actions_for(users["bureau"], application) == {"reject", "approve"}
    application = draft(
        users["enterprise"], policy, users["enterprise"].enterprise, equipment_investment="300"
    )
    assert access.actions_for(users["enterprise"], application) == {"edit", "submit"}
    assert access.actions_for(users["bureau"], application) == {"edit", "submit"}  # 代为申报


def test_calculator_per_role(users, policy, client_for, district):
    url = f"/programs/policies/{policy.pk}/calculate/?clause=tech&field_equipment_investment=1000"
    page = client_for("enterprise").get(url).content.decode()
    assert "计算额" in page and "80.00" in page and "高新技术企业 是" in page
    assert "研发经费 500.00 万元" in page and "销售收入 10,000.00 万元" in page  # facts with their unit
    staff = client_for("bureau").get(url + f"&uscc={district['chemicals'].uscc}").content.decode()
    assert "研发投入未达标" in staff
    assert (
        client_for("town").get(url + f"&uscc={district['chemicals'].uscc}").status_code == 404
    )  # another town
    assert client_for("reviewer").get(url).status_code == 403
    bad = client_for("enterprise").get(url.replace("1000", "一千")).content.decode()
    assert "应为数字：「一千」" in bad
    htmx = client_for("enterprise").get(url, HTTP_HX_REQUEST="true")
    assert htmx.templates[0].name == "programs/_calculation.html"


def test_bank_fields_are_kept_on_the_application(users, policy):
    application = draft(users["enterprise"], policy, users["enterprise"].enterprise)
    assert {name: getattr(application, name) for name in BANK} == BANK
