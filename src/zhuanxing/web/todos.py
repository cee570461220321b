"""What waits for a user: the home page's to-do list and ``GET /api/todos``.

Most to-dos come from the workflow registry (``zhuanxing.workflow``): for every registered
workflow, every row marked ``todo`` and every state it moves a record out of, the records the
user can see in that state and may move (the row's own permission predicate). A stage added to a
workflow table therefore shows up here without touching this module. The few to-dos that are not
a pending transition (a notice about to end, a demand nobody answered, an upload previewed but
not applied, a target behind schedule) are the ``SOURCES`` below, each asking its app's access
module who may see it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuanxing import workflow

CANDIDATES = 200  # records looked at per row: a to-do line counts at most this many
NOTICE_ENDING_DAYS = 3
UNANSWERED_DAYS = 14


@dataclass(frozen=True)
class Todo:
    kind: str
    title: str
    count: int
    oldest: dt.date | None
    due: dt.date | None
    url: str

    def as_dict(self) -> dict:
        data = asdict(self)
        data["oldest"] = self.oldest.isoformat() if self.oldest else None
        data["due"] = self.due.isoformat() if self.due else None
        return data


def _day(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _workflow_todos(user, declared: workflow.Workflow) -> list[Todo]:
    if declared.visible is None or declared.url is None:
        return []
    rows = declared.todo_rows()
    if not rows:
        return []
    try:
        visible = declared.visible(user)
    except PermissionDenied:
        return []
    if declared.related:
        visible = visible.select_related(*declared.related)
    waited = declared.waiting_field or declared.since_field
    todos = []
    for row, states in rows:
        candidates = visible.filter(**{f"{declared.state_field}__in": states})
        candidates = candidates.order_by(waited, "pk") if waited else candidates.order_by("pk")
        mine = [record for record in candidates[:CANDIDATES] if row.is_todo_of(user, record)]
        if not mine:
            continue
        oldest = (
            min((_day(getattr(r, waited)) for r in mine if getattr(r, waited)), default=None)
            if waited
            else None
        )
        deadline = declared.deadline_field
        due = (
            min((getattr(r, deadline) for r in mine if getattr(r, deadline)), default=None)
            if deadline
            else None
        )
        if len(mine) > 1 and declared.list_url is not None:
            url = declared.list_url(user, states)
        else:
            url = declared.url(mine[0], user)
        waiting = _(row.todo_label) if row.todo_label else _("待%(action)s") % {"action": _(row.label)}
        todos.append(
            Todo(
                kind=f"{declared.key}.{row.action}.{states[0]}",
                title=_("%(record)s：%(waiting)s") % {"record": _(declared.label), "waiting": waiting},
                count=len(mine),
                oldest=oldest,
                due=due,
                url=url,
            )
        )
    return todos


# ---------------------------------------------------------------- to-dos that are not a transition


def _notices_ending(user, request, today: dt.date) -> list[Todo]:
    from zhuanxing.evaluation import access
    from zhuanxing.evaluation.models import EvaluationRun

    if not access.can_manage(user):
        return []
    runs = list(
        EvaluationRun.objects.filter(
            state=EvaluationRun.State.PUBLISHED,
            publish_until__gte=today,
            publish_until__lte=today + dt.timedelta(days=NOTICE_ENDING_DAYS),
        ).order_by("publish_until", "pk")
    )
    if not runs:
        return []
    url = (
        reverse("evaluation:run_detail", args=[runs[0].pk])
        if len(runs) == 1
        else reverse("evaluation:run_list")
    )
    return [
        Todo(
            kind="evaluation.run.notice_ending",
            title=_("亩均评价：公示将在%(days)s天内结束，待定档") % {"days": NOTICE_ENDING_DAYS},
            count=len(runs),
            oldest=min((_day(r.published_at) for r in runs if r.published_at), default=None),
            due=runs[0].publish_until,
            url=url,
        )
    ]


def _unanswered_demands(user, request, today: dt.date) -> list[Todo]:
    from zhuanxing.techmarket import access
    from zhuanxing.techmarket.models import Demand

    if not access.can_manage(user):
        return []
    since = timezone.now() - dt.timedelta(days=UNANSWERED_DAYS)
    demands = (
        Demand.objects.filter(state=Demand.State.OPEN, created_at__lte=since)
        .exclude(matches__answered_at__isnull=False)
        .distinct()
    )
    found = demands.aggregate(oldest=Min("created_at"))
    count = demands.count()
    if not count:
        return []
    url = reverse("techmarket:demand_list") + "?" + urlencode({"state": Demand.State.OPEN})
    return [
        Todo(
            kind="techmarket.demand.unanswered",
            title=_("技术需求：发布%(days)s天以上无人答复") % {"days": UNANSWERED_DAYS},
            count=count,
            oldest=_day(found["oldest"]),
            due=None,
            url=url,
        )
    ]


def _public_objections(user, request, today: dt.date) -> list[Todo]:
    """Objections anyone raised against an application on notice: they hold its 核定 until decided."""
    from zhuanxing.programs import access
    from zhuanxing.programs.models import PublicObjection

    if not access.can_manage(user):
        return []
    open_ones = PublicObjection.objects.filter(state=PublicObjection.State.OPEN)
    oldest = open_ones.order_by("submitted_at", "id").values("application_id", "submitted_at").first()
    if oldest is None:
        return []
    url = reverse("programs:application_detail", args=[oldest["application_id"]]) + "#objections"
    return [
        Todo(
            kind="programs.public_objection",
            title=_("公示异议待处理"),
            count=open_ones.count(),
            oldest=_day(oldest["submitted_at"]),
            due=None,
            url=url,
        )
    ]


def _pending_uploads(user, request, today: dt.date) -> list[Todo]:
    """Uploads checked and previewed in this session but not applied (they live in the session)."""
    if request is None or not hasattr(request, "session"):
        return []
    from zhuanxing.accounts.access import is_staff_member

    if not is_staff_member(user):
        return []
    todos = []
    department = request.session.get("imports_uploads", {})
    if department:
        sha = next(iter(department))
        todos.append(
            Todo(
                kind="imports.upload.pending",
                title=_("数据导入：已预览，尚未确认导入"),
                count=len(department),
                oldest=None,
                due=None,
                url=reverse("imports:upload", args=[sha])
                if len(department) == 1
                else reverse("imports:home"),
            )
        )
    campaign = request.session.get("campaign_imports", {})
    if campaign:
        kind = next(iter(campaign.values()))["kind"]
        todos.append(
            Todo(
                kind="campaigns.upload.pending",
                title=_("认定与四换导入：已预览，尚未确认导入"),
                count=len(campaign),
                oldest=None,
                due=None,
                url=reverse("campaigns:record_import", args=[kind]),
            )
        )
    return todos


def _targets_behind(user, request, today: dt.date) -> list[Todo]:
    from zhuanxing.campaigns import access, selectors
    from zhuanxing.campaigns.models import Target

    if not access.may_see_summary(user):
        return []
    year = (
        Target.objects.filter(year__lte=today.year).order_by("-year").values_list("year", flat=True).first()
    )
    if year is None:
        return []
    elapsed = 100 if year < today.year else round(100 * today.timetuple().tm_yday / 365)
    behind = [
        t
        for t in selectors.targets_with_completion(year)
        if t["completion_percent"] is not None and t["completion_percent"] < elapsed
    ]
    if not behind:
        return []
    return [
        Todo(
            kind="campaigns.target.behind",
            title=_("%(year)s年目标任务：完成进度落后于时间进度") % {"year": year},
            count=len(behind),
            oldest=None,
            due=dt.date(year, 12, 31),
            url=reverse("campaigns:progress") + "?" + urlencode({"year": year}),
        )
    ]


def _co_views_due(user, request, today: dt.date) -> list[Todo]:
    """A co-unit's view (会办意见) not yet sent on a case still being handled: the lead unit waits
    for it, so the co-unit's members see it with its deadline."""
    from django.db.models import F

    from zhuanxing.proposals import access
    from zhuanxing.proposals.models import Assignment, Proposal

    units = access.unit_ids(user)
    if not units:
        return []
    waiting = list(
        Assignment.objects.filter(
            unit_id__in=units,
            role=Assignment.Role.CO,
            active=True,
            round=F("proposal__round"),
            view__isnull=True,
            proposal__state__in=(Proposal.State.HANDLING, Proposal.State.AWAITING),
        ).order_by("due_on", "pk")
    )
    if not waiting:
        return []
    return [
        Todo(
            kind="proposals.coview.due",
            title=_("提案建议：待填写会办意见"),
            count=len(waiting),
            oldest=min(a.assigned_on for a in waiting),
            due=waiting[0].due_on,
            url=reverse("proposals:detail", args=[waiting[0].proposal_id])
            if len(waiting) == 1
            else reverse("proposals:overview"),
        )
    ]


SOURCES: list[Callable[..., list[Todo]]] = [
    _notices_ending,
    _unanswered_demands,
    _public_objections,
    _pending_uploads,
    _targets_behind,
    _co_views_due,
]


def todos_for(user, request=None, today: dt.date | None = None) -> list[Todo]:
    """Every to-do of ``user``: the workflows' in registry order, then the other sources."""
    if user is None or not user.is_authenticated:
        return []
    today = today or timezone.localdate()
    items: list[Todo] = []
    for declared in workflow.workflows():
        items += _workflow_todos(user, declared)
    for source in SOURCES:
        items += source(user, request, today)
    return items
