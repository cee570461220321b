"""Workflows: each stateful record's transitions declared once, as a table, and applied in one place.

A workflow is a :class:`Workflow` holding a tuple of :class:`Transition` rows. A row says which
action (``action``, the id buttons and URLs use) takes a record from which state(s) to which
state(s), who may do it (a predicate taken from the app's ``access`` module), which timestamp
fields to set, whether a reason is required, the sentence the confirmation dialog shows, and how
many working days the next stage gets. One action id may have several rows with different source
states (for example ``pass`` is 初审 from 已提交 and 审核 from 部门审核), so each row keeps its own
label, stamps and deadline.

Declaring and registering one (in ``<app>/workflows.py``)::

    from zhuanxing import workflow
    from zhuanxing.myapp import access
    from zhuanxing.myapp.models import Ticket

    S = Ticket.State
    TICKET = workflow.register(
        workflow.Workflow(
            key="myapp.ticket",
            label="工单",
            model=Ticket,
            state_field="state",  # the default
            since_field="state_since",  # optional: set to now on every transition
            deadline_field="due_on",  # optional: set from the row's ``deadline_days``
            transitions=(
                workflow.Transition(
                    action="accept",
                    label="受理",
                    sources=(S.NEW,),
                    targets=(S.OPEN,),
                    permitted=access.may_handle_ticket,  # (user, ticket) -> bool
                    stamps=("accepted_at",),
                    confirm="确定受理该工单？",
                    deadline_days=5,  # working days for the next stage
                ),
                workflow.Transition(
                    action="close",
                    label="关闭",
                    sources=(S.NEW, S.OPEN),
                    targets=(S.CLOSED,),
                    permitted=access.may_handle_ticket,
                    reason_required=True,
                    confirm="关闭后不可恢复，确定关闭？",
                    todo=False,  # waiting for it is nobody's to-do
                ),
            ),
            visible=access.tickets_visible_to,  # (user) -> QuerySet, for the to-dos
            url=lambda ticket, user: reverse("myapp:ticket", args=[ticket.pk]),  # where it is done
        )
    )

and import that module from the app's ``AppConfig.ready`` so the registry is full once Django
has started. A service then moves a record with one call::

    @transaction.atomic
    def ticket_accept(*, actor, ticket):
        return workflow.apply_transition(TICKET, ticket, "accept", actor=actor)

``apply_transition`` locks the row (``SELECT … FOR UPDATE``), checks the state and the
permission, runs the caller's ``prepare`` hook (its own checks and field changes, on the locked
row), sets the state, the stamps and the deadline, validates, saves, writes the audit entry and
tells the listeners (the message centre), all in one transaction. The home page's to-dos, the
buttons of a record's page, the statistics' stages and the overdue lists read the same table
through :func:`workflows`, :meth:`Workflow.available` and :meth:`Workflow.stages`.

More that a declaration may say: ``todo_label`` (the to-do line's wording) and ``todo_for``
(whose to-do it is when staff may stand in, e.g. 初审 is the town's even though staff may do it);
``recipients`` (record, row, actor) -> users told of a transition by the message centre, with
``notice_kind``; ``list_url`` (user, states) -> the list page when several records wait;
``authorize`` (user, record, action) when the app keeps its own refusal wording; ``stage``,
``stage_start`` and ``stage_end`` on a row for the statistics.

Of the apps this module imports only the audit writer (``accounts.audit``) and the working-day
arithmetic; apps import it, never the other way round.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from zhuanxing.accounts.audit import record_change
from zhuanxing.workdays import add_working_days

Predicate = Callable[[object, models.Model], bool]
# the deadline of the stage a record enters: working days (one number, or per target state), or a
# function (record, today) -> date computed after the record's new state and fields are set
Deadline = int | Mapping[str, int] | Callable[[models.Model, dt.date], dt.date | None] | None


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    permitted: Predicate | None = None
    stamps: tuple[str, ...] = ()
    reason_required: bool = False
    confirm: str = ""
    deadline_days: Deadline = None
    audit: str = ""  # the audit entry's action; the label when empty
    todo: bool = True  # a record waiting for this action is a to-do of whoever may take it
    todo_label: str = ""  # the to-do line's wording ("待镇街初审"); "待<label>" when empty
    # whose to-do it is, when narrower than who may do it (staff may stand in for a town or an
    # enterprise, but the waiting record is the town's or the enterprise's to-do); ``permitted``
    # when None
    todo_for: Predicate | None = None
    # statistics: completing this row ends the stage named here, begun at the field ``stage_start``
    stage: str = ""
    stage_start: str = ""
    stage_end: str = ""  # the field the stage ends at; the first stamp when empty

    def __post_init__(self):
        if not self.targets:
            raise ValueError(f"{self.action}: a transition needs at least one target state")

    @property
    def audit_action(self) -> str:
        return self.audit or self.label

    def allows(self, user, obj) -> bool:
        return self.permitted is None or bool(self.permitted(user, obj))

    def is_todo_of(self, user, obj) -> bool:
        if self.todo_for is not None:
            return bool(self.todo_for(user, obj))
        return self.allows(user, obj)

    def deadline(self, obj, state: str, today: dt.date) -> dt.date | None:
        days = self.deadline_days
        if callable(days):
            return days(obj, today)
        if isinstance(days, Mapping):
            days = days.get(state)
            if callable(days):
                return days(obj, today)
        return add_working_days(today, days) if days else None


@dataclass(frozen=True)
class Stage:
    label: str
    start: str
    end: str


@dataclass
class Workflow:
    key: str
    label: str
    model: type[models.Model]
    transitions: tuple[Transition, ...]
    state_field: str = "state"
    since_field: str | None = None
    deadline_field: str | None = None
    state_noun: str = "状态"
    waiting_field: str | None = None  # how long a record has waited (the to-dos); since_field when None
    audit_prefix: str = ""
    related: tuple[str, ...] = ()  # select_related when locking
    # raises PermissionDenied/ValidationError with the app's own wording; when None the rows'
    # ``permitted`` predicates decide and a generic message is raised
    authorize: Callable[[object, models.Model, str], None] | None = None
    # for the to-dos and messages
    visible: Callable[[object], models.QuerySet] | None = None
    url: Callable[[models.Model, object], str] | None = None  # (record, user) -> the page to act on
    # (user, states) -> the list page of several waiting records; the first record's url when None
    list_url: Callable[[object, tuple[str, ...]], str] | None = None
    # who is told of a transition: (record, transition, actor) -> users
    recipients: Callable[[models.Model, Transition, object], Iterable] | None = None
    notice_kind: str = "status"  # the message centre's kind for these messages
    _by_key: dict = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self):
        for row in self.transitions:
            for source in row.sources:
                if (row.action, source) in self._by_key:
                    raise ValueError(f"{self.key}: two rows for {row.action} from {source}")
                self._by_key[(row.action, source)] = row

    # ------------------------------------------------------------ reading the table

    def state_of(self, obj) -> str:
        return getattr(obj, self.state_field)

    def state_label(self, state: str) -> str:
        choices = dict(self.model._meta.get_field(self.state_field).choices or ())
        return str(choices.get(state, state))

    @property
    def actions(self) -> list[str]:
        return list(dict.fromkeys(row.action for row in self.transitions))

    @property
    def states(self) -> list[str]:
        return [value for value, _label in self.model._meta.get_field(self.state_field).choices]

    def row(self, action: str, state: str) -> Transition | None:
        return self._by_key.get((action, state))

    def rows_from(self, state: str) -> list[Transition]:
        return [row for row in self.transitions if state in row.sources]

    def sources_of(self, action: str) -> tuple[str, ...]:
        return tuple(s for row in self.transitions if row.action == action for s in row.sources)

    def timed_states(self) -> tuple[str, ...]:
        """States that have a deadline (entered through a row with ``deadline_days``)."""
        found = []
        for row in self.transitions:
            if row.deadline_days is None:
                continue
            targets = row.deadline_days.keys() if isinstance(row.deadline_days, Mapping) else row.targets
            found += [t for t in targets if t in row.targets]
        return tuple(dict.fromkeys(found))

    def stages(self) -> list[Stage]:
        """The statistics' stages, in table order: (label, start field, end field)."""
        seen: dict[str, Stage] = {}
        for row in self.transitions:
            if row.stage and row.stage not in seen:
                seen[row.stage] = Stage(row.stage, row.stage_start, row.stage_end or row.stamps[0])
        return list(seen.values())

    def todo_rows(self) -> list[tuple[Transition, tuple[str, ...]]]:
        """(row, the states in which a record waits for it): the ``todo`` rows, each from the
        source states it moves out of (re-doing a step, a loop, is nobody's to-do)."""
        found = []
        for row in self.transitions:
            waiting = tuple(s for s in row.sources if s not in row.targets)
            if row.todo and waiting:
                found.append((row, waiting))
        return found

    def may(self, user, obj, action: str) -> bool:
        row = self.row(action, self.state_of(obj))
        return row is not None and row.allows(user, obj)

    def available(self, user, obj) -> list[Transition]:
        """The rows ``user`` may take on ``obj`` now, in table order (the buttons)."""
        state = self.state_of(obj)
        return [row for row in self.rows_from(state) if row.allows(user, obj)]

    # ------------------------------------------------------------ moving

    def lock(self, obj):
        queryset = self.model.objects.select_for_update(of=("self",))
        if self.related:
            queryset = queryset.select_related(*self.related)
        return queryset.get(pk=obj.pk)

    def check(self, user, obj, action: str) -> Transition:
        """The row for ``action`` from ``obj``'s state if ``user`` may take it; raises otherwise."""
        state = self.state_of(obj)
        if self.authorize is not None:
            self.authorize(user, obj, action)
        row = self.row(action, state)
        if row is None:
            targets = {t for r in self.transitions if r.action == action for t in r.targets}
            wanted = "、".join(self.state_label(t) for t in sorted(targets)) or action
            raise ValidationError(
                f"当前{self.state_noun}为「{self.state_label(state)}」，不能变为「{wanted}」"
            )
        if self.authorize is None and not row.allows(user, obj):
            raise PermissionDenied("您没有权限办理此事项")
        return row


_REGISTRY: dict[str, Workflow] = {}
_LISTENERS: list[Callable[..., None]] = []


def register(workflow: Workflow) -> Workflow:
    """Add ``workflow`` to the registry (the to-dos enumerate it); registering a key again
    replaces the earlier declaration (tests declare variants)."""
    _REGISTRY[workflow.key] = workflow
    return workflow


def unregister(key: str) -> None:
    _REGISTRY.pop(key, None)


def workflows() -> list[Workflow]:
    return list(_REGISTRY.values())


def get(key: str) -> Workflow:
    return _REGISTRY[key]


def listen(listener: Callable[..., None]) -> Callable[..., None]:
    """``listener(workflow=, obj=, transition=, actor=, before=, after=, reason=)`` is called
    inside the transaction after every transition (the message centre uses it)."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)
    return listener


def unlisten(listener: Callable[..., None]) -> None:
    if listener in _LISTENERS:
        _LISTENERS.remove(listener)


def apply_transition(
    workflow: Workflow,
    obj: models.Model,
    action: str,
    *,
    actor,
    to: str | None = None,
    reason: str = "",
    now: dt.datetime | None = None,
    prepare: Callable[[models.Model], dict | None] | None = None,
    changes: Mapping[str, object] | None = None,
    new: Mapping[str, object] | None = None,
    audit: str = "",
) -> models.Model:
    """Take ``action`` on ``obj`` and return the locked, saved record.

    ``prepare(record)`` runs on the locked row after the state and permission checks; it may
    raise ``ValidationError``, change fields, and return a dict for the audit entry's ``new``
    (its key ``"to"``, when present, picks the target among the row's targets). ``changes`` are
    field values set before ``prepare``; ``to`` picks the target (default: the row's first);
    ``audit`` overrides the audit entry's action text for this call.
    """
    with transaction.atomic():
        now = now or timezone.now()
        record = workflow.lock(obj)
        row = workflow.check(actor, record, action)
        if row.reason_required and not reason.strip():
            raise ValidationError({"reason": f"{row.label}必须说明理由"})
        for name, value in (changes or {}).items():
            setattr(record, name, value)
        extra = dict(new or {})
        if prepare is not None:
            extra |= prepare(record) or {}
        to = extra.pop("to", None) or to or row.targets[0]
        if to not in row.targets:
            raise ValueError(f"{workflow.key}.{action}: {to} is not a target of this row")
        before = workflow.state_of(record)
        setattr(record, workflow.state_field, to)
        for stamp in row.stamps:
            setattr(record, stamp, now)
        if workflow.since_field:
            setattr(record, workflow.since_field, now)
        if workflow.deadline_field:
            setattr(record, workflow.deadline_field, row.deadline(record, to, timezone.localtime(now).date()))
        # a transition changes no field a unique constraint covers (their checks cost a query each)
        record.full_clean(validate_unique=False, validate_constraints=False)
        record.save()
        record_change(
            actor=actor,
            action=f"{workflow.audit_prefix}{audit or row.audit_action}",
            obj=record,
            old={workflow.state_field: before},
            new={workflow.state_field: to} | extra,
            reason=reason,
        )
        for listener in _LISTENERS:
            listener(
                workflow=workflow,
                obj=record,
                transition=row,
                actor=actor,
                before=before,
                after=to,
                reason=reason,
            )
        return record
