"""Who may open the district cockpit, the dossiers and the warnings. The only place these are decided."""

from __future__ import annotations

from django.http import Http404

from zhuanxing.accounts.access import is_staff_member, require
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
