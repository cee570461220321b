"""The figures typed into the calculator carry into the application form."""

import re

import pytest

from tests.programs.conftest import figures, policy  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def apply_link(page: str) -> str:
    found = re.search(r'id="apply-with-figures" href="([^"]+)"', page)
    assert found, "the calculation offers no way to apply with its figures"
    return found.group(1).replace("&amp;", "&")


def test_the_enterprise_applies_with_the_figures_it_tried(users, policy, client_for):  # noqa: F811
    firm = client_for("enterprise")
    url = f"/programs/policies/{policy.pk}/calculate/?clause=tech&field_equipment_investment=1000"
    link = apply_link(firm.get(url).content.decode())
    assert link == f"/programs/policies/{policy.pk}/apply/tech/?field_equipment_investment=1000"
    form = firm.get(link).content.decode()
    assert re.search(r'name="field_equipment_investment" value="1000"', form)


def test_staff_carry_the_enterprise_too(users, policy, client_for, district):  # noqa: F811
    staff = client_for("bureau")
    uscc = district["chemicals"].uscc
    page = staff.get(
        f"/programs/policies/{policy.pk}/calculate/?clause=tech&field_equipment_investment=500&uscc={uscc}"
    ).content.decode()
    form = staff.get(apply_link(page)).content.decode()
    assert "申报企业：宁波澥浦精细化工有限公司" in form
    assert re.search(r'name="field_equipment_investment" value="500"', form)


def test_who_may_not_apply_is_not_offered_the_link(users, policy, client_for, district):  # noqa: F811
    url = f"/programs/policies/{policy.pk}/calculate/?clause=tech&field_equipment_investment=1000"
    page = client_for("town").get(url + f"&uscc={district['bearings'].uscc}").content.decode()
    assert "计算额" in page and "apply-with-figures" not in page
