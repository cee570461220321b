"""The 政策兑现 application workflow, declared once (see ``zhuanxing.workflow``).

The buttons of the application page, the statistics' stages, the overdue list, the home page's
to-dos and the messages all read this table. Actions that do not move the state (edit, assign a
reviewer, review, recuse) are in ``access.STEP_ACTIONS``.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_noop as _

from zhuanxing import workflow
from zhuanxing.programs import access
from zhuanxing.programs.models import Application, ReviewAssignment
from zhuanxing.workdays import add_working_days

S = Application.State
APPROVAL_DAYS = 5  # working days after the notice ends to 核定
REVIEW = (S.SUBMITTED, S.BUREAU_REVIEW, S.EXPERT_REVIEW)


def _after_notice(application: Application, today):
    return add_working_days(application.notice_until, APPROVAL_DAYS)


def _recipients(application: Application, row: workflow.Transition, actor):
    """The enterprise's users hear of every move of their application."""
    from zhuanxing.accounts.models import User

    return User.objects.filter(enterprise_id=application.enterprise_id, is_active=True)


def _url(application: Application, user) -> str:
    return reverse("programs:application_detail", args=[application.pk])


def _list_url(user, states) -> str:
    return reverse("programs:application_list") + "?" + urlencode({"state": states[0]})


T = workflow.Transition


def _at_town_and_bureau(action, label, to_state, *, bureau_from, **options):
    """A sending-back move the town may make at 初审 and the bureau at its later stages:
    two rows alike but for who acts and from where."""
    common = dict(reason_required=True, todo=False, **options)
    return (
        T(action, label, (S.SUBMITTED,), (to_state,), access.may_review_at_town, **common),
        T(action, label, bureau_from, (to_state,), access.may_handle_as_staff, **common),
    )


APPLICATION = workflow.register(
    workflow.Workflow(
        key="programs.application",
        label=_("政策兑现申报"),
        model=Application,
        since_field="state_since",
        deadline_field="deadline",
        audit_prefix="申报",
        related=("policy", "enterprise__town"),
        authorize=access.access_transition,
        visible=access.applications_visible_to,
        url=_url,
        list_url=_list_url,
        recipients=_recipients,
        transitions=(
            T(
                "submit",
                _("提交申报"),
                (S.DRAFT, S.RETURNED),
                (S.SUBMITTED,),
                access.may_act_for_application,
                todo_label=_("待提交（草稿或退回补正）"),
                todo_for=access.is_own_application,
                stamps=("submitted_at", "bank_confirmed_at"),
                deadline_days=5,
                audit="提交",
            ),
            T(
                "pass",
                _("初审通过"),
                (S.SUBMITTED,),
                (S.BUREAU_REVIEW,),
                access.may_review_at_town,
                todo_label=_("待镇街初审"),
                todo_for=access.is_town_of,
                stamps=("town_reviewed_at",),
                deadline_days=10,
                audit="镇街初审通过",
                stage="镇街初审",
                stage_start="submitted_at",
            ),
            T(
                "pass",
                _("审核通过"),
                (S.BUREAU_REVIEW,),
                (S.EXPERT_REVIEW, S.NOTICE),
                access.may_handle_as_staff,
                todo_label=_("待部门审核"),
                stamps=("bureau_reviewed_at",),
                deadline_days={S.EXPERT_REVIEW: 15, S.NOTICE: _after_notice},
                audit="部门审核通过",
                stage="部门审核",
                stage_start="town_reviewed_at",
            ),
            T(
                "pass",
                _("评审通过，进入公示"),
                (S.EXPERT_REVIEW,),
                (S.NOTICE,),
                access.may_handle_as_staff,
                todo_label=_("专家评审完成后待确认"),
                stamps=("expert_reviewed_at",),
                deadline_days={S.NOTICE: _after_notice},
                audit="专家评审通过",
                stage="专家评审",
                stage_start="bureau_reviewed_at",
            ),
            *_at_town_and_bureau(
                "return",
                _("退回补正"),
                S.RETURNED,
                confirm=_("退回后由企业补正再提交。确定退回？"),
                deadline_days=10,
                bureau_from=(S.BUREAU_REVIEW, S.EXPERT_REVIEW),
            ),
            *_at_town_and_bureau(
                "reject",
                _("不予支持"),
                S.REJECTED,
                confirm=_("不予支持后申报即结束，不可恢复。确定？"),
                bureau_from=(S.BUREAU_REVIEW, S.EXPERT_REVIEW, S.NOTICE),
            ),
            T(
                "reject",
                _("不予确认"),
                (S.PROPOSED,),
                (S.REJECTED,),
                access.may_handle_as_staff,
                reason_required=True,
                confirm=_("不予确认后该免申即享建议即结束，不可恢复。确定？"),
                audit="不予支持",
                todo=False,
            ),
            T(
                "approve",
                _("核定"),
                (S.NOTICE,),
                (S.APPROVED,),
                access.may_handle_as_staff,
                todo_label=_("公示结束后待核定"),
                stamps=("approved_at",),
                deadline_days=20,
                stage="公示与核定",
                stage_start="review_done_at",
            ),
            T(
                "approve",
                _("确认免申即享"),
                (S.PROPOSED,),
                (S.CONFIRMING, S.APPROVED),
                access.may_handle_as_staff,
                todo_label=_("免申即享建议待确认"),
                stamps=("approved_at",),
                deadline_days={S.CONFIRMING: 10, S.APPROVED: 20},
            ),
            T(
                "confirm_bank",
                _("确认收款账户"),
                (S.CONFIRMING,),
                (S.APPROVED,),
                access.may_act_for_application,
                todo_label=_("待确认收款账户"),
                todo_for=access.is_own_application,
                stamps=("bank_confirmed_at",),
                deadline_days=20,
            ),
            T(
                "pay",
                _("登记拨付"),
                (S.APPROVED, S.PAYING),
                (S.PAYING, S.PAID),
                access.may_handle_as_staff,
                todo_label=_("待拨付"),
                deadline_days={S.PAYING: 60},
                stage="拨付",
                stage_start="approved_at",
                stage_end="paid_at",  # set by the service when the last instalment is paid
            ),
        ),
    )
)


def _own_reviews(user):
    return ReviewAssignment.objects.filter(reviewer_id=user.pk)


def _review_url(assignment: ReviewAssignment, user) -> str:
    return reverse("programs:application_detail", args=[assignment.application_id])


def _is_the_reviewer(user, assignment: ReviewAssignment) -> bool:
    return assignment.reviewer_id == user.pk


RA = ReviewAssignment.State
# A reviewer's assignments (``services.review_submit`` and ``review_recuse`` make the moves); declared
# so that an assignment waiting for its opinion is the reviewer's to-do.
REVIEW_ASSIGNMENT = workflow.register(
    workflow.Workflow(
        key="programs.review",
        label=_("专家评审"),
        model=ReviewAssignment,
        waiting_field="assigned_at",
        related=("application",),
        visible=_own_reviews,
        url=_review_url,
        transitions=(
            T("review", _("评审"), (RA.ASSIGNED,), (RA.DONE,), _is_the_reviewer, todo_label=_("待评审")),
            T("recuse", _("回避"), (RA.ASSIGNED,), (RA.RECUSED,), _is_the_reviewer, todo=False),
        ),
    )
)
