"""科技大市场's workflows, declared once (see ``zhuanxing.workflow``): a match from 推荐 to 签约
(the invitation pipeline) and a 外脑 consultation from 已申请 to 已评价."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_noop as _

from zhuanxing import workflow
from zhuanxing.techmarket import access
from zhuanxing.techmarket.models import Challenge, Consultation, Match

Stage = Match.Stage
C = Consultation.State
T = workflow.Transition


def _match_url(match: Match, user) -> str:
    if access.is_demand_party(user, match.demand):
        return reverse("techmarket:demand_detail", args=[match.demand_id])
    return reverse("techmarket:invitations")


def _match_recipients(match: Match, row: workflow.Transition, actor):
    """An invitation is told to the invitee; its answer and later steps to the posting enterprise."""
    from zhuanxing.accounts.models import User

    if row.action == "invite":
        return [user for user in [match.expert.user if match.expert_id else None] if user is not None]
    return User.objects.filter(enterprise_id=match.demand.enterprise_id, is_active=True)


MATCH = workflow.register(
    workflow.Workflow(
        key="techmarket.match",
        label=_("技术需求邀请"),
        model=Match,
        state_field="stage",
        since_field="stage_changed_at",
        state_noun="阶段",
        related=("demand__enterprise", "expert"),
        visible=access.matches_of,
        url=_match_url,
        recipients=_match_recipients,
        notice_kind="invitation",
        transitions=(
            T(
                "invite",
                _("邀请"),
                (Stage.RECOMMENDED,),
                (Stage.INVITED,),
                access.may_invite,
                stamps=("invited_at",),
                audit="匹配阶段变更",
                todo=False,
            ),
            T(
                "accept",
                _("接受邀请"),
                (Stage.INVITED,),
                (Stage.ACCEPTED,),
                access.may_answer,
                stamps=("answered_at",),
                audit="匹配阶段变更",
                todo_for=access.is_invitee,  # staff may record an answer; answering is the invitee's
            ),
            T(
                "decline",
                _("婉拒"),
                (Stage.INVITED,),
                (Stage.DECLINED,),
                access.may_answer,
                stamps=("answered_at",),
                audit="匹配阶段变更",
                todo=False,
            ),
            T(
                "negotiate",
                _("进入洽谈"),
                (Stage.ACCEPTED,),
                (Stage.NEGOTIATING,),
                access.may_take_part,
                stamps=("negotiating_at",),
                audit="匹配阶段变更",
                todo=False,
            ),
            T(
                "sign",
                _("签约"),
                (Stage.ACCEPTED, Stage.NEGOTIATING),
                (Stage.SIGNED,),
                access.may_take_part,
                stamps=("closed_at",),
                audit="匹配阶段变更",
                todo=False,
            ),
            T(
                "terminate",
                _("终止"),
                (Stage.INVITED, Stage.ACCEPTED, Stage.NEGOTIATING),
                (Stage.TERMINATED,),
                access.may_take_part,
                stamps=("closed_at",),
                audit="匹配阶段变更",
                todo=False,
                confirm=_("终止后该对接结束，不可恢复。确定终止？"),
            ),
        ),
    )
)


def _consultation_url(consultation: Consultation, user) -> str:
    return reverse("techmarket:consultation_detail", args=[consultation.pk])


CONSULTATION = workflow.register(
    workflow.Workflow(
        key="techmarket.consultation",
        label=_("外脑诊断"),
        model=Consultation,
        state_noun="诊断状态",
        waiting_field="requested_at",
        visible=access.consultations_visible_to,
        url=_consultation_url,
        transitions=(
            T(
                "assign",
                _("派专家组"),
                (C.REQUESTED, C.ASSIGNED),
                (C.ASSIGNED,),
                access.may_manage_consultation,
                stamps=("assigned_at",),
                audit="外脑派专家",
            ),
            T(
                "report",
                _("提交诊断报告"),
                (C.ASSIGNED, C.REPORTED),
                (C.REPORTED,),
                access.may_manage_consultation,
                stamps=("reported_at",),
                audit="外脑诊断报告",
            ),
            T(
                "rate",
                _("评价服务"),
                (C.REPORTED, C.RATED),
                (C.RATED,),
                access.may_rate,
                stamps=("rated_at",),
                audit="外脑服务评价",
            ),
        ),
    )
)


def _challenge_url(challenge: Challenge, user) -> str:
    return reverse("techmarket:challenge_detail", args=[challenge.pk])


H = Challenge.State
CHALLENGE = workflow.register(
    workflow.Workflow(
        key="techmarket.challenge",
        label=_("揭榜挂帅"),
        model=Challenge,
        since_field="state_since",
        state_noun="榜单状态",
        related=("demand",),
        visible=access.challenges_managed_by,
        url=_challenge_url,
        transitions=(
            T(
                "review",
                _("截止征集，开始评审"),
                (H.OPEN,),
                (H.REVIEW,),
                access.may_manage_challenge,
                stamps=("reviewed_at",),
                audit="揭榜挂帅开始评审",
                confirm=_("截止后不再接收方案，确定开始评审？"),
            ),
            T(
                "award",
                _("公布揭榜结果"),
                (H.REVIEW,),
                (H.AWARDED,),
                access.may_manage_challenge,
                stamps=("announced_at",),
                audit="揭榜挂帅公布结果",
                confirm=_("公布后揭榜方与奖励合同确定，不可更改。确定公布？"),
            ),
            T(
                "fail",
                _("无人揭榜"),
                (H.OPEN, H.REVIEW),
                (H.FAILED,),
                access.may_manage_challenge,
                stamps=("announced_at",),
                reason_required=True,
                audit="揭榜挂帅未揭榜",
                todo=False,
            ),
        ),
    )
)
