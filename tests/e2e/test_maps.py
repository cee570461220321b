"""Staff open the 亩均地图, switch to the 低效用地 layer, read the per-town totals, and click a
parcel to land on its enterprise."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def fresh_index():
    from zhuanxing.maps import selectors

    selectors._INDEX_CACHE.clear()
    selectors._LAST_CHECK.clear()
    selectors._SUMMARY_CACHE.clear()


def wait_for_data(page):
    # a locator wait: wait_for_function evaluates a string, which the CSP forbids
    expect(page.locator("body")).to_have_attribute("data-map-ready", "1")


def test_low_efficiency_layer_and_click_through(browse, mapped, users):
    page = browse()
    log_in(page, "bureau", PASSWORD)
    page.click("nav >> text=亩均地图")
    wait_for_data(page)
    assert page.locator("#map-status").inner_text().startswith("2 宗")
    page.select_option("#map-layer", "low")
    assert "低效用地" in page.locator(".map-legend").inner_text()
    row = page.locator("#town-table tbody tr", has_text="澥浦镇")
    assert row.locator(".low-count").inner_text() == "1"
    assert row.locator(".low-area").inner_text() == "120.50"
    assert page.locator("#town-table tbody tr", has_text="骆驼街道").locator(".low-count").inner_text() == "0"
    # a threshold of 30 万元/亩 adds 恒达轴承 (25.00 万元/亩)
    page.evaluate("document.body.dataset.mapReady = ''")
    page.fill("#map-threshold", "30")
    wait_for_data(page)
    assert (
        page.locator("#town-table tbody tr", has_text="骆驼街道").locator(".low-area").inner_text() == "60.00"
    )
    assert page.locator("#town-table tfoot td").last.inner_text() == "180.50"
    # zoom onto 恒达轴承's parcel and click its middle
    parcel = mapped["bearings_parcel"]
    parcel.refresh_from_db()
    page.evaluate("document.body.dataset.mapReady = ''")
    page.evaluate(
        f"window.zxMap.map.setView([{parcel.centroid_lat}, {parcel.centroid_lon}], 17, {{animate: false}})"
    )
    wait_for_data(page)
    box = page.locator("#map").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector(".parcel-tip:has-text('宁波恒达轴承有限公司')")
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(f"**/enterprises/{mapped['bearings'].uscc}/")
    assert "宁波恒达轴承有限公司" in page.locator("h1").inner_text()


def test_town_official_sees_its_town_on_the_map(browse, mapped, users):
    page = browse()
    log_in(page, "town", PASSWORD)
    page.goto("/map/?year=2024")
    wait_for_data(page)
    names = page.locator("#town-table tbody tr td:first-child").all_inner_texts()
    assert names == ["骆驼街道"]
    assert page.locator("select[name=town]").count() == 0
