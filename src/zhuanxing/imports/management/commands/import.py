"""``zhuanxing import SOURCE FILE --year YYYY [--apply]``: check a department file and
print the preview; with ``--apply`` also write it (all rows or none)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhuanxing.imports.preview import KINDS, Preview, build_preview
from zhuanxing.imports.services import ImportRefused, batch_apply
from zhuanxing.imports.sources import SOURCES, get_source
from zhuanxing.imports.validate import check_file

SHOWN_ROWS = 20


class Command(BaseCommand):
    help = "检查部门数据文件并打印预览；加 --apply 则在一个事务中全部导入（有任何问题时什么也不写）"

    def add_arguments(self, parser):
        parser.add_argument(
            "source",
            choices=list(SOURCES),
            help="数据来源：" + "、".join(f"{s.id}（{s.label}）" for s in SOURCES.values()),
        )
        parser.add_argument("file", help=".xlsx、.xls 或 .csv（UTF-8 或 GBK）文件")
        parser.add_argument("--year", type=int, required=True, help="数据所属年度")
        parser.add_argument("--apply", action="store_true", help="检查通过后写入数据库")

    def handle(self, *args, source: str, file: str, year: int, apply: bool, **options):
        path = Path(file)
        spec = get_source(source)
        if apply:
            try:
                batch, preview = batch_apply(
                    actor=None, source=spec.id, path=path, file_name=path.name, year=year
                )
            except ImportRefused as refused:
                self._refuse(refused.problems)
            self._print_preview(preview)
            if batch is None:
                self.stdout.write("没有需要写入的变更，未记录新的批次。")
            else:
                self.stdout.write(self.style.SUCCESS(f"已导入：批次 #{batch.pk}（{batch}）"))
            return
        checked = check_file(spec, path, year=year)
        if not checked.ok:
            self._refuse(checked.problems)
        self._print_preview(build_preview(checked))
        self.stdout.write("仅预览，未写入任何数据；确认无误后加 --apply 导入。")

    def _refuse(self, problems) -> None:
        for problem in problems:
            self.stderr.write(str(problem))
        raise CommandError(f"发现 {len(problems)} 个问题，未导入任何数据")

    def _print_preview(self, preview: Preview) -> None:
        checked = preview.checked
        self.stdout.write(f"{checked.source.label} {checked.year} 年度：共 {checked.rows} 行")
        for notice in checked.notices:
            self.stdout.write(f"提示：{notice}")
        self.stdout.write("，".join(f"{label} {preview.counts[kind]}" for kind, label in KINDS.items()))
        for section in preview.sections:
            if section["kind"] == "unchanged":
                continue
            for row in section["rows"][:SHOWN_ROWS]:
                fields = "；".join(
                    f"{f.label}：{f.old if f.old is not None else '—'} → {f.new}" for f in row.fields
                )
                self.stdout.write(
                    f"  [{section['label']}] 第{row.rows_text}行 {row.key} {row.name}：{fields}"
                )
            if section["count"] > SHOWN_ROWS:
                self.stdout.write(f"  …… 另有 {section['count'] - SHOWN_ROWS} 行{section['label']}")
