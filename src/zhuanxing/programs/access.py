"""Who may see and do what in 政策兑现. The only place its permissions are decided.

- Policies: every signed-in user reads the published ones; staff also drafts, and keep them.
- The calculator: an enterprise user for its own enterprise; officials for one they see.
- An application is seen by its enterprise's users, the town official of its town, staff,
  and the reviewers assigned to it; anyone else is told it does not exist (404).
- The enterprise's steps (fill in, submit, confirm the bank account): its own users, or staff
  entering a paper application for it (代为申报).
- 镇街初审: the town official of the enterprise's town, or staff. Every later step: staff.
  专家评审: the assigned reviewers, unless they have a conflict of interest.
- The public notice: anyone, signed in or not, may read it and object.

The transition services call ``access_transition`` inside their transaction, after locking the
application, so the permission, the state change and the audit entry are one unit.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from zhuanxing.accounts.access import (
    access_staff,
    enterprise_of,
    has_role,
    is_official,
    is_staff_member,
    require,
)
from zhuanxing.accounts.models import Role
from zhuanxing.programs import selectors
from zhuanxing.programs.models import Application, Attachment, Policy, PublicObjection, ReviewAssignment
from zhuanxing.registry.access import enterprises_visible_to

State = Application.State

# actions that do not move the application's state -> the states they are taken in; the moving
# actions (submit, pass, return, reject, approve, confirm_bank, pay) are the rows of the
# workflow table in ``programs/workflows.py``
STEP_ACTIONS = {
    "edit": (State.DRAFT, State.RETURNED),
    "assign": (State.EXPERT_REVIEW,),
    "review": (State.EXPERT_REVIEW,),
    "recuse": (State.EXPERT_REVIEW,),
}
REVIEWER_ACTIONS = {"review", "recuse"}


def _workflow():
    from zhuanxing.programs.workflows import APPLICATION  # the table reads this module's predicates

    return APPLICATION


def action_states(action: str) -> tuple[str, ...]:
    """The states ``action`` may be taken in."""
    return STEP_ACTIONS.get(action) or _workflow().sources_of(action)


# ---------------------------------------------------------------- policies


def policies_visible_to(user) -> QuerySet:
    policies = Policy.objects.all()
    return policies if is_staff_member(user) else policies.filter(published=True)


def access_policy(user, policy_id: int) -> Policy:
    try:
        return policies_visible_to(user).get(pk=policy_id)
    except Policy.DoesNotExist as exc:
        raise Http404("没有找到该政策") from exc


def access_policy_manage(user) -> None:
    access_staff(user)


def can_manage(user) -> bool:
    return is_staff_member(user)


def calculator_allowed(user) -> bool:
    return is_official(user) or has_role(user, Role.ENTERPRISE)


def calculator_asks_uscc(user) -> bool:
    """Officials name the enterprise to compute for; an enterprise user computes for its own."""
    return is_official(user)


def access_calculator(user) -> None:
    require(calculator_allowed(user), "仅限企业用户和政府工作人员试算")


def calculator_enterprise(user, uscc: str = ""):
    """Whose facts the calculator uses: an enterprise user's own; for officials the enterprise
    named by ``uscc`` if they may see it (None when none is named)."""
    access_calculator(user)
    if not calculator_asks_uscc(user):
        return user.enterprise
    if not uscc.strip():
        return None
    enterprise = enterprises_visible_to(user).filter(uscc=uscc.strip().upper()).first()
    if enterprise is None:
        raise Http404("没有找到该企业")
    return enterprise


# ---------------------------------------------------------------- applications


def may_list_applications(user) -> bool:
    return is_official(user) or has_role(user, Role.ENTERPRISE, Role.REVIEWER)


def applies_as_enterprise(user) -> bool:
    """An enterprise user: its list is 我的申报 (officials and reviewers see 申报审核)."""
    return has_role(user, Role.ENTERPRISE) and not is_official(user)


def access_application_list(user) -> None:
    require(may_list_applications(user), "您没有查看申报的权限")


def applications_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Application.objects.all() if queryset is None else queryset
    if is_staff_member(user):
        return queryset
    if has_role(user, Role.TOWN) and user.town_id:
        return queryset.filter(enterprise__town_id=user.town_id)
    if has_role(user, Role.ENTERPRISE) and user.enterprise_id:
        return queryset.filter(enterprise_id=user.enterprise_id)
    if has_role(user, Role.REVIEWER):
        live = (ReviewAssignment.State.ASSIGNED, ReviewAssignment.State.DONE)
        return queryset.filter(reviews__reviewer=user, reviews__state__in=live).distinct()
    return queryset.none()


def access_application(user, application_id: int) -> Application:
    """The application if ``user`` may see it; 404 when it does not exist or is not theirs."""
    access_application_list(user)
    found = (
        applications_visible_to(user)
        .select_related("policy", "enterprise__town")
        .filter(pk=application_id)
        .first()
    )
    if found is None:
        raise Http404("没有找到该申报")
    return found


def access_attachment(user, attachment_id: int) -> Attachment:
    attachment = Attachment.objects.select_related("application").filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404("没有找到该附件")
    access_application(user, attachment.application_id)
    return attachment


def acts_for_enterprise(user, enterprise_id: int) -> bool:
    """The enterprise's own user, or staff entering a paper application for it."""
    return is_staff_member(user) or (enterprise_of(user) is not None and enterprise_of(user) == enterprise_id)


def may_apply(user, policy: Policy, enterprise) -> bool:
    return policy.published and enterprise is not None and acts_for_enterprise(user, enterprise.pk)


def _applies(user) -> bool:
    return is_staff_member(user) or (has_role(user, Role.ENTERPRISE) and bool(user.enterprise_id))


def may_open_apply_form(user, policy: Policy) -> bool:
    return policy.published and _applies(user)


def access_apply(user) -> None:
    """The application form: enterprise users, and staff applying on paper for an enterprise."""
    require(_applies(user), "仅限企业用户申报")


def _reviews_at_town(user, application: Application) -> bool:
    return is_staff_member(user) or (
        has_role(user, Role.TOWN) and bool(user.town_id) and user.town_id == application.enterprise.town_id
    )


def review_assignment_of(user, application: Application) -> ReviewAssignment | None:
    if not has_role(user, Role.REVIEWER):
        return None
    return application.reviews.filter(reviewer=user, state=ReviewAssignment.State.ASSIGNED).first()


def may_act_for_application(user, application: Application) -> bool:
    """The enterprise's own steps (submit, confirm the bank account)."""
    return acts_for_enterprise(user, application.enterprise_id)


def may_review_at_town(user, application: Application) -> bool:
    """镇街初审 and its return or rejection."""
    return _reviews_at_town(user, application)


def is_own_application(user, application: Application) -> bool:
    """The enterprise's own user (not staff standing in): whose to-do its steps are."""
    return enterprise_of(user) is not None and enterprise_of(user) == application.enterprise_id


def is_town_of(user, application: Application) -> bool:
    """The town official of the enterprise's town (not staff standing in): whose to-do 初审 is."""
    return has_role(user, Role.TOWN) and bool(user.town_id) and user.town_id == application.enterprise.town_id


def may_handle_as_staff(user, application: Application) -> bool:
    return is_staff_member(user)


def may_act(user, application: Application, action: str) -> bool:
    """Whether ``user`` may take ``action`` on ``application`` in its current state."""
    if action not in STEP_ACTIONS:
        return _workflow().may(user, application, action)
    if application.state not in STEP_ACTIONS[action]:
        return False
    if action == "edit":
        return acts_for_enterprise(user, application.enterprise_id)
    if action in REVIEWER_ACTIONS:
        assignment = review_assignment_of(user, application)
        if assignment is None:
            return False
        return action == "recuse" or selectors.conflict_reason(user, application.enterprise) is None
    return is_staff_member(user)


def access_transition(user, application: Application, action: str) -> None:
    if application.state not in action_states(action):
        require(False, f"当前状态为「{application.get_state_display()}」，不能执行此操作")
    if action in REVIEWER_ACTIONS and review_assignment_of(user, application) is not None:
        reason = selectors.conflict_reason(user, application.enterprise)
        require(action == "recuse" or reason is None, f"存在利益冲突（{reason}），应当回避")
    require(may_act(user, application, action), "您没有权限办理此事项")


def actions_for(user, application: Application) -> set[str]:
    actions = {row.action for row in _workflow().available(user, application)}
    return actions | {action for action in STEP_ACTIONS if may_act(user, application, action)}


def access_staff_pages(user) -> None:
    """免申即享, statistics, batch 核定, objections."""
    access_staff(user)


def may_see_overdue(user) -> bool:
    return is_official(user)


def access_overdue(user) -> None:
    require(may_see_overdue(user), "仅限政府工作人员")


def access_objection_for_staff(user, objection_id: int) -> PublicObjection:
    access_staff(user)
    objection = PublicObjection.objects.select_related("application").filter(pk=objection_id).first()
    if objection is None:
        raise Http404("没有找到该异议")
    return objection


def is_reviewer(user) -> bool:
    return has_role(user, Role.REVIEWER) and not is_official(user)


def access_conflicts(user) -> None:
    require(is_reviewer(user), "仅限评审专家")
