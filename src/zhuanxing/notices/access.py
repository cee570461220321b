"""Who reads which messages: each user only their own. The only place it is decided."""

from __future__ import annotations

from django.db.models import QuerySet

from zhuanxing.accounts.access import is_authenticated, require
from zhuanxing.notices.models import Notice


def may_read_notices(user) -> bool:
    return is_authenticated(user)


def notices_of(user) -> QuerySet:
    require(may_read_notices(user), "请先登录")
    return Notice.objects.filter(recipient=user)
