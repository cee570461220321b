"""Who may see and keep which campaign records. The only place campaign permissions are decided.

Staff see and keep every record. A town official sees its town's records (and the district-wide
lists such as training classes and targets) and keeps those of its town. An enterprise user sees
its own enterprise's records and changes none. Records naming people (talent) are staff only.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from zhuanxing.accounts.access import access_staff, has_role, is_official, is_staff_member, require
from zhuanxing.accounts.models import Role
from zhuanxing.campaigns.records import RecordSpec


def may_open_campaigns(user) -> bool:
    return is_official(user) or has_role(user, Role.ENTERPRISE)


def access_campaigns(user) -> None:
    require(may_open_campaigns(user), "您没有查看认定与四换台账的权限")


def may_read(user, spec: RecordSpec) -> bool:
    if is_staff_member(user):
        return True
    if spec.personal:
        return False
    if has_role(user, Role.TOWN):
        return True
    return has_role(user, Role.ENTERPRISE) and spec.enterprise_path is not None


def access_list(user, spec: RecordSpec) -> None:
    access_campaigns(user)
    require(
        may_read(user, spec),
        "含个人信息的名单仅限经信局工作人员查看" if spec.personal else "您没有查看该台账的权限",
    )


def records_visible_to(user, spec: RecordSpec, queryset: QuerySet | None = None) -> QuerySet:
    queryset = spec.model.objects.all() if queryset is None else queryset
    if is_staff_member(user):
        return queryset
    if not may_read(user, spec):
        return queryset.none()
    if has_role(user, Role.TOWN):
        if spec.town_path is None:
            return queryset  # a district-wide list
        return queryset.filter(**{spec.town_path: user.town_id}) if user.town_id else queryset.none()
    if user.enterprise_id:
        return queryset.filter(**{spec.enterprise_path: user.enterprise_id})
    return queryset.none()


def may_create(user, spec: RecordSpec) -> bool:
    if is_staff_member(user):
        return True
    return bool(
        has_role(user, Role.TOWN)
        and user.town_id
        and spec.town_editable
        and spec.town_path
        and not spec.personal
    )


def record_town_id(spec: RecordSpec, record) -> int | None:
    """The town of a record, following ``spec.town_path`` through the (unsaved) objects."""
    if spec.town_path is None:
        return None
    *steps, last = spec.town_path.split("__")
    for step in steps:
        record = getattr(record, step, None)
        if record is None:
            return None
    return getattr(record, f"{last}_id", None)


def may_edit(user, spec: RecordSpec, record) -> bool:
    if is_staff_member(user):
        return True
    return may_create(user, spec) and record_town_id(spec, record) == user.town_id


def access_create(user, spec: RecordSpec) -> None:
    access_list(user, spec)
    require(may_create(user, spec), "仅限经信局工作人员或本镇街工作人员登记")


def access_record(user, spec: RecordSpec, pk: int):
    """The record if ``user`` may see it; 404 when it does not exist or is not theirs."""
    access_list(user, spec)
    record = records_visible_to(user, spec).filter(pk=pk).first()
    if record is None:
        raise Http404("没有找到该记录")
    return record


def access_record_edit(user, spec: RecordSpec, pk: int):
    record = access_record(user, spec, pk)
    require(may_edit(user, spec, record), "只能修改本镇街企业的记录")
    return record


def access_write(user, spec: RecordSpec, record) -> None:
    """A record as it will be saved must stay within what ``user`` keeps (a town official
    cannot move a record to another town's enterprise)."""
    require(may_edit(user, spec, record), "只能登记本镇街企业的记录")


def may_see_summary(user) -> bool:
    return is_staff_member(user)


def access_summary(user) -> None:
    access_staff(user)


def access_promotions(user) -> None:
    access_staff(user)
