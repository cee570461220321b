"""Messages of the signed-in user."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from zhuanxing.notices import access, services

router = Router(tags=["消息中心"])


class NoticeOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read: bool


class NoticesOut(Schema):
    unread: int
    items: list[NoticeOut]


class ReadIn(Schema):
    ids: list[int] | None = None


class ReadOut(Schema):
    marked: int


@router.get("/", response=NoticesOut, summary="我的消息")
def notice_list(request, unread: bool = False):
    """The newest 50 messages (``unread=true``: only unread ones) and the unread count."""
    notices = access.notices_of(request.user)
    rows = notices.filter(read_at__isnull=True) if unread else notices
    return {
        "unread": notices.filter(read_at__isnull=True).count(),
        "items": [
            {
                "id": n.pk,
                "kind": n.kind,
                "title": n.title,
                "body": n.body,
                "url": n.url,
                "created_at": n.created_at,
                "read": n.read_at is not None,
            }
            for n in rows[:50]
        ],
    }


@router.post("/read", response=ReadOut, summary="标记已读")
def notice_mark_read(request, payload: ReadIn):
    """Mark the given messages read (all unread ones when ``ids`` is left out)."""
    return {"marked": services.notices_mark_read(actor=request.user, ids=payload.ids)}
