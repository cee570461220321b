"""Who may open the district cockpit, the dossiers and the warnings. The only place these are decided."""

from __future__ import annotations

from zhuanxing.accounts.access import is_staff_member, require


def may_see_cockpit(user) -> bool:
    return is_staff_member(user)


def access_cockpit(user) -> None:
    require(may_see_cockpit(user), "驾驶舱仅限经信局工作人员查看")
