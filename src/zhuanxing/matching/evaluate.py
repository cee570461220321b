"""Offline evaluation: read a run and graded qrels, compute nDCG@10, MRR@10 and Recall@20; and the plain
jieba + BM25 baseline the engine is compared with.

Gains are the grades themselves (linear, as trec_eval computes nDCG); a document is relevant when its
grade is at least 1; a query with relevant documents but no line in the run scores 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import bm25s
import numpy as np

from .documents import Document, Query
from .errors import InputFileError
from .tokenize import base_jieba, normalize

Run = dict[str, list[tuple[str, float]]]  # query id -> (doc id, score), best first
Qrels = dict[str, dict[str, int]]  # query id -> doc id -> grade


def _tsv_lines(path: str | Path) -> Iterator[tuple[int, list[str]]]:
    try:
        raw_lines = Path(path).read_bytes().splitlines()
    except OSError as error:
        raise InputFileError(str(path), None, f"无法读取（{error.strerror}）") from None
    for number, raw in enumerate(raw_lines, start=1):
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8").strip()
        except UnicodeDecodeError:
            raise InputFileError(str(path), number, "不是 UTF-8 编码") from None
        if line and not line.startswith("#"):
            yield number, line.split("\t") if "\t" in line else line.split()


def read_run(path: str | Path) -> Run:
    """``query_id<TAB>doc_id<TAB>rank<TAB>score`` lines (score optional), ordered by rank."""
    ranked: dict[str, list[tuple[int, str, float]]] = {}
    for number, columns in _tsv_lines(path):
        if len(columns) not in (3, 4):
            raise InputFileError(
                str(path), number, "应为「查询编号、文档编号、名次、得分」四列，以制表符分隔"
            )
        try:
            rank = int(columns[2])
            score = float(columns[3]) if len(columns) == 4 else 0.0
        except ValueError:
            raise InputFileError(str(path), number, "名次应为整数，得分应为数字") from None
        ranked.setdefault(columns[0], []).append((rank, columns[1], score))
    run: Run = {}
    for query_id, entries in ranked.items():
        seen: set[str] = set()
        run[query_id] = []
        for _rank, doc_id, score in sorted(entries, key=lambda entry: entry[0]):
            if doc_id not in seen:  # a document listed twice counts at its best rank
                seen.add(doc_id)
                run[query_id].append((doc_id, score))
    return run


def read_qrels(path: str | Path) -> Qrels:
    """``query_id<TAB>doc_id<TAB>grade`` lines, grade an integer from 0 (not relevant) up."""
    qrels: Qrels = {}
    for number, columns in _tsv_lines(path):
        if len(columns) != 3:
            raise InputFileError(str(path), number, "应为「查询编号、文档编号、相关等级」三列，以制表符分隔")
        if not columns[2].isdigit():
            raise InputFileError(str(path), number, f"相关等级「{columns[2]}」应为非负整数")
        qrels.setdefault(columns[0], {})[columns[1]] = int(columns[2])
    return qrels


@dataclass(frozen=True)
class Metrics:
    ndcg_at_10: float
    mrr_at_10: float
    recall_at_20: float
    queries: int
    per_query_ndcg: dict[str, float] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [
            f"nDCG@10\t{self.ndcg_at_10:.4f}",
            f"MRR@10\t{self.mrr_at_10:.4f}",
            f"Recall@20\t{self.recall_at_20:.4f}",
            f"查询数\t{self.queries}",
        ]


def _dcg(gains: Iterable[float]) -> float:
    return sum(gain / math.log2(position + 2) for position, gain in enumerate(gains))


def evaluate(run: Mapping[str, list[tuple[str, float]]], qrels: Qrels) -> Metrics:
    ndcgs, rrs, recalls = {}, [], []
    for query_id, grades in sorted(qrels.items()):
        relevant = {doc_id for doc_id, grade in grades.items() if grade > 0}
        if not relevant:
            continue
        ranking = [doc_id for doc_id, _ in run.get(query_id, [])]
        ideal = _dcg(sorted((grades[d] for d in relevant), reverse=True)[:10])
        ndcgs[query_id] = _dcg(grades.get(d, 0) for d in ranking[:10]) / ideal
        first = next((i for i, d in enumerate(ranking[:10]) if d in relevant), None)
        rrs.append(0.0 if first is None else 1 / (first + 1))
        recalls.append(len(relevant.intersection(ranking[:20])) / len(relevant))
    count = len(ndcgs)
    return Metrics(
        ndcg_at_10=sum(ndcgs.values()) / count if count else 0.0,
        mrr_at_10=sum(rrs) / count if count else 0.0,
        recall_at_20=sum(recalls) / count if count else 0.0,
        queries=count,
        per_query_ndcg=ndcgs,
    )


def plain_bm25_run(documents: list[Document], queries: Mapping[str, Query], *, top: int) -> Run:
    """The baseline: jieba's own dictionary in search mode over title + text, bm25s with its defaults.
    No domain dictionary, synonyms, stop words, title weight or structured signals."""
    segmenter = base_jieba()

    def tokens(text: str) -> list[str]:
        words = (word.strip() for word in segmenter.cut_for_search(normalize(text)))
        return [word for word in words if any(char.isalnum() for char in word)]

    run: Run = {query_id: [] for query_id in queries}
    if not documents:
        return run
    retriever = bm25s.BM25()
    retriever.index([tokens(f"{d.title}\n{d.text}") for d in documents], show_progress=False)
    for query_id, query in queries.items():
        query_tokens = [t for t in tokens(f"{query.title}\n{query.text}") if t in retriever.vocab_dict]
        if not query_tokens:
            continue
        scores = retriever.get_scores(query_tokens)
        best = [i for i in np.argsort(-scores, kind="stable")[:top].tolist() if scores[i] > 0]
        run[query_id] = [(documents[i].id, float(scores[i])) for i in best]
    return run
