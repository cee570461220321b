"""``zhuanxing backup DIR``: database + uploaded files + manifest (row counts, checksum)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhuanxing.ops import backup


class Command(BaseCommand):
    help = "备份数据库和上传文件到一个空目录"

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory")

    def handle(self, *args, directory: str, **options) -> None:
        try:
            manifest = backup.backup(Path(directory))
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"备份完成：{directory}（{manifest['database']}，{len(manifest['tables'])} 张表 {rows:,} 行，"
            f"{len(manifest['files'])} 个文件，官方数据校验和 {manifest['official_checksum'][:12]}）"
        )
