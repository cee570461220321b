"""Who may see and change which enterprises. The only place registry permissions are decided."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from zhuanxing.accounts.access import (
    access_staff,
    enterprise_of,
    has_role,
    is_official,
    is_staff_member,
    require,
)
from zhuanxing.accounts.models import Role
from zhuanxing.registry.models import Enterprise


def enterprises_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """Staff see every enterprise, a town official its town's, an enterprise user its own."""
    queryset = Enterprise.objects.all() if queryset is None else queryset
    if is_staff_member(user):
        return queryset
    if has_role(user, Role.TOWN) and user.town_id:
        return queryset.filter(town_id=user.town_id)
    if enterprise_of(user):
        return queryset.filter(pk=enterprise_of(user))
    return queryset.none()


def may_read_registry(user) -> bool:
    return is_official(user) or has_role(user, Role.ENTERPRISE)


def access_enterprise_list(user) -> None:
    require(may_read_registry(user), "您没有查看企业库的权限")


def access_enterprise_suggest(user) -> QuerySet:
    """The enterprises the picker may suggest to ``user``: those the user may see (an
    enterprise user only its own), so typing cannot reveal another enterprise."""
    access_enterprise_list(user)
    return enterprises_visible_to(user)


def access_enterprise_for_user(user, uscc: str) -> Enterprise:
    """The enterprise if ``user`` may see it; 404 when it does not exist or is not theirs
    (so an enterprise user cannot probe which codes exist)."""
    access_enterprise_list(user)
    try:
        return enterprises_visible_to(user).select_related("town", "industry").get(uscc=uscc)
    except Enterprise.DoesNotExist as exc:
        raise Http404("没有找到该企业") from exc


def access_enterprise_edit(user) -> None:
    access_staff(user)


def can_edit_enterprises(user) -> bool:
    return is_staff_member(user)
