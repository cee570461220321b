"""One import or rollback of a year at a time.

Imports and rollbacks diff the file against the values stored for the year and write
history from that diff; two of them interleaved would each diff against a state the
other is changing (lost history rows, lost sources, a rollback restoring NULL). On
PostgreSQL each takes a transaction-level advisory lock on the year *before* reading
anything, waits up to ``ZHUANXING_IMPORT_LOCK_WAIT`` seconds (default 30) for another
one to finish, then is refused with a Chinese message. SQLite serialises writing
transactions itself (one writer per database file), which is what development needs.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection

LOCK_NAMESPACE = 0x5A58  # "ZX": keeps the platform's advisory keys apart from others


def busy_message(year: int) -> str:
    return f"另一批次正在导入 {year} 年度数据，请稍后"


def lock_year(year: int, *, wait: float | None = None) -> None:
    """Take the year's import lock for the current transaction (call inside ``atomic``)."""
    if connection.vendor != "postgresql":
        return
    wait = getattr(settings, "ZHUANXING_IMPORT_LOCK_WAIT", 30) if wait is None else wait
    deadline = time.monotonic() + wait
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, int(year)])
            if cursor.fetchone()[0]:
                return
            if time.monotonic() >= deadline:
                raise ValidationError(busy_message(year))
            time.sleep(0.2)
