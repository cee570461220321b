"""``zhuanxing audit-verify``: seal what is pending, then recompute the audit trail's hash chain.
Exits 1 and names each broken link when an entry was changed, removed or reordered."""

from django.core.management.base import BaseCommand, CommandError

from zhuanxing.accounts import chain


class Command(BaseCommand):
    help = "核验审计记录的哈希链（先封存待封存的记录）"

    def handle(self, *args, **options) -> None:
        sealed = chain.seal_pending()
        report = chain.verify()
        if sealed:
            self.stdout.write(f"新封存 {sealed} 条")
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"审计链核验未通过：{len(report.problems)} 处问题（共核验 {report.checked} 条）"
            )
        self.stdout.write(f"审计链完整：共 {report.checked} 条，逐条相连，摘要一致")
