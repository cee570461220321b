"""Who may see the map. The only place the map's permissions are decided."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from zhuanxing.accounts.access import access_staff, has_role, is_staff_member, require
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


UPLOAD_SESSION_KEY = "map_shape_uploads"


def access_shape_import(user) -> None:
    """Importing parcel shapes is staff work, as every department import."""
    access_staff(user)


def access_shape_upload(request, sha256: str) -> dict:
    """This session's pending shape upload: {"file_name", "suffix", "crs"}; 404 otherwise."""
    from django.http import Http404

    access_shape_import(request.user)
    upload = request.session.get(UPLOAD_SESSION_KEY, {}).get(sha256)
    if upload is None:
        raise Http404("没有找到这次上传（可能已导入或已过期），请重新上传")
    return upload
