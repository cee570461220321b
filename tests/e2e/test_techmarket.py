"""An enterprise posts a demand and sees explained recommendations, invites an expert; the expert
accepts; staff record the contract; the statistics page counts it."""

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in
from tests.techmarket.fixtures import SERVO_DEMAND, build_market

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demand_to_contract(browse, users):
    market = build_market(users)
    row = f"#matches tr[data-candidate='expert:{market['robot'].pk}']"

    firm = browse()
    log_in(firm, "enterprise", PASSWORD)
    firm.click("nav >> text=科技大市场")
    firm.click("text=发布技术需求")
    firm.fill("input[name=title]", SERVO_DEMAND["title"])
    firm.fill("textarea[name=problem]", SERVO_DEMAND["problem"])
    firm.fill("textarea[name=indicators]", SERVO_DEMAND["indicators"])
    firm.select_option("select[name=field]", "装备制造")
    firm.select_option("select[name=confidentiality]", "仅受邀可见")
    firm.click("#demand-form button")
    firm.wait_for_selector("text=需求已发布")
    assert "伺服" in firm.inner_text(f"{row} .reason")
    firm.click(f"{row} button:has-text('邀请')")
    firm.wait_for_selector(f"{row} .stage:has-text('邀请')")

    expert = browse()
    log_in(expert, "expert", PASSWORD)
    expert.goto("/techmarket/invitations/")
    assert SERVO_DEMAND["title"] in expert.inner_text("#invitations")
    expert.click("#invitations button:has-text('接受')")
    expert.wait_for_selector(f"{row} .stage:has-text('接受')")

    firm.reload()
    assert "13800000001" in firm.inner_text(f"{row} .contact")  # contact details once accepted

    staff = browse()
    log_in(staff, "bureau", PASSWORD)
    staff.goto(firm.url)
    staff.click(f"{row} a:has-text('登记合同')")
    staff.select_option("select[name=kind]", "技术开发")
    staff.fill("input[name=amount]", "120")
    staff.fill("input[name=tech_amount]", "100")
    staff.fill("input[name=seller_region]", "宁波市")
    staff.fill("input[name=registration_no]", "3302112025000001")
    staff.click("#contract-form button")
    staff.wait_for_selector("text=技术合同已登记")
    staff.goto("/techmarket/statistics/")
    assert staff.inner_text("#contract-count") == "1"
    assert staff.inner_text("#contract-amount").startswith("120")


def test_staff_post_a_demand_for_an_enterprise_found_by_typing_its_name(browse, users, district):
    from zhuanxing.techmarket.models import Demand

    staff = browse()
    log_in(staff, "bureau", PASSWORD)
    staff.goto("/techmarket/demands/new/")
    staff.type("#id_enterprise", "精细化工", delay=30)
    option = staff.wait_for_selector("#id_enterprise-options option", state="attached")
    assert option.inner_text() == "宁波澥浦精细化工有限公司 · 澥浦镇"
    staff.fill("#id_enterprise", option.get_attribute("value"))  # what choosing the suggestion does
    staff.fill("input[name=title]", SERVO_DEMAND["title"])
    staff.fill("textarea[name=problem]", SERVO_DEMAND["problem"])
    staff.select_option("select[name=field]", "装备制造")
    staff.click("#demand-form button")
    staff.wait_for_selector("text=需求已发布")
    assert Demand.objects.get(title=SERVO_DEMAND["title"]).enterprise == district["chemicals"]
