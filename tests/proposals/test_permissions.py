"""A unit sees its own cases, a proposer their own, the office all; the public only what is published."""

import datetime as dt

import pytest
from django.test import Client

from zhuanxing.proposals import access, services

pytestmark = pytest.mark.django_db


def client(user):
    fresh = Client()
    fresh.force_login(user)
    return fresh


def test_each_sees_their_own(people, register, template):
    units, office = people["units"], people["office"]
    economy_case = services.proposal_assign(
        actor=office,
        proposal=register(number=1),
        lead=units["经信局"],
        co_units=[units["科技局"]],
        on=dt.date(2024, 9, 23),
    )
    commerce_case = services.proposal_assign(
        actor=office, proposal=register(number=2, proposer_user=None, proposer="王委员"), lead=units["商务局"]
    )
    assert set(access.proposals_visible_to(office)) == {economy_case, commerce_case}
    assert set(access.proposals_visible_to(people["economy"])) == {economy_case}
    assert set(access.proposals_visible_to(people["science"])) == {economy_case}  # its co-handling
    assert set(access.proposals_visible_to(people["commerce"])) == {commerce_case}
    assert set(access.proposals_visible_to(people["proposer"])) == {economy_case}
    assert client(people["commerce"]).get(f"/proposals/{economy_case.pk}/").status_code == 404
    assert client(people["economy"]).get(f"/proposals/{commerce_case.pk}/").status_code == 404
    page = client(people["commerce"]).get("/proposals/").content.decode()
    assert commerce_case.title in page and "第1号" not in page
    mine = client(people["proposer"]).get("/proposals/mine/").content.decode()
    assert economy_case.session_label in mine and "王委员" not in mine
    # a bureau user who is in no unit and not in the office sees no case
    assert client(people["bureau"]).get("/proposals/").status_code == 403


def test_only_published_answers_are_public(people, register, template):
    units, office = people["units"], people["office"]
    case = services.proposal_assign(actor=office, proposal=register(), lead=units["经信局"])
    anonymous = Client()
    assert anonymous.get("/proposals/public/").content.decode().count(case.title) == 0
    draft = services.draft_save(
        actor=people["economy"], proposal=case, template=template, reply_class="A", body="已采纳。"
    )
    assert anonymous.get(f"/proposals/drafts/{draft.pk}/reply.docx").status_code == 404
    services.draft_submit(actor=people["economy"], draft=draft)
    services.draft_approve(actor=people["leader"], draft=draft)
    assert anonymous.get(f"/proposals/public/{case.pk}/").status_code == 404
    services.proposal_publish(actor=office, proposal=case, published=True)
    page = anonymous.get(f"/proposals/public/{case.pk}/").content.decode()
    assert "已采纳。" in page and "镇经信案复" in page
    assert anonymous.get(f"/proposals/drafts/{draft.pk}/reply.pdf").status_code == 200


def test_the_api_lists_each_users_own_and_refuses_with_the_rule(people, register, template):
    units, office = people["units"], people["office"]
    case = services.proposal_assign(
        actor=office, proposal=register(), lead=units["经信局"], on=dt.date(2024, 9, 23)
    )
    services.proposal_assign(
        actor=office, proposal=register(number=2, proposer_user=None), lead=units["商务局"]
    )
    listed = client(people["economy"]).get("/api/proposals/").json()
    assert [item["number"] for item in listed["items"]] == [10] and listed["count"] == 1
    detail = client(people["proposer"]).get(f"/api/proposals/{case.pk}").json()
    assert [a["unit"] for a in detail["assignments"]] == ["经信局"]
    refused = client(people["proposer"]).post(
        f"/api/proposals/{case.pk}/feedback",
        {"handling": "satisfied", "result": "satisfied"},
        content_type="application/json",
    )
    assert refused.status_code == 422 and "尚未答复的提案建议不能反馈办理意见" in refused.json()["detail"]
    denied = client(people["economy"]).post(
        f"/api/proposals/{case.pk}/assign", {"co_units": ["科技局"]}, content_type="application/json"
    )
    assert denied.status_code == 403 and "仅限提案办理办公室" in denied.json()["detail"]
