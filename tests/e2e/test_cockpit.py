"""Staff open the cockpit, click a figure and land on the records it counts."""

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_open_the_cockpit_and_drill_down_to_the_records(browse, district, users):
    from zhuanxing.campaigns.models import TrainingClass

    TrainingClass.objects.create(base="精益人才培育基地", name="精益生产第一期", year=2014, trainees=40)
    TrainingClass.objects.create(base="精益人才培育基地", name="精益生产第二期", year=2014, trainees=36)
    page = browse()
    log_in(page, "bureau", PASSWORD)
    page.click("nav >> text=驾驶舱")
    page.select_option("select[name=year]", "2014")
    page.click("form.filters button[type=submit]")
    row = page.locator('tr[data-code="talent.training_classes"]')
    assert row.locator("td.value").inner_text() == "2"
    row.locator("a").click()
    page.wait_for_url("**/campaigns/training-classes/?year=2014")
    assert (
        page.locator("text=精益生产第一期").count() == 1 and page.locator("text=精益生产第二期").count() == 1
    )
