"""Global search: one box in the header over enterprises, policies, demands, experts and
achievements, each result with its kind and link, filtered by what the user may see (each
app's access module decides).

Enterprises match by name, former name, credit code (or its start) and pinyin initials
(宁波金丰 → ``nbjf``). On PostgreSQL the name lookups use the pg_trgm indexes of registry
migration 0004; SQLite scans. Any input is safe: NUL bytes are dropped, the query is cut to
``MAX_QUERY`` characters, and ``%``, ``_`` and ``\\`` are matched literally (Django escapes
them in ``contains`` lookups).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zhuanxing import pinyin

MAX_QUERY = 100
PER_KIND = 10


@dataclass(frozen=True)
class Hit:
    kind: str
    kind_label: str
    title: str
    detail: str
    url: str

    def as_dict(self) -> dict:
        return asdict(self)


def clean_query(text: str | None) -> str:
    return (text or "").replace("\x00", "").strip()[:MAX_QUERY]


def _enterprises(user, q: str) -> list[Hit]:
    from zhuanxing.registry import access

    if not access.may_read_registry(user):
        return []
    match = Q(name__icontains=q) | Q(former_names__icontains=q)
    code = q.upper()
    if code.isascii() and code.isalnum():
        match |= Q(uscc__startswith=code) if len(code) < 18 else Q(uscc=code)
    if pinyin.looks_like_initials(q):
        match |= Q(name_initials__contains=q.lower())
    rows = access.enterprises_visible_to(user).filter(match).select_related("town").order_by("name", "pk")
    return [
        Hit(
            "enterprise",
            _("企业"),
            e.name,
            " · ".join(
                x for x in (e.town.name, e.uscc, e.former_names and _("曾用名：") + e.former_names) if x
            ),
            reverse("registry:enterprise_detail", args=[e.uscc]),
        )
        for e in rows[:PER_KIND]
    ]


def _policies(user, q: str) -> list[Hit]:
    from zhuanxing.programs import access

    rows = access.policies_visible_to(user).filter(
        Q(name__icontains=q) | Q(code__icontains=q) | Q(doc_number__icontains=q)
    )
    return [
        Hit(
            "policy",
            _("政策"),
            p.name,
            " · ".join(x for x in (p.doc_number, str(p.year)) if x),
            reverse("programs:policy_detail", args=[p.pk]),
        )
        for p in rows.order_by("-year", "code")[:PER_KIND]
    ]


def _demands(user, q: str) -> list[Hit]:
    from zhuanxing.techmarket import access

    rows = access.demands_visible_to(user).filter(Q(title__icontains=q)).select_related("enterprise")
    return [
        Hit(
            "demand",
            _("技术需求"),
            d.title,
            f"{d.get_state_display()} · {d.field}",
            reverse("techmarket:demand_detail", args=[d.pk]),
        )
        for d in rows.order_by("-created_at", "-pk")[:PER_KIND]
    ]


def _experts(user, q: str) -> list[Hit]:
    from zhuanxing.techmarket import access
    from zhuanxing.techmarket.models import Expert

    access.access_browse(user)
    rows = Expert.objects.filter(active=True).filter(
        Q(name__icontains=q) | Q(affiliation__icontains=q) | Q(keywords__icontains=q)
    )
    return [
        Hit(
            "expert",
            _("专家"),
            e.name,
            " · ".join(x for x in (e.affiliation, e.title) if x),
            reverse("techmarket:profile_detail", args=["expert", e.pk]),
        )
        for e in rows.order_by("name", "pk")[:PER_KIND]
    ]


def _achievements(user, q: str) -> list[Hit]:
    from zhuanxing.techmarket import access
    from zhuanxing.techmarket.models import Achievement

    access.access_browse(user)
    rows = Achievement.objects.filter(active=True, name__icontains=q)
    return [
        Hit(
            "achievement",
            _("科技成果"),
            a.name,
            f"{a.field} · {a.get_maturity_display()}",
            reverse("techmarket:profile_detail", args=["achievement", a.pk]),
        )
        for a in rows.order_by("name", "pk")[:PER_KIND]
    ]


# the kinds, in the order results are shown: (kind, label, finder)
KINDS: list[tuple[str, str, Callable[..., list[Hit]]]] = [
    ("enterprise", gettext_noop("企业"), _enterprises),
    ("policy", gettext_noop("政策"), _policies),
    ("demand", gettext_noop("技术需求"), _demands),
    ("expert", gettext_noop("专家"), _experts),
    ("achievement", gettext_noop("科技成果"), _achievements),
]


def search(user, text: str | None) -> list[Hit]:
    q = clean_query(text)
    if not q or user is None or not user.is_authenticated:
        return []
    hits: list[Hit] = []
    for _kind, _label, find in KINDS:
        try:
            hits += find(user, q)
        except PermissionDenied:
            continue
    return hits
