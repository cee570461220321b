"""``zhuanxing demo-data``: build the synthetic demo district (deterministic by seed)."""

from __future__ import annotations

import datetime as dt
import importlib

from django.core.management.base import BaseCommand, CommandError

from zhuanxing.registry.models import Enterprise

# Each app with demo content has a ``demo.build(seed=..., stdout=...)``; order matters
# (later builders use what earlier ones made).
DEMO_BUILDERS = [
    "zhuanxing.accounts.demo",
    "zhuanxing.evaluation.demo",
    "zhuanxing.campaigns.demo",
    "zhuanxing.programs.demo",
    "zhuanxing.techmarket.demo",
    "zhuanxing.dashboard.demo",  # the reply year's records, before proposals quotes them
    "zhuanxing.proposals.demo",
    "zhuanxing.maps.demo",
]


class Command(BaseCommand):
    help = "生成合成的演示区县数据（企业、土地、三年年度数据、演示账号等），同一种子结果相同"

    def add_arguments(self, parser):
        parser.add_argument(
            "--enterprises", type=int, default=2770, help="企业数量（默认 2770，与镇海2014年末一致）"
        )
        parser.add_argument("--seed", type=int, default=1, help="随机种子")
        parser.add_argument("--if-empty", action="store_true", help="企业库已有数据时什么也不做")
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="演示数据的日期以哪一天为准（YYYY-MM-DD，默认今天）",
        )

    def handle(self, *args, enterprises: int, seed: int, if_empty: bool, today: dt.date | None, **options):
        from zhuanxing.registry.demo import build_demo_registry, built_on

        if Enterprise.objects.exists():
            if if_empty:
                from zhuanxing.accounts.demo import print_logins

                self.stdout.write("企业库已有数据，跳过演示数据生成。")
                print_logins(self.stdout)
                return
            raise CommandError("企业库已有数据；演示数据只能生成到空数据库中（可删除 var/db.sqlite3 后重试）")
        if enterprises < 10:
            raise CommandError("--enterprises 至少为 10")
        build_demo_registry(enterprises=enterprises, seed=seed)
        self.stdout.write(f"已生成 {enterprises} 家企业及其土地、出租和三年年度数据。")
        with built_on(today):
            for path in DEMO_BUILDERS:
                importlib.import_module(path).build(seed=seed, stdout=self.stdout)
