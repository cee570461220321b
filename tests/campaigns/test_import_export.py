"""Excel import (template, whole-file check, preview, all-or-nothing) and export of the lists."""

import io
import zipfile
from decimal import Decimal

import polars as pl
import pytest
import xlsxwriter
from django.urls import reverse

from zhuanxing.accounts.models import AuditEntry
from zhuanxing.campaigns import services, sheets
from zhuanxing.campaigns.models import AutomationProject, LevelPromotion, Recognition, RecognitionKind
from zhuanxing.campaigns.records import SPECS

pytestmark = pytest.mark.django_db

HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "项目名称",
    "投资额（万元）",
    "改造前用工（人）",
    "改造后用工（人）",
    "状态",
]


def workbook(path, headers, rows):
    """An xlsx as people hand it in: numbers as numbers, text as text (never a formula)."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for index, row in enumerate([headers, *rows]):
        for column, value in enumerate(row):
            if isinstance(value, str):
                sheet.write_string(index, column, value)
            else:
                sheet.write_number(index, column, value)
    book.close()
    return path


def check(path, user, kind="automation", year=None):
    from zhuanxing.campaigns import access

    spec = SPECS[kind]
    return sheets.check_upload(
        spec, path, may_write=lambda r: access.may_edit(user, spec, r), default_year=year
    )


@pytest.fixture
def good_file(tmp_path, district):
    return workbook(
        tmp_path / "机器换人2025.xlsx",
        HEADERS,
        [
            [district["bearings"].uscc, "", "焊接机器人工作站", 500, 40, 32, "已完成"],
            ["", "宁波澥浦精细化工有限公司", "自动包装线", "1,200", "60", "45", ""],
        ],
    )


def test_template_has_chinese_headers_notes_and_dropdowns():
    content = sheets.template_bytes(SPECS["automation"])
    headers = pl.read_excel(io.BytesIO(content), sheet_name="机器换人项目", infer_schema_length=0).columns
    assert headers[:4] == ["统一社会信用代码", "企业名称", "项目名称", "实施年度"]
    notes = pl.read_excel(io.BytesIO(content), sheet_name="填写说明", infer_schema_length=0)
    status = notes.filter(pl.col("字段") == "status").row(0, named=True)
    assert status["必填"] == "否" and status["说明"] == "可选：计划、实施中、已完成、已取消"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert "<dataValidation" in archive.read("xl/worksheets/sheet1.xml").decode()


def test_import_previews_then_applies_all_rows_and_a_second_time_changes_nothing(good_file, users, district):
    plan = check(good_file, users["bureau"], year=2025)
    assert plan.problems == [] and plan.counts == {"new": 2, "changed": 0, "unchanged": 0}
    assert not AutomationProject.objects.exists()  # a preview writes nothing
    services.import_apply(
        actor=users["bureau"], spec=SPECS["automation"], rows=plan.rows, file_name=good_file.name
    )
    second = AutomationProject.objects.get(name="自动包装线")
    assert (second.enterprise, second.investment, second.year, second.status) == (
        district["chemicals"],
        Decimal(1200),
        2025,
        "实施中",
    )
    assert AuditEntry.objects.filter(action="机器换人项目新增").count() == 2
    again = check(good_file, users["bureau"], year=2025)
    assert again.counts == {"new": 0, "changed": 0, "unchanged": 2}


def test_a_changed_row_updates_the_record_and_shows_old_and_new(good_file, tmp_path, users, district):
    plan = check(good_file, users["bureau"], year=2025)
    services.import_apply(actor=users["bureau"], spec=SPECS["automation"], rows=plan.rows, file_name="a.xlsx")
    changed = workbook(
        tmp_path / "b.xlsx",
        HEADERS,
        [[district["bearings"].uscc, "", "焊接机器人工作站", 520, 40, 32, "已完成"]],
    )
    plan = check(changed, users["bureau"], year=2025)
    assert plan.counts == {"new": 0, "changed": 1, "unchanged": 0}
    assert plan.rows[0].changes == {"投资额（万元）": ("500", "520")}
    services.import_apply(actor=users["bureau"], spec=SPECS["automation"], rows=plan.rows, file_name="b.xlsx")
    assert AuditEntry.objects.get(action="机器换人项目修改").reason == "导入：b.xlsx"


def test_every_problem_is_listed_with_row_column_and_value_and_nothing_is_written(tmp_path, users, district):
    path = workbook(
        tmp_path / "bad.xlsx",
        HEADERS + ["实施年度"],
        [
            ["91330211MA2999999X", "", "项目一", 100, 10, 8, "", 2025],  # unknown code
            [district["bearings"].uscc, "", "项目二", "一百万", 10, 8, "", 2025],  # text in a number
            [district["bearings"].uscc, "", "项目三", 100, 10, 12, "", 2025],  # more staff after
            [district["bearings"].uscc, "", "项目四", -100, 10, 8, "", 2025],  # negative
            [district["bearings"].uscc, "", "项目五", 100, 10, 8, "", 2025],
            [district["bearings"].uscc, "", "项目五", 200, 10, 8, "", 2025],  # the same project twice
            [district["bearings"].uscc, "", "项目六", 100, 10, 8, "完工", 2025],  # unknown status
        ],
    )
    plan = check(path, users["bureau"])
    assert [str(p) for p in plan.problems] == [
        "第2行，「统一社会信用代码」列，值「91330211MA2999999X」：企业库中没有该统一社会信用代码",
        "第3行，「投资额（万元）」列，值「一百万」：应为数字",
        "第4行，「改造后用工（人）」列：改造后用工（12人）多于改造前（10人），不能作为机器换人减员上报",
        "第5行，「投资额（万元）」列：投资额（万元）不能为负数：-100",
        "第7行：与第6行是同一条记录（关键字段相同）",
        "第8行，「状态」列，值「完工」：应为以下之一：计划、实施中、已完成、已取消",
    ]
    assert not AutomationProject.objects.exists()


def test_missing_columns_and_unreadable_files(tmp_path, users):
    path = workbook(tmp_path / "missing.xlsx", ["企业名称", "项目名称"], [["宁波恒达轴承有限公司", "项目"]])
    problems = [str(p) for p in check(path, users["bureau"]).problems]
    assert "缺少必需的列「实施年度」（year）" in problems
    assert "缺少必需的列「投资额（万元）」（investment）" in problems
    # given a year on the form, the year column may be left out
    assert "缺少必需的列「实施年度」（year）" not in [
        str(p) for p in check(path, users["bureau"], year=2025).problems
    ]
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert [str(p) for p in check(empty, users["bureau"]).problems] == ["文件为空"]


def test_town_official_imports_only_its_towns_rows(good_file, users):
    plan = check(good_file, users["town"], year=2025)
    assert [str(p) for p in plan.problems] == ["第3行：只能导入本镇街企业的记录"]


def test_recognitions_import_in_level_order_and_propose_promotions(tmp_path, users, district):
    kind = RecognitionKind.objects.get(code="engineering-centre")
    kind.policy_id, kind.clause_id = "p", "c"
    kind.save()
    headers = ["统一社会信用代码", "认定类别", "级别", "认定年度", "认定文号"]
    rows = [
        [district["bearings"].uscc, "工程（技术）中心", "市级", 2024, '=HYPERLINK("x")'],
        [district["bearings"].uscc, "工程（技术）中心", "区级", 2024, "镇经信〔2024〕3号"],
        [district["bearings"].uscc, "工程（技术）中心", "省级重点", 2024, ""],
    ]
    plan = check(workbook(tmp_path / "认定.xlsx", headers, rows), users["bureau"], kind="recognitions")
    assert [str(p) for p in plan.problems] == [
        "第4行，「级别」列，值「省级重点」：「工程（技术）中心」没有这一级别（已定义：国家级、省级、市级、区级）"
    ]
    # the rows are saved lowest level first, whatever their order in the file
    plan = check(workbook(tmp_path / "认定2.xlsx", headers, rows[:2]), users["bureau"], kind="recognitions")
    services.import_apply(
        actor=users["bureau"], spec=SPECS["recognitions"], rows=plan.rows, file_name="认定2.xlsx"
    )
    promotions = LevelPromotion.objects.order_by("id")
    assert [(p.previous_level and p.previous_level.name, p.new_level.name) for p in promotions] == [
        (None, "区级"),
        ("区级", "市级"),
    ]
    assert Recognition.objects.get(level__name="市级").document_no == '=HYPERLINK("x")'


def test_export_writes_formula_like_text_as_text_and_imports_back(
    tmp_path, users, district, save, client_for
):
    save(
        "automation",
        {
            "uscc": district["bearings"].uscc,
            "name": "=1+1",
            "year": "2025",
            "investment": "100",
            "staff_before": "9",
            "staff_after": "7",
            "equipment": "@SUM(A1)",
        },
    )
    response = client_for("bureau").get(
        reverse("campaigns:record_export", args=["automation"]), {"year": 2025}
    )
    content = b"".join(response.streaming_content) if response.streaming else response.content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        strings = archive.read("xl/sharedStrings.xml").decode()
    assert "<f>" not in sheet and "=1+1" in strings and "@SUM(A1)" in strings
    exported = tmp_path / "export.xlsx"
    exported.write_bytes(content)
    plan = check(exported, users["bureau"])
    assert plan.problems == [] and plan.counts == {"new": 0, "changed": 0, "unchanged": 1}


def test_upload_preview_confirm_through_the_pages(good_file, client_for):
    client = client_for("bureau")
    url = reverse("campaigns:record_import", args=["automation"])
    with good_file.open("rb") as handle:
        page = client.post(url, {"file": handle, "year": "2025"})
    text = page.content.decode()
    assert "新增 2 条，更新 0 条，未变 0 条" in text and "确认导入" in text
    token = page.context["token"]
    response = client.post(reverse("campaigns:record_import_confirm", args=["automation"]), {"token": token})
    assert response.status_code == 302 and AutomationProject.objects.count() == 2
    # a token is used once
    again = client.post(reverse("campaigns:record_import_confirm", args=["automation"]), {"token": token})
    assert "导入文件已失效，请重新上传" in again.content.decode()
    assert AutomationProject.objects.count() == 2


def test_upload_with_problems_cannot_be_confirmed(tmp_path, district, client_for):
    bad = workbook(tmp_path / "bad.xlsx", HEADERS, [[district["bearings"].uscc, "", "项目", -5, 10, 8, ""]])
    client = client_for("bureau")
    with bad.open("rb") as handle:
        page = client.post(
            reverse("campaigns:record_import", args=["automation"]), {"file": handle, "year": "2025"}
        )
    text = page.content.decode()
    assert (
        "发现 1 处问题，文件未导入" in text
        and "投资额（万元）不能为负数：-5" in text
        and "确认导入" not in text
    )
    with (tmp_path / "x.txt").open("wb") as handle:
        handle.write(b"hello")
    with (tmp_path / "x.txt").open("rb") as handle:
        page = client.post(reverse("campaigns:record_import", args=["automation"]), {"file": handle})
    assert "请选择 xlsx、xls、csv 或 parquet 文件" in page.content.decode()


def test_english_export_of_a_list_whose_title_has_a_colon(client_for, settings):
    # "Replacing low-end capacity: …" — Excel refuses ":" in a sheet's name
    client = client_for("bureau")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("campaigns:record_export", args=["exit-actions"]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert "Replacing low-end capacity" in archive.read("xl/workbook.xml").decode()
