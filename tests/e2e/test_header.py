"""The header on a phone and on a desktop: a compact bar with a 菜单 toggle, one row of menu."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def official(transactional_db):
    from zhuanxing.accounts.models import Department, Role, User

    user = User(username="jxj", role=Role.BUREAU, department=Department.ECONOMY, is_staff=True)
    user.set_password("pw-12345678")
    user.save()
    return user


def test_phone_header_is_compact_and_its_menu_opens_with_the_toggle(browse, official):
    page = browse()
    log_in(page, "jxj", "pw-12345678")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    toggle = page.get_by_role("button", name="菜单")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.locator("header").bounding_box()["height"] <= 120
    assert not page.get_by_role("navigation", name="主导航").is_visible()

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="企业库").click()
    page.wait_for_url("**/enterprises/")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_desktop_menu_is_one_row(browse, official, live_server, language):
    page = browse()
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    log_in(page, "jxj", "pw-12345678")
    page.set_viewport_size({"width": 1366, "height": 800})
    page.goto("/")
    assert not page.get_by_role("button", name="菜单").is_visible()
    links = page.get_by_role("navigation").get_by_role("link").all()
    assert len(links) > 8
    assert len({round(link.bounding_box()["y"]) for link in links}) == 1
    nav = page.get_by_role("navigation")
    assert nav.evaluate("n => n.scrollWidth <= n.clientWidth")


def test_keyboard_opens_the_phone_menu_and_shows_where_focus_is(browse, official):
    page = browse()
    log_in(page, "jxj", "pw-12345678")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    page.keyboard.press("Tab")  # the brand link
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "菜单"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "(() => { const e = document.activeElement; return [e.textContent, getComputedStyle(e).outlineStyle]; })()"
    )
    assert focused == ["首页", "solid"]
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/enterprises/")
