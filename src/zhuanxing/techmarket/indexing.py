"""The site's matching index: one per process, under ``settings.ZHUANXING_MATCHING_DIR``, shared by the
web workers of one host through the engine's on-disk journal, and by every host through the change log
in the database (``ops.IndexChange``).

Each save that may change the index writes a change row in its own transaction (``publish``); every
process, before it searches, applies the rows it has not seen (at most once a second, so a change is
searchable everywhere within about a second or two). A host whose index directory is missing builds
it from the database the first time it needs it; the directory keeps the last change applied
(``db-cursor``), so a restarted process resumes from there.

Rows are put in or taken out after their transaction commits (``publish``); nothing rebuilds the index on
a request. Changing the site's vocabulary changes how texts are cut into terms, so the stored terms must be
rebuilt: ``zhuanxing techmarket-reindex`` does it (the vocabulary page says when it is due); until then
searches use the new vocabulary for queries and the old terms for documents.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from zhuanxing import matching
from zhuanxing.ops.models import IndexChange
from zhuanxing.techmarket import adapters
from zhuanxing.techmarket.models import Achievement, Demand, Expert, Institution, VocabularyLine

logger = logging.getLogger(__name__)
RECOMMENDATIONS = 10
CATCH_UP_SECONDS = 1.0
# Change rows are numbered by a sequence, and a transaction that took a lower number may commit after
# one with a higher number: rows this recent are read again until they are older.
LATE_COMMIT_SECONDS = 10
CURSOR_FILE = "db-cursor"
MODELS = {"expert": Expert, "achievement": Achievement, "institution": Institution, "demand": Demand}

_lock = threading.Lock()
_cache: dict[tuple[str, str], tuple[matching.Tokenizer, matching.FieldTaxonomy]] = {}
_indexes: dict[tuple[str, str], matching.Index] = {}
# per index directory: the last change id applied, when the log was last read, recent ids applied
_cursor: dict[str, int] = {}
_checked: dict[str, float] = {}
_recent: dict[str, set[int]] = {}


def vocabulary() -> tuple[str, dict[str, list[str]]]:
    lines: dict[str, list[str]] = {kind: [] for kind in VocabularyLine.Kind.values}
    for kind, line in VocabularyLine.objects.values_list("kind", "line"):
        lines[kind].append(line)
    key = hashlib.sha256(repr(sorted(lines.items())).encode()).hexdigest()[:16]
    return key, lines


def engine_parts(lines: dict[str, list[str]]) -> tuple[matching.Tokenizer, matching.FieldTaxonomy]:
    """The tokenizer and field table with the site's lines; raises DictionaryError on a bad line."""
    kinds = VocabularyLine.Kind
    tokenizer = matching.Tokenizer(
        extra_dictionary=lines[kinds.DICTIONARY],
        extra_synonyms=lines[kinds.SYNONYMS],
        extra_stopwords=lines[kinds.STOPWORDS],
    )
    return tokenizer, matching.FieldTaxonomy(lines[kinds.FIELDS])


def _directory() -> Path:
    return Path(settings.ZHUANXING_MATCHING_DIR)


def latest_change() -> int:
    return IndexChange.objects.aggregate(m=Max("pk"))["m"] or 0


def _read_cursor(path: Path) -> int:
    try:
        return int((path / CURSOR_FILE).read_text().strip() or 0)
    except (OSError, ValueError):
        return 0


def _write_cursor(path: Path, value: int) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
        temporary = path / f"{CURSOR_FILE}.tmp"
        temporary.write_text(str(value))
        temporary.replace(path / CURSOR_FILE)
    except OSError:
        logger.exception("matching index cursor not saved in %s", path)


def current_index() -> matching.Index:
    """The index for the current directory and vocabulary, caught up with the change log. A missing
    directory is built from the database (a new host)."""
    key, lines = vocabulary()
    path = _directory()
    with _lock:
        cache_key = (str(path), key)
        if cache_key not in _indexes:
            tokenizer, taxonomy = engine_parts(lines)
            if (path / "manifest.json").is_file():
                index = matching.Index.open(path, tokenizer=tokenizer, taxonomy=taxonomy)
                _cursor[str(path)] = _read_cursor(path)
            else:
                cursor = latest_change()  # before reading the rows: a change made meanwhile is applied again
                index = matching.Index.build(
                    adapters.all_documents(), path=path, tokenizer=tokenizer, taxonomy=taxonomy
                )
                _cursor[str(path)] = cursor
                _write_cursor(path, cursor)
            _indexes.clear()  # an index of another directory or vocabulary is no longer wanted
            _indexes[cache_key] = index
            _checked.pop(str(path), None)
        index = _indexes[cache_key]
    catch_up(index, path)
    return index


def _apply_doc_id(index: matching.Index, doc_id: str) -> None:
    parts = adapters.split_doc_id(doc_id)
    model = MODELS.get(parts[0]) if parts else None
    if model is None:
        return
    obj = model.objects.filter(pk=parts[1]).first()
    if obj is not None and adapters.indexable(obj):
        index.upsert(adapters.document_for(obj))
    else:
        index.withdraw(doc_id)


def catch_up(index: matching.Index, path: Path | None = None, *, force: bool = False) -> int:
    """Apply the change rows this process has not applied; at most once a CATCH_UP_SECONDS unless
    ``force``. Returns how many documents were refreshed."""
    path = path or _directory()
    name = str(path)
    now = time.monotonic()
    if not force and now - _checked.get(name, 0.0) < CATCH_UP_SECONDS:
        return 0
    _checked[name] = now
    start = _cursor.get(name, 0)
    recent = _recent.setdefault(name, set())
    late = timezone.now() - dt.timedelta(seconds=LATE_COMMIT_SECONDS)
    rows = list(
        IndexChange.objects.filter(Q(pk__gt=start) | Q(created_at__gte=late))
        .order_by("pk")
        .values_list("pk", "doc_id", "created_at")[:20000]
    )
    fresh = [(pk, doc_id) for pk, doc_id, _at in rows if pk not in recent]
    for doc_id in dict.fromkeys(doc_id for _pk, doc_id in fresh):
        try:
            _apply_doc_id(index, doc_id)
        except (matching.MatchingError, OSError):
            logger.exception("matching index not updated for %s", doc_id)
    _recent[name] = {pk for pk, _doc_id, at in rows if at >= late}
    if rows and rows[-1][0] > start:
        _cursor[name] = rows[-1][0]
        _write_cursor(path, rows[-1][0])
    return len(fresh)


def rebuild() -> matching.IndexStatus:
    """Index every row again from the database, with the current vocabulary (the CLI command)."""
    _key, lines = vocabulary()
    tokenizer, taxonomy = engine_parts(lines)
    cursor = latest_change()
    index = matching.Index.build(
        adapters.all_documents(), path=_directory(), tokenizer=tokenizer, taxonomy=taxonomy
    )
    _write_cursor(_directory(), cursor)
    with _lock:
        _indexes.clear()
        _cursor[str(_directory())] = cursor
    return index.status()


def _apply(obj, change_id: int | None) -> None:
    try:
        index = current_index()
        if adapters.indexable(obj):
            index.upsert(adapters.document_for(obj))
        else:
            index.withdraw(adapters.doc_id(obj))
        if change_id is not None:
            _recent.setdefault(str(_directory()), set()).add(change_id)
    except (matching.MatchingError, OSError):
        # The row is saved; the index catches up at the next reindex. Never fail the user's request.
        logger.exception("matching index not updated for %s", adapters.doc_id(obj))


def publish(obj) -> None:
    """Record the change in the log (in the caller's transaction, so every host sees it exactly when
    the row is committed) and put ``obj`` into this process's index (or take it out) once it commits."""
    change = IndexChange.objects.create(doc_id=adapters.doc_id(obj))
    transaction.on_commit(lambda: _apply(obj, change.pk))


def search(query: matching.Query, *, top: int = RECOMMENDATIONS) -> list[matching.Match]:
    try:
        return current_index().search(query, top=top)
    except (matching.MatchingError, OSError):
        logger.exception("matching search failed")
        return []


def status() -> matching.IndexStatus | None:
    try:
        return current_index().status()
    except (matching.MatchingError, OSError):
        return None
