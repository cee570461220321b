"""``zhuanxing techmarket-reindex``: rebuild the matching index from the database."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from zhuanxing.techmarket import indexing, services


class Command(BaseCommand):
    help = "从数据库重建科技大市场的匹配索引（修改匹配词表后运行），并将过期需求标为已过期"

    def handle(self, *args, **options):
        expired = services.demands_expire()
        started = time.perf_counter()
        status = indexing.rebuild()
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"已将 {expired} 条过期需求标为已过期；索引 {status.documents} 条，用时 {seconds:.1f} 秒。"
        )
