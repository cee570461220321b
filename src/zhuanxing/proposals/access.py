"""Who may see and do what in 提案建议办理. The only place its permissions are decided.

- The office (政协提案委/人大人代工委 staff: an administrator, or a user with an ``OfficeMember`` record)
  registers and imports cases, assigns and reassigns them, decides extensions, records feedback on
  a proposer's behalf and chooses which answered cases to publish. It sees every case.
- A unit's users (``UnitMember``) see the cases assigned to their unit (in any round, returned ones
  too). A lead unit's users draft the reply and ask for the extension; a co-unit's users write
  its view; any assigned unit's users may return a misrouted case within the allowed days. The
  unit's leader (``is_leader``) approves its replies.
- A proposer with an account (``Proposal.proposer_user``) sees their own cases and records feedback.
- Anyone, signed in or not, reads the published replies.
Anyone else is told a case does not exist (404).
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db.models import Q, QuerySet
from django.http import Http404

from zhuanxing.accounts.access import has_role, is_authenticated, is_staff_member, require
from zhuanxing.accounts.models import Role
from zhuanxing.proposals.models import Assignment, OfficeMember, Proposal, ReplyDraft, UnitMember


def is_office(user) -> bool:
    if not is_authenticated(user):
        return False
    if hasattr(user, "_proposal_office"):  # read once for a list (``workflows.todos``)
        return user._proposal_office
    if has_role(user, Role.ADMIN):
        return True
    return is_staff_member(user) and OfficeMember.objects.filter(user=user).exists()


def unit_ids(user) -> set[int]:
    if not is_authenticated(user):
        return set()
    if hasattr(user, "_proposal_units"):
        return user._proposal_units
    return set(UnitMember.objects.filter(user=user).values_list("unit_id", flat=True))


def leads_unit(user, unit_id: int) -> bool:
    if hasattr(user, "_proposal_led_units"):
        return unit_id in user._proposal_led_units
    return (
        is_authenticated(user)
        and UnitMember.objects.filter(user=user, unit_id=unit_id, is_leader=True).exists()
    )


def may_see_overview(user) -> bool:
    return is_office(user) or bool(unit_ids(user))


def may_see_statistics(user) -> bool:
    return is_office(user) or is_staff_member(user) or bool(unit_ids(user))


def proposals_visible_to(user) -> QuerySet[Proposal]:
    if is_office(user):
        return Proposal.objects.all()
    if not is_authenticated(user):
        return Proposal.objects.none()
    units = unit_ids(user)
    return Proposal.objects.filter(Q(assignments__unit_id__in=units) | Q(proposer_user=user)).distinct()


def access_proposal(user, proposal_id: int) -> Proposal:
    proposal = proposals_visible_to(user).filter(pk=proposal_id).first()
    if proposal is None:
        raise Http404("没有找到该提案建议")
    return proposal


def access_overview(user) -> None:
    require(may_see_overview(user), "仅限提案办理办公室和承办单位人员")


def access_statistics(user) -> None:
    require(may_see_statistics(user), "仅限政府工作人员")


def access_office(user) -> None:
    require(is_office(user), "仅限提案办理办公室人员（政协提案委、人大人代工委）")


def access_mine(user) -> None:
    require(is_authenticated(user), "请先登录")


def active_lead(proposal: Proposal) -> Assignment | None:
    if hasattr(proposal, "_active_lead"):
        return proposal._active_lead
    return proposal.assignments.filter(round=proposal.round, role=Assignment.Role.LEAD, active=True).first()


def access_unit_assignment(user, assignment: Assignment) -> None:
    require(assignment.unit_id in unit_ids(user), f"仅限{assignment.unit}人员")


def access_lead(user, proposal: Proposal) -> Assignment:
    lead = active_lead(proposal)
    require(lead is not None, "该提案建议当前没有主办单位")
    require(lead.unit_id in unit_ids(user), f"仅限主办单位（{lead.unit}）人员")
    return lead


def access_approve(user, draft: ReplyDraft) -> None:
    lead = active_lead(draft.proposal)
    require(lead is not None and leads_unit(user, lead.unit_id), "答复须由主办单位领导审签")


def access_feedback(user, proposal: Proposal) -> None:
    require(
        is_office(user) or (proposal.proposer_user_id is not None and proposal.proposer_user_id == user.pk),
        "办理反馈由提案人本人或提案办理办公室代为录入",
    )


def access_draft_file(user, draft: ReplyDraft) -> ReplyDraft:
    """A reply file: whoever sees the case; the proposer and the public only once approved."""
    if draft.state == ReplyDraft.State.APPROVED and draft.proposal.published:
        return draft
    proposal = access_proposal(user, draft.proposal_id)
    if is_office(user) or unit_ids(user) & set(proposal.assignments.values_list("unit_id", flat=True)):
        return draft
    if draft.state == ReplyDraft.State.APPROVED:
        return draft
    raise Http404("没有找到该答复")


# ---------------------------------------------------------------- the workflow table's predicates


def may_assign(user, proposal: Proposal) -> bool:
    return is_office(user)


def may_handle(user, proposal: Proposal) -> bool:
    """The current round's lead unit: drafts, submits, asks for the extension."""
    lead = active_lead(proposal)
    return lead is not None and lead.unit_id in unit_ids(user)


def may_approve(user, proposal: Proposal) -> bool:
    lead = active_lead(proposal)
    return lead is not None and leads_unit(user, lead.unit_id)


def may_return_lead(user, proposal: Proposal) -> bool:
    return may_handle(user, proposal)


def may_record_feedback(user, proposal: Proposal) -> bool:
    if not is_authenticated(user):
        return False
    return is_office(user) or (proposal.proposer_user_id is not None and proposal.proposer_user_id == user.pk)


def is_proposer(user) -> bool:
    return is_authenticated(user) and Proposal.objects.filter(proposer_user=user).exists()


@contextmanager
def remembered(user):
    """Within the block, the user's office flag and units are read once (for a list page)."""
    if not is_authenticated(user) or hasattr(user, "_proposal_units"):
        yield
        return
    user._proposal_office = is_office(user)
    memberships = list(UnitMember.objects.filter(user=user).values_list("unit_id", "is_leader"))
    user._proposal_units = {unit for unit, _leader in memberships}
    user._proposal_led_units = {unit for unit, leader in memberships if leader}
    try:
        yield
    finally:
        del user._proposal_office, user._proposal_units, user._proposal_led_units
