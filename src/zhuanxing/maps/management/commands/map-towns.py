"""``zhuanxing map-towns FILE``: replace the towns' boundaries from a GeoJSON file."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from zhuanxing.maps.services import town_boundaries_load


class Command(BaseCommand):
    help = "用 GeoJSON 文件更新镇街界线（要素属性 code 或 name 对应镇街代码或名称；经纬度坐标）；有任何问题则不写入"

    def add_arguments(self, parser):
        parser.add_argument("file", help="GeoJSON FeatureCollection，每个镇街一个面要素")

    def handle(self, *args, file: str, **options):
        try:
            saved = town_boundaries_load(actor=None, path=file)
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(f"发现 {len(exc.messages)} 个问题，未更新任何镇街界线") from exc
        self.stdout.write(
            self.style.SUCCESS(f"已更新 {len(saved)} 个镇街的界线：{'、'.join(str(b.town) for b in saved)}")
        )
