"""What a recommendation says about itself: the score breakdown and the matched terms, shown to users
as the reason for the recommendation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .documents import KINDS

REASON_TERMS = 5  # matched terms named in the one-line reason


@dataclass(frozen=True)
class MatchedTerm:
    """A term found in both the query and the document. ``synonym_of`` is the query's own word when the
    document only has a synonym of it; ``score`` is the term's share of the text score."""

    term: str
    score: float
    synonym_of: str | None = None
    related: bool = False  # not in the query: shared by the best candidates (pseudo-relevance feedback)


@dataclass(frozen=True)
class Factor:
    """One structured signal applied to the text score: ``multiplier`` > 1 raises it, < 1 lowers it."""

    name: str  # "field" | "kind" | "freshness" | "response"
    label: str
    multiplier: float
    detail: str


@dataclass(frozen=True)
class Match:
    """One recommended candidate. ``score`` = ``text_score`` (BM25) × every factor's multiplier."""

    doc_id: str
    kind: str
    rank: int
    score: float
    text_score: float
    factors: tuple[Factor, ...]
    matched_terms: tuple[MatchedTerm, ...]

    @property
    def reason(self) -> str:
        """One line for the user, e.g. 「共同关键词：伺服电机、工业机器人（近义：机械手）；同属「装备制造」领域」."""
        parts = []
        direct = [t for t in self.matched_terms if not t.related]
        if direct:
            shown = [
                f"{t.term}（近义：{t.synonym_of}）" if t.synonym_of else t.term for t in direct[:REASON_TERMS]
            ]
            parts.append("共同关键词：" + "、".join(shown))
        related = [t.term for t in self.matched_terms if t.related][: max(REASON_TERMS - len(direct), 2)]
        if related:
            parts.append("相关词：" + "、".join(related))
        parts.extend(factor.detail for factor in self.factors)
        return "；".join(parts)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready, for the API and templates (which must escape the terms: they come from user text)."""
        return {
            "doc_id": self.doc_id,
            "kind": self.kind,
            "kind_label": KINDS[self.kind],
            "rank": self.rank,
            "score": self.score,
            "text_score": self.text_score,
            "factors": [dict(vars(factor)) for factor in self.factors],
            "matched_terms": [dict(vars(term)) for term in self.matched_terms],
            "reason": self.reason,
        }


def fold_terms(terms: Iterable[MatchedTerm]) -> tuple[MatchedTerm, ...]:
    """Search-mode tokens overlap ("伺服", "电机", "伺服电机"): fold each term into a longer matched term
    that contains it, adding up their scores, so that the user reads 「伺服电机」 once. Best first."""
    kept: list[MatchedTerm] = []
    for term in sorted(terms, key=lambda t: (-len(t.term), -t.score, t.term)):
        for i, longer in enumerate(kept):
            if term.term in longer.term:
                kept[i] = MatchedTerm(
                    longer.term, longer.score + term.score, longer.synonym_of, longer.related
                )
                break
        else:
            kept.append(term)
    return tuple(sorted(kept, key=lambda t: (-t.score, t.term)))
