"""The town official logs in, sees the application waiting for 初审 on the home page, opens it
from there and passes it; the enterprise then finds the message about it. Screenshots of the
home page at desktop and phone width go to var/screenshots/."""

from pathlib import Path

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in
from tests.programs.conftest import figures, policy, submitted  # noqa: F401 (fixtures)
from zhuanxing.programs.models import Application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("var/screenshots")


def test_the_town_official_acts_from_the_home_page(browse, district, users, policy):  # noqa: F811
    application = submitted(users, policy)
    town = browse()
    log_in(town, "town", PASSWORD)
    todo = town.locator("#todos tr.todo[data-kind='programs.application.pass.submitted']")
    assert "待镇街初审" in todo.inner_text() and todo.locator("td.num").inner_text() == "1"
    SHOTS.mkdir(parents=True, exist_ok=True)
    town.set_viewport_size({"width": 1366, "height": 800})
    town.screenshot(path=str(SHOTS / "home-town-desktop.png"), full_page=True)
    town.set_viewport_size({"width": 390, "height": 844})
    town.screenshot(path=str(SHOTS / "home-town-phone.png"), full_page=True)
    town.set_viewport_size({"width": 1366, "height": 800})

    todo.locator("a").click()
    town.wait_for_url(f"**/programs/applications/{application.pk}/")
    town.click("#pass")
    town.wait_for_selector("#application-state:has-text('部门审核')")
    application.refresh_from_db()
    assert application.state == Application.State.BUREAU_REVIEW
    town.goto("/")
    assert town.locator("#todos tr.todo[data-kind='programs.application.pass.submitted']").count() == 0

    firm = browse()
    log_in(firm, "enterprise", PASSWORD)
    firm.wait_for_selector("#notice-badge .count:has-text('1')")
    firm.click("#notice-badge")
    assert "初审通过" in firm.inner_text("#notices")
