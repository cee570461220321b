"""Who may see the map. The only place the map's permissions are decided."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from zhuanxing.accounts.access import has_role, is_staff_member, require
from zhuanxing.accounts.models import Role


def can_see_map(user) -> bool:
    """Staff and town officials (of a town) see the map; nobody else."""
    return is_staff_member(user) or (has_role(user, Role.TOWN) and bool(user.town_id))


def access_map(user) -> None:
    require(can_see_map(user), "您没有查看亩均地图的权限")


def visible_town_ids(user, wanted: int | None = None) -> list[int] | None:
    """The towns whose parcels ``user`` may see (None = every town). A town official always
    gets its own town; asking for another town is refused."""
    access_map(user)
    if is_staff_member(user):
        return None if wanted is None else [wanted]
    if wanted is not None and wanted != user.town_id:
        raise PermissionDenied("镇街用户只能查看本镇街的宗地")
    return [user.town_id]


def can_see_all_towns(user) -> bool:
    return is_staff_member(user)
