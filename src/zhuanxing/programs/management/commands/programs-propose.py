"""``zhuanxing programs-propose``: the 免申即享 scan, for a daily scheduled run."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from zhuanxing.programs.services import automatic_propose


class Command(BaseCommand):
    help = "免申即享：按企业库、亩均评价和认定数据匹配已发布政策的免申即享条款，并把待处理的认定级别晋升转为奖励建议"

    def handle(self, *args, **options):
        found = automatic_propose(actor=None)
        self.stdout.write(f"新增免申即享建议 {len(found.proposed)} 条。")
        for problem in found.problems:
            self.stderr.write(f"未处理：{problem}")
