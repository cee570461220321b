"""``zhuanxing demo-data``: build the synthetic demo district (deterministic by seed)."""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

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


def built_on_path() -> Path:
    """Where the day the demo was last built is kept (``make demo`` offers a refresh when it is old)."""
    return Path(settings.VAR_DIR) / "demo-built-on"


def demo_age_days(today: dt.date) -> int | None:
    """Days since the demo was built; None when unknown (built before the day was recorded)."""
    try:
        return (today - dt.date.fromisoformat(built_on_path().read_text().strip())).days
    except (OSError, ValueError):
        return None


def empty_database() -> None:
    """Every table emptied, then the reference data that the migrations load put back."""
    from zhuanxing.campaigns.models import RecognitionKind, RecognitionLevel, TalentPlan
    from zhuanxing.campaigns.reference import install_reference
    from zhuanxing.registry.industries import load_industry_table
    from zhuanxing.registry.models import Industry

    call_command("flush", interactive=False, verbosity=0)
    load_industry_table(Industry)
    install_reference(RecognitionKind, RecognitionLevel, TalentPlan)


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
        parser.add_argument(
            "--stale-after",
            type=int,
            default=None,
            help="与 --if-empty 同用：已有演示数据建于多少天以前时，提示按今天的日期重建",
        )
        parser.add_argument("--refresh", action="store_true", help="清空数据库并按今天的日期重建演示数据")

    def handle(
        self,
        *args,
        enterprises: int,
        seed: int,
        if_empty: bool,
        today: dt.date | None,
        stale_after: int | None,
        refresh: bool,
        **options,
    ):
        from zhuanxing.registry.demo import build_demo_registry, built_on

        day = today or timezone.localdate()
        if Enterprise.objects.exists() and (refresh or self.wants_refresh(day, stale_after)):
            empty_database()
            self.stdout.write("已清空数据库，按今天的日期重建演示数据。")
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
        with built_on(day):
            for path in DEMO_BUILDERS:
                importlib.import_module(path).build(seed=seed, stdout=self.stdout)
        built_on_path().parent.mkdir(parents=True, exist_ok=True)
        built_on_path().write_text(f"{day.isoformat()}\n")

    def wants_refresh(self, today: dt.date, stale_after: int | None) -> bool:
        """Asks on a terminal whether to rebuild a demo older than ``stale_after`` days; elsewhere only
        says how to."""
        age = demo_age_days(today)
        if stale_after is None or (age is not None and age <= stale_after):
            return False
        since = f"建于 {age} 天前" if age is not None else "建于记录生成日期之前"
        if not sys.stdin.isatty():
            self.stdout.write(f"演示数据{since}，日期已过时；运行 make demo REFRESH=1 可按今天的日期重建。")
            return False
        answer = input(f"演示数据{since}，是否清空并按今天的日期重建？（y/N）")
        return answer.strip().lower() in ("y", "yes")
