"""The case's workflow table (``zhuanxing.workflow``): the home page's to-dos and the buttons read it.

The services keep their own checks (the return window, the one extension, the class before
submission); each state change they make is a row here, and ``tests/proposals/test_workflow_table``
checks that they agree.
"""

from __future__ import annotations

from django.urls import reverse

from zhuanxing import workflow
from zhuanxing.proposals import access
from zhuanxing.proposals.models import Proposal

S = Proposal.State


def _url(proposal: Proposal, user) -> str:
    if access.is_office(user) or access.unit_ids(user):
        return reverse("proposals:detail", args=[proposal.pk])
    return reverse("proposals:mine")


def _list_url(user) -> str:
    if access.is_office(user) or access.unit_ids(user):
        return reverse("proposals:overview")
    return reverse("proposals:mine")


PROPOSAL = workflow.register(
    workflow.Workflow(
        key="proposals.proposal",
        label="提案建议",
        model=Proposal,
        transitions=(
            workflow.Transition(
                action="assign",
                label="交办",
                sources=(S.REGISTERED, S.RETURNED),
                targets=(S.HANDLING,),
                permitted=access.may_assign,
            ),
            workflow.Transition(
                action="return",
                label="退回",
                sources=(S.HANDLING,),
                targets=(S.RETURNED,),
                permitted=access.may_return_lead,
                reason_required=True,
                confirm="确定退回本件？退回后由办公室重新交办。",
                todo=False,
            ),
            workflow.Transition(
                action="submit",
                label="起草答复并提交审签",
                sources=(S.HANDLING,),
                targets=(S.AWAITING,),
                permitted=access.may_handle,
            ),
            workflow.Transition(
                action="redraft",
                label="修改答复稿",
                sources=(S.AWAITING,),
                targets=(S.HANDLING,),
                permitted=access.may_handle,
                todo=False,
            ),
            workflow.Transition(
                action="approve",
                label="审签答复",
                sources=(S.AWAITING,),
                targets=(S.REPLIED,),
                permitted=access.may_approve,
                confirm="签发后答复不能再修改，确定签发？",
            ),
            workflow.Transition(
                action="feedback",
                label="录入办理反馈",
                sources=(S.REPLIED,),
                targets=(S.CLOSED, S.HANDLING),
                permitted=access.may_record_feedback,
                confirm="确定录入反馈？录入后不能修改。",
            ),
        ),
        visible=access.proposals_visible_to,
        url=_url,
        list_url=lambda user, states: _list_url(user),
        waiting_field="created_at",
    )
)


def todos(user) -> list[dict]:
    """The user's waiting cases as (action label, case, url) rows, read from the table. The user's
    units and each case's lead are read once for the whole list."""
    from zhuanxing.proposals.models import Assignment

    if not access.is_authenticated(user):
        return []
    with access.remembered(user):
        cases = list(access.proposals_visible_to(user).exclude(state=S.CLOSED).order_by("number"))
        rounds = {p.pk: p.round for p in cases}
        leads = {
            a.proposal_id: a
            for a in Assignment.objects.filter(proposal__in=cases, role=Assignment.Role.LEAD, active=True)
            if a.round == rounds[a.proposal_id]
        }
        rows = []
        for proposal in cases:
            proposal._active_lead = leads.get(proposal.pk)
            for row in PROPOSAL.available(user, proposal):
                if row.todo:
                    rows.append({"label": row.label, "proposal": proposal, "url": _url(proposal, user)})
        return rows
