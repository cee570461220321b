"""The analysis page's and the report card's charts fit their cards, on a desktop and a phone."""

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in
from tests.evaluation.fixtures import TEST_SCHEME
from zhuanxing.evaluation import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# every drawn chart's svg within its card (a pixel of rounding allowed)
OVERFLOWING = """() => [...document.querySelectorAll('figure.chart')].filter(f => {
  const card = f.closest('.card') || f.parentElement;
  const svg = f.querySelector('svg.main-svg');
  return svg && svg.getBoundingClientRect().right > card.getBoundingClientRect().right + 1;
}).length"""


@pytest.mark.parametrize("width", [1366, 390])
def test_charts_are_drawn_inside_their_cards(browse, users, yearly_data, width, tmp_path):
    run = services.run_create(actor=users["bureau"], year=2024, scheme_text=TEST_SCHEME)
    run = services.run_publish(actor=users["bureau"], run=run, days=7)
    page = browse()
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "bureau", PASSWORD)
    page.goto("/evaluation/analysis/")
    page.wait_for_selector("figure.chart .plot-container")
    assert page.evaluate(OVERFLOWING) == 0
    page.screenshot(path=tmp_path / "analysis.png", full_page=True)  # to look at when it fails
    card = run.results.get(enterprise__name="宁波恒达轴承有限公司")
    page.goto(f"/evaluation/results/{card.pk}/")
    if page.locator("figure.chart").count():
        page.wait_for_selector("figure.chart .plot-container")
        assert page.evaluate(OVERFLOWING) == 0
    page.screenshot(path=tmp_path / "report-card.png", full_page=True)
