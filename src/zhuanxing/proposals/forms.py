from __future__ import annotations

from django import forms
from django.db.models import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

from zhuanxing.proposals.models import Body, Rating, ReplyClass, ReplyTemplate, Unit
from zhuanxing.web.forms import DateField


class ImportForm(forms.Form):
    body = forms.ChoiceField(label=_("类型"), choices=Body.choices)
    file = forms.FileField(label=_("提案清单（xlsx）"))


class AssignForm(forms.Form):
    lead = forms.ModelChoiceField(label=_("主办单位"), queryset=Unit.objects.all(), required=False)
    co_units = forms.ModelMultipleChoiceField(
        label=_("会办单位"), queryset=Unit.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    on = DateField(label=_("交办日期"), required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label=_("延期工作日"), min_value=1)
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 2}))


class CoViewForm(forms.Form):
    text = forms.CharField(label=_("会办意见"), widget=forms.Textarea(attrs={"rows": 5}))
    figures = forms.CharField(
        label=_("数据（每行一项）"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DraftForm(forms.Form):
    template = forms.ModelChoiceField(label=_("答复模板"), queryset=ReplyTemplate.objects.none())
    reply_class = forms.ChoiceField(
        label=_("标注类别"), choices=[*BLANK_CHOICE_DASH, *ReplyClass.choices], required=False
    )
    addressee = forms.CharField(label=_("收件人"), required=False)
    body = forms.CharField(
        label=_("正文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("可插入图表数据，如 {{ 图表: recognitions.total @ 2014 }}"),
    )
    reply_date = DateField(label=_("落款日期"), required=False)

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if unit is not None:
            self.fields["template"].queryset = ReplyTemplate.objects.filter(unit=unit)


class FeedbackForm(forms.Form):
    handling = forms.ChoiceField(label=_("对办理过程"), choices=Rating.choices)
    result = forms.ChoiceField(label=_("对办理结果"), choices=Rating.choices)
    comment = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TemplateForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=Unit.objects.all())
    name = forms.CharField(label=_("模板名称"))
    number_pattern = forms.CharField(label=_("文号格式"), initial="镇经信案复〔{year}〕{n}号")
    file = forms.FileField(label=_("模板文件（.docx）"))
