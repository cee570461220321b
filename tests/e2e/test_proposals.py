"""The office assigns the seed's proposal, a co-unit writes its view, the lead unit drafts the reply
with figures from the records, its leader signs it, the .docx is downloaded and the proposer is 满意."""

import io

import pytest
from docx import Document

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in
from tests.proposals.conftest import people, register, template  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = None  # set to a folder (a pathlib.Path) to keep the screenshots


def test_a_proposal_from_assignment_to_the_proposers_feedback(browse, people, register, tmp_path):  # noqa: F811
    from zhuanxing.campaigns.models import Recognition, RecognitionKind, RecognitionLevel, TalentPlan
    from zhuanxing.campaigns.reference import install_reference
    from zhuanxing.proposals import documents, services
    from zhuanxing.proposals.models import Proposal

    install_reference(RecognitionKind, RecognitionLevel, TalentPlan)  # emptied by the transactional test
    kind = RecognitionKind.objects.get(code="engineering-centre")
    for n in range(3):
        Recognition.objects.create(
            institution=f"研究机构{n}",
            kind=kind,
            level=RecognitionLevel.objects.get(kind=kind, name="市级"),
            year=2014,
        )
    services.template_upload(
        actor=people["economy"],
        unit=people["units"]["经信局"],
        name="提案答复",
        content=documents.build_template(
            letterhead="宁波市镇海区经济和信息化局文件", paragraphs=["{{ 正文 }}"]
        ),
    )
    proposal = register()
    shots = SHOTS or tmp_path
    url = f"/proposals/{proposal.pk}/"

    office = browse()
    log_in(office, "office", PASSWORD)
    office.goto(url)
    office.select_option("#assign-form select[name=lead]", label="经信局")
    for unit in ("科技局", "商务局", "组织部"):
        office.check(f"#assign-form label:has-text('{unit}') input")
    office.click("#assign-form button[type=submit]")
    office.wait_for_selector(".messages >> text=已交办")
    assert "办理中" in office.inner_text("#state")

    science = browse()
    log_in(science, "science", PASSWORD)
    science.goto(url)
    science.fill("#coview-form textarea[name=text]", "科技市场于2014年5月正式投入运行。")
    science.fill("#coview-form textarea[name=figures]", "2014年促成签约项目 9 项")
    science.click("#coview-form button[type=submit]")
    science.wait_for_selector(".messages >> text=已送达会办意见")

    lead = browse()
    log_in(lead, "economy", PASSWORD)
    lead.goto(url)
    assert "科技市场于2014年5月正式投入运行。" in lead.inner_text("#views")
    lead.select_option("#draft-form select[name=reply_class]", "B")
    lead.fill(
        "#draft-form textarea[name=body]",
        "截至2014年底，工程（技术）中心总数已达{{ 图表: recognitions.total @ 2014 }}。",
    )
    lead.click("#draft-form button[type=submit]")
    lead.wait_for_selector(".messages >> text=引用数据 1 项")
    assert "3家" in lead.inner_text("#draft")
    lead.set_viewport_size({"width": 1366, "height": 900})
    lead.screenshot(path=str(shots / "proposal-draft-desktop.png"), full_page=True)
    lead.click("#draft button[value=submit]")
    lead.wait_for_selector(".messages >> text=已提交审签")

    leader = browse()
    log_in(leader, "leader", PASSWORD)
    leader.goto(url)
    leader.on("dialog", lambda dialog: dialog.accept())
    leader.click("#approve")
    leader.wait_for_selector(".messages >> text=已签发")
    with leader.expect_download() as download:
        leader.click("#download-docx")
    saved = tmp_path / "reply.docx"
    download.value.save_as(saved)
    text = "\n".join(p.text for p in Document(io.BytesIO(saved.read_bytes())).paragraphs)
    assert "镇经信案复" in text and "标注类别：B" in text and "总数已达3家" in text

    member = browse()
    member.set_viewport_size({"width": 390, "height": 844})
    log_in(member, "member", PASSWORD)
    member.goto("/proposals/mine/")
    member.select_option("#mine select[name=handling]", label="满意")
    member.select_option("#mine select[name=result]", label="满意")
    member.on("dialog", lambda dialog: dialog.accept())
    member.click("#mine button[type=submit]")
    member.wait_for_selector(".messages >> text=本件办结")
    member.screenshot(path=str(shots / "proposal-mine-phone.png"), full_page=True)
    proposal.refresh_from_db()
    assert (proposal.state, proposal.reply_class) == (Proposal.State.CLOSED, "B")
    assert proposal.feedbacks.get().result == "satisfied"
