"""The evaluation's workflows, declared once (see ``zhuanxing.workflow``): a run from 草稿 through
公示 to 定档, and an enterprise's objection from 待处理 to 已采纳 or 不予采纳."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_noop as _

from zhuanxing import workflow
from zhuanxing.evaluation import access
from zhuanxing.evaluation.models import EvaluationRun, Objection

R = EvaluationRun.State
O = Objection.State  # noqa: E741
T = workflow.Transition


def _run_url(run: EvaluationRun, user) -> str:
    return reverse("evaluation:run_detail", args=[run.pk])


def _objection_url(objection: Objection, user) -> str:
    if access.can_manage(user):
        return reverse("evaluation:objection_list")
    return reverse("evaluation:report_card", args=[objection.result_id])


def _objection_recipients(objection: Objection, row: workflow.Transition, actor):
    return [objection.submitted_by] if objection.submitted_by_id else []


RUN = workflow.register(
    workflow.Workflow(
        key="evaluation.run",
        label=_("亩均评价"),
        model=EvaluationRun,
        visible=access.staff_runs,
        url=_run_url,
        transitions=(
            T(
                "publish",
                _("开始公示"),
                (R.DRAFT,),
                (R.PUBLISHED,),
                access.may_manage_run,
                stamps=("published_at",),
                confirm=_("公示后评价结果对企业可见，不能再删除。确定开始公示？"),
                audit="评价状态变更",
                todo=False,  # a draft may wait: staff decide when to publish
            ),
            T(
                "finalize",
                _("定档"),
                (R.PUBLISHED,),
                (R.FINAL,),
                access.may_manage_run,
                stamps=("finalized_at",),
                confirm=_("定档后等级不再随数据变化，只能调档。确定定档？"),
                audit="评价状态变更",
                todo=False,  # due when the notice ends: the to-do lists those ending within 3 days
            ),
        ),
    )
)

OBJECTION = workflow.register(
    workflow.Workflow(
        key="evaluation.objection",
        label=_("评价异议"),
        model=Objection,
        visible=access.objections_visible_to,
        url=_objection_url,
        related=("result__run", "result__enterprise"),
        waiting_field="submitted_at",
        recipients=_objection_recipients,
        transitions=(
            T(
                "accept",
                _("采纳"),
                (O.OPEN,),
                (O.ACCEPTED,),
                access.may_decide_objection,
                stamps=("handled_at",),
                audit="处理异议",
            ),
            T(
                "reject",
                _("不予采纳"),
                (O.OPEN,),
                (O.REJECTED,),
                access.may_decide_objection,
                stamps=("handled_at",),
                audit="处理异议",
                todo=False,  # the same decision as 采纳: listed once
            ),
        ),
    )
)
