"""An enterprise applies and sees its award computed; the town and the bureau approve; the public
notice lists it; staff approve and record two staged payments; the enterprise sees it paid."""

import datetime as dt

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in
from tests.programs.conftest import figures, policy  # noqa: F401 (fixtures)
from zhuanxing.programs.models import Application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_apply_review_notice_approve_pay(browse, district, users, policy):  # noqa: F811
    firm = browse()
    firm.on("dialog", lambda dialog: dialog.accept())  # the confirmations of irreversible steps
    log_in(firm, "enterprise", PASSWORD)
    firm.click("nav >> text=政策兑现")
    firm.click("#policies a:has-text('测试政策')")
    # the calculator on the policy page, before applying
    firm.fill("#clause-tech input[name=field_equipment_investment]", "1000")
    firm.click("#clause-tech button:has-text('试算')")
    firm.wait_for_selector("#calc-tech .computed:has-text('80.00')")
    assert "设备投资额 1000 万元 × 8% = 80 万元" in firm.inner_text("#calc-tech")

    firm.click("#clause-tech a:has-text('申报此条款')")
    firm.fill("#id_field_equipment_investment", "1000")
    firm.fill("#id_project_name", "数控机床购置")
    firm.fill("#id_bank_name", "宁波银行镇海支行")
    firm.fill("#id_bank_account", "51010122000123")
    firm.click("button:has-text('保存并试算')")
    firm.wait_for_selector("#computed:has-text('80.00')")
    assert "设备投资额 1000 万元 × 8% = 80 万元" in firm.inner_text("#explanation")
    firm.click("#submit-application")
    firm.wait_for_selector("text=已提交申报")
    application = Application.objects.get()

    town = browse()
    log_in(town, "town", PASSWORD)
    town.click("nav >> text=申报审核")
    town.click(f"#applications a:has-text('{application.number}')")
    town.click("#pass")
    town.wait_for_selector("#application-state:has-text('部门审核')")

    staff = browse()
    staff.on("dialog", lambda dialog: dialog.accept())  # the confirmations of irreversible steps
    log_in(staff, "bureau", PASSWORD)
    staff.goto(f"/programs/applications/{application.pk}/")
    staff.click("#pass")
    staff.wait_for_selector("#application-state:has-text('公示')")

    public = browse()  # no login
    public.goto("/programs/notice/")
    row = public.inner_text(f"#notice tr:has-text('{application.number}')")
    assert "宁波恒达轴承有限公司" in row and "80.00" in row

    # five working days pass: the notice ends
    Application.objects.filter(pk=application.pk).update(notice_until=dt.date(2024, 1, 5))
    staff.reload()
    staff.click("#approve")
    staff.wait_for_selector("text=已核定 80.00 万元")
    staff.click("#record-payment")  # the plan's first stage: 30%
    staff.wait_for_selector("text=已登记第1期拨付 24.00 万元")
    staff.click("#record-payment")  # the rest
    staff.wait_for_selector("text=已登记第2期拨付 56.00 万元")

    firm.click("nav >> text=我的申报")
    assert "已拨付" in firm.inner_text(f"#applications tr:has-text('{application.number}')")
    firm.click(f"#applications a:has-text('{application.number}')")
    assert firm.inner_text("#paid") == "80.00"
    assert "第2期" in firm.inner_text("#payments")
