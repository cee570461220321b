"""Technical fields: the 高新技术八大领域 and the district's industry clusters, their aliases and which
fields are related, read from ``data/fields.txt`` plus any lines the site adds."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import DictionaryError
from .tokenize import DATA_DIR, content_lines, normalize, split_lines

_LIST_SEPARATOR = re.compile(r"[,，、;；]+")


class Relation(enum.Enum):
    SAME = "same"
    RELATED = "related"
    OTHER = "other"  # both fields known to the taxonomy and unrelated
    UNKNOWN = "unknown"  # a side has no field, or a field the taxonomy does not know


@dataclass(frozen=True)
class FieldMatch:
    relation: Relation
    query_field: str = ""  # canonical names of the pair that decided the relation
    document_field: str = ""


def _key(name: str) -> str:
    return normalize(name).replace(" ", "")


class FieldTaxonomy:
    """Line format: ``领域 | 别名, 别名 | 相关领域, 相关领域`` (aliases and related fields may be empty)."""

    def __init__(self, extra_lines: str | Iterable[str] = ()):
        shipped = (DATA_DIR / "fields.txt").read_text(encoding="utf-8").splitlines()
        self._canonical: dict[str, str] = {}
        related_names: list[tuple[str, list[str], str, int]] = []
        for source, number, line in [
            *content_lines(shipped, "内置领域表"),
            *content_lines(split_lines(extra_lines), "扩展领域表"),
        ]:
            parts = [part.strip() for part in line.split("|")]
            if len(parts) > 3 or not parts[0]:
                raise DictionaryError(f"{source}第 {number} 行：应为「领域 | 别名 | 相关领域」")
            name = parts[0]
            aliases = _LIST_SEPARATOR.split(parts[1]) if len(parts) > 1 else []
            for alias in [name, *aliases]:
                if alias.strip():
                    self._canonical[_key(alias)] = name
            if len(parts) > 2:
                related_names.append((name, _LIST_SEPARATOR.split(parts[2]), source, number))
        self._related: dict[str, set[str]] = {}
        for name, others, source, number in related_names:
            for other in filter(None, (o.strip() for o in others)):
                if _key(other) not in self._canonical:
                    raise DictionaryError(f"{source}第 {number} 行：相关领域「{other}」没有在领域表中定义")
                other = self._canonical[_key(other)]
                self._related.setdefault(name, set()).add(other)
                self._related.setdefault(other, set()).add(name)

    def canonical(self, name: str) -> str | None:
        """The field's name in the taxonomy, or None when it is not in it."""
        return self._canonical.get(_key(name))

    def relation(self, query_fields: Iterable[str], document_fields: Iterable[str]) -> FieldMatch:
        """How a query's fields relate to a document's: the closest pair decides."""
        query_known = [self.canonical(f) or f for f in query_fields]
        document_known = [self.canonical(f) or f for f in document_fields]
        if not query_known or not document_known:
            return FieldMatch(Relation.UNKNOWN)
        for q in query_known:
            if q in document_known:
                return FieldMatch(Relation.SAME, q, q)
        for q in query_known:
            for d in document_known:
                if d in self._related.get(q, ()):
                    return FieldMatch(Relation.RELATED, q, d)
        all_known = all(self.canonical(f) for f in [*query_known, *document_known])
        return FieldMatch(
            Relation.OTHER if all_known else Relation.UNKNOWN, query_known[0], document_known[0]
        )
