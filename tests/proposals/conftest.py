"""A district's handling units, an office user, unit users and a proposer, and helpers."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import PASSWORD

ASSIGNED = dt.date(2024, 9, 23)  # a Monday, a week before 国庆
SEED_PARAGRAPHS = [
    "{{ 正文 }}",
    "截至2014年底，我区各类企业研究院、工程（技术）中心总数已达{{ 图表: recognitions.total @ 2014 }}，"
    "区级以上工程技术中心占规上企业比重达{{ 图表: recognitions.rd_share @ 2014 }}。",
]


@pytest.fixture
def people(users, settings):
    from zhuanxing.accounts.models import Department, Role, User
    from zhuanxing.proposals.models import OfficeMember, Unit, UnitMember

    def make(username, role=Role.BUREAU, **extra):
        user = User(username=username, role=role, display_name=username, **extra)
        user.set_password(PASSWORD)
        user.save()
        return user

    units = {
        name: Unit.objects.create(name=name, full_name=full, order=order)
        for order, (name, full) in enumerate(
            [
                ("经信局", "镇海区经信局"),
                ("科技局", "镇海区科技局"),
                ("商务局", "镇海区商务局"),
                ("组织部", "区委组织部"),
                ("骆驼街道", "骆驼街道办事处"),
            ]
        )
    }
    office = make("office")
    OfficeMember.objects.create(user=office)
    economy = make("economy", department=Department.ECONOMY)
    leader = make("leader", department=Department.ECONOMY)
    science = make("science", department=Department.SCIENCE)
    commerce = make("commerce", department=Department.COMMERCE)
    proposer = make("member", role=Role.EXPERT)
    UnitMember.objects.create(user=economy, unit=units["经信局"])
    UnitMember.objects.create(user=leader, unit=units["经信局"], is_leader=True)
    UnitMember.objects.create(user=science, unit=units["科技局"])
    UnitMember.objects.create(user=commerce, unit=units["商务局"])
    return {
        "units": units,
        "office": office,
        "economy": economy,
        "leader": leader,
        "science": science,
        "commerce": commerce,
        "proposer": proposer,
        **users,
    }


@pytest.fixture
def register(people):
    from zhuanxing.proposals import services

    def _register(number=10, **extra):
        fields = {
            "body": "cppcc",
            "term": 9,
            "meeting": 4,
            "number": number,
            "title": "关于镇海区传统产业的改造路径与创新发展的建议",
            "proposer": "经济界别工委",
            "proposer_kind": "group",
            "submitted_on": dt.date(2024, 9, 1),
            "proposer_user": people["proposer"],
        } | extra
        return services.proposal_register(actor=people["office"], **fields)

    return _register


@pytest.fixture
def assigned(people, register):
    """The seed's proposal assigned to 经信局 with 科技局 and 商务局 on ASSIGNED."""
    from zhuanxing.proposals import services

    units = people["units"]
    return services.proposal_assign(
        actor=people["office"],
        proposal=register(),
        lead=units["经信局"],
        co_units=[units["科技局"], units["商务局"]],
        on=ASSIGNED,
    )


@pytest.fixture
def template(people):
    from zhuanxing.proposals import documents, services

    content = documents.build_template(
        letterhead="宁波市镇海区经济和信息化局文件", paragraphs=SEED_PARAGRAPHS
    )
    return services.template_upload(
        actor=people["economy"], unit=people["units"]["经信局"], name="提案答复", content=content
    )


def lead_of(proposal):
    from zhuanxing.proposals.models import Assignment

    return proposal.assignments.get(round=proposal.round, role=Assignment.Role.LEAD, active=True)


def co_of(proposal, unit_name):
    return proposal.assignments.get(unit__name=unit_name, active=True)
