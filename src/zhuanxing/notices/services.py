"""Writing messages. Workflow transitions reach them through one listener (``on_transition``,
registered in ``apps.py``), so no app service sends messages itself; the deadline reminders
come from the scheduled ``notices-deadlines`` command."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from zhuanxing.notices.models import Notice

log = logging.getLogger(__name__)
DEADLINE_DAYS = 2  # a deadline within this many days is reminded of


def _deliver(notices: list[Notice]) -> None:
    for path in getattr(settings, "ZHUANXING_NOTICE_SENDERS", ()):
        try:
            import_string(path)(notices)
        except Exception:  # a mail server down must not undo or hide the in-site message
            log.exception("notice sender %s failed", path)


@transaction.atomic
def notice_send(
    *, recipients: Iterable, kind: str, title: str, url: str = "", body: str = ""
) -> list[Notice]:
    """One message per distinct active recipient; the pluggable senders run after commit."""
    seen, rows = set(), []
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        notice = Notice(recipient=user, kind=kind, title=title[:200], url=url[:300], body=body)
        notice.full_clean(exclude=["recipient"])
        rows.append(notice)
    created = Notice.objects.bulk_create(rows)
    if created:
        transaction.on_commit(lambda: _deliver(created))
    return created


def notices_mark_read(*, actor, ids: Iterable[int] | None = None) -> int:
    """Mark ``actor``'s messages read (all unread ones when ``ids`` is None); the count changed."""
    unread = Notice.objects.filter(recipient=actor, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def on_transition(*, workflow, obj, transition, actor, before, after, reason) -> None:
    """Tell the people a workflow names (``Workflow.recipients``) that a record moved; not the
    person who moved it. Runs inside the transition's transaction."""
    if workflow.recipients is None:
        return
    actor_pk = getattr(actor, "pk", None)
    recipients = [
        u for u in workflow.recipients(obj, transition, actor) if u is not None and u.pk != actor_pk
    ]
    title = f"{workflow.label}「{str(obj)[:80]}」：{transition.label}（{workflow.state_label(after)}）"
    for user in recipients:  # the link may differ per reader (a demand's owner, an invitee)
        url = workflow.url(obj, user) if workflow.url else ""
        notice_send(recipients=[user], kind=workflow.notice_kind, title=title, url=url, body=reason)


def deadlines_notify(*, today: dt.date | None = None) -> int:
    """Remind every active user of their to-dos whose deadline falls within ``DEADLINE_DAYS``
    (once a day per to-do line). Run daily (``zhuanxing notices-deadlines``)."""
    from zhuanxing.accounts.models import User
    from zhuanxing.web.todos import todos_for

    today = today or timezone.localdate()
    # once per day the command runs (the real day, whatever ``today`` the deadlines are read for)
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))
    sent = 0
    for user in User.objects.filter(is_active=True).select_related("town", "enterprise"):
        for item in todos_for(user, today=today):
            if item.due is None or item.due > today + dt.timedelta(days=DEADLINE_DAYS):
                continue
            title = f"期限临近：{item.title}（{item.count}件，{item.due.isoformat()}前）"
            if Notice.objects.filter(
                recipient=user, kind=Notice.Kind.DEADLINE, url=item.url, created_at__gte=start
            ).exists():
                continue
            sent += len(notice_send(recipients=[user], kind=Notice.Kind.DEADLINE, title=title, url=item.url))
    return sent
