"""Who may see and do what in the evaluation. The only place its permissions are decided."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from zhuanxing.accounts.access import (
    access_official,
    access_staff,
    enterprise_of,
    has_role,
    is_official,
    is_staff_member,
    require,
)
from zhuanxing.accounts.models import Role
from zhuanxing.evaluation.models import EvaluationResult, EvaluationRun, Objection

VISIBLE_TO_ENTERPRISES = (EvaluationRun.State.PUBLISHED, EvaluationRun.State.FINAL)


def runs_visible_to(user) -> QuerySet:
    """Staff see drafts too; town officials the published and final runs."""
    access_official(user)
    runs = EvaluationRun.objects.all()
    return runs if is_staff_member(user) else runs.filter(state__in=VISIBLE_TO_ENTERPRISES)


def access_run(user, run_id: int) -> EvaluationRun:
    try:
        return runs_visible_to(user).get(pk=run_id)
    except EvaluationRun.DoesNotExist as exc:
        raise Http404("没有找到该评价") from exc


def results_visible_to(user, run: EvaluationRun) -> QuerySet:
    """A town official sees its town's enterprises; staff see all."""
    results = run.results.all()
    if is_staff_member(user):
        return results
    if has_role(user, Role.TOWN) and user.town_id:
        return results.filter(enterprise__town_id=user.town_id)
    return results.none()


def access_result(user, result_id: int) -> EvaluationResult:
    """Staff: any result; a town official: its town's, published or final; an enterprise
    user: its own, published or final. Anything else is not found."""
    queryset = EvaluationResult.objects.select_related("run", "enterprise__town", "enterprise__industry")
    if is_staff_member(user):
        pass
    elif has_role(user, Role.TOWN) and user.town_id:
        queryset = queryset.filter(enterprise__town_id=user.town_id, run__state__in=VISIBLE_TO_ENTERPRISES)
    elif has_role(user, Role.ENTERPRISE) and user.enterprise_id:
        queryset = queryset.filter(enterprise_id=user.enterprise_id, run__state__in=VISIBLE_TO_ENTERPRISES)
    else:
        require(False, "您没有查看评价结果的权限")
    try:
        return queryset.get(pk=result_id)
    except EvaluationResult.DoesNotExist as exc:
        raise Http404("没有找到该评价结果") from exc


def may_see_my_results(user) -> bool:
    return enterprise_of(user) is not None


def access_my_results(user) -> None:
    require(may_see_my_results(user), "仅限企业用户")


def may_list_runs(user) -> bool:
    return is_official(user)


def is_own_result(user, result: EvaluationResult) -> bool:
    return enterprise_of(user) is not None and enterprise_of(user) == result.enterprise_id


def in_notice_period(run: EvaluationRun, today: dt.date | None = None) -> bool:
    """公示中 and the notice's end date not yet passed."""
    today = today or timezone.localdate()
    return run.state == EvaluationRun.State.PUBLISHED and not (
        run.publish_until and today > run.publish_until
    )


def may_object(user, result: EvaluationResult, today: dt.date | None = None) -> bool:
    """The enterprise itself, while its result is on public notice (the button and the service)."""
    return is_own_result(user, result) and in_notice_period(result.run, today)


def access_object(user, result: EvaluationResult) -> None:
    """Only the enterprise itself objects to its own result."""
    require(is_own_result(user, result), "只能对本企业的结果提出异议")


def access_manage(user) -> None:
    """Create, publish, finalize, re-run, re-grade, answer objections, record flags."""
    access_staff(user)


def can_manage(user) -> bool:
    return is_staff_member(user)


def may_manage_run(user, run: EvaluationRun) -> bool:
    """公示 and 定档 (the workflow's predicate)."""
    return is_staff_member(user)


def may_decide_objection(user, objection: Objection) -> bool:
    return is_staff_member(user)


def objections_visible_to(user) -> QuerySet:
    """Staff handle every objection; an enterprise user sees its own."""
    objections = Objection.objects.select_related("result__run", "result__enterprise")
    if is_staff_member(user):
        return objections
    if has_role(user, Role.ENTERPRISE) and user.enterprise_id:
        return objections.filter(result__enterprise_id=user.enterprise_id)
    return objections.none()


def staff_runs(user) -> QuerySet:
    """The runs whose workflow steps ``user`` may see (for the to-dos): staff only."""
    return EvaluationRun.objects.all() if is_staff_member(user) else EvaluationRun.objects.none()


def access_objection_for_staff(user, objection_id: int) -> Objection:
    access_staff(user)
    try:
        return Objection.objects.select_related("result__run", "result__enterprise").get(pk=objection_id)
    except Objection.DoesNotExist as exc:
        raise Http404("没有找到该异议") from exc


def access_objection_evidence(user, objection_id: int) -> Objection:
    """The evidence file of an objection: for the staff who decide it and the enterprise that
    sent it; 404 when there is none."""
    objection = objections_visible_to(user).filter(pk=objection_id).first()
    if objection is None:
        if not is_staff_member(user) and not has_role(user, Role.ENTERPRISE):
            raise PermissionDenied("仅限处理异议的工作人员和提出异议的企业")
        raise Http404("没有找到该异议")
    if not objection.attachment:
        raise Http404("该异议没有证明材料")
    return objection


def access_analysis(user) -> None:
    require(is_official(user), "仅限政府工作人员")
