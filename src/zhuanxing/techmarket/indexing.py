"""The site's matching index: one per process, under ``settings.ZHUANXING_MATCHING_DIR``, shared by the
web workers through the engine's on-disk journal.

Rows are put in or taken out after their transaction commits (``publish``); nothing rebuilds the index on
a request. Changing the site's vocabulary changes how texts are cut into terms, so the stored terms must be
rebuilt: ``zhuanxing techmarket-reindex`` does it (the vocabulary page says when it is due); until then
searches use the new vocabulary for queries and the old terms for documents.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from pathlib import Path

from django.conf import settings
from django.db import transaction

from zhuanxing import matching
from zhuanxing.techmarket import adapters
from zhuanxing.techmarket.models import VocabularyLine

logger = logging.getLogger(__name__)
RECOMMENDATIONS = 10

_lock = threading.Lock()
_cache: dict[tuple[str, str], tuple[matching.Tokenizer, matching.FieldTaxonomy]] = {}
_indexes: dict[tuple[str, str], matching.Index] = {}


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


def current_index() -> matching.Index:
    """The index for the current directory and vocabulary. A missing directory gets an empty index (run
    ``techmarket-reindex`` to fill it from the database)."""
    key, lines = vocabulary()
    path = _directory()
    with _lock:
        cache_key = (str(path), key)
        if cache_key not in _indexes:
            tokenizer, taxonomy = engine_parts(lines)
            if (path / "manifest.json").is_file():
                index = matching.Index.open(path, tokenizer=tokenizer, taxonomy=taxonomy)
            else:
                index = matching.Index.build([], path=path, tokenizer=tokenizer, taxonomy=taxonomy)
            _indexes.clear()  # an index of another directory or vocabulary is no longer wanted
            _indexes[cache_key] = index
        return _indexes[cache_key]


def rebuild() -> matching.IndexStatus:
    """Index every row again from the database, with the current vocabulary (the CLI command)."""
    _key, lines = vocabulary()
    tokenizer, taxonomy = engine_parts(lines)
    index = matching.Index.build(
        adapters.all_documents(), path=_directory(), tokenizer=tokenizer, taxonomy=taxonomy
    )
    with _lock:
        _indexes.clear()
    return index.status()


def _apply(obj) -> None:
    try:
        index = current_index()
        if adapters.indexable(obj):
            index.upsert(adapters.document_for(obj))
        else:
            index.withdraw(adapters.doc_id(obj))
    except (matching.MatchingError, OSError):
        # The row is saved; the index catches up at the next reindex. Never fail the user's request.
        logger.exception("matching index not updated for %s", adapters.doc_id(obj))


def publish(obj) -> None:
    """Put ``obj`` into the index (or take it out when no longer indexable) once the transaction commits."""
    transaction.on_commit(lambda: _apply(obj))


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
