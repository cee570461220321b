"""Classes, the proposer's feedback, the second handling and the follow-up reply of a B item."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.proposals.conftest import lead_of
from zhuanxing.proposals import services
from zhuanxing.proposals.models import Proposal, ReplyDraft

pytestmark = pytest.mark.django_db


def answer(people, proposal, template, reply_class="B", today=dt.date(2024, 11, 1)):
    draft = services.draft_save(
        actor=people["economy"], proposal=proposal, template=template, reply_class=reply_class
    )
    services.draft_submit(actor=people["economy"], draft=draft)
    return services.draft_approve(actor=people["leader"], draft=draft, today=today)


def test_feedback_on_an_unanswered_case_is_refused(people, assigned):
    with pytest.raises(ValidationError, match="尚未答复的提案建议不能反馈办理意见"):
        services.feedback_record(
            actor=people["proposer"], proposal=assigned, handling="satisfied", result="satisfied"
        )


def test_only_the_proposer_or_the_office_records_feedback(people, assigned, template):
    answer(people, assigned, template)
    with pytest.raises(PermissionDenied, match="提案人本人或提案办理办公室"):
        services.feedback_record(
            actor=people["economy"], proposal=assigned, handling="satisfied", result="satisfied"
        )
    feedback = services.feedback_record(
        actor=people["office"], proposal=assigned, handling="satisfied", result="fairly"
    )
    assert feedback.on_behalf
    assigned.refresh_from_db()
    assert assigned.state == Proposal.State.CLOSED
    with pytest.raises(ValidationError, match="已办结"):
        services.feedback_record(
            actor=people["proposer"], proposal=assigned, handling="satisfied", result="satisfied"
        )


def test_unsatisfied_opens_a_second_handling_with_its_own_deadline(people, assigned, template):
    answer(people, assigned, template, reply_class="D")
    # Friday 27 Sep 2024: 20 working days → 29 Sep (调休), 30 Sep, 8–12 Oct, 14–18, 21–25, 28–30 Oct
    services.feedback_record(
        actor=people["proposer"],
        proposal=assigned,
        handling="fairly",
        result="unsatisfied",
        comment="未回应公共研发中心",
        today=dt.date(2024, 9, 27),
    )
    assigned.refresh_from_db()
    assert (assigned.state, assigned.round) == (Proposal.State.HANDLING, 2)
    second = lead_of(assigned)
    assert second.unit.name == "经信局" and second.due_on == dt.date(2024, 10, 30)
    again = services.draft_save(
        actor=people["economy"], proposal=assigned, template=template, reply_class="B"
    )
    assert (again.round, again.version) == (2, 1)
    services.draft_submit(actor=people["economy"], draft=again)
    services.draft_approve(actor=people["leader"], draft=again)
    services.feedback_record(
        actor=people["proposer"], proposal=assigned, handling="unsatisfied", result="unsatisfied"
    )
    assigned.refresh_from_db()
    assert assigned.state == Proposal.State.CLOSED and assigned.round == 2  # one second handling only
    assert assigned.feedbacks.count() == 2


def test_a_follow_up_reply_only_for_a_b_item(people, assigned, template, register):
    answer(people, assigned, template, reply_class="B")
    follow = services.draft_save(
        actor=people["economy"],
        proposal=assigned,
        template=template,
        body="公共研发中心已建成。",
        kind="follow_up",
    )
    services.draft_submit(actor=people["economy"], draft=follow)
    services.draft_approve(actor=people["leader"], draft=follow)
    follow.refresh_from_db()
    assert follow.state == ReplyDraft.State.APPROVED and follow.kind == "follow_up"
    assigned.refresh_from_db()
    assert assigned.state == Proposal.State.REPLIED and assigned.reply_class == "B"
    other = services.proposal_assign(
        actor=people["office"],
        proposal=register(number=11),
        lead=people["units"]["经信局"],
        on=dt.date(2024, 9, 23),
    )
    answer(people, other, template, reply_class="A")
    with pytest.raises(ValidationError, match="标注为B类"):
        services.draft_save(actor=people["economy"], proposal=other, template=template, kind="follow_up")
