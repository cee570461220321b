"""One small file per bad-input case: every problem is found, in Chinese, naming the row
as Excel shows it, the column as written, the value and the reason; nothing is written."""

import pytest

from tests.conftest import uscc_for
from tests.imports.conftest import STATS_HEADER, TAX_HEADER
from tests.imports.files import csv, xlsx
from zhuanxing.imports.validate import check_file
from zhuanxing.registry.models import AnnualData, ImportBatch

pytestmark = pytest.mark.django_db


def problems(checked):
    return [(p.row, p.column, None if p.value is None else str(p.value), p.reason) for p in checked.problems]


def test_a_good_file_has_no_problems(tmp_path, codes):
    path = xlsx(tmp_path / "tax.xlsx", TAX_HEADER, [[codes["bearings"], "宁波恒达轴承有限公司", 1500, 120]])
    checked = check_file("tax", path, year=2024)
    assert checked.ok and checked.rows == 1


def test_missing_header(tmp_path, codes):
    path = xlsx(tmp_path / "tax.xlsx", ["统一社会信用代码", "实缴税金（万元）"], [[codes["bearings"], 1500]])
    assert problems(check_file("tax", path, year=2024)) == [
        (1, None, None, "缺少必需的列「社保费（万元）」（social_insurance）")
    ]


def test_unknown_header(tmp_path, codes):
    path = xlsx(tmp_path / "tax.xlsx", [*TAX_HEADER, "备注"], [[codes["bearings"], "", 1500, 120, "x"]])
    [(row, column, _value, reason)] = problems(check_file("tax", path, year=2024))
    assert (row, column) == (1, "备注") and reason.startswith("无法识别的表头")


def test_empty_file(tmp_path):
    path = csv(tmp_path / "tax.csv", "")
    assert [p.reason for p in check_file("tax", path, year=2024).problems] == ["文件为空"]


def test_empty_sheet(tmp_path):
    path = xlsx(tmp_path / "tax.xlsx", TAX_HEADER, [])
    assert [p.reason for p in check_file("tax", path, year=2024).problems] == ["文件或工作表中没有数据行"]


def test_text_in_a_number_column(tmp_path, codes):
    path = xlsx(tmp_path / "tax.xlsx", TAX_HEADER, [[codes["bearings"], "", "一千五", 120]])
    assert problems(check_file("tax", path, year=2024)) == [(2, "实缴税金（万元）", "一千五", "应为数字")]


def test_negative_value(tmp_path, codes):
    path = xlsx(tmp_path / "tax.xlsx", TAX_HEADER, [[codes["bearings"], "", -5, 120]])
    assert problems(check_file("tax", path, year=2024)) == [(2, "实缴税金（万元）", "-5", "不能为负数")]


@pytest.mark.parametrize(
    ("header", "area", "shown"),
    [("土地面积（亩）", 100_001, "100,001"), ("土地面积（㎡）", 70_000_000, "105,000")],
)
def test_absurd_land_area_in_mu_or_square_metres(tmp_path, codes, header, area, shown):
    path = xlsx(
        tmp_path / "land.xlsx",
        ["统一社会信用代码", "不动产权证号", header, "用途", "出租给", "出租面积"],
        [[codes["bearings"], "浙(2024)镇海区不动产权第0000009号", area, "工业用地", None, None]],
    )
    assert problems(check_file("land", path, year=2024)) == [
        (2, header, shown, "数值过大（超过 100,000 亩），请检查数值和单位")
    ]


def test_absurd_staff_number(tmp_path, codes):
    row = [codes["bearings"], "", "规上", 1, 1, 1, 1, 1_000_001, 1, 1]
    path = xlsx(tmp_path / "stats.xlsx", STATS_HEADER, [row])
    assert problems(check_file("stats", path, year=2024)) == [
        (2, "年平均职工人数（人）", "1,000,001", "数值过大（超过 1,000,000 人），请检查数值和单位")
    ]


def test_fractional_staff_number(tmp_path, codes):
    path = xlsx(
        tmp_path / "stats.xlsx", STATS_HEADER, [[codes["bearings"], "", "规上", 1, 1, 1, 1, 12.5, 1, 1]]
    )
    assert problems(check_file("stats", path, year=2024)) == [(2, "年平均职工人数（人）", "12.5", "应为整数")]


def test_invalid_credit_code_check_character(tmp_path, codes):
    wrong = codes["bearings"][:17] + ("0" if codes["bearings"][17] != "0" else "1")
    path = xlsx(tmp_path / "tax.xlsx", TAX_HEADER, [[wrong, "", 1500, 120]])
    [(row, column, value, reason)] = problems(check_file("tax", path, year=2024))
    assert (row, column, value) == (2, "统一社会信用代码", wrong)
    assert reason.startswith("统一社会信用代码校验位错误")


def test_code_not_in_the_registry(tmp_path, district):
    path = xlsx(tmp_path / "tax.xlsx", TAX_HEADER, [[uscc_for(99), "新企业", 1500, 120]])
    assert problems(check_file("tax", path, year=2024)) == [
        (
            2,
            "统一社会信用代码",
            uscc_for(99),
            "企业库中没有这个统一社会信用代码（新企业请先用“企业名录”导入）",
        )
    ]


def test_a_new_code_is_fine_in_a_registry_import(tmp_path, district):
    header = ["统一社会信用代码", "企业名称", "所属镇街", "行业代码", "规模", "成立日期", "标签"]
    path = xlsx(
        tmp_path / "registry.xlsx",
        header,
        [[uscc_for(99), "宁波新企业有限公司", "骆驼街道", "3451", None, None, None]],
    )
    assert check_file("registry", path, year=2024).ok


def test_the_same_code_twice(tmp_path, codes):
    path = xlsx(
        tmp_path / "tax.xlsx",
        TAX_HEADER,
        [
            [codes["bearings"], "", 1500, 120],
            [codes["chemicals"], "", 10, 1],
            [codes["bearings"], "", 1600, 130],
        ],
    )
    assert problems(check_file("tax", path, year=2024)) == [
        (4, "统一社会信用代码", codes["bearings"], "统一社会信用代码与第2行重复")
    ]


def test_power_sums_several_meters_but_not_the_same_meter_twice(tmp_path, codes):
    header = ["统一社会信用代码", "电表户号", "用电量（万千瓦时）"]
    good = xlsx(
        tmp_path / "power.xlsx",
        header,
        [[codes["bearings"], "3301001", 100], [codes["bearings"], "3301002", 50.5]],
    )
    assert check_file("power", good, year=2024).ok
    bad = xlsx(
        tmp_path / "power2.xlsx",
        header,
        [[codes["bearings"], "3301001", 100], [codes["chemicals"], "3301001", 5]],
    )
    assert problems(check_file("power", bad, year=2024)) == [
        (3, "电表户号", "3301001", "电表户号与第2行重复")
    ]


def test_merged_cells(tmp_path, codes):
    path = xlsx(
        tmp_path / "tax.xlsx",
        TAX_HEADER,
        [[codes["bearings"], "", 1500, 120], [codes["chemicals"], "", 10, 1], [None, "", 20, 2]],
        merge="A3:A4",
    )
    found = problems(check_file("tax", path, year=2024))
    assert (3, "统一社会信用代码", None, "合并单元格（A3:A4）：请取消合并，并在每一行填写完整的值") in found
    assert (4, "统一社会信用代码", None, "缺少统一社会信用代码") in found


def test_formulas_use_their_cached_values_and_the_preview_says_so(tmp_path, codes):
    path = xlsx(
        tmp_path / "tax.xlsx",
        TAX_HEADER,
        [[codes["bearings"], "", 1000, 120]],
        formulas=[("C2", "=1000+500", 1500)],
    )
    checked = check_file("tax", path, year=2024)
    assert checked.ok
    assert checked.frame.get_column("tax").to_list() == [1500.0]
    assert checked.notices == ["有 1 个单元格是公式（C2），导入使用其计算结果（缓存值）"]


def test_a_formula_without_a_saved_result_is_a_problem(tmp_path, codes):
    path = tmp_path / "tax.xlsx"
    xlsx(path, TAX_HEADER, [[codes["bearings"], "", 1000, 120]], formulas=[("C2", "=1000+500", 1500)])
    import zipfile

    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["xl/worksheets/sheet1.xml"] = members["xl/worksheets/sheet1.xml"].replace(b"<v>1500</v>", b"")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    assert (
        2,
        "实缴税金（万元）",
        None,
        "公式（C2）没有保存计算结果：请在 Excel 中打开、计算并保存后再导入",
    ) in problems(check_file("tax", path, year=2024))


def test_dates_in_any_common_form(tmp_path, district):
    import datetime as dt

    header = ["统一社会信用代码", "企业名称", "所属镇街", "行业代码", "规模", "成立日期", "标签"]
    forms = ["2014-05-01", "2014/5/1", "2014.5.1", "2014年5月1日", "20140501", dt.datetime(2014, 5, 1)]
    rows = [
        [uscc_for(90 + i), f"企业{i}", "luotuo", "3451", "规下", form, None] for i, form in enumerate(forms)
    ]
    path = xlsx(tmp_path / "registry.xlsx", header, rows)
    checked = check_file("registry", path, year=2024)
    assert checked.ok
    assert set(checked.frame.get_column("founded").to_list()) == {dt.date(2014, 5, 1)}
    bad = xlsx(
        tmp_path / "bad.xlsx", header, [[uscc_for(80), "企业", "luotuo", "3451", "", "五月一日", None]]
    )
    assert problems(check_file("registry", bad, year=2024)) == [(2, "成立日期", "五月一日", "无法识别的日期")]


def test_every_problem_is_listed_at_once_with_excel_row_numbers(tmp_path, codes):
    path = xlsx(
        tmp_path / "tax.xlsx",
        TAX_HEADER,
        [
            [codes["bearings"], "", "abc", 120],
            [None, None, None, None],  # a blank row in between keeps the numbering
            [codes["chemicals"], "", 10, -1],
            [uscc_for(77), "", 5, 5],
        ],
    )
    assert problems(check_file("tax", path, year=2024)) == [
        (2, "实缴税金（万元）", "abc", "应为数字"),
        (4, "社保费（万元）", "-1", "不能为负数"),
        (
            5,
            "统一社会信用代码",
            uscc_for(77),
            "企业库中没有这个统一社会信用代码（新企业请先用“企业名录”导入）",
        ),
    ]


def test_column_order_whitespace_english_headers_and_gbk_csv(tmp_path, codes):
    text = f' social_insurance , 实缴税金 ,  统一社会信用代码 \n 120 ,"1,500", {codes["bearings"]} \n'

    for encoding in ("utf-8", "gbk"):
        checked = check_file("tax", csv(tmp_path / f"tax-{encoding}.csv", text, encoding), year=2024)
        assert checked.ok, checked.problems
        assert checked.frame.select("tax", "social_insurance").row(0) == (1500.0, 120.0)


def test_xls_files_are_read_and_their_merged_cells_and_formulas_found(tmp_path, codes):
    from pathlib import Path

    from zhuanxing.imports.features import sheet_features

    data = Path(__file__).parent / "data"
    features = sheet_features(data / "merged-formula.xls")
    assert [(a.ref, b.ref) for a, b in features.merged] == [("A3", "A4")]
    assert [c.ref for c in features.formulas] == ["C2"]


def test_nothing_is_written_when_a_file_has_problems(tmp_path, codes, users):
    from zhuanxing.imports.services import ImportRefused, batch_apply

    path = xlsx(
        tmp_path / "tax.xlsx",
        TAX_HEADER,
        [[codes["bearings"], "", 1500, 120], [codes["chemicals"], "", "x", 1]],
    )
    with pytest.raises(ImportRefused) as refused:
        batch_apply(actor=users["bureau"], source="tax", path=path, file_name="tax.xlsx", year=2024)
    assert [str(p) for p in refused.value.problems] == ["第3行，「实缴税金（万元）」列，值「x」：应为数字"]
    assert not AnnualData.objects.filter(year=2024).exists()
    assert not ImportBatch.objects.exists()


def test_rows_of_one_parcel_must_agree_and_leases_fit_in_it(tmp_path, codes):
    header = ["统一社会信用代码", "不动产权证号", "土地面积（亩）", "用途", "出租给", "出租面积（亩）"]
    certificate = "浙(2024)镇海区不动产权第0000200号"
    rows = [
        [codes["garments"], certificate, 10, "工业用地", codes["fasteners"], 6],
        [codes["garments"], certificate, 12, None, codes["chemicals"], 5],
        [codes["garments"], certificate, 10, None, codes["garments"], None],
    ]
    found = problems(check_file("land", xlsx(tmp_path / "land.xlsx", header, rows), year=2024))
    assert found == [
        (3, "土地面积（亩）", "12", "同一宗地与第2行不一致"),
        (3, "出租面积（亩）", "5", "出租面积合计 11 亩超过宗地面积 10 亩"),
        (4, "出租给", codes["garments"], "承租企业不能是宗地权利人本身"),
        (4, "出租面积（亩）", None, "填写了“出租给”，但缺少出租面积"),
    ]


# --- bounds (issue 18 §2) -----------------------------------------------------------------


def test_a_csv_row_with_an_unquoted_thousands_separator_is_refused_by_row(tmp_path, codes):
    header = ",".join(TAX_HEADER)
    path = csv(tmp_path / "tax.csv", f"{header}\n{codes['bearings']},,1,500,120\n{codes['chemicals']},,80\n")
    assert problems(check_file("tax", path, year=2024)) == [
        (2, None, None, "有 5 个字段，表头有 4 列（多出的逗号可能是未加引号的千分位分隔符）"),
        (3, None, None, "有 3 个字段，表头有 4 列（该行不完整）"),
    ]


def test_a_quoted_thousands_separator_is_read_as_the_number(tmp_path, codes):
    path = csv(tmp_path / "tax.csv", f'{",".join(TAX_HEADER)}\n{codes["bearings"]},,"1,500",120\n')
    checked = check_file("tax", path, year=2024)
    assert checked.ok and checked.frame["tax"].to_list() == [1500]


def test_a_percent_in_a_money_column_is_refused_naming_the_cell(tmp_path, codes):
    path = xlsx(tmp_path / "tax.xlsx", TAX_HEADER, [[codes["bearings"], "", "30%", 120]])
    assert problems(check_file("tax", path, year=2024)) == [
        (2, "实缴税金（万元）", "30%", "不接受百分数，请按表头的单位填写数值")
    ]


def test_an_xlsx_that_unpacks_hugely_is_refused_before_it_is_read(tmp_path, monkeypatch):
    import zipfile

    from zhuanxing import tabular

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 3_000_000)  # ~3 KB packed
    assert path.stat().st_size < 20_000
    monkeypatch.setattr(tabular, "XLSX_MAX_UNPACKED_BYTES", 1024 * 1024)
    [problem] = check_file("tax", path, year=2024).problems
    assert problem.reason == "文件「bomb.xlsx」解压后约 3 MB，超过上限 1 MB，请删去多余内容或拆分后再导入"


def test_a_renamed_file_that_is_not_an_xlsx_is_refused(tmp_path):
    path = tmp_path / "tax.xlsx"
    path.write_bytes(b"MZ\x90\x00 not a spreadsheet")
    assert [p.reason for p in check_file("tax", path, year=2024).problems] == [
        "文件「tax.xlsx」不是有效的 xlsx 文件（无法按 xlsx 打开）"
    ]


def test_the_problem_list_is_capped_with_counts_for_the_rest(tmp_path, codes, monkeypatch):
    from zhuanxing import tabular

    monkeypatch.setattr(tabular, "PROBLEMS_IN_FULL", 3)
    rows = [[codes["bearings"], "", "一千五", 120]] * 8
    found = check_file("tax", xlsx(tmp_path / "tax.xlsx", TAX_HEADER, rows), year=2024).problems
    # 8 bad numbers and 7 repeated codes, sorted by row: rows 2, 3, 3 in full, the rest counted
    assert [p.row for p in found[:3]] == [2, 3, 3]
    assert sorted(p.reason for p in found[3:]) == [
        "另有 6 处同类问题未逐条列出：应为数字",
        "另有 6 处同类问题未逐条列出：统一社会信用代码与第2行重复",
    ]
