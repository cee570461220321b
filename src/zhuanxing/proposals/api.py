"""提案建议办理 over JSON: the cases a user may see, one case, the statistics, a few actions."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema
from ninja.responses import Status

from zhuanxing.api.pagination import PageMeta, paginate
from zhuanxing.proposals import access, selectors, services
from zhuanxing.proposals.models import Proposal, Unit

router = Router(tags=["提案建议办理 proposals"])


class AssignmentOut(Schema):
    unit: str
    role: str
    round: int
    assigned_on: dt.date
    due_on: dt.date
    active: bool
    returned_on: dt.date | None
    return_reason: str
    view: str | None


class ProposalOut(Schema):
    id: int
    body: str
    term: int
    meeting: int
    number: int
    session: str
    title: str
    proposer: str
    state: str
    round: int
    reply_class: str
    replied_on: dt.date | None
    published: bool


class ProposalDetailOut(ProposalOut):
    text: str
    category: str
    keywords: str
    submitted_on: dt.date
    assignments: list[AssignmentOut]
    reply_document_number: str | None


class ProposalPage(PageMeta):
    items: list[ProposalOut]


class AssignIn(Schema):
    lead: str | None = None
    co_units: list[str] = []
    on: dt.date | None = None


class FeedbackIn(Schema):
    handling: str
    result: str
    comment: str = ""


def _out(p: Proposal) -> dict:
    return {
        "id": p.pk,
        "body": p.body,
        "term": p.term,
        "meeting": p.meeting,
        "number": p.number,
        "session": p.session_label,
        "title": p.title,
        "proposer": p.proposer,
        "state": p.state,
        "round": p.round,
        "reply_class": p.reply_class,
        "replied_on": p.replied_on,
        "published": p.published,
    }


def _detail(p: Proposal) -> dict:
    final = selectors.final_reply(p)
    return _out(p) | {
        "text": p.text,
        "category": p.category,
        "keywords": p.keywords,
        "submitted_on": p.submitted_on,
        "assignments": [
            {
                "unit": a.unit.name,
                "role": a.role,
                "round": a.round,
                "assigned_on": a.assigned_on,
                "due_on": a.due_on,
                "active": a.active,
                "returned_on": a.returned_on,
                "return_reason": a.return_reason,
                "view": a.view.text if hasattr(a, "view") else None,
            }
            for a in p.assignments.select_related("unit", "view")
        ],
        "reply_document_number": final.document_number if final else None,
    }


@router.get("/", response=ProposalPage, summary="可见的提案建议（办公室全部，承办单位本单位，提案人本人）")
def list_proposals(request, state: str = "", page: int = 1, page_size: int = 50):
    proposals = access.proposals_visible_to(request.user).order_by("body", "-term", "-meeting", "number")
    if state:
        proposals = proposals.filter(state=state)
    items, meta = paginate(proposals, page, page_size)
    return {**meta, "items": [_out(p) for p in items]}


@router.get("/statistics", response=dict, summary="办理统计：按类型、会议、主办单位、类别，满意率")
def proposal_statistics(request):
    access.access_statistics(request.user)
    stats = selectors.statistics(Proposal.objects.all())
    for part in ("handling", "result"):
        stats[part]["shares"] = {
            k: (str(v) if v is not None else None) for k, v in stats[part]["shares"].items()
        }
        value = stats[part]["satisfaction"]
        stats[part]["satisfaction"] = str(value) if value is not None else None
    return stats


@router.get("/{proposal_id}", response=ProposalDetailOut, summary="一件提案建议及其交办、会办意见")
def get_proposal(request, proposal_id: int):
    return _detail(access.access_proposal(request.user, proposal_id))


def _unit(name: str) -> Unit:
    from django.core.exceptions import ValidationError

    unit = Unit.objects.filter(name=name).first()
    if unit is None:
        raise ValidationError({"unit": f"未知的承办单位：{name}"})
    return unit


@router.post("/{proposal_id}/assign", response={200: ProposalDetailOut}, summary="交办（办公室）")
def assign_proposal(request, proposal_id: int, payload: AssignIn):
    proposal = access.access_proposal(request.user, proposal_id)
    proposal = services.proposal_assign(
        actor=request.user,
        proposal=proposal,
        lead=_unit(payload.lead) if payload.lead else None,
        co_units=[_unit(n) for n in payload.co_units],
        on=payload.on,
    )
    return Status(200, _detail(proposal))


@router.post(
    "/{proposal_id}/feedback", response={200: ProposalDetailOut}, summary="录入办理反馈（提案人或办公室）"
)
def record_feedback(request, proposal_id: int, payload: FeedbackIn):
    proposal = access.access_proposal(request.user, proposal_id)
    services.feedback_record(
        actor=request.user,
        proposal=proposal,
        handling=payload.handling,
        result=payload.result,
        comment=payload.comment,
    )
    proposal.refresh_from_db()
    return Status(200, _detail(proposal))
