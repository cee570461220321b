"""``zhuanxing notices-deadlines``: remind users of to-dos whose deadline is near, for a daily run."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from zhuanxing.notices.services import DEADLINE_DAYS, deadlines_notify


class Command(BaseCommand):
    help = f"消息中心：为期限在{DEADLINE_DAYS}天内到期的待办事项向经办人发送站内消息（每天每项一次）"

    def handle(self, *args, **options):
        sent = deadlines_notify()
        self.stdout.write(f"发送期限提醒 {sent} 条。")
