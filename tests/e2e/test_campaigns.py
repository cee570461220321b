"""Staff import a year's 机器换人 projects from the downloaded template, set a target, and read
the completion on the progress page."""

import polars as pl
import pytest
import xlsxwriter

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_template(template, path, rows: list[dict]):
    """Fill the downloaded template's columns, as a bureau clerk would in Excel."""
    headers = pl.read_excel(template, sheet_name="机器换人项目", infer_schema_length=0).columns
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for column, header in enumerate(headers):
        sheet.write_string(0, column, header)
        for index, row in enumerate(rows, start=1):
            value = row.get(header)
            if isinstance(value, str):
                sheet.write_string(index, column, value)
            elif value is not None:
                sheet.write_number(index, column, value)
    book.close()
    return path


def test_staff_import_projects_set_a_target_and_read_the_completion(
    browse, district, users, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"  # where the upload waits for the confirmation
    page = browse()
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations of irreversible steps
    log_in(page, "bureau", PASSWORD)
    page.click("nav >> text=认定与四换")
    page.click("#campaign-lists >> text=机器换人项目")
    page.click("text=从 Excel 导入")
    with page.expect_download() as download:
        page.click("text=下载导入模板")
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    def project(enterprise, name, before, after):
        return {
            "统一社会信用代码": enterprise.uscc,
            "项目名称": name,
            "投资额（万元）": 300,
            "改造前用工（人）": before,
            "改造后用工（人）": after,
            "状态": "已完成",
        }

    filled = fill_template(
        template,
        tmp_path / "机器换人2025.xlsx",
        [
            project(district["bearings"], "焊接机器人工作站", 40, 32),
            project(district["bearings"], "轴承套圈自动化磨削线", 60, 45),
            project(district["chemicals"], "自动包装线", 30, 26),
        ],
    )
    page.set_input_files("#import-file", str(filled))
    page.fill("#import-year", "2025")
    page.click("#upload-form button[type=submit]")
    assert "新增 3 条" in page.inner_text("#import-counts")
    page.click("#confirm-import")
    page.wait_for_selector("text=已导入「机器换人2025.xlsx」")
    assert page.locator("#records tbody tr").count() == 3

    page.goto("/campaigns/targets/new/")
    page.select_option("#id_figure", label="机器换人项目（个）")
    page.fill("#id_year", "2025")
    page.select_option("#id_setter", label="区定")
    page.fill("#id_value", "4")
    page.click("#record-form button[type=submit]")
    page.wait_for_selector("text=已登记")

    page.goto("/campaigns/")
    page.click("text=年度进度与目标完成情况")
    row = page.locator("#targets tr[data-figure=automation_projects][data-setter=区定]")
    assert row.locator(".completion").inner_text() == "75.0%"  # 3 projects of 4, one decimal
    assert (
        page.locator("#campaign-figures tr[data-figure=automation_jobs_reduced] td").nth(2).inner_text()
        == "27"
    )
    page.wait_for_selector("figure.chart .plot-container")  # plotly drew the charts from the local bundle
