"""An enterprise opens 模拟测算 on its report card, raises its tax by the amount the lift
table names, and sees the next class; nothing is saved."""

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in
from tests.evaluation.fixtures import TEST_SCHEME

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enterprise_raises_its_tax_by_the_named_amount_and_sees_the_next_class(
    browse, district, users, yearly_data, tmp_path
):
    from zhuanxing.evaluation import services

    run = services.run_create(actor=users["bureau"], year=2024, scheme_text=TEST_SCHEME)
    services.run_publish(actor=users["bureau"], run=run, days=7)

    firm = browse()
    firm.set_viewport_size({"width": 390, "height": 844})
    log_in(firm, "enterprise", PASSWORD)
    firm.goto("/evaluation/mine/")
    firm.click("#my-results a")
    firm.click("#simulate-link")
    assert firm.inner_text("#sim-class").startswith("B")
    row = firm.locator("#lift tr[data-field=tax]")
    assert "评价税收增加 260 万元" in row.inner_text()
    needed = row.get_attribute("data-value")
    firm.screenshot(path=str(tmp_path / "simulate-phone.png"), full_page=True)
    firm.fill("#f-tax", needed)
    firm.wait_for_selector("#sim-class:has-text('A')")
    assert "已是最高等级" in firm.inner_text("#simulation")
    firm.set_viewport_size({"width": 1366, "height": 900})
    firm.screenshot(path="/tmp/i14-simulate-desktop.png", full_page=True)
    import shutil

    shutil.copy(tmp_path / "simulate-phone.png", "/tmp/i14-simulate-phone.png")
