from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhuanxing.attachments import AttachmentField
from zhuanxing.evaluation import selectors
from zhuanxing.evaluation.models import EvaluationFlag
from zhuanxing.evaluation.services import OBJECTION_FIELDS
from zhuanxing.scoring import shipped_schemes
from zhuanxing.web.forms import EnterprisePicker


def _year_choices(newest_data: int | None = None):
    years = set(range(timezone.localdate().year, timezone.localdate().year - 8, -1))
    years |= {newest_data} if newest_data else set()
    return [(y, f"{y}年度") for y in sorted(years, reverse=True)]


class RunCreateForm(forms.Form):
    year = forms.TypedChoiceField(label=_("数据年度"), coerce=int, choices=_year_choices)
    scheme_id = forms.ChoiceField(label=_("评价方案"), required=False)
    scheme_file = forms.FileField(label=_("或上传方案文件（YAML）"), required=False)
    note = forms.CharField(label=_("说明"), required=False, max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # By default the newest year that has data (the current year usually has none yet)
        # and the district's own scheme, not whichever scheme sorts first.
        newest = selectors.newest_data_year()
        self.fields["year"].choices = _year_choices(newest)
        self.fields["year"].initial = newest
        schemes = shipped_schemes()
        self.fields["scheme_id"].choices = [(s.id, f"{s.name}（{s.id}）") for s in schemes]
        self.fields["scheme_id"].initial = selectors.district_scheme_id(schemes)

    def scheme_text(self) -> str:
        upload = self.cleaned_data.get("scheme_file")
        if not upload:
            return ""
        raw = upload.read()
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError("方案文件应为 UTF-8 编码的 YAML") from exc


class PublishForm(forms.Form):
    days = forms.IntegerField(label=_("公示天数"), min_value=1, max_value=60, initial=7)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 2}))


class ObjectionForm(forms.Form):
    field = forms.ChoiceField(
        label=_("异议数据项"), choices=sorted(OBJECTION_FIELDS.items(), key=lambda kv: kv[1])
    )
    claimed_value = forms.CharField(label=_("企业认为的正确值"), required=False, max_length=40)
    reason = forms.CharField(label=_("异议理由"), widget=forms.Textarea(attrs={"rows": 3}))
    attachment = AttachmentField(label=_("证明材料（可选）"), required=False)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("处理结果"), choices=[("accept", _("采纳并更正数据")), ("reject", _("不予采纳"))]
    )
    corrected_value = forms.CharField(label=_("更正值（采纳时）"), required=False, max_length=40)
    reply = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 2}))


class RegradeForm(forms.Form):
    new_class = forms.CharField(label=_("调整为"), max_length=4)
    reason = forms.CharField(label=_("调档原因"), widget=forms.Textarea(attrs={"rows": 2}))


class FlagForm(forms.Form):
    uscc = forms.CharField(label=_("企业"), max_length=18, widget=EnterprisePicker)  # sends the credit code
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=_year_choices)
    kind = forms.ChoiceField(label=_("事项"), choices=EvaluationFlag.Kind.choices)
    present = forms.TypedChoiceField(
        label=_("操作"), coerce=lambda v: v == "1", choices=[("1", _("登记")), ("0", _("撤销"))]
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=255)
