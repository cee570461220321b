"""What the engine matches: supply documents (experts, achievements, institutions, or demands for the
reverse direction) and queries. Plain frozen dataclasses, validated on construction."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .errors import InvalidDocumentError

# Code name -> the word users see. "demand" lets an expert's or institution's profile be matched
# against the demands (the reverse direction) with the same engine.
KINDS: dict[str, str] = {"expert": "专家", "achievement": "成果", "institution": "机构", "demand": "需求"}


def kind_choices() -> str:
    return "、".join(f"{code}（{label}）" for code, label in KINDS.items())


def check_kind(kind: object, *, owner: str) -> str:
    if kind not in KINDS:
        shown = "（空）" if kind in (None, "") else f"「{kind}」"
        raise InvalidDocumentError(f"{owner}的类型{shown}无法识别，应为 {kind_choices()}")
    return kind  # type: ignore[return-value]


def _text(value: object, *, name: str, owner: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidDocumentError(f"{owner}的「{name}」应为文字，实际是 {type(value).__name__}")
    return value


def _fields(value: object, *, owner: str) -> tuple[str, ...]:
    """A field may come as one name or a list of names (an expert often has several)."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Iterable) or isinstance(value, Mapping):
        raise InvalidDocumentError(f"{owner}的「field」应为领域名称或名称列表")
    names = []
    for item in value:
        if not isinstance(item, str):
            raise InvalidDocumentError(f"{owner}的「field」里有非文字的值：{item!r}")
        if item.strip():
            names.append(item.strip())
    return tuple(dict.fromkeys(names))


def _date(value: object, *, owner: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise InvalidDocumentError(f"{owner}的确认日期「{value}」不是 YYYY-MM-DD 格式的日期")


def _rate(value: object, *, owner: str) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise InvalidDocumentError(f"{owner}的响应率「{value}」应为 0 到 1 之间的数")
    if not 0 <= value <= 1:
        raise InvalidDocumentError(f"{owner}的响应率 {value} 超出 0 到 1 的范围")
    return float(value)


@dataclass(frozen=True, slots=True)
class Document:
    """One candidate to recommend. Only ``id`` and ``kind`` are required.

    ``confirmed_on`` is when the owner last confirmed the profile (freshness); ``response_rate`` the
    share of past invitations answered, 0–1 (leave it None while there are too few invitations to tell).
    """

    id: str
    kind: str
    title: str = ""
    text: str = ""
    fields: tuple[str, ...] = ()
    org: str = ""
    confirmed_on: dt.date | None = None
    response_rate: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.strip():
            raise InvalidDocumentError("文档缺少编号（id）")
        owner = f"文档「{self.id}」"
        check_kind(self.kind, owner=owner)
        object.__setattr__(self, "title", _text(self.title, name="title", owner=owner))
        object.__setattr__(self, "text", _text(self.text, name="text", owner=owner))
        object.__setattr__(self, "org", _text(self.org, name="org", owner=owner))
        object.__setattr__(self, "fields", _fields(self.fields, owner=owner))
        object.__setattr__(self, "confirmed_on", _date(self.confirmed_on, owner=owner))
        object.__setattr__(self, "response_rate", _rate(self.response_rate, owner=owner))

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Document:
        """From a corpus JSONL object: ``id``, ``kind``, ``title``, ``text``, ``field``?, ``org``?,
        plus the optional signals ``confirmed_on`` and ``response_rate``."""
        doc_id = data.get("id")
        if isinstance(doc_id, int) and not isinstance(doc_id, bool):
            doc_id = str(doc_id)
        if not isinstance(doc_id, str) or not doc_id.strip():
            raise InvalidDocumentError("缺少编号「id」（应为非空文字）")
        return cls(
            id=doc_id,
            kind=data.get("kind"),  # type: ignore[arg-type]  # validated in __post_init__
            title=data.get("title"),  # type: ignore[arg-type]
            text=data.get("text"),  # type: ignore[arg-type]
            fields=data.get("field", data.get("fields")),  # type: ignore[arg-type]
            org=data.get("org"),  # type: ignore[arg-type]
            confirmed_on=data.get("confirmed_on"),  # type: ignore[arg-type]
            response_rate=data.get("response_rate"),  # type: ignore[arg-type]
        )


@dataclass(frozen=True, slots=True)
class Query:
    """A demand (or, in the reverse direction, a profile) to find candidates for.

    ``kinds`` keeps only candidates of those kinds; ``kind_weights`` multiplies a kind's scores
    (e.g. ``{"institution": 0.9}``); ``exclude`` drops ids (the demand itself, candidates already
    invited); ``today`` is the date freshness is measured from (default: today).
    """

    text: str = ""
    title: str = ""
    fields: tuple[str, ...] = ()
    kinds: frozenset[str] | None = None
    kind_weights: Mapping[str, float] = field(default_factory=dict)
    exclude: frozenset[str] = frozenset()
    today: dt.date | None = None

    def __post_init__(self) -> None:
        owner = "查询"
        object.__setattr__(self, "title", _text(self.title, name="title", owner=owner))
        object.__setattr__(self, "text", _text(self.text, name="text", owner=owner))
        object.__setattr__(self, "fields", _fields(self.fields, owner=owner))
        if self.kinds is not None:
            object.__setattr__(self, "kinds", frozenset(check_kind(kind, owner=owner) for kind in self.kinds))
        for kind, weight in self.kind_weights.items():
            check_kind(kind, owner=owner)
            if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 < weight <= 10:
                raise InvalidDocumentError(f"查询中「{kind}」的类型权重 {weight!r} 应为 0 到 10 之间的正数")
        object.__setattr__(self, "exclude", frozenset(self.exclude))
        if self.today is not None and not isinstance(self.today, dt.date):
            raise InvalidDocumentError("查询的 today 应为日期")

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Query:
        """From a query JSONL object: ``title``, ``text``, ``field``? (the ``id`` stays with the caller)."""
        return cls(
            title=data.get("title"),  # type: ignore[arg-type]  # validated in __post_init__
            text=data.get("text"),  # type: ignore[arg-type]
            fields=data.get("field", data.get("fields")),  # type: ignore[arg-type]
        )
