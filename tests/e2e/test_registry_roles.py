"""Two roles log in through the real login page and see only what they may."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_town_official_sees_only_its_town_and_no_staff_pages(browse, district, users):
    page = browse()
    log_in(page, "town", PASSWORD)
    page.click("nav >> text=企业库")
    rows = page.locator("#enterprises tbody tr")
    names = sorted(rows.locator("td:first-child").all_inner_texts())
    assert names == ["宁波恒达轴承有限公司", "宁波骆驼紧固件厂"]
    assert page.locator("nav >> text=审计记录").count() == 0
    response = page.goto(f"/enterprises/{district['chemicals'].uscc}/")
    assert response.status == 404


def test_staff_searches_and_opens_an_enterprise(browse, district, users):
    page = browse()
    log_in(page, "bureau", PASSWORD)
    page.goto("/enterprises/")
    assert page.locator("#enterprises tbody tr").count() == 4
    page.fill("main input[name=q]", "化工")
    # a locator wait, not wait_for_function: evaluating a string is eval, which the CSP forbids
    expect(page.locator("#enterprises tbody tr")).to_have_count(1)
    assert "q=%E5%8C%96%E5%B7%A5" in page.url  # the filter is in the address, so it can be shared
    page.click("text=宁波澥浦精细化工有限公司")
    page.wait_for_selector("h1:has-text('宁波澥浦精细化工有限公司')")
    assert "120.50" in page.locator("section:has-text('土地与出租')").inner_text()
    assert page.locator("nav >> text=审计记录").count() == 1


def test_enterprise_user_sees_only_itself(browse, district, users):
    page = browse()
    log_in(page, "enterprise", PASSWORD)
    page.click("nav >> text=企业库")
    assert page.locator("#enterprises tbody tr td:first-child").all_inner_texts() == ["宁波恒达轴承有限公司"]
