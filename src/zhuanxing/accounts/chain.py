"""The audit trail's hash chain.

Entries are written inside the transaction of the change they record, but sealed only after it
commits, in one place under one lock: each unsealed entry gets the next ``seq``, the hash of the
entry sealed before it, and a SHA-256 over its own content and that hash. Sealing after commit
keeps the chain in the order entries became true, and means no business transaction waits on
the chain's lock. ``verify`` recomputes every link."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field

from django.db import connection, transaction

from zhuanxing.accounts.models import AuditEntry

GENESIS = "0" * 64
LOCK_KEY = 7_302_451  # the PostgreSQL advisory lock the sealer holds
SEAL_BATCH = 2000


def entry_digest(entry: AuditEntry, *, seq: int, previous_hash: str) -> str:
    """SHA-256 over the entry's content as canonical JSON (sorted keys, no spaces)."""
    content = {
        "seq": seq,
        "previous": previous_hash,
        "at": entry.at.isoformat(),
        "actor": entry.actor_name,
        "address": entry.source_address,
        "action": entry.action,
        "object": [entry.object_type, entry.object_id, entry.object_repr],
        "old": entry.old,
        "new": entry.new,
        "reason": entry.reason,
    }
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def seal_pending() -> int:
    """Seal every committed entry not yet sealed, oldest id first. Returns how many."""
    sealed = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        last = AuditEntry.objects.filter(seq__isnull=False).order_by("-seq").first()
        seq, previous = (last.seq, last.entry_hash) if last else (0, GENESIS)
        while True:
            pending = list(AuditEntry.objects.filter(seq__isnull=True).order_by("id")[:SEAL_BATCH])
            if not pending:
                return sealed
            for entry in pending:
                seq += 1
                entry.seq, entry.previous_hash = seq, previous
                entry.entry_hash = previous = entry_digest(entry, seq=seq, previous_hash=previous)
            AuditEntry.objects.bulk_update(pending, ["seq", "previous_hash", "entry_hash"])
            sealed += len(pending)


def _seal_logging_failure() -> None:
    try:
        seal_pending()
    except Exception:  # noqa: BLE001 - the entry stays pending and the next seal takes it
        logging.getLogger(__name__).exception("审计记录封存失败，下次封存时补上")


def seal_after_commit() -> None:
    """Called by ``record_change``: seal once the surrounding transaction has committed, once per
    transaction however many entries it wrote (one sealing takes them all). A failed sealing
    leaves the entries pending for the next one; it never undoes the change."""
    if any(func is _seal_logging_failure for _ids, func, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_seal_logging_failure, robust=True)


@dataclass
class ChainReport:
    checked: int = 0
    pending: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify() -> ChainReport:
    """Recompute every sealed entry in ``seq`` order: each must follow the one before without a
    gap, point at its hash, and hash to what it stores."""
    report = ChainReport(pending=AuditEntry.objects.filter(seq__isnull=True).count())
    expected_seq, previous = 1, GENESIS
    for entry in AuditEntry.objects.filter(seq__isnull=False).order_by("seq").iterator(chunk_size=2000):
        report.checked += 1
        if entry.seq != expected_seq:
            report.problems.append(
                f"第 {expected_seq} 条缺失（下一条为第 {entry.seq} 条，记录号 {entry.pk}）"
            )
        if entry.previous_hash != previous:
            report.problems.append(f"第 {entry.seq} 条（记录号 {entry.pk}）与前一条不相连")
        if entry_digest(entry, seq=entry.seq, previous_hash=entry.previous_hash) != entry.entry_hash:
            report.problems.append(f"第 {entry.seq} 条（记录号 {entry.pk}）内容与摘要不符，可能被改动")
        expected_seq, previous = entry.seq + 1, entry.entry_hash
    return report
