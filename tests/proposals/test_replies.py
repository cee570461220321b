"""Reply templates, drafts with figures from the records, versions, approval, .docx and PDF."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document

from tests.proposals.conftest import SEED_PARAGRAPHS
from zhuanxing.campaigns.models import Recognition, RecognitionKind, RecognitionLevel
from zhuanxing.proposals import documents, services
from zhuanxing.proposals.models import Proposal, ReplyDraft

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def recognise(enterprise, kind_code, level_name, year=2014):
    kind = RecognitionKind.objects.get(code=kind_code)
    return Recognition.objects.create(
        enterprise=enterprise,
        kind=kind,
        level=RecognitionLevel.objects.get(kind=kind, name=level_name),
        year=year,
    )


def test_a_malformed_or_unknown_placeholder_is_refused_with_its_text_and_position(people):
    unit = people["units"]["经信局"]
    bad = documents.build_template(
        letterhead="镇海区经信局",
        paragraphs=[
            "总数 {{ 图表: recognitions.nothing @ 2014 }} 家",
            "比重 {{ 图表: recognitions.total @ 14 }}",
            "{{ 收件 }}",
            "未闭合 {{ 文号",
        ],
    )
    with pytest.raises(ValidationError) as caught:
        services.template_upload(actor=people["economy"], unit=unit, name="坏模板", content=bad)
    messages = caught.value.messages
    assert len(messages) == 4
    # letterhead, 文号 line, two headings, addressee: the figures are paragraphs 6 to 9
    assert messages[0].startswith("第6段第4字「{{ 图表: recognitions.nothing @ 2014 }}」：未知的图表代码")
    assert "第7段第4字「{{ 图表: recognitions.total @ 14 }}」" in messages[1] and "四位年份" in messages[1]
    assert "第8段第1字「{{ 收件 }}」：未知的字段「收件」" in messages[2]
    assert "第9段第5字" in messages[3] and "花括号未闭合" in messages[3]
    with pytest.raises(ValidationError, match="不是有效的 .docx"):
        services.template_upload(actor=people["economy"], unit=unit, name="x", content=b"not a docx")
    with pytest.raises(PermissionDenied):
        services.template_upload(actor=people["science"], unit=unit, name="x", content=bad)


def test_the_reply_takes_its_figures_from_the_records_and_changes_when_they_do(
    people, assigned, template, district
):
    engineering, institute = "engineering-centre", "research-institute"
    recognise(district["bearings"], engineering, "省级")
    recognise(district["chemicals"], institute, "省级")
    draft = services.draft_save(
        actor=people["economy"],
        proposal=assigned,
        template=template,
        body="经我局会同区科技局、商务局研究，答复如下：",
        reply_class="B",
        reply_date=dt.date(2015, 5, 25),
    )
    text = text_of(bytes(draft.docx))
    assert "镇经信案复〔2015〕10号" in text and "标注类别：B" in text
    assert "对区政协九届四次会议" in text and "第10号提案的答复" in text
    assert "经济界别工委：" in text and "镇海区经信局" in text and "2015年5月25日" in text
    assert "总数已达2家" in text
    # two 规上 firms of two hold one: 100%
    assert "比重达100.0%" in text
    assert "注：文中数据来源" in text and "recognitions.total，2014年" in text
    assert [f["code"] for f in draft.figures] == ["recognitions.total", "recognitions.rd_share"]
    recognise(district["fasteners"], engineering, "区级")
    again = services.draft_regenerate(actor=people["economy"], draft=draft)
    assert again.version == 2 and "总数已达3家" in text_of(bytes(again.docx))
    draft.refresh_from_db()
    assert draft.state == ReplyDraft.State.SUPERSEDED and "总数已达2家" in text_of(bytes(draft.docx))


def test_139_after_adding_a_recognition(people, assigned, template, district):
    kind = RecognitionKind.objects.get(code="engineering-centre")
    level = RecognitionLevel.objects.get(kind=kind, name="区级")
    Recognition.objects.bulk_create(
        Recognition(institution=f"研究机构{n}", kind=kind, level=level, year=2014) for n in range(138)
    )
    first = services.draft_save(
        actor=people["economy"], proposal=assigned, template=template, reply_class="B"
    )
    assert "总数已达138家" in text_of(bytes(first.docx))
    recognise(district["bearings"], "engineering-centre", "区级")
    second = services.draft_regenerate(actor=people["economy"], draft=first)
    assert "总数已达139家" in text_of(bytes(second.docx))
    assert second.figures[0]["value"] == "139" and second.version == 2


def test_a_draft_body_with_a_bad_placeholder_is_refused(people, assigned, template):
    with pytest.raises(ValidationError, match="正文第2行第3字「{{ 图表: nope @ 2014 }}」：未知的图表代码"):
        services.draft_save(
            actor=people["economy"],
            proposal=assigned,
            template=template,
            body="第一行\n数据{{ 图表: nope @ 2014 }}",
        )


def test_submission_needs_a_class_and_approval_needs_the_leader(people, assigned, template):
    draft = services.draft_save(actor=people["economy"], proposal=assigned, template=template)
    with pytest.raises(ValidationError, match="答复须标注类别（A/B/C/D）后方可提交审签"):
        services.draft_submit(actor=people["economy"], draft=draft)
    with pytest.raises(PermissionDenied):
        services.draft_save(actor=people["science"], proposal=assigned, template=template, reply_class="A")
    draft = services.draft_save(
        actor=people["economy"], proposal=assigned, template=template, reply_class="A"
    )
    services.draft_submit(actor=people["economy"], draft=draft)
    assigned.refresh_from_db()
    assert assigned.state == Proposal.State.AWAITING
    with pytest.raises(PermissionDenied, match="主办单位领导审签"):
        services.draft_approve(actor=people["economy"], draft=draft)
    services.draft_approve(actor=people["leader"], draft=draft, today=dt.date(2024, 11, 1))
    assigned.refresh_from_db()
    assert assigned.state == Proposal.State.REPLIED and assigned.reply_class == "A"
    assert assigned.replied_on == dt.date(2024, 11, 1)
    # the signed reply never changes: no more drafts for this round
    with pytest.raises(ValidationError, match="不能起草答复"):
        services.draft_save(actor=people["economy"], proposal=assigned, template=template, reply_class="B")


def test_the_reply_as_pdf_embeds_the_cjk_font(people, assigned, template, client_for):
    from django.test import Client

    draft = services.draft_save(
        actor=people["economy"], proposal=assigned, template=template, reply_class="C"
    )
    client = Client()
    client.force_login(people["economy"])
    pdf = client.get(f"/proposals/drafts/{draft.pk}/reply.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert b"WenQuanYiMicroHei" in pdf.content and b"FontFile2" in pdf.content
    docx = client.get(f"/proposals/drafts/{draft.pk}/reply.docx")
    assert "镇经信案复" in text_of(docx.content)
    # a proposer sees no draft that is not signed
    client.force_login(people["proposer"])
    assert client.get(f"/proposals/drafts/{draft.pk}/reply.docx").status_code == 404


def test_the_seed_template_lists_its_placeholders(template):
    assert "{{ 图表: recognitions.total @ 2014 }}" in template.placeholders
    assert "{{ 正文 }}" in template.placeholders
    assert len(SEED_PARAGRAPHS) == 2


def test_a_part_of_a_figure_by_its_label(people, assigned, district):
    engineering = "engineering-centre"
    recognise(district["bearings"], engineering, "省级")
    recognise(district["chemicals"], engineering, "市级")
    content = documents.build_template(
        letterhead="镇海区经信局",
        paragraphs=[
            "总数{{ 图表: recognitions.total @ 2014 }}，省级{{ 图表: recognitions.by_level[省级工程（技术）中心] @ 2014 }}"
        ],
    )
    parts = documents.scan_docx(content)
    assert [p.code for p in parts if p.code] == ["recognitions.total", "recognitions.by_level"]
    rendered, used = documents.render_docx(content, {}, "")
    assert "总数2家，省级1家" in text_of(rendered)
    assert used[1]["code"] == "recognitions.by_level[省级工程（技术）中心]"
