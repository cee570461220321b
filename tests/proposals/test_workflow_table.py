"""The workflow table agrees with the services, and its to-dos reach the right people."""

import datetime as dt

import pytest

from zhuanxing import workflow
from zhuanxing.proposals import services, workflows
from zhuanxing.proposals.models import Proposal

pytestmark = pytest.mark.django_db
S = Proposal.State


def test_the_table_is_registered_and_holds_every_move_the_services_make():
    table = workflow.get("proposals.proposal")
    assert table is workflows.PROPOSAL
    moves = {
        ("assign", S.REGISTERED, S.HANDLING),
        ("assign", S.RETURNED, S.HANDLING),
        ("return", S.HANDLING, S.RETURNED),
        ("submit", S.HANDLING, S.AWAITING),
        ("redraft", S.AWAITING, S.HANDLING),
        ("approve", S.AWAITING, S.REPLIED),
        ("feedback", S.REPLIED, S.CLOSED),
        ("feedback", S.REPLIED, S.HANDLING),
    }
    for action, source, target in moves:
        row = table.row(action, source)
        assert row is not None and target in row.targets, (action, source, target)


def test_each_step_is_a_to_do_of_whoever_takes_it(people, register, template):
    office, economy, leader, proposer = (
        people["office"],
        people["economy"],
        people["leader"],
        people["proposer"],
    )
    proposal = register()

    def labels(user):
        return [(t["label"], t["proposal"].pk) for t in workflows.todos(user)]

    assert labels(office) == [("交办", proposal.pk)]
    assert labels(economy) == []
    services.proposal_assign(
        actor=office, proposal=proposal, lead=people["units"]["经信局"], on=dt.date(2024, 9, 23)
    )
    assert labels(office) == [] and labels(economy) == [("起草答复并提交审签", proposal.pk)]
    draft = services.draft_save(actor=economy, proposal=proposal, template=template, reply_class="A")
    services.draft_submit(actor=economy, draft=draft)
    assert labels(leader) == [("审签答复", proposal.pk)]
    assert labels(economy) == []
    services.draft_approve(actor=leader, draft=draft)
    assert labels(proposer) == [("录入办理反馈", proposal.pk)]
    assert labels(people["science"]) == []


def test_the_home_page_lists_the_waiting_cases(people, register, client_for):
    from django.test import Client

    register()
    client = Client()
    client.force_login(people["office"])
    page = client.get("/").content.decode()
    assert "提案建议：待交办" in page and "/proposals/" in page
    client.force_login(people["economy"])
    assert "提案建议：" not in client.get("/").content.decode()
