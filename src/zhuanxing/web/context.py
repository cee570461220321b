"""Navigation per role, for the base template."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zhuanxing.accounts.access import has_role, is_official, is_staff_member
from zhuanxing.accounts.models import Role


def _registry_reader(user) -> bool:
    return is_official(user) or has_role(user, Role.ENTERPRISE)


def _applicant(user) -> bool:
    """An enterprise user (政策兑现 calls its list 我的申报; officials and reviewers see 申报审核)."""
    return has_role(user, Role.ENTERPRISE) and not is_official(user)


def _reviews_applications(user) -> bool:
    return is_official(user) or has_role(user, Role.REVIEWER)


# (label, url name, who sees it); labels are marked for makemessages and translated when shown.
NAVIGATION = [
    (gettext_noop("首页"), "web:home", lambda user: True),
    (gettext_noop("企业库"), "registry:enterprise_list", _registry_reader),
    (gettext_noop("亩均评价"), "evaluation:run_list", is_official),
    (gettext_noop("我的评价"), "evaluation:my_results", lambda user: has_role(user, Role.ENTERPRISE)),
    (gettext_noop("认定与四换"), "campaigns:index", _registry_reader),
    (gettext_noop("政策兑现"), "programs:policy_list", lambda user: True),
    (gettext_noop("我的申报"), "programs:application_list", _applicant),
    (gettext_noop("申报审核"), "programs:application_list", _reviews_applications),
    (gettext_noop("科技大市场"), "techmarket:home", lambda user: True),
    (gettext_noop("驾驶舱"), "dashboard:cockpit", is_staff_member),
    (gettext_noop("数据导入"), "imports:home", is_staff_member),
    (gettext_noop("审计记录"), "web:audit_log", is_staff_member),
]


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        for label, url_name, may_see in NAVIGATION:
            if may_see(user):
                url = reverse(url_name)
                active = request.path == url if url == "/" else request.path.startswith(url)
                items.append({"label": _(label), "url": url, "active": active})
    return {"nav_items": items, "district_name": settings.ZHUANXING_DISTRICT_NAME}
