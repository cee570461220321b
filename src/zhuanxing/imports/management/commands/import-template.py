"""``zhuanxing import-template SOURCE --output FILE.xlsx``: a department's blank template."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhuanxing.imports.sources import SOURCES, get_source
from zhuanxing.imports.template import template_bytes


class Command(BaseCommand):
    help = "生成某个数据来源的导入模板（.xlsx，含“数据”页和解释每列及单位的“说明”页）"

    def add_arguments(self, parser):
        parser.add_argument(
            "source",
            choices=list(SOURCES),
            help="数据来源：" + "、".join(f"{s.id}（{s.label}）" for s in SOURCES.values()),
        )
        parser.add_argument("--output", required=True, help="输出文件（.xlsx）")

    def handle(self, *args, source: str, output: str, **options):
        path = Path(output)
        if path.suffix.lower() != ".xlsx":
            raise CommandError("模板只能保存为 .xlsx 文件")
        spec = get_source(source)
        path.write_bytes(template_bytes(spec))
        self.stdout.write(f"已生成{spec.label}导入模板：{path}")
