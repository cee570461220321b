"""``zhuanxing import-template`` and ``zhuanxing import``."""

import io
from decimal import Decimal

import polars as pl
import pytest
from django.core.management import CommandError, call_command

from tests.imports.conftest import TAX_HEADER
from tests.imports.files import xlsx
from zhuanxing.imports.sources import SOURCES
from zhuanxing.registry.models import AnnualData, ImportBatch

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_template_has_the_headers_and_a_notes_sheet(tmp_path, source):
    path = tmp_path / f"{source}.xlsx"
    call_command("import-template", source, "--output", str(path), stdout=io.StringIO())
    sheets = pl.read_excel(path, sheet_id=0, raise_if_empty=False)
    assert list(sheets) == ["数据", "说明"]
    assert sheets["数据"].columns == [c.header for c in SOURCES[source].columns]
    notes = pl.read_excel(path, sheet_name="说明", has_header=False).get_column("column_1").to_list()
    assert [c.id for c in SOURCES[source].columns] == [n for n in notes if n and n != "英文字段名"]


def test_filled_template_imports(tmp_path, district):
    path = tmp_path / "tax.xlsx"
    call_command("import-template", "tax", "--output", str(path), stdout=io.StringIO())
    filled = xlsx(
        tmp_path / "filled.xlsx", pl.read_excel(path).columns, [[district["bearings"].uscc, "", 10, 2]]
    )
    call_command("import", "tax", str(filled), "--year", "2024", "--apply", stdout=io.StringIO())
    assert AnnualData.objects.get(year=2024).tax == Decimal("10")


def test_import_without_apply_prints_the_preview_and_writes_nothing(tmp_path, district):
    path = xlsx(tmp_path / "tax.xlsx", TAX_HEADER, [[district["bearings"].uscc, "", 1500, 120]])
    out = io.StringIO()
    call_command("import", "tax", str(path), "--year", "2024", stdout=out)
    text = out.getvalue()
    assert "新增 1，变更 0，未变 0" in text and "实缴税金（万元）：— → 1500" in text and "仅预览" in text
    assert not AnnualData.objects.exists() and not ImportBatch.objects.exists()


def test_import_apply_writes_one_batch_and_a_second_run_changes_nothing(tmp_path, district):
    path = xlsx(tmp_path / "tax.xlsx", TAX_HEADER, [[district["bearings"].uscc, "", 1500, 120]])
    out = io.StringIO()
    call_command("import", "tax", str(path), "--year", "2024", "--apply", stdout=out)
    batch = ImportBatch.objects.get()
    assert f"已导入：批次 #{batch.pk}" in out.getvalue() and batch.note.startswith("命令行导入")
    out = io.StringIO()
    call_command("import", "tax", str(path), "--year", "2024", "--apply", stdout=out)
    assert "没有需要写入的变更" in out.getvalue() and ImportBatch.objects.count() == 1


def test_import_lists_every_problem_and_fails(tmp_path, district):
    path = xlsx(tmp_path / "tax.xlsx", TAX_HEADER, [[district["bearings"].uscc, "", "abc", -1]])
    err = io.StringIO()
    with pytest.raises(CommandError, match="发现 2 个问题，未导入任何数据"):
        call_command(
            "import", "tax", str(path), "--year", "2024", "--apply", stderr=err, stdout=io.StringIO()
        )
    assert err.getvalue().splitlines() == [
        "第2行，「实缴税金（万元）」列，值「abc」：应为数字",
        "第2行，「社保费（万元）」列，值「-1」：不能为负数",
    ]
    assert not ImportBatch.objects.exists()
