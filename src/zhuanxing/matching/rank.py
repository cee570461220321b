"""Ranking: which query terms to look for and with what weight, and the structured signals that scale
the BM25 text score (same field, kind, freshness, response rate).

Signals multiply the text score rather than add to it, so that a candidate sharing no term with the
demand is never recommended on its profile alone, and a signal's effect reads as a percentage.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .documents import KINDS, Query
from .explain import Factor
from .fields import FieldMatch, FieldTaxonomy, Relation
from .tokenize import Tokenizer

# A demand's sentences about its budget and contact say nothing about the problem: they count less.
# (Time words are not used: "成型周期" and "三个月就坏" describe problems.)
_SENTENCE = re.compile(r"[。；;！!？?\n]+")
_BOILERPLATE = re.compile(r"预算|经费|合作方式|联系人|联系电话|联系方式")
KIND_CODES = {kind: code for code, kind in enumerate(KINDS)}
UNKNOWN_DATE = 0  # confirmed-on dates are stored as proleptic ordinals; 0 means never confirmed


@dataclass(frozen=True)
class RankingWeights:
    """The knobs, with the values the gold set was measured with (see tests/matching/test_gold.py)."""

    query_title: float = 2.0  # a demand's title word counts as this many mentions of it
    synonym: float = 0.6  # a synonym counts this much of the query word it stands for
    max_query_terms: int = 64  # a long demand keeps its most telling terms (weight × idf)
    same_field: float = 1.25
    related_field: float = 1.1
    other_field: float = 0.8
    fresh_days: int = 180  # confirmed within this many days: full freshness boost
    fresh_boost: float = 0.08
    stale_days: int = 730  # not confirmed for this long: stale profile
    stale_penalty: float = 0.05
    response_spread: float = 0.1  # response rate 0 → ×0.9, 0.5 → ×1, 1 → ×1.1
    boilerplate: float = 1.0  # a sentence about budget or contact counts this much (off: see bench/README.md)
    feedback_docs: int = 15  # pseudo-relevance feedback: terms shared by the best few candidates...
    feedback_floor: float = 0.0  # ...of those scoring at least this share of the best...
    feedback_terms: int = 30  # ...this many of them...
    feedback_weight: float = 0.5  # ...together weighing this share of the query's own terms
    related_only: float = 0.1  # a candidate with related words only needs this share of the best score


@dataclass(frozen=True)
class QueryTerm:
    term: str
    weight: float
    synonym_of: str | None = None
    related: bool = False  # added by pseudo-relevance feedback


def query_terms(
    tokenizer: Tokenizer, query: Query, weights: RankingWeights, idf: Callable[[str], float]
) -> list[QueryTerm]:
    """The weighted terms to score with. ``idf`` is 0 for a term no document has; such terms are dropped
    (after lending their synonyms: 铆压机 may be in no document while its synonym 压铆机 is)."""
    mentions: Counter[str] = Counter()
    for token in tokenizer.tokens(query.title):
        mentions[token] += weights.query_title
    for sentence in _SENTENCE.split(query.text):
        weight = weights.boilerplate if _BOILERPLATE.search(sentence) else 1.0
        for token in tokenizer.tokens(sentence):
            mentions[token] += weight
    literal = {term: 1 + math.log(count) if count >= 1 else count for term, count in mentions.items()}

    terms = {term: QueryTerm(term, weight) for term, weight in literal.items() if idf(term) > 0}
    for term, weight in sorted(literal.items()):
        for synonym in sorted(tokenizer.synonyms(term)):
            if synonym in literal or idf(synonym) <= 0:
                continue
            candidate = QueryTerm(synonym, weights.synonym * weight, term)
            if synonym not in terms or terms[synonym].weight < candidate.weight:
                terms[synonym] = candidate
    if len(terms) > weights.max_query_terms:  # a long demand keeps its most telling terms
        kept = sorted(terms.values(), key=lambda t: (-t.weight * idf(t.term), t.term))
        return kept[: weights.max_query_terms]
    return list(terms.values())


@dataclass
class Signals:
    """The signal multipliers for a set of candidate rows, and what is needed to explain them."""

    field: np.ndarray
    kind: np.ndarray
    freshness: np.ndarray
    response: np.ndarray
    field_matches: dict[int, FieldMatch]  # by field-set id

    @property
    def total(self) -> np.ndarray:
        return self.field * self.kind * self.freshness * self.response


def compute_signals(
    query: Query,
    weights: RankingWeights,
    taxonomy: FieldTaxonomy,
    *,
    field_sets: Sequence[tuple[str, ...]],
    field_set_ids: np.ndarray,
    kind_codes: np.ndarray,
    confirmed: np.ndarray,
    response_rates: np.ndarray,
    today: int,
) -> Signals:
    """All arrays are the candidates' columns; ``today`` and ``confirmed`` are date ordinals."""
    by_relation = {
        Relation.SAME: weights.same_field,
        Relation.RELATED: weights.related_field,
        Relation.OTHER: weights.other_field,
        Relation.UNKNOWN: 1.0,
    }
    field_matches = {}
    field_table = np.ones(len(field_sets))
    for set_id in np.flatnonzero(np.bincount(field_set_ids)).tolist():  # the few distinct sets, in O(n)
        field_matches[set_id] = taxonomy.relation(query.fields, field_sets[set_id])
        field_table[set_id] = by_relation[field_matches[set_id].relation]

    kind_table = np.ones(len(KINDS))
    for kind, weight in query.kind_weights.items():
        kind_table[KIND_CODES[kind]] = weight

    known = confirmed != UNKNOWN_DATE
    age = np.maximum(today - confirmed, 0)
    span = max(weights.stale_days - weights.fresh_days, 1)
    fading = 1 + weights.fresh_boost * np.clip((weights.stale_days - age) / span, 0, 1)
    stale = 1 - weights.stale_penalty
    freshness = np.where(known, np.where(age >= weights.stale_days, stale, fading), 1.0)

    rates = np.nan_to_num(response_rates, nan=0.5)  # unknown rate: neutral
    response = 1 + weights.response_spread * (2 * rates - 1)

    return Signals(
        field=field_table[field_set_ids],
        kind=kind_table[kind_codes],
        freshness=freshness,
        response=response,
        field_matches=field_matches,
    )


def signal_bound(query: Query, weights: RankingWeights) -> float:
    """The most that the signals can multiply a text score by, for this query."""
    field = max(weights.same_field, weights.related_field, weights.other_field, 1.0) if query.fields else 1.0
    kind = max([1.0, *query.kind_weights.values()])
    return field * kind * (1 + max(weights.fresh_boost, 0)) * (1 + abs(weights.response_spread))


def describe_factors(
    signals: Signals,
    position: int,
    *,
    field_set_id: int,
    kind: str,
    confirmed: int,
    response_rate: float,
    today: int,
) -> tuple[Factor, ...]:
    """The factors of candidate ``position`` that are known, in Chinese, for the score breakdown."""
    factors = []
    field_match = signals.field_matches[field_set_id]
    field = float(signals.field[position])
    # Demand first, whichever side it is on: in the reverse direction (a profile looking for demands)
    # the document is the demand and the query is the profile.
    if kind == "demand":
        sides = f"需求属「{field_match.document_field}」，本方属「{field_match.query_field}」"
    else:
        sides = f"需求属「{field_match.query_field}」，候选属「{field_match.document_field}」"
    if field_match.relation is Relation.SAME:
        factors.append(Factor("field", "领域", field, f"同属「{field_match.query_field}」领域"))
    elif field_match.relation is Relation.RELATED:
        factors.append(Factor("field", "领域", field, f"领域相关：{sides}"))
    elif field_match.relation is Relation.OTHER:
        factors.append(Factor("field", "领域", field, f"领域不同：{sides}"))

    kind_weight = float(signals.kind[position])
    if kind_weight != 1:
        factors.append(Factor("kind", "类型", kind_weight, f"候选类型「{KINDS[kind]}」权重 ×{kind_weight:g}"))

    if confirmed != UNKNOWN_DATE:
        age = max(today - confirmed, 0)
        if age == 0:
            detail = "资料今天确认"
        elif age < 60:
            detail = f"资料 {age} 天前确认"
        elif age < 365:
            detail = f"资料约 {round(age / 30.4)} 个月前确认"
        else:
            detail = f"资料约 {age / 365.25:.1f} 年前确认"
        factors.append(Factor("freshness", "资料新鲜度", float(signals.freshness[position]), detail))

    if not math.isnan(response_rate):
        detail = f"以往邀请响应率 {response_rate:.0%}"
        factors.append(Factor("response", "响应率", float(signals.response[position]), detail))
    return tuple(factors)
