"""A bureau user uploads a file with two mistakes, reads both messages, fixes the file,
applies it, and sees the figures on the enterprise page with their source."""

import pytest

from tests.conftest import PASSWORD, uscc_for
from tests.e2e.conftest import log_in
from tests.imports.conftest import TAX_HEADER
from tests.imports.files import xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def upload(page, path):
    page.goto("/imports/")
    page.select_option("select[name=source]", "tax")
    page.fill("input[name=year]", "2024")
    page.set_input_files("input[name=file]", str(path))
    page.click("#upload-form button[type=submit]")


def test_upload_with_two_errors_fix_and_apply(browse, district, users, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    bearings, chemicals = district["bearings"].uscc, district["chemicals"].uscc
    page = browse()
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations of irreversible steps
    log_in(page, "bureau", PASSWORD)
    page.click("nav >> text=数据导入")
    page.wait_for_selector("h1:has-text('数据导入')")

    wrong = xlsx(
        tmp_path / "税务2024.xlsx",
        TAX_HEADER,
        [[bearings, "宁波恒达轴承有限公司", "1,500.5", "一百二"], [uscc_for(99), "不存在的企业", 300, 45]],
    )
    upload(page, wrong)
    page.wait_for_selector("#problems")
    assert "发现 2 个问题，未导入任何数据" in page.inner_text("#problems-card h2")
    rows = page.locator("#problems tbody tr").all_inner_texts()
    assert len(rows) == 2
    assert rows[0].split("\t") == ["2", "社保费（万元）", "一百二", "应为数字"]
    assert rows[1].split("\t")[:3] == ["3", "统一社会信用代码", uscc_for(99)]
    assert "企业库中没有这个统一社会信用代码" in rows[1]
    assert page.locator("#confirm-form").count() == 0

    fixed = xlsx(
        tmp_path / "税务2024.xlsx",
        TAX_HEADER,
        [
            [bearings, "宁波恒达轴承有限公司", "1,500.5", 120],
            [chemicals, "宁波澥浦精细化工有限公司", 300, 45],
        ],
    )
    upload(page, fixed)
    page.wait_for_selector("#confirm-form")
    assert page.locator("#counts [data-kind=new]").inner_text().endswith("2")
    assert "实缴税金（万元）：— → 1500.5" in page.inner_text("#rows-new")
    page.click("#confirm-form button[type=submit]")
    page.wait_for_selector("#batch-state:has-text('已导入')")

    page.goto(f"/enterprises/{bearings}/")
    tax = page.locator("#annual-data tr[data-field=tax]").inner_text()
    assert "1,500.50" in tax and "税务 · 税务2024.xlsx" in tax
    assert "120" in page.locator("#annual-data tr[data-field=social_insurance]").inner_text()
