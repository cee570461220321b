"""``zhuanxing restore DIR``: put a backup back, then check row counts and the checksum."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhuanxing.ops import backup


class Command(BaseCommand):
    help = "从备份目录恢复数据库和上传文件（覆盖当前数据），并核对行数和校验和"

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory")
        parser.add_argument("--yes", action="store_true", help="不再询问，直接覆盖当前数据")

    def handle(self, *args, directory: str, yes: bool, **options) -> None:
        if not yes and options.get("interactive", True):
            answer = input(f"将用 {directory} 的备份覆盖当前数据库和上传文件，输入 yes 继续：")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消恢复")
        try:
            manifest = backup.restore(Path(directory))
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        try:
            from zhuanxing.techmarket import indexing

            indexing.rebuild()
        except Exception as exc:  # the data is back; the index can be rebuilt by hand
            self.stderr.write(f"匹配索引未重建（请运行 zhuanxing techmarket-reindex）：{exc}")
        self.stdout.write(
            f"恢复完成：{len(manifest['tables'])} 张表行数一致，官方数据校验和一致（备份于 {manifest['created_at']}）"
        )
