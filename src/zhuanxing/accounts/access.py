"""Role checks shared by every app's own ``access.py``.

Each app decides its permissions in its ``access.py`` through these, so a rule
("town officials see their own town") is written once.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from zhuanxing.accounts.models import Role

STAFF_ROLES = frozenset({Role.ADMIN, Role.BUREAU})
OFFICIAL_ROLES = STAFF_ROLES | {Role.TOWN}


def is_authenticated(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def has_role(user, *roles: str) -> bool:
    if not is_authenticated(user):
        return False
    return user.is_superuser or user.role in roles


def is_staff_member(user) -> bool:
    """经信局 (and other bureau) staff and administrators."""
    return has_role(user, *STAFF_ROLES)


def is_official(user) -> bool:
    """Staff or a town official."""
    return has_role(user, *OFFICIAL_ROLES)


def enterprise_of(user) -> int | None:
    """The enterprise this user acts for: an enterprise user's own; None for everyone else
    (officials act for an enterprise only when a page names it). The one place this is decided."""
    if not has_role(user, Role.ENTERPRISE):
        return None
    return user.enterprise_id or None


def require(condition: bool, message: str = "您没有权限执行此操作") -> None:
    if not condition:
        raise PermissionDenied(message)


def access_staff(user) -> None:
    require(is_staff_member(user), "仅限经信局工作人员或系统管理员")


def access_official(user) -> None:
    require(is_official(user), "仅限政府工作人员")
