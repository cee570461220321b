"""Forms of the technology market pages (validation messages in Chinese)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zhuanxing.registry.models import Enterprise
from zhuanxing.techmarket.models import (
    FIELD_CHOICES,
    Consultation,
    Contract,
    Demand,
    Event,
    Expert,
    Institution,
    Listing,
    Match,
    VocabularyLine,
)
from zhuanxing.techmarket.services import DEMAND_FIELDS
from zhuanxing.web.forms import DateField, EnterpriseField


class DemandForm(forms.ModelForm):
    class Meta:
        model = Demand
        fields = DEMAND_FIELDS
        field_classes = {"deadline": DateField, "valid_until": DateField}
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 5}),
            "indicators": forms.Textarea(attrs={"rows": 2}),
            "current_state": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_until"].required = False
        self.fields["valid_until"].help_text = "留空为发布后180天"

    def values(self) -> dict:
        values = dict(self.cleaned_data)
        if not values.get("valid_until"):
            values.pop("valid_until", None)
        return values


class OnBehalfForm(forms.Form):
    """Staff post a demand for an enterprise."""

    enterprise = EnterpriseField(Enterprise.objects.all(), label="代为发布的企业")


class DeclineForm(forms.Form):
    """Shown as one inline row without visible labels: each control carries its label for
    screen readers instead."""

    reason = forms.ChoiceField(label=_("婉拒原因"), choices=Match.DeclineReason.choices)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = field.label


class ContractForm(forms.ModelForm):
    class Meta:
        model = Contract
        fields = [
            "kind",
            "title",
            "field",
            "amount",
            "tech_amount",
            "seller_name",
            "seller_region",
            "seller_institution",
            "buyer_name",
            "buyer_region",
            "buyer_enterprise",
            "signed_on",
            "registration_no",
            "registered_office",
            "registered_on",
        ]
        field_classes = {
            "signed_on": DateField,
            "registered_on": DateField,
            "buyer_enterprise": EnterpriseField,
        }

    def clean(self):
        """A contract recorded with its registration number is registered at once: office and date
        default to the district's registration point and today (as the service does)."""
        from django.utils import timezone

        from zhuanxing.techmarket.services import default_registration_office

        data = super().clean()
        if data.get("registration_no", "").strip():
            data["registered_office"] = data.get("registered_office") or default_registration_office()
            data["registered_on"] = data.get("registered_on") or timezone.localdate()
        return data


class RegistrationForm(forms.Form):
    """技术合同认定登记 of a recorded contract."""

    registration_no = forms.CharField(label="登记编号", max_length=40)
    registered_office = forms.CharField(label="登记机构", max_length=100)
    registered_on = DateField(label="登记日期")


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["name", "partner", "held_on", "place", "description"]
        field_classes = {"held_on": DateField}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ConsultationForm(forms.Form):
    areas = forms.MultipleChoiceField(
        label="诊断方向", choices=[(a, a) for a in Consultation.AREAS], widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(label="情况说明", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class AssignForm(forms.Form):
    experts = forms.ModelMultipleChoiceField(
        Expert.objects.filter(active=True, is_advisor=True),
        label="专家组",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )


class VisitForm(forms.Form):
    visited_on = DateField(label="走访日期")
    notes = forms.CharField(label="走访记录", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class ReportForm(forms.Form):
    report = forms.CharField(label="诊断报告", widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)
    problems = forms.CharField(
        label="发现的问题（每行一条）",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )


class ToDemandForm(forms.Form):
    problem = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    field = forms.ChoiceField(label="技术领域", choices=FIELD_CHOICES)


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="评分", coerce=int, choices=[(i, f"{i} 分") for i in range(5, 0, -1)]
    )
    comment = forms.CharField(label="评价", max_length=500, required=False)


class VocabularyForm(forms.ModelForm):
    class Meta:
        model = VocabularyLine
        fields = ["kind", "line"]


class SearchForm(forms.Form):
    q = forms.CharField(label="关键词", max_length=200, required=False)
    kind = forms.ChoiceField(
        label="类型",
        required=False,
        choices=[
            ("", "全部"),
            ("expert", "专家"),
            ("achievement", "成果"),
            ("institution", "机构"),
            ("demand", "需求"),
        ],
    )
    field = forms.ChoiceField(label="技术领域", required=False, choices=[("", "全部"), *FIELD_CHOICES])


def parse_amount(text: str, *, label: str) -> Decimal:
    """An amount in 万元 typed by a user, at most 2 decimals, with a message naming what was typed."""
    cleaned = text.strip().replace(",", "").replace("，", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(f"{label}「{text}」不是数字（单位：万元）") from None
    if not value.is_finite() or value <= 0 or value != value.quantize(Decimal("0.01")):
        raise ValidationError(f"{label}「{text}」应为大于 0、最多两位小数的金额（万元）")
    return value


class ListingForm(forms.ModelForm):
    class Meta:
        model = Listing
        fields = ["achievement", "mode", "price", "increment", "deposit", "starts_at", "ends_at"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args, achievements=None, **kwargs):
        super().__init__(*args, **kwargs)
        if achievements is not None:
            self.fields["achievement"].queryset = achievements
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class ChallengeForm(forms.Form):
    prize = forms.DecimalField(
        label="奖金（万元）", max_digits=14, decimal_places=2, min_value=Decimal("0.01")
    )
    closes_at = forms.DateTimeField(
        label="截止时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    eligible_kinds = forms.MultipleChoiceField(
        label="可揭榜机构类型（不选为不限）",
        choices=Institution.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    eligible_region = forms.CharField(label="限定地区（留空为不限）", max_length=40, required=False)
    panel = forms.ModelMultipleChoiceField(
        Expert.objects.filter(active=True, is_reviewer=True),
        label="评审专家组",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
