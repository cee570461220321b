"""Who may see and do what in the technology market. The only place its permissions are decided.

- Every signed-in user may browse the listed demands (公开 and 摘要公开, open and in date) and the
  experts, achievements and institutions, without contact details.
- A demand's full text and its matches: staff, the posting enterprise's users, and (their own match
  only) a candidate invited to it. A 仅受邀可见 demand is not found for anybody else. A town official
  reads its town's demands.
- An expert's contact details: staff, the expert, and users of an enterprise whose demand the expert
  accepted.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from zhuanxing.accounts.access import (
    access_official,
    access_staff,
    enterprise_of,
    has_role,
    is_authenticated,
    is_official,
    is_staff_member,
    require,
)
from zhuanxing.accounts.models import Role
from zhuanxing.techmarket.models import (
    Broker,
    Consultation,
    Contract,
    Demand,
    Event,
    EventPair,
    Expert,
    Institution,
    Match,
)

CONTACT_STAGES = (Match.Stage.ACCEPTED, Match.Stage.NEGOTIATING, Match.Stage.SIGNED)


def _get(queryset: QuerySet, pk: int, what: str):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(f"没有找到该{what}") from exc


def expert_of(user) -> Expert | None:
    if not has_role(user, Role.EXPERT):
        return None
    return Expert.objects.filter(user=user).select_related("institution").first()


def institution_of(user) -> Institution | None:
    """The institution whose invitations this user answers (its contact window)."""
    if not has_role(user, Role.EXPERT):
        return None
    return Institution.objects.filter(contact_user=user).first()


def answered_by(user) -> Q:
    """Matches this user answers: as the expert, as an achievement's owner, or as an institution's window."""
    return (
        Q(expert__user=user)
        | Q(achievement__expert__user=user)
        | Q(achievement__expert__isnull=True, achievement__institution__contact_user=user)
        | Q(institution__contact_user=user)
    )


def _invited_to(user) -> Q:
    return Q(matches__in=Match.objects.filter(answered_by(user)).exclude(stage=Match.Stage.RECOMMENDED))


def listed_demands() -> Q:
    return Q(
        state=Demand.State.OPEN,
        valid_until__gte=timezone.localdate(),
        confidentiality__in=[Demand.Confidentiality.PUBLIC, Demand.Confidentiality.SUMMARY],
    )


def demands_visible_to(user) -> QuerySet:
    require(is_authenticated(user), "请先登录")
    demands = Demand.objects.all()
    if is_staff_member(user):
        return demands
    seen = listed_demands()
    if enterprise_of(user):
        seen |= Q(enterprise_id=user.enterprise_id)
    elif has_role(user, Role.TOWN) and user.town_id:
        seen |= Q(enterprise__town_id=user.town_id)
    elif has_role(user, Role.EXPERT):
        seen |= _invited_to(user)
    return demands.filter(seen).distinct()


def access_demand(user, demand_id: int) -> Demand:
    return _get(demands_visible_to(user).select_related("enterprise", "posted_by"), demand_id, "需求")


def is_demand_party(user, demand: Demand) -> bool:
    """Staff and the posting enterprise: they see every match and invite candidates."""
    return is_staff_member(user) or (
        enterprise_of(user) is not None and enterprise_of(user) == demand.enterprise_id
    )


def can_read_full(user, demand: Demand) -> bool:
    if demand.confidentiality == Demand.Confidentiality.PUBLIC or is_demand_party(user, demand):
        return True
    if has_role(user, Role.TOWN) and user.town_id == demand.enterprise.town_id:
        return True
    return demand.matches.filter(answered_by(user)).exclude(stage=Match.Stage.RECOMMENDED).exists()


def matches_visible_to(user, demand: Demand) -> QuerySet:
    matches = demand.matches.all()
    if is_demand_party(user, demand) or (
        has_role(user, Role.TOWN) and user.town_id == demand.enterprise.town_id
    ):
        return matches
    return matches.filter(answered_by(user)).exclude(stage=Match.Stage.RECOMMENDED)


def access_post_demand(user) -> int | None:
    """Enterprise users post for their enterprise; staff post on an enterprise's behalf (None)."""
    if is_staff_member(user):
        return None
    require(enterprise_of(user) is not None, "仅限企业用户发布技术需求")
    return user.enterprise_id


def access_manage_demand(user, demand: Demand) -> None:
    require(is_demand_party(user, demand), "只有发布企业和工作人员可以处理该需求")


def access_match(user, match_id: int) -> Match:
    match = _get(
        Match.objects.select_related("demand__enterprise", "expert", "achievement", "institution"),
        match_id,
        "匹配",
    )
    if is_demand_party(user, match.demand) or Match.objects.filter(answered_by(user), pk=match.pk).exists():
        return match
    raise Http404("没有找到该匹配")


def access_invite(user, match: Match) -> None:
    require(may_invite(user, match), "只有发布企业和工作人员可以邀请")


def invitable_demands(user) -> QuerySet:
    """The open demands this user may invite candidates to from anywhere: staff all, an enterprise
    user its own enterprise's."""
    demands = Demand.objects.filter(state=Demand.State.OPEN).select_related("enterprise")
    if is_staff_member(user):
        return demands
    if enterprise_of(user) is not None:
        return demands.filter(enterprise_id=user.enterprise_id)
    return demands.none()


def access_invite_direct(user, demand_id) -> Demand:
    """Invite from a profile page or search results: the demand must be one the user may invite to."""
    return _get(invitable_demands(user), demand_id, "可邀请的需求")


def access_offer(user, demand: Demand) -> Expert:
    """An expert with a profile may say 我能解决 about a demand they can see."""
    expert = expert_of(user)
    require(expert is not None, "仅限已建档的专家提出「我能解决」")
    return expert


def offers_visible_to(user, demand: Demand) -> QuerySet:
    offers = demand.offers.select_related("expert__institution")
    if is_demand_party(user, demand) or (
        has_role(user, Role.TOWN) and user.town_id == demand.enterprise.town_id
    ):
        return offers
    return offers.filter(expert__user=user) if is_authenticated(user) else offers.none()


def access_answer(user, match: Match) -> None:
    require(may_answer(user, match), "只有受邀方可以答复邀请")


def can_see_contact(user, expert: Expert) -> bool:
    if is_staff_member(user) or (expert.user_id and expert.user_id == getattr(user, "pk", None)):
        return True
    enterprise_id = enterprise_of(user)
    return bool(
        enterprise_id
        and Match.objects.filter(
            expert=expert, demand__enterprise_id=enterprise_id, stage__in=CONTACT_STAGES
        ).exists()
    )


def access_profile_demands(user) -> Expert | Institution:
    """Experts and institution windows see the demands that suit their profile."""
    profile = expert_of(user) or institution_of(user)
    require(profile is not None, "仅限已建档的专家或机构联系人")
    return profile


def access_browse(user) -> None:
    require(is_authenticated(user), "请先登录")


def access_manage(user) -> None:
    """Keep profiles, events, contracts, the vocabulary; see reminders."""
    access_staff(user)


def can_manage(user) -> bool:
    return is_staff_member(user)


def access_statistics(user) -> None:
    access_official(user)


def may_see_contracts(user) -> bool:
    return is_official(user) or enterprise_of(user) is not None


def may_see_consultations(user) -> bool:
    return is_staff_member(user) or enterprise_of(user) is not None or has_role(user, Role.EXPERT)


def contracts_visible_to(user) -> QuerySet:
    contracts = Contract.objects.all()
    if is_official(user):
        return contracts
    require(may_see_contracts(user), "仅限政府工作人员和企业用户")
    return contracts.filter(buyer_enterprise_id=user.enterprise_id)


def access_contract(user, contract_id: int) -> Contract:
    return _get(contracts_visible_to(user), contract_id, "合同")


def access_event(user, event_id: int) -> Event:
    access_browse(user)
    return _get(Event.objects.select_related("partner"), event_id, "活动")


def pairs_visible_to(user, event: Event) -> QuerySet:
    pairs = event.pairs.select_related("demand__enterprise", "expert")
    if is_staff_member(user):
        return pairs
    return pairs.filter(Q(demand__enterprise_id=enterprise_of(user) or 0) | Q(expert__user=user))


def access_register(user) -> tuple[int | None, Expert | None]:
    """An enterprise user registers its enterprise, an expert registers themself."""
    enterprise_id, expert = enterprise_of(user), expert_of(user)
    require(enterprise_id is not None or expert is not None, "仅限企业用户和已建档的专家报名")
    return enterprise_id, expert


def access_pair(user, pair_id: int) -> EventPair:
    access_staff(user)
    return _get(EventPair.objects.select_related("event"), pair_id, "对接")


def consultations_visible_to(user) -> QuerySet:
    consultations = Consultation.objects.select_related("enterprise")
    if is_staff_member(user):
        return consultations
    if enterprise_of(user):
        return consultations.filter(enterprise_id=user.enterprise_id)
    require(may_see_consultations(user), "仅限企业、专家和工作人员")
    return consultations.filter(experts__user=user)


def access_consultation(user, consultation_id: int) -> Consultation:
    return _get(consultations_visible_to(user), consultation_id, "诊断")


def access_request_consultation(user) -> int:
    require(enterprise_of(user) is not None, "仅限企业用户申请外脑诊断")
    return user.enterprise_id


def access_rate(user, consultation: Consultation) -> None:
    require(enterprise_of(user) == consultation.enterprise_id, "只有申请企业可以评价服务")


def broker_of(user) -> Broker | None:
    if not has_role(user, Role.EXPERT):
        return None
    return Broker.objects.filter(user=user, active=True).first()


def access_broker(user, broker_id: int) -> Broker:
    """A broker's pipeline: staff, and the broker themself."""
    require(is_authenticated(user), "请先登录")
    broker = _get(Broker.objects.select_related("institution"), broker_id, "技术经纪人")
    require(is_staff_member(user) or broker.user_id == user.pk, "只有工作人员和经纪人本人可以查看")
    return broker


def access_claim(user, demand: Demand) -> Broker:
    broker = broker_of(user)
    require(broker is not None, "仅限在册的技术经纪人认领需求")
    return broker


def can_list_achievement(user, achievement) -> bool:
    """Staff list any achievement; an enterprise user those of its own R&D centre."""
    if is_staff_member(user):
        return True
    institution = achievement.institution
    return bool(
        enterprise_of(user) is not None
        and institution is not None
        and institution.enterprise_id == user.enterprise_id
    )


def access_list_achievement(user, achievement) -> None:
    require(can_list_achievement(user, achievement), "只能挂牌本企业研发中心的成果（工作人员可代为挂牌）")


def listable_achievements(user) -> QuerySet:
    from zhuanxing.techmarket.models import Achievement

    achievements = Achievement.objects.filter(active=True, valid_until__gte=timezone.localdate())
    if is_staff_member(user):
        return achievements
    if enterprise_of(user) is None:
        return achievements.none()
    return achievements.filter(institution__enterprise_id=user.enterprise_id)


def access_bid(user):
    """Bidders are registered enterprises, through their users."""
    require(enterprise_of(user) is not None, "仅限企业用户竞买")
    return user.enterprise


# ----- the workflow's predicates (``techmarket/workflows.py``) -----


def is_invitee(user, match: Match) -> bool:
    return Match.objects.filter(answered_by(user), pk=match.pk).exists()


def may_invite(user, match: Match) -> bool:
    return is_demand_party(user, match.demand)


def may_answer(user, match: Match) -> bool:
    """The invited candidate answers; staff may record the answer on their behalf."""
    return is_staff_member(user) or is_invitee(user, match)


def may_take_part(user, match: Match) -> bool:
    """洽谈, 签约 and 终止: either side of the match."""
    return is_demand_party(user, match.demand) or is_invitee(user, match)


def matches_of(user) -> QuerySet:
    """The matches ``user`` is a side of (for the to-dos)."""
    if is_staff_member(user):
        return Match.objects.all()
    side = answered_by(user)
    enterprise_id = enterprise_of(user)
    if enterprise_id is not None:
        side |= Q(demand__enterprise_id=enterprise_id)
    return Match.objects.filter(side)


def may_manage_consultation(user, consultation: Consultation) -> bool:
    return is_staff_member(user)


def may_rate(user, consultation: Consultation) -> bool:
    return enterprise_of(user) is not None and enterprise_of(user) == consultation.enterprise_id


# ----- 揭榜挂帅 -----


def may_manage_challenge(user, challenge) -> bool:
    return is_staff_member(user)


def challenges_managed_by(user) -> QuerySet:
    from zhuanxing.techmarket.models import Challenge

    return Challenge.objects.all() if is_staff_member(user) else Challenge.objects.none()


def access_publish_challenge(user, demand: Demand) -> None:
    require(is_demand_party(user, demand), "只有发布企业和工作人员可以发榜")


def solver_of(user) -> Institution | None:
    """The institution a user submits proposals for: its window, or an expert's own institution."""
    window = institution_of(user)
    if window is not None:
        return window
    expert = expert_of(user)
    return expert.institution if expert is not None else None


def access_submit_proposal(user) -> Institution:
    institution = solver_of(user)
    require(institution is not None, "仅限在库机构的联系人或其专家揭榜")
    return institution


def panel_member(user, challenge) -> Expert | None:
    expert = expert_of(user)
    if expert is not None and challenge.panel.filter(pk=expert.pk).exists():
        return expert
    return None


def access_score(user, challenge) -> Expert:
    expert = panel_member(user, challenge)
    require(expert is not None, "只有本榜的评审专家可以评分")
    return expert


def can_see_proposals(user, challenge) -> bool:
    return is_staff_member(user) or panel_member(user, challenge) is not None
