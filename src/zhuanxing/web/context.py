"""Navigation per role, for the base template: each entry asks its app's access module whether
the user may open the page, so a menu never links to a page that answers 403."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zhuanxing.accounts.access import is_authenticated, is_staff_member
from zhuanxing.campaigns import access as campaigns_access
from zhuanxing.evaluation import access as evaluation_access
from zhuanxing.imports import access as imports_access
from zhuanxing.maps import access as maps_access
from zhuanxing.programs import access as programs_access
from zhuanxing.proposals import access as proposals_access
from zhuanxing.registry import access as registry_access
from zhuanxing.techmarket import access as techmarket_access


def _applicant(user) -> bool:
    """An enterprise user (政策兑现 calls its list 我的申报; officials and reviewers see 申报审核)."""
    return programs_access.may_list_applications(user) and programs_access.applies_as_enterprise(user)


def _reviews_applications(user) -> bool:
    return programs_access.may_list_applications(user) and not programs_access.applies_as_enterprise(user)


# (label, url name, who may open it); labels are marked for makemessages and translated when shown.
NAVIGATION = [
    (gettext_noop("首页"), "web:home", is_authenticated),
    (gettext_noop("企业库"), "registry:enterprise_list", registry_access.may_read_registry),
    (gettext_noop("亩均评价"), "evaluation:run_list", evaluation_access.may_list_runs),
    (gettext_noop("我的评价"), "evaluation:my_results", evaluation_access.may_see_my_results),
    (gettext_noop("认定与四换"), "campaigns:index", campaigns_access.may_open_campaigns),
    (gettext_noop("政策兑现"), "programs:policy_list", is_authenticated),
    (gettext_noop("我的申报"), "programs:application_list", _applicant),
    (gettext_noop("申报审核"), "programs:application_list", _reviews_applications),
    (gettext_noop("科技大市场"), "techmarket:home", is_authenticated),
    (gettext_noop("提案建议"), "proposals:overview", proposals_access.may_see_overview),
    (gettext_noop("我的提案建议"), "proposals:mine", proposals_access.is_proposer),
    (gettext_noop("驾驶舱"), "dashboard:cockpit", is_staff_member),
    (gettext_noop("亩均地图"), "maps:map", maps_access.can_see_map),
    (gettext_noop("数据导入"), "imports:home", imports_access.may_import),
    (gettext_noop("审计记录"), "web:audit_log", is_staff_member),
]

# the pages inside an app's own menu (``may.<name>`` in templates)
PAGES = {
    "techmarket_contracts": techmarket_access.may_see_contracts,
    "techmarket_consultations": techmarket_access.may_see_consultations,
}


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    items = []
    may = {}
    if user is not None and user.is_authenticated:
        for label, url_name, may_open in NAVIGATION:
            if may_open(user):
                url = reverse(url_name)
                active = request.path == url if url == "/" else request.path.startswith(url)
                items.append({"label": _(label), "url": url, "active": active})
        may = {name: predicate(user) for name, predicate in PAGES.items()}
    return {"nav_items": items, "may": may, "district_name": settings.ZHUANXING_DISTRICT_NAME}
