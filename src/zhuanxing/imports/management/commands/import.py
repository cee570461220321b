"""``zhuanxing import SOURCE FILE --year YYYY [--apply]``: check a department file and
print the preview; with ``--apply`` also write it (all rows or none).

``zhuanxing import parcels FILE [--crs EPSG:NNNN] [--apply]``: parcel boundaries (GeoJSON, a
zipped Shapefile or a spreadsheet with a WKT column), checked and written by ``zhuanxing.maps``;
every problem and every area warning is printed with its certificate number; the exit status
is non-zero on a problem and zero when only warnings remain."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhuanxing.imports.preview import KINDS, Preview, build_preview
from zhuanxing.imports.services import ImportRefused, batch_apply
from zhuanxing.imports.sources import SOURCES, get_source
from zhuanxing.imports.validate import check_file
from zhuanxing.maps.check import check_shapes
from zhuanxing.maps.services import ShapesRefused, parcel_shapes_apply

SHOWN_ROWS = 20


class Command(BaseCommand):
    help = "检查部门数据文件并打印预览；加 --apply 则在一个事务中全部导入（有任何问题时什么也不写）"

    def add_arguments(self, parser):
        parser.add_argument(
            "source",
            choices=[*SOURCES, "parcels"],
            help="数据来源："
            + "、".join(f"{s.id}（{s.label}）" for s in SOURCES.values())
            + "、parcels（宗地图形）",
        )
        parser.add_argument(
            "file",
            help=".xlsx、.xls 或 .csv（UTF-8 或 GBK）文件；parcels 另可用 GeoJSON 或压缩的 Shapefile（.zip）",
        )
        parser.add_argument("--year", type=int, help="数据所属年度（parcels 不需要）")
        parser.add_argument(
            "--crs",
            help="仅 parcels：坐标系，如 EPSG:4549（CGCS2000 高斯-克吕格投影）；缺省为经纬度 EPSG:4490",
        )
        parser.add_argument("--apply", action="store_true", help="检查通过后写入数据库")

    def handle(self, *args, source: str, file: str, year: int | None, apply: bool, crs=None, **options):
        path = Path(file)
        if source == "parcels":
            self._parcels(path, crs=crs, apply=apply)
            return
        if crs:
            raise CommandError("--crs 只用于 parcels（宗地图形）导入")
        if year is None:
            raise CommandError("请用 --year 指定数据所属年度")
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

    def _parcels(self, path: Path, *, crs: str | None, apply: bool) -> None:
        if apply:
            try:
                batch, checked = parcel_shapes_apply(actor=None, path=path, file_name=path.name, crs=crs)
            except ShapesRefused as refused:
                self._print_shape_warnings(refused.checked)
                self._refuse(refused.checked.problems)
            self._print_shape_warnings(checked)
        else:
            checked = check_shapes(path, crs=crs)
            self._print_shape_warnings(checked)
            if not checked.ok:
                self._refuse(checked.problems)
        changed = len(checked.changed) if not apply or batch is None else batch.summary["changed"]
        self.stdout.write(
            f"宗地图形：共 {checked.rows} 个要素，坐标系 {checked.crs.name}；"
            f"新增或改变 {changed}，未变 {len(checked.shapes) - changed}，面积警告 {len(checked.warnings)}"
        )
        if not apply:
            self.stdout.write("仅预览，未写入任何数据；确认无误后加 --apply 导入。")
        elif batch is None:
            self.stdout.write("没有需要写入的变更，未记录新的批次。")
        else:
            self.stdout.write(self.style.SUCCESS(f"已导入：批次 #{batch.pk}（{batch}）"))

    def _print_shape_warnings(self, checked) -> None:
        for shape in checked.warnings:
            self.stdout.write(
                f"警告：{shape.where}（不动产权证号 {shape.parcel.certificate_no}）{shape.warning}"
            )

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
