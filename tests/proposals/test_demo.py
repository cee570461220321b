"""The demo: the seed's proposal answered from the demo's records, and a dozen cases at every stage."""

import io
import re

import pytest
from docx import Document

from zhuanxing.proposals import figures
from zhuanxing.proposals.models import Assignment, Proposal, ReplyDraft

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    from zhuanxing.accounts import demo as accounts_demo
    from zhuanxing.campaigns import demo as campaigns_demo
    from zhuanxing.proposals import demo
    from zhuanxing.registry.demo import build_demo_registry

    out = io.StringIO()
    build_demo_registry(enterprises=150, seed=3)
    for builder in (accounts_demo, campaigns_demo, demo):
        builder.build(seed=3, stdout=out)
    return out.getvalue()


def test_the_seed_reply_quotes_every_figure_from_the_records(demo):
    from zhuanxing.campaigns.demo import YEARS

    case = Proposal.objects.get(body="cppcc", term=9, meeting=4, number=10)
    assert case.title == "关于镇海区传统产业的改造路径与创新发展的建议" and case.proposer == "经济界别工委"
    roles = {a.unit.name: a.role for a in case.assignments.all()}
    assert roles == {"经信局": "lead", "科技局": "co", "商务局": "co", "组织部": "co"}
    assert all(hasattr(a, "view") for a in case.assignments.filter(role=Assignment.Role.CO))
    reply = case.drafts.get(state=ReplyDraft.State.APPROVED)
    text = "\n".join(p.text for p in Document(io.BytesIO(bytes(reply.docx))).paragraphs)
    assert "{{" not in text and "宁波市镇海区经济和信息化局文件" in text
    assert re.search(r"镇经信案复〔\d{4}〕10号", text) and "标注类别：B" in text
    assert "经我局会同科技局、商务局、组织部研究" in text
    year = max(YEARS)
    assert len(reply.figures) >= 25
    for used in reply.figures:
        assert used["year"] == year
        code, _bracket, part = used["code"].partition("[")
        expected = figures.compute(code, year)
        if part:
            expected = expected.part(part.rstrip("]"))
        assert used["text"] == expected.text, used["code"]
    total = figures.compute("recognitions.total", year)
    assert f"总数已达{total.text}" in text and total.value > 0
    assert (case.state, case.reply_class, case.published) == (Proposal.State.CLOSED, "B", True)


def test_a_dozen_more_cases_at_different_stages(demo):
    states = set(Proposal.objects.exclude(number=10).values_list("state", flat=True))
    assert Proposal.objects.count() == 13
    assert states == {"registered", "returned", "handling", "awaiting", "replied", "closed"}
    assert Proposal.objects.filter(round=2).exists()  # an unsatisfied proposer's second handling
    assert Proposal.objects.filter(body="npc").count() == 3
    assert ReplyDraft.objects.filter(kind="follow_up", state="approved").exists()
