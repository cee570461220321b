"""Every form renders through the site's renderer: "：" labels, one required mark, help under
the field, inline errors with a summary at the top, "请选择" for the empty choice."""

from datetime import date

import pytest
from django import forms
from django.db.models import BLANK_CHOICE_DASH

from zhuanxing.web.forms import DateField


class SampleForm(forms.Form):
    name = forms.CharField(label="企业名称", help_text="与营业执照一致")
    town = forms.ChoiceField(label="镇街", choices=[*BLANK_CHOICE_DASH, ("a", "甲镇")])
    note = forms.CharField(label="备注", required=False)


def test_labels_end_in_the_chinese_colon_and_required_fields_carry_one_mark():
    html = str(SampleForm())
    assert 'for="id_name">企业名称<abbr class="required" title="必填">*</abbr>：</label>' in html
    assert 'for="id_note">备注：</label>' in html
    assert html.count('class="required"') == 2  # name and town, not the optional note
    assert "（必填）" not in html and "企业名称:" not in html


def test_help_text_sits_under_the_field():
    html = str(SampleForm())
    assert html.index('id="id_name"') < html.index("与营业执照一致")
    assert '<small class="helptext" id="id_name_helptext">与营业执照一致</small>' in html


def test_the_empty_choice_reads_please_choose():
    html = str(SampleForm())
    assert '<option value="" selected>请选择</option>' in html and "---------" not in html


def test_errors_are_summed_up_at_the_top_and_shown_next_to_each_field():
    form = SampleForm(data={"name": "", "town": ""})
    html = form.as_p()  # as_p renders the same way as {{ form }}
    assert html.index("请更正以下 2 处错误") < html.index('id="id_name"')
    name_field = html[html.index('id="id_name"') : html.index('id="id_town"')]
    assert "这个字段是必填项" in name_field


def test_a_valid_form_has_no_summary():
    assert "请更正" not in str(SampleForm(data={"name": "甲", "town": "a"}))


class DatedForm(forms.Form):
    on = DateField(label="交办日期")


def test_the_date_widget_is_a_yyyy_mm_dd_text_input_whatever_the_browser_language():
    html = str(DatedForm(initial={"on": date(2026, 3, 1)})["on"])
    assert 'type="text"' in html and 'type="date"' not in html
    assert 'placeholder="yyyy-mm-dd"' in html and 'value="2026-03-01"' in html
    assert "pattern=" in html and 'inputmode="numeric"' in html


@pytest.mark.parametrize("typed", ["2026-03-01", "2026/3/1", "20260301"])
def test_the_date_field_reads_year_month_day(typed):
    form = DatedForm(data={"on": typed})
    assert form.is_valid() and form.cleaned_data["on"] == date(2026, 3, 1)


@pytest.mark.parametrize("typed", ["03/01/2026", "2026-13-01", "明天"])
def test_the_date_field_refuses_other_forms_naming_the_expected_one(typed):
    form = DatedForm(data={"on": typed})
    assert not form.is_valid()
    assert form.errors["on"] == ["日期格式不对，请按 yyyy-mm-dd 填写，如 2026-03-31"]
