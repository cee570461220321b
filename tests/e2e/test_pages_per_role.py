"""Every page a role reaches, on a desktop (1366 px) and a phone (390 px): no sideways scroll,
a compact header on the phone, no serious or critical axe violation, no console error, and the
load event within 1.5 s.

A role's pages are its menu plus the first detail pages linked from each menu page's tables,
on the demo district (a small one: one data set per role, one browser for all).
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "demo-2026"
VIEWPORTS = {"desktop": {"width": 1366, "height": 800}, "phone": {"width": 390, "height": 844}}
DETAILS_PER_MENU_PAGE = 2
MAX_HEADER_ON_PHONE = 120
MAX_LOAD_MS = 1500
# files and actions rather than pages
NOT_A_PAGE = re.compile(r"\?|/api/|\.(xlsx|xls|csv|pdf|docx|zip)$|/(export|download)")


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def pages_of(page) -> list[str]:
    """The role's menu, then up to DETAILS_PER_MENU_PAGE detail pages linked from each menu page's tables."""
    page.goto("/")
    menu = page.eval_on_selector_all("header nav a", "links => links.map(a => a.getAttribute('href'))")
    pages = list(menu)
    for path in menu:
        page.goto(path)
        linked = page.eval_on_selector_all(
            "main table a[href^='/']", "links => links.map(a => a.getAttribute('href'))"
        )
        details = [
            href for href in dict.fromkeys(linked) if not NOT_A_PAGE.search(href) and href not in pages
        ]
        pages += details[:DETAILS_PER_MENU_PAGE]
    return pages


def problems_on(page, axe, path: str, viewport: str, console_errors: list[str]) -> list[str]:
    console_errors.clear()
    page.goto(path)
    found = []
    measures = page.evaluate(
        """() => ({
          scrollWidth: document.documentElement.scrollWidth,
          width: window.innerWidth,
          header: document.querySelector('header').getBoundingClientRect().height,
          load: performance.getEntriesByType('navigation')[0].loadEventEnd,
        })"""
    )
    if measures["scrollWidth"] > measures["width"]:
        found.append(f"scrolls sideways ({measures['scrollWidth']} px wide)")
    if viewport == "phone" and measures["header"] > MAX_HEADER_ON_PHONE:
        found.append(f"header {measures['header']:.0f} px tall")
    if measures["load"] > MAX_LOAD_MS:
        found.append(f"load event after {measures['load']:.0f} ms")
    for violation in axe.run(page).response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [node["target"] for node in violation["nodes"][:3]]
            found.append(f"axe {violation['id']} ({violation['impact']}) at {targets}")
    found += [f"console error: {message}" for message in console_errors]
    return [f"{viewport} {path}: {problem}" for problem in found]


@pytest.mark.parametrize("username", ["jxj", "luotuo", "qiye", "zhuanjia", "pingshen"])
def test_every_page_of_a_role_fits_loads_and_passes_axe(browse, axe, username):
    call_command("demo-data", enterprises=200, seed=1)
    page = browse()
    console_errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    page.set_viewport_size(VIEWPORTS["desktop"])
    log_in(page, username, DEMO_PASSWORD)
    pages = pages_of(page)
    assert len(pages) >= 3

    problems = []
    for viewport, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        for path in pages:
            problems += problems_on(page, axe, path, viewport, console_errors)
    assert not problems, "\n".join(problems)
