"""Who may open the district cockpit, the dossiers and the warnings. The only place these are decided."""

from __future__ import annotations

from django.http import Http404

from zhuanxing.accounts.access import has_role, is_official, is_staff_member, require
from zhuanxing.accounts.models import Role
from zhuanxing.dashboard.models import EnterpriseWarning
from zhuanxing.registry.access import access_enterprise_list, enterprises_visible_to
from zhuanxing.registry.models import Enterprise


def may_see_cockpit(user) -> bool:
    return is_staff_member(user)


def access_cockpit(user) -> None:
    require(may_see_cockpit(user), "驾驶舱仅限经信局工作人员查看")


def access_dossier(user, enterprise_id: int):
    """The enterprise if ``user`` may read its dossier: the registry's visibility (staff every
    enterprise, a town official its town's, an enterprise user its own); 404 otherwise, so that
    nobody probes which enterprises exist."""
    access_enterprise_list(user)
    try:
        return enterprises_visible_to(user).select_related("town").get(pk=enterprise_id)
    except Enterprise.DoesNotExist as exc:
        raise Http404("没有找到该企业") from exc


def warnings_visible_to(user, queryset=None):
    """Staff see every warning, a town official its town's; nobody else (warnings are internal)."""
    queryset = EnterpriseWarning.objects.all() if queryset is None else queryset
    if is_staff_member(user):
        return queryset
    if has_role(user, Role.TOWN) and user.town_id:
        return queryset.filter(enterprise__town_id=user.town_id)
    return queryset.none()


def access_warnings(user) -> None:
    require(is_official(user), "预警仅限经信局和镇街工作人员查看")


def access_warning(user, warning_id: int):
    access_warnings(user)
    found = warnings_visible_to(user).filter(pk=warning_id).select_related("enterprise").first()
    if found is None:
        raise Http404("没有找到该预警")
    return found


def may_edit_warning_rules(user) -> bool:
    return is_staff_member(user)


def access_warning_rules(user) -> None:
    require(may_edit_warning_rules(user), "预警规则仅限经信局工作人员修改")
