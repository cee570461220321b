"""Every irreversible action asks before it acts: the form (or the button that submits it)
carries data-confirm with one sentence saying what will happen; site.js shows it."""

import re
from pathlib import Path

import pytest

import zhuanxing

SOURCE = Path(zhuanxing.__file__).parent

# (template, a string found only in the tag that opens the action's form, or its button)
IRREVERSIBLE = [
    ("evaluation/templates/evaluation/run_detail.html", "run.pk 'publish'", "发起公示"),
    ("evaluation/templates/evaluation/run_detail.html", "run.pk 'delete'", "删除草稿"),
    ("evaluation/templates/evaluation/run_detail.html", "run.pk 'finalize'", "结束公示并定档"),
    ("evaluation/templates/evaluation/report_card.html", 'id="regrade-form"', "调档"),
    ("programs/templates/programs/application_detail.html", "application.pk 'submit'", "提交申报"),
    ("programs/templates/programs/application_detail.html", "application.pk 'approve'", "核定"),
    ("programs/templates/programs/application_detail.html", "application.pk 'return'", "退回补正"),
    ("programs/templates/programs/application_detail.html", "application.pk 'reject'", "不予支持"),
    ("programs/templates/programs/application_detail.html", 'id="payment-form"', "登记拨付"),
    ("programs/templates/programs/policy_detail.html", "programs:policy_approve", "核定全部"),
    ("programs/templates/programs/automatic.html", "programs:policy_approve", "全部确认"),
    ("imports/templates/imports/batch_detail.html", 'id="rollback-form"', "回滚本批次"),
    ("imports/templates/imports/preview.html", 'id="confirm-form"', "确认导入"),
    ("maps/templates/maps/import_preview.html", 'class="actions"', "确认导入"),
    ("campaigns/templates/campaigns/record_import.html", "campaigns:record_import_confirm", "确认导入"),
    ("techmarket/templates/techmarket/demand_detail.html", "demand.pk 'withdraw'", "撤回"),
    ("techmarket/templates/techmarket/demand_detail.html", "demand.pk 'solve'", "标记已解决"),
    ("techmarket/templates/techmarket/demand_detail.html", "m.pk 'terminate'", "终止"),
    ("techmarket/templates/techmarket/broker_list.html", "c.pk 'approve'", "核定"),
    ("techmarket/templates/techmarket/broker_list.html", "c.pk 'pay'", "拨付"),
    ("techmarket/templates/techmarket/lot_detail.html", "lot.pk 'close'", "结束"),
    ("proposals/templates/proposals/detail.html", 'value="publish"', "公开答复"),
    ("proposals/templates/proposals/detail.html", 'id="approve"', "签发"),
]
TAG = re.compile(r"<(form|button)\b[^>]*>", re.S)
# a translated sentence, or one the view words (``{{ confirms.reject }}``)
CONFIRM = re.compile(r"""data-confirm="(?:\{% translate ['"]([^'"]+)['"] %\}|\{\{ [\w.]+ \}\})\"""")


def asking_tags(text: str, marker: str) -> list[str]:
    """The tag holding the marker and, when it is a button, the tag opening its form."""
    tags = [m for m in TAG.finditer(text) if marker in m.group(0)]
    assert len(tags) == 1, f"the marker {marker!r} should sit in exactly one form or button"
    tag = tags[0]
    if tag.group(1) == "form":
        return [tag.group(0)]
    form_start = text.rindex("<form", 0, tag.start())
    return [tag.group(0), text[form_start : text.index(">", form_start) + 1]]


@pytest.mark.parametrize(("template", "marker", "action"), IRREVERSIBLE, ids=lambda v: str(v))
def test_the_irreversible_action_asks_with_one_sentence(template, marker, action):
    text = (SOURCE / template).read_text(encoding="utf-8")
    asks = [found for tag in asking_tags(text, marker) if (found := CONFIRM.search(tag))]
    assert asks, f"{action} ({template}) acts without asking"
    sentence = asks[0].group(1)
    if sentence is not None:  # worded here, not by the view
        assert sentence.endswith(("。", "？")) and len(sentence) >= 10
