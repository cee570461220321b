"""The CPPCC office's sheet: one row per proposal, all or nothing, every problem by row and column."""

import datetime as dt

import pytest
import xlsxwriter

from zhuanxing import tabular
from zhuanxing.proposals import services
from zhuanxing.proposals.models import Proposal

pytestmark = pytest.mark.django_db
HEADER = [
    "届次",
    "会议",
    "编号",
    "标题",
    "内容",
    "提案人",
    "提案人类别",
    "联名人",
    "类别",
    "关键词",
    "提交日期",
    "建议主办单位",
    "建议会办单位",
]


def sheet(tmp_path, rows, header=HEADER):
    path = tmp_path / "提案.xlsx"
    book = xlsxwriter.Workbook(path)
    page = book.add_worksheet()
    page.write_row(0, 0, header)
    for index, row in enumerate(rows, start=1):
        page.write_row(index, 0, row)
    book.close()
    return path


def row(
    number,
    title="关于加快机器换人的建议",
    proposer="张委员",
    units="经信局",
    co="科技局，商务局",
    day="2024-01-10",
):
    return ["九", "四", number, title, "内容", proposer, "委员", "", "经济", "机器换人", day, units, co]


def test_a_good_sheet_registers_every_row(people, tmp_path):
    path = sheet(
        tmp_path,
        [
            row(1),
            row(2, proposer="经济界别工委"),
            ["9", "第四次", "3", "标题三", "", "李代表", "界别", "王、赵", "", "", "2024/1/12", "", ""],
        ],
    )
    created = services.proposals_import(actor=people["office"], path=path, today=dt.date(2024, 2, 1))
    assert [p.number for p in created] == [1, 2, 3]
    first = Proposal.objects.get(number=1)
    assert (first.term, first.meeting, first.session_label) == (9, 4, "区政协九届四次会议")
    assert first.suggested_units == ["经信局", "科技局", "商务局"]
    assert Proposal.objects.get(number=3).proposer_kind == "group"


def test_every_problem_is_named_by_row_and_column_and_nothing_is_written(people, tmp_path):
    path = sheet(
        tmp_path,
        [
            row(1),
            row(None),  # row 3: no number
            row(1, title="重复"),  # row 4: the number of row 2
            row(4, units="环保局"),  # row 5: unknown unit
            row(5, day="2030-01-01"),  # row 6: in the future
            row(6, co="科技局；城管局"),  # row 7: unknown co-unit
        ],
    )
    with pytest.raises(tabular.TableError) as caught:
        services.proposals_import(actor=people["office"], path=path, today=dt.date(2024, 2, 1))
    problems = [str(p) for p in caught.value.problems]
    assert problems == [
        "第3行，「编号」列：缺少编号",
        "第4行，「编号」列，值「1」：与第2行编号重复",
        "第5行，「建议主办单位」列，值「环保局」：未知的承办单位（请先在承办单位中登记）",
        "第6行，「提交日期」列，值「2030-01-01」：日期晚于今天（2024-02-01）",
        "第7行，「建议会办单位」列，值「城管局」：未知的承办单位（请先在承办单位中登记）",
    ]
    assert not Proposal.objects.exists()


def test_a_number_already_registered_and_a_missing_column(people, tmp_path, register):
    register(number=7)
    path = sheet(tmp_path, [row(7)])
    with pytest.raises(tabular.TableError, match="第2行，「编号」列，值「7」：该届次会议已登记此编号"):
        services.proposals_import(actor=people["office"], path=path, today=dt.date(2024, 2, 1))
    path = sheet(tmp_path, [row(8)[:3]], header=HEADER[:3])
    with pytest.raises(tabular.TableError, match="缺少必需的列「标题」"):
        services.proposals_import(actor=people["office"], path=path, today=dt.date(2024, 2, 1))


def test_the_import_page_shows_the_problems(people, tmp_path):
    from django.test import Client

    client = Client()
    client.force_login(people["office"])
    path = sheet(tmp_path, [row(None)])
    with path.open("rb") as upload:
        page = client.post("/proposals/import/", {"body": "cppcc", "file": upload}).content.decode()
    assert "第2行，「编号」列：缺少编号" in page
    client.force_login(people["economy"])
    assert client.get("/proposals/import/").status_code == 403
