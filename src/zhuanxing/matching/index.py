"""The searchable index: bm25s over each document's title and text, kept in memory and, when given a
directory, on disk, updated document by document.

Layout: a *base* (a bm25s index of every document as of the last compaction) plus *pending* changes
(documents added or changed since, scored with the same BM25 formula from the base's statistics, and
withdrawn or replaced base rows masked out). On disk the base is a bm25s save directory and the pending
changes are an append-only journal of terms, so adding, changing or withdrawing a document costs one
tokenisation and one appended line, never a rebuild. ``compact()`` folds the changes into a new base
from the stored terms (no re-tokenisation); it runs by itself every ``auto_compact_at`` changes.

Several processes may share a directory (web workers): writes take a file lock, and every call first
picks up what the others appended or compacted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import itertools
import json
import math
import os
import shutil
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from .documents import Document, Query
from .errors import IndexStoreError, MatchingError
from .explain import Match, MatchedTerm, fold_terms
from .fields import FieldTaxonomy
from .rank import (
    KIND_CODES,
    UNKNOWN_DATE,
    QueryTerm,
    RankingWeights,
    compute_signals,
    describe_factors,
    query_terms,
    signal_bound,
)
from .tokenize import Tokenizer, default_tokenizer

FORMAT_VERSION = 1
TITLE_REPEAT = 2  # title terms count twice: the title says what the document is about (BM25F-style)
K1 = 1.2
B = 0.75
AUTO_COMPACT_AT = 2000
CHUNK_ROWS = 8192  # rows handled at once where whole-index temporaries would cost too much memory
SHORTLIST = 500  # candidates whose signals are weighed first (see search)
MANIFEST = "manifest.json"
Postings = tuple[np.ndarray, np.ndarray]  # (rows, BM25 scores of one term in them)
KINDS_BY_CODE = list(KIND_CODES)


class _Base:
    """The compacted part: a bm25s index, plus each row's term counts so that a compaction can rebuild
    it without tokenising again."""

    def __init__(
        self,
        bm25: bm25s.BM25 | None,  # None when no document has any term
        vocab: dict[str, int],
        *,
        avgdl: float,
        n_docs: int,
        term_ptr: np.ndarray,  # row r's terms are term_ids[term_ptr[r]:term_ptr[r + 1]], counts in term_tfs
        term_ids: np.ndarray,
        term_tfs: np.ndarray,
    ):
        self.bm25 = bm25
        self.vocab = vocab
        self.avgdl = avgdl
        self.n_docs = n_docs
        self.term_ptr, self.term_ids, self.term_tfs = term_ptr, term_ids, term_tfs
        self._terms: list[str] | None = None

    @classmethod
    def build(cls, bags: list[list[int]], vocab: dict[str, int], *, k1: float, b: float) -> _Base:
        """``bags``: each row's term ids, repeated as often as the term occurs."""
        lengths = np.fromiter(map(len, bags), dtype=np.int64, count=len(bags))
        # Each row's (term, count) pairs; in chunks of rows to bound the temporaries.
        width = max(len(vocab), 1)
        per_row, term_ids, term_tfs = (
            [np.zeros(0, np.int64)],
            [np.zeros(0, np.int32)],
            [np.zeros(0, np.uint16)],
        )
        for first in range(0, len(bags), CHUNK_ROWS):
            chunk, chunk_lengths = bags[first : first + CHUNK_ROWS], lengths[first : first + CHUNK_ROWS]
            flat = np.fromiter(
                itertools.chain.from_iterable(chunk), dtype=np.int64, count=int(chunk_lengths.sum())
            )
            rows = np.repeat(np.arange(len(chunk), dtype=np.int64), chunk_lengths)
            keys, tfs = np.unique(rows * width + flat, return_counts=True)
            per_row.append(np.bincount(keys // width, minlength=len(chunk)))
            term_ids.append((keys % width).astype(np.int32))
            term_tfs.append(np.minimum(tfs, np.iinfo(np.uint16).max).astype(np.uint16))
        term_ptr = np.concatenate([[0], np.cumsum(np.concatenate(per_row))]).astype(np.int64)
        return cls.from_counts(
            term_ptr, np.concatenate(term_ids), np.concatenate(term_tfs), vocab, k1=k1, b=b
        )

    @classmethod
    def from_counts(
        cls,
        term_ptr: np.ndarray,
        term_ids: np.ndarray,
        term_tfs: np.ndarray,
        vocab: dict[str, int],
        *,
        k1: float,
        b: float,
    ) -> _Base:
        """The bm25s index of rows given by their term counts.

        This is the matrix ``bm25s.BM25(method="lucene").index()`` builds (tests check they are equal),
        computed with whole-array numpy rather than bm25s' loop over documents, which is what made a
        100,000-document compaction take a minute. bm25s then stores, loads and scores it as its own.
        """
        n_docs = len(term_ptr) - 1
        rows = np.repeat(np.arange(n_docs, dtype=np.int32), np.diff(term_ptr))
        lengths = np.bincount(rows, weights=term_tfs, minlength=n_docs)
        avgdl = float(lengths.mean()) if n_docs else 0.0
        bm25 = None
        if vocab and term_ids.size:
            df = np.bincount(term_ids, minlength=len(vocab))
            idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
            tf = term_tfs.astype(np.float32)
            scores = idf[term_ids] * (tf / (k1 * ((1 - b) + b * lengths[rows] / avgdl) + tf))
            by_term = np.argsort(term_ids, kind="stable")  # rows stay ascending within each term
            bm25 = bm25s.BM25(k1=k1, b=b, method="lucene")
            bm25.scores = {
                "data": scores[by_term].astype(np.float32),
                "indices": rows[by_term],
                "indptr": np.concatenate([[0], np.cumsum(df)]).astype(np.int64),
                "num_docs": n_docs,
            }
            bm25.vocab_dict = vocab
            bm25.unique_token_ids_set = set(vocab.values())
            bm25.nonoccurrence_array = None
        return cls(
            bm25,
            vocab,
            avgdl=avgdl,
            n_docs=n_docs,
            term_ptr=term_ptr,
            term_ids=term_ids,
            term_tfs=term_tfs,
        )

    @classmethod
    def empty(cls) -> _Base:
        none = np.zeros(0, dtype=np.int32)
        return cls(
            None, {}, avgdl=0.0, n_docs=0, term_ptr=np.zeros(1, np.int64), term_ids=none, term_tfs=none
        )

    def postings(self, term: str) -> Postings | None:
        """(rows in ascending order, their BM25 scores for ``term``), or None if no row has it."""
        term_id = self.vocab.get(term)
        if term_id is None or self.bm25 is None:
            return None
        scores = self.bm25.scores
        start, end = scores["indptr"][term_id], scores["indptr"][term_id + 1]
        return scores["indices"][start:end], scores["data"][start:end]

    def df(self, term: str) -> int:
        term_id = self.vocab.get(term)
        if term_id is None or self.bm25 is None:
            return 0
        indptr = self.bm25.scores["indptr"]
        return int(indptr[term_id + 1] - indptr[term_id])

    def terms(self) -> list[str]:
        """Term by id."""
        if self._terms is None:
            self._terms = [""] * len(self.vocab)
            for term, term_id in self.vocab.items():
                self._terms[term_id] = term
        return self._terms

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True)
        if self.bm25 is not None:
            self.bm25.save(directory / "bm25s", show_progress=False)
        np.save(directory / "term_ptr.npy", self.term_ptr)
        np.save(directory / "term_ids.npy", self.term_ids)
        np.save(directory / "term_tfs.npy", self.term_tfs)
        meta = {"avgdl": self.avgdl, "n_docs": self.n_docs}
        (directory / "base.json").write_text(json.dumps(meta), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> _Base:
        meta = json.loads((directory / "base.json").read_text(encoding="utf-8"))
        bm25 = None
        if (directory / "bm25s").exists():
            # Memory-mapped: web workers on one machine share the pages, and opening is quick. Plain
            # ndarray views of the maps slice several times faster than np.memmap objects do.
            bm25 = bm25s.BM25.load(directory / "bm25s", mmap=True, show_progress=False)
            for name in ("data", "indices", "indptr"):
                bm25.scores[name] = np.asarray(bm25.scores[name])
        return cls(
            bm25,
            bm25.vocab_dict if bm25 is not None else {},
            avgdl=meta["avgdl"],
            n_docs=meta["n_docs"],
            term_ptr=np.load(directory / "term_ptr.npy", mmap_mode="r"),
            term_ids=np.load(directory / "term_ids.npy", mmap_mode="r"),
            term_tfs=np.load(directory / "term_tfs.npy", mmap_mode="r"),
        )


class _Rows:
    """One entry per row (the base's documents in order, then pending ones) in growable numpy columns."""

    COLUMNS = {
        "alive": np.bool_,
        "kind": np.int8,
        "field_set": np.int32,
        "confirmed": np.int32,
        "response": np.float64,
        "length": np.int32,
    }

    def __init__(self, capacity: int = 16):
        self.ids: list[str] = []
        self._columns = {name: np.zeros(capacity, dtype) for name, dtype in self.COLUMNS.items()}

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, name: str) -> np.ndarray:
        return self._columns[name][: len(self.ids)]

    def append(self, doc_id: str, **values: float) -> int:
        row = len(self.ids)
        if row == len(self._columns["alive"]):
            for name, column in self._columns.items():
                self._columns[name] = np.concatenate([column, np.zeros_like(column)])
        for name, value in values.items():
            self._columns[name][row] = value
        self.ids.append(doc_id)
        return row

    def take(self, rows: np.ndarray) -> _Rows:
        """A copy holding only ``rows``, in that order."""
        taken = _Rows(capacity=max(len(rows), 16))
        taken.ids = [self.ids[row] for row in rows.tolist()]
        for name in self.COLUMNS:
            taken._columns[name][: len(rows)] = self[name][rows]
        return taken

    def save(self, directory: Path, field_sets: list[tuple[str, ...]]) -> None:
        listing = {"ids": self.ids, "field_sets": field_sets}
        (directory / "rows.json").write_text(json.dumps(listing, ensure_ascii=False), encoding="utf-8")
        np.savez(directory / "rows.npz", **{name: self[name] for name in self.COLUMNS})

    @classmethod
    def load(cls, directory: Path) -> tuple[_Rows, list[tuple[str, ...]]]:
        listing = json.loads((directory / "rows.json").read_text(encoding="utf-8"))
        rows = cls(capacity=max(len(listing["ids"]), 16))
        rows.ids = listing["ids"]
        with np.load(directory / "rows.npz") as columns:
            for name in cls.COLUMNS:
                rows._columns[name][: len(rows.ids)] = columns[name]
        return rows, [tuple(field_set) for field_set in listing["field_sets"]]


@dataclass(frozen=True)
class IndexStatus:
    documents: int
    pending_changes: int  # changes since the last compaction
    generation: int  # how many snapshots this directory has had; 0 in memory
    needs_rebuild: bool  # the stored terms came from a different dictionary: rebuild from the source


@contextlib.contextmanager
def _file_lock(directory: Path) -> Iterator[None]:
    with open(directory / "lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _stamp(path: Path) -> tuple[int, int, int]:
    info = path.stat()
    return info.st_ino, info.st_mtime_ns, info.st_size


class Index:
    """Documents to recommend, searchable with :meth:`search`.

    ``Index()`` is empty and in memory; ``Index.build(documents, path=...)`` indexes many at once;
    ``Index.open(path)`` attaches to a directory. Then :meth:`upsert` and :meth:`withdraw` keep it current.
    Thread-safe; several processes may share one directory.
    """

    def __init__(
        self,
        *,
        tokenizer: Tokenizer | None = None,
        taxonomy: FieldTaxonomy | None = None,
        auto_compact_at: int | None = AUTO_COMPACT_AT,
    ):
        self.tokenizer = tokenizer or default_tokenizer()
        self.taxonomy = taxonomy or FieldTaxonomy()
        self.auto_compact_at = auto_compact_at
        self._lock = threading.RLock()
        self._path: Path | None = None
        self._generation = 0
        self._stored_fingerprint = self.tokenizer.fingerprint
        self._params = {"k1": K1, "b": B, "title_repeat": TITLE_REPEAT}
        self._reset(_Base.empty(), _Rows(), [()])

    def _reset(self, base: _Base, rows: _Rows, field_sets: list[tuple[str, ...]]) -> None:
        self._base = base
        self._rows = rows
        self._field_sets = field_sets
        self._field_set_ids = {field_set: i for i, field_set in enumerate(field_sets)}
        self._row_of = {doc_id: row for row, doc_id in enumerate(rows.ids) if rows["alive"][row]}
        self._pending_terms: dict[int, Counter[str]] = {}
        self._postings: dict[str, dict[int, int]] = {}  # pending rows only: term -> {row: tf}
        self._changes = 0
        self._manifest_stamp: tuple[int, int, int] | None = None
        self._journal_offset = 0
        self._journal_lines = 0

    # ----- construction -----

    @classmethod
    def build(
        cls,
        documents: Iterable[Document],
        *,
        path: str | os.PathLike[str] | None = None,
        tokenizer: Tokenizer | None = None,
        taxonomy: FieldTaxonomy | None = None,
        auto_compact_at: int | None = AUTO_COMPACT_AT,
    ) -> Index:
        """Index every document at once (a later document with the same id replaces an earlier one);
        with ``path``, also save it there (replacing any index the directory held)."""
        index = cls(tokenizer=tokenizer, taxonomy=taxonomy, auto_compact_at=auto_compact_at)
        by_id = {document.id: document for document in documents}
        rows = _Rows(capacity=max(len(by_id), 16))
        numbering: defaultdict[str, int] = defaultdict()
        numbering.default_factory = numbering.__len__  # a new term gets the next id, all in C
        bags = []
        for document in by_id.values():
            bag = list(map(numbering.__getitem__, index._bag(document)))
            bags.append(bag)
            index._append_row(rows, document, len(bag))
        index._reset(_Base.build(bags, dict(numbering), k1=K1, b=B), rows, index._field_sets)
        if path is not None:
            index.save(path)
        return index

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        tokenizer: Tokenizer | None = None,
        taxonomy: FieldTaxonomy | None = None,
        auto_compact_at: int | None = AUTO_COMPACT_AT,
    ) -> Index:
        """Attach to an index directory written by :meth:`build` or :meth:`save`."""
        index = cls(tokenizer=tokenizer, taxonomy=taxonomy, auto_compact_at=auto_compact_at)
        index._path = Path(path)
        if not (index._path / MANIFEST).is_file():
            raise IndexStoreError(f"{index._path} 不是匹配索引目录（找不到 {MANIFEST}），请先建立索引")
        index._load()
        return index

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write a compacted snapshot to ``path`` and keep the index attached to it from now on."""
        path = Path(path)
        with self._lock:
            path.mkdir(parents=True, exist_ok=True)
            with _file_lock(path):
                generation = 0
                with contextlib.suppress(IndexStoreError):  # a damaged index there is replaced anyway
                    generation = self._read_manifest(path)["generation"]
                self._compact_in_memory()
                self._path = path
                self._write_snapshot(generation + 1)

    # ----- changes -----

    def upsert(self, document: Document) -> None:
        """Add the document, or replace the one with the same id."""
        terms = Counter(self._bag(document))
        meta = {
            "id": document.id,
            "kind": document.kind,
            "fields": list(document.fields),
            "confirmed_on": document.confirmed_on.isoformat() if document.confirmed_on else None,
            "response_rate": document.response_rate,
        }
        self._change({"op": "put", "doc": meta, "terms": dict(terms)})

    def withdraw(self, doc_id: str) -> bool:
        """Remove the document; False if the index did not have it."""
        return self._change({"op": "withdraw", "id": doc_id})

    def _change(self, entry: dict) -> bool:
        with self._lock:
            if self._path is None:
                changed = self._apply(entry)
            else:
                with _file_lock(self._path):
                    self._refresh()
                    if entry["op"] == "withdraw" and entry["id"] not in self._row_of:
                        return False
                    self._append_to_journal(entry)
                    changed = self._apply(entry)
            if self.auto_compact_at is not None and self._changes >= self.auto_compact_at:
                self.compact()
            return changed

    def compact(self) -> None:
        """Fold pending changes into a new base (and, on disk, a new snapshot). Needs no tokenising:
        about 0.1 s per 1,000 documents."""
        with self._lock:
            if self._path is None:
                self._compact_in_memory()
                return
            with _file_lock(self._path):
                self._refresh()
                self._compact_in_memory()
                self._write_snapshot(self._generation + 1)

    def refresh(self) -> None:
        """Pick up changes other processes made to the directory (search and changes do this anyway)."""
        with self._lock:
            self._refresh()

    # ----- search -----

    def search(self, query: Query, *, top: int = 20, weights: RankingWeights | None = None) -> list[Match]:
        """The best ``top`` candidates for ``query``, each with its score breakdown and matched terms."""
        weights = weights or RankingWeights()
        with self._lock:
            self._refresh()
            rows = self._rows
            if top < 1 or not self._row_of:
                return []
            terms = query_terms(self.tokenizer, query, weights, self._idf)
            hits = self._hits(terms)
            scores = np.bincount(hits[0], weights=hits[1], minlength=len(rows))
            allowed = rows["alive"].copy()
            if query.kinds is not None:
                allowed &= np.isin(rows["kind"], [KIND_CODES[kind] for kind in query.kinds])
            for doc_id in query.exclude:
                if doc_id in self._row_of:
                    allowed[self._row_of[doc_id]] = False
            if weights.feedback_docs > 0 and weights.feedback_terms > 0:
                extra = self._feedback_terms(terms, scores, allowed, weights)
                if extra:
                    terms = terms + extra
                    extra_hits = self._hits(extra)
                    related = np.bincount(extra_hits[0], weights=extra_hits[1], minlength=len(rows))
                    # A candidate sharing none of the demand's words must stand out on the related
                    # words alone, so that a small market does not fill up with whatever is left.
                    own_best = scores[allowed].max(initial=0.0)
                    related[(scores == 0) & (related < weights.related_only * own_best)] = 0
                    scores += related
                    hits = tuple(
                        np.concatenate([a, b if i != 2 else b + len(terms) - len(extra)])
                        for i, (a, b) in enumerate(zip(hits, extra_hits, strict=True))
                    )
            keep = (scores > 0) & allowed
            eligible = np.flatnonzero(keep)
            if not eligible.size:
                return []

            # Signals scale a text score by at most `bound`, so the top can only come from the best text
            # scores: weigh a shortlist, and widen it until nothing outside it could overtake its top.
            today = (query.today or dt.date.today()).toordinal()
            bound = signal_bound(query, weights)
            size = max(SHORTLIST, 10 * top)
            while True:
                candidates = eligible
                if size < eligible.size:
                    candidates = eligible[np.argpartition(-scores[eligible], size - 1)[:size]]
                text = scores[candidates]
                columns = {
                    name: rows[name][candidates] for name in ("field_set", "kind", "confirmed", "response")
                }
                signals = compute_signals(
                    query,
                    weights,
                    self.taxonomy,
                    field_sets=self._field_sets,
                    field_set_ids=columns["field_set"],
                    kind_codes=columns["kind"],
                    confirmed=columns["confirmed"],
                    response_rates=columns["response"],
                    today=today,
                )
                final = text * signals.total
                if candidates is eligible or np.partition(final, -top)[-top] > text.min() * bound:
                    break
                size *= 4
            if candidates.size > top:
                best = np.argpartition(-final, top - 1)[:top]
            else:
                best = np.arange(candidates.size)
            best = best[np.lexsort((candidates[best], -final[best]))]  # ties: earlier row first
            matched = self._matched_terms(terms, hits, candidates[best])
            return [
                Match(
                    doc_id=rows.ids[candidates[position]],
                    kind=KINDS_BY_CODE[columns["kind"][position]],
                    rank=rank,
                    score=float(final[position]),
                    text_score=float(scores[candidates[position]]),
                    factors=describe_factors(
                        signals,
                        position,
                        field_set_id=int(columns["field_set"][position]),
                        kind=KINDS_BY_CODE[columns["kind"][position]],
                        confirmed=int(columns["confirmed"][position]),
                        response_rate=float(columns["response"][position]),
                        today=today,
                    ),
                    matched_terms=matched[rank - 1],
                )
                for rank, position in enumerate(best.tolist(), start=1)
            ]

    def status(self) -> IndexStatus:
        with self._lock:
            self._refresh()
            return IndexStatus(
                documents=len(self._row_of),
                pending_changes=self._changes,
                generation=self._generation,
                needs_rebuild=self._stored_fingerprint != self.tokenizer.fingerprint,
            )

    def __len__(self) -> int:
        with self._lock:
            self._refresh()
            return len(self._row_of)

    def __contains__(self, doc_id: object) -> bool:
        with self._lock:
            self._refresh()
            return doc_id in self._row_of

    # ----- internals: terms and scores -----

    def _bag(self, document: Document) -> list[str]:
        title = self.tokenizer.tokens(document.title)
        return (
            title * self._params["title_repeat"]
            + self.tokenizer.tokens(document.text)
            + self.tokenizer.tokens(document.org)
        )

    def _n_docs(self) -> int:
        return self._base.n_docs + len(self._pending_terms)

    def _idf(self, term: str) -> float:
        df = self._base.df(term) + len(self._postings.get(term, ()))
        if df == 0:
            return 0.0
        n_docs = self._n_docs()
        return math.log(1 + (n_docs - df + 0.5) / (df + 0.5))  # bm25s' "lucene" idf

    def _term_scores(self, term: str) -> Iterator[Postings]:
        """(rows, BM25 score of ``term``) for the base rows, then for the pending rows; rows ascend in
        both (pending rows are only ever appended, so each posting dict is in row order)."""
        base = self._base.postings(term)
        if base is not None:
            yield base
        pending = self._postings.get(term)
        if pending:
            rows = np.fromiter(pending.keys(), dtype=np.int64, count=len(pending))
            tfs = np.fromiter(pending.values(), dtype=np.float64, count=len(pending))
            lengths = self._rows["length"][rows]
            avgdl = self._base.avgdl or float(np.mean([self._rows["length"][r] for r in self._pending_terms]))
            k1, b = self._params["k1"], self._params["b"]
            # Same formula as bm25s' "lucene" method, with the base's average length.
            norm = k1 * (1 - b + b * lengths / max(avgdl, 1.0))
            yield rows, self._idf(term) * tfs / (tfs + norm)

    def _row_terms(self, row: int) -> Counter[str]:
        """The stored term counts of one row."""
        if row >= self._base.n_docs:
            return self._pending_terms.get(row, Counter())
        start, end = int(self._base.term_ptr[row]), int(self._base.term_ptr[row + 1])
        names = self._base.terms()
        ids, tfs = self._base.term_ids[start:end].tolist(), self._base.term_tfs[start:end].tolist()
        return Counter({names[i]: tf for i, tf in zip(ids, tfs, strict=True)})

    def _feedback_terms(
        self, terms: list[QueryTerm], scores: np.ndarray, allowed: np.ndarray, weights: RankingWeights
    ) -> list[QueryTerm]:
        """Pseudo-relevance feedback: the telling terms the best few candidates share, added to the query
        with a low weight, so that a candidate using other words for the same thing still meets it."""
        candidates = np.flatnonzero((scores > 0) & allowed)
        if candidates.size < 2:
            return []
        count = min(weights.feedback_docs, candidates.size)
        top = candidates[np.argpartition(-scores[candidates], count - 1)[:count]]
        best = float(scores[top].max())
        top = top[scores[top] >= weights.feedback_floor * best]  # only candidates that meet the demand well
        have = {term.term for term in terms}
        mass: Counter[str] = Counter()
        docs_with: Counter[str] = Counter()
        for row in top.tolist():
            counts = self._row_terms(row)
            length = max(sum(counts.values()), 1)
            share = float(scores[row]) / best
            for term, tf in counts.items():
                if term not in have and len(term) > 1:
                    mass[term] += share * tf / length
                    docs_with[term] += 1
        ranked = sorted(
            ((value * self._idf(term), term) for term, value in mass.items() if docs_with[term] >= 2),
            reverse=True,
        )[: weights.feedback_terms]
        if not ranked:
            return []
        # RM3-style interpolation: the added terms together weigh ``feedback_weight`` times the query's
        # own terms, and none more than the query's heaviest term, so that they reorder candidates
        # that meet the demand's words without ever outweighing those words.
        own = sum(term.weight for term in terms)
        heaviest = max(term.weight for term in terms)
        total = sum(value for value, _ in ranked)
        return [
            QueryTerm(term, min(weights.feedback_weight * own * value / total, heaviest), related=True)
            for value, term in ranked
        ]

    def _hits(self, terms: list[QueryTerm]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every posting of the query terms, concatenated: (row, weighted BM25 score, term number)."""
        rows, scores, numbers = [np.zeros(0, np.int64)], [np.zeros(0)], [0]
        for number, term in enumerate(terms):
            for term_rows, term_scores in self._term_scores(term.term):
                rows.append(term_rows)
                scores.append(term_scores * term.weight)
                numbers.append(number)
        return (
            np.concatenate(rows),
            np.concatenate(scores),
            np.repeat(numbers, [len(part) for part in rows]),
        )

    def _matched_terms(
        self, terms: list[QueryTerm], hits: tuple[np.ndarray, np.ndarray, np.ndarray], rows: np.ndarray
    ) -> list[tuple[MatchedTerm, ...]]:
        """Each of ``rows``' matched terms, picked from the hits in one pass."""
        hit_rows, hit_scores, hit_terms = hits
        position = np.full(len(self._rows), -1)
        position[rows] = np.arange(len(rows))
        at = position[hit_rows]
        mine = np.flatnonzero(at >= 0)
        found: list[list[MatchedTerm]] = [[] for _ in rows]
        for i, number, score in zip(at[mine].tolist(), hit_terms[mine].tolist(), hit_scores[mine].tolist()):
            if score > 0:
                term = terms[number]
                found[i].append(MatchedTerm(term.term, score, term.synonym_of, term.related))
        return [fold_terms(terms_of_row) for terms_of_row in found]

    # ----- internals: rows and changes -----

    def _field_set_id(self, fields: Iterable[str]) -> int:
        field_set = tuple(fields)
        if field_set not in self._field_set_ids:
            self._field_set_ids[field_set] = len(self._field_sets)
            self._field_sets.append(field_set)
        return self._field_set_ids[field_set]

    def _append_row(self, rows: _Rows, document: Document, length: int) -> int:
        return rows.append(
            document.id,
            alive=True,
            kind=KIND_CODES[document.kind],
            field_set=self._field_set_id(document.fields),
            confirmed=document.confirmed_on.toordinal() if document.confirmed_on else UNKNOWN_DATE,
            response=np.nan if document.response_rate is None else document.response_rate,
            length=length,
        )

    def _remove(self, doc_id: str) -> bool:
        row = self._row_of.pop(doc_id, None)
        if row is None:
            return False
        self._rows["alive"][row] = False
        for term in self._pending_terms.pop(row, ()):
            del self._postings[term][row]
            if not self._postings[term]:
                del self._postings[term]
        return True

    def _apply(self, entry: dict) -> bool:
        if entry["op"] == "withdraw":
            removed = self._remove(entry["id"])
            self._changes += removed
            return removed
        self._changes += 1
        meta = entry["doc"]
        document = Document(
            id=meta["id"],
            kind=meta["kind"],
            fields=tuple(meta["fields"]),
            confirmed_on=meta["confirmed_on"],
            response_rate=meta["response_rate"],
        )
        self._remove(document.id)
        terms = Counter(entry["terms"])
        row = self._append_row(self._rows, document, sum(terms.values()))
        self._row_of[document.id] = row
        self._pending_terms[row] = terms
        for term, tf in terms.items():
            self._postings.setdefault(term, {})[row] = tf
        return True

    def _compact_in_memory(self) -> None:
        """Rebuild the base from the live rows' stored term counts, without tokenising again."""
        if not self._changes:
            return
        base, alive = self._base, self._rows["alive"]
        live = np.flatnonzero(alive)
        live_base = alive[: base.n_docs]

        # The live base rows' term counts, with the terms still in use renumbered.
        entry_rows = np.repeat(np.arange(base.n_docs), np.diff(base.term_ptr))
        keep = live_base[entry_rows]
        used, term_ids = np.unique(np.asarray(base.term_ids)[keep], return_inverse=True)
        base_terms = base.terms()
        vocab = {base_terms[term_id]: i for i, term_id in enumerate(used.tolist())}
        per_row = [np.bincount(entry_rows[keep], minlength=base.n_docs)[live_base]]
        ids, tfs = [term_ids.astype(np.int32)], [np.asarray(base.term_tfs)[keep]]
        # Then the pending rows'.
        for row in live[live >= base.n_docs].tolist():
            counts = self._pending_terms[row]
            per_row.append(np.array([len(counts)]))
            ids.append(np.array([vocab.setdefault(term, len(vocab)) for term in counts], dtype=np.int32))
            tfs.append(np.minimum(list(counts.values()), np.iinfo(np.uint16).max).astype(np.uint16))

        term_ptr = np.concatenate([[0], np.cumsum(np.concatenate(per_row))]).astype(np.int64)
        k1, b = self._params["k1"], self._params["b"]
        new_base = _Base.from_counts(term_ptr, np.concatenate(ids), np.concatenate(tfs), vocab, k1=k1, b=b)
        self._reset(new_base, self._rows.take(live), self._field_sets)

    # ----- internals: the directory -----

    def _journal_path(self) -> Path:
        assert self._path is not None
        return self._path / f"journal-{self._generation}.jsonl"

    @staticmethod
    def _read_manifest(path: Path) -> dict:
        try:
            manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise IndexStoreError(f"{path} 不是匹配索引目录（找不到 {MANIFEST}）") from None
        except (ValueError, UnicodeDecodeError) as error:
            raise IndexStoreError(f"{path / MANIFEST} 已损坏（{error}），请重建索引") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
            raise IndexStoreError(f"{path} 的索引格式与本版本不符，请重建索引")
        return manifest

    def _load(self) -> None:
        """Read the snapshot the manifest names, then replay its journal. A compaction by another
        process may swap generations under us: then read the manifest again."""
        assert self._path is not None
        for _attempt in range(5):
            stamp = _stamp(self._path / MANIFEST)
            manifest = self._read_manifest(self._path)
            directory = self._path / f"base-{manifest['generation']}"
            try:
                base = _Base.load(directory)
                rows, field_sets = _Rows.load(directory)
            except FileNotFoundError:
                continue
            except (ValueError, KeyError, OSError) as error:
                raise IndexStoreError(f"{directory} 已损坏（{error}），请重建索引") from None
            self._reset(base, rows, field_sets)
            self._generation = manifest["generation"]
            self._params = manifest["params"]
            self._stored_fingerprint = manifest["tokenizer"]
            self._manifest_stamp = stamp
            try:
                self._replay()
            except FileNotFoundError:
                continue
            return
        raise IndexStoreError(f"{self._path} 正在被反复改写，无法读取，请稍后再试")

    def _refresh(self) -> None:
        if self._path is None:
            return
        try:
            if _stamp(self._path / MANIFEST) != self._manifest_stamp:
                self._load()
            elif self._journal_path().stat().st_size > self._journal_offset:
                self._replay()
        except FileNotFoundError:
            self._load()

    def _replay(self) -> None:
        with open(self._journal_path(), "rb") as journal:
            journal.seek(self._journal_offset)
            data = journal.read()
        complete = data[: data.rfind(b"\n") + 1]  # a line still being written is read next time
        for line in complete.splitlines():
            self._journal_lines += 1
            try:
                entry = json.loads(line)
                self._apply(entry)
            except (ValueError, KeyError, TypeError, MatchingError) as error:
                raise IndexStoreError(
                    f"{self._journal_path()} 第 {self._journal_lines} 行已损坏（{error}），请重建索引"
                ) from None
        self._journal_offset += len(complete)

    def _append_to_journal(self, entry: dict) -> None:
        line = json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n"
        with open(self._journal_path(), "r+b") as journal:
            journal.truncate(self._journal_offset)  # drop the tail of a write that crashed midway
            journal.seek(self._journal_offset)
            journal.write(line.encode("utf-8"))
            journal.flush()
            os.fsync(journal.fileno())
        self._journal_offset += len(line.encode("utf-8"))
        self._journal_lines += 1

    def _write_snapshot(self, generation: int) -> None:
        """Write base-N and an empty journal-N, then switch the manifest to N and delete the old ones."""
        assert self._path is not None
        directory = self._path / f"base-{generation}"
        scratch = self._path / f"base-{generation}.tmp"
        for leftover in (directory, scratch):
            shutil.rmtree(leftover, ignore_errors=True)
        self._base.save(scratch)
        self._rows.save(scratch, self._field_sets)
        scratch.rename(directory)
        (self._path / f"journal-{generation}.jsonl").write_bytes(b"")
        manifest = {
            "format": FORMAT_VERSION,
            "generation": generation,
            "tokenizer": self.tokenizer.fingerprint,
            "params": self._params,
        }
        temporary = self._path / f"{MANIFEST}.tmp"
        temporary.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, self._path / MANIFEST)
        for old in self._path.iterdir():
            stem = old.name.split(".")[0]
            if stem.startswith(("base-", "journal-")) and stem.split("-")[-1] != str(generation):
                shutil.rmtree(old) if old.is_dir() else old.unlink()
        self._generation = generation
        self._stored_fingerprint = self.tokenizer.fingerprint
        self._manifest_stamp = _stamp(self._path / MANIFEST)
        self._journal_offset = 0
        self._journal_lines = 0
