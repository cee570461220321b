from __future__ import annotations

from django import forms
from django.db.models import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

from zhuanxing import awards
from zhuanxing.attachments import DOCUMENTS, AttachmentField
from zhuanxing.awards.policy import LevelDifference
from zhuanxing.programs.models import BANK_FIELDS, Application, ConflictDeclaration, ReviewAssignment
from zhuanxing.web.forms import DateField, EnterpriseField


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(AttachmentField):
    """Several attachments from one input, each checked by content; cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


def _plan(text: str) -> list[int]:
    try:
        return [int(part) for part in text.replace("，", ",").split(",") if part.strip()]
    except ValueError as exc:
        raise forms.ValidationError("请填写用逗号分隔的整数，如 30,70") from exc


class PolicySettingsForm(forms.Form):
    document = AttachmentField(label=_("政策原文（可选）"), required=False, kinds=DOCUMENTS)
    opens_on = DateField(label=_("申报开始"), required=False)
    closes_on = DateField(label=_("申报截止"), required=False)
    budget = forms.DecimalField(
        label=_("预算（万元）"),
        required=False,
        min_value=0,
        decimal_places=2,
        help_text="留空则取政策文件中的 budget",
    )
    published = forms.BooleanField(label=_("发布（企业可查看和申报）"), required=False)
    payment_plan = forms.CharField(
        label=_("分期拨付比例（%）"), initial="30,70", help_text="如 30,70；一次拨付填 100"
    )

    def clean_payment_plan(self):
        return _plan(self.cleaned_data["payment_plan"])


class PolicyCreateForm(PolicySettingsForm):
    policy_file = forms.FileField(label=_("政策文件（YAML）"), required=False)
    text = forms.CharField(
        label=_("或直接粘贴政策文件"), required=False, widget=forms.Textarea(attrs={"rows": 12})
    )

    field_order = ["policy_file", "text"]

    def clean(self):
        data = super().clean()
        upload = data.get("policy_file")
        if upload:
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("policy_file", "政策文件应为 UTF-8 编码的 YAML")
        if not (data.get("text") or "").strip() and not self.errors:
            self.add_error("text", "请上传或粘贴政策文件")
        return data


class PolicyEditForm(PolicySettingsForm):
    text = forms.CharField(label=_("政策文件（YAML）"), widget=forms.Textarea(attrs={"rows": 16}))
    expert_clauses = forms.MultipleChoiceField(
        label=_("需专家评审的条款"), required=False, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(label=_("修改原因"), required=False, max_length=200)

    def __init__(self, *args, clauses: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert_clauses"].choices = clauses


class ShippedPolicyForm(forms.Form):
    name = forms.ChoiceField(label=_("内置政策"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].choices = [(name, name) for name in awards.shipped_policies()]


class ClauseFieldsForm(forms.Form):
    """A clause's fields as the policy file declares them (the calculator's form)."""

    def __init__(self, *args, clause: awards.Clause, **kwargs):
        super().__init__(*args, **kwargs)
        self.clause = clause
        award = clause.award
        levels = list(award.amounts) if isinstance(award, LevelDifference) else []
        level_fields = {award.level, award.previous} if isinstance(award, LevelDifference) else set()
        required = set(clause.required_fields)
        for f in clause.fields:
            label = f"{f.label}（{f.unit}）" if f.unit else f.label
            if f.id in level_fields:
                field = forms.ChoiceField(
                    label=label, choices=[*BLANK_CHOICE_DASH, *[(lv, lv) for lv in levels]]
                )
            elif f.type == "date":
                field = DateField(label=label)
            else:
                field = forms.CharField(label=label, max_length=60)
            field.required = (
                False  # a draft may be incomplete: the engine says what is missing, submitting insists
            )
            field.needed_to_submit = f in required
            self.fields[f"field_{f.id}"] = field

    def field_values(self) -> dict[str, str]:
        return {
            f.id: ""
            if self.cleaned_data.get(f"field_{f.id}") is None
            else str(self.cleaned_data[f"field_{f.id}"])
            for f in self.clause.fields
        }


class ApplicationForm(ClauseFieldsForm):
    """The clause's fields, the project, the bank account and attachments."""

    project_name = forms.CharField(label=_("项目名称"), max_length=200, required=False)
    project_code = forms.CharField(
        label=_("项目编号"),
        max_length=60,
        required=False,
        help_text="同一项目申报多个条款时填写相同编号（从高不重复）",
    )

    bank_account_name = forms.CharField(label=_("收款户名"), max_length=100, required=False)
    bank_name = forms.CharField(label=_("开户银行"), max_length=100, required=False)
    bank_account = forms.CharField(label=_("银行账号"), max_length=40, required=False)
    attachments = MultipleFileField(label=_("附件（可多选）"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields([f"field_{f.id}" for f in self.clause.fields])  # the clause's own fields first

    def other_values(self) -> dict:
        names = ["project_name", "project_code", *BANK_FIELDS]
        return {name: self.cleaned_data.get(name, "") for name in names}

    @staticmethod
    def initial_for(application: Application) -> dict:
        initial = {f"field_{k}": v for k, v in application.fields.items()}
        names = ["project_name", "project_code", *BANK_FIELDS]
        return initial | {name: getattr(application, name) for name in names}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("意见或理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    reviewer = forms.IntegerField(widget=forms.HiddenInput)


class ReviewForm(forms.Form):
    opinion = forms.ChoiceField(label=_("评审意见"), choices=ReviewAssignment.Opinion.choices)
    comment = forms.CharField(label=_("评审说明"), widget=forms.Textarea(attrs={"rows": 3}))


class PaymentForm(forms.Form):
    stage = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    amount = forms.DecimalField(label=_("本期金额（万元）"), decimal_places=2, min_value=0)
    paid_on = DateField(label=_("拨付日期"), required=False)
    voucher = forms.CharField(label=_("凭证号"), required=False, max_length=60)


class BankForm(forms.Form):
    bank_account_name = forms.CharField(label=_("收款户名"), max_length=100)
    bank_name = forms.CharField(label=_("开户银行"), max_length=100)
    bank_account = forms.CharField(label=_("银行账号"), max_length=40)


class PublicObjectionForm(forms.Form):
    name = forms.CharField(label=_("姓名或单位"), max_length=100)
    contact = forms.CharField(label=_("联系方式"), max_length=100)
    text = forms.CharField(label=_("异议内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    captcha = forms.CharField(
        label=_("验证码"), max_length=8, help_text=_("请输入上图中的字符（不区分大小写）"), strip=True
    )


class ObjectionDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("处理结果"), choices=[("dismiss", "异议不成立"), ("uphold", "异议成立")]
    )
    reply = forms.CharField(label=_("处理意见"), max_length=1000)


class ReviewerProfileForm(forms.Form):
    institution = forms.CharField(label=_("工作单位"), max_length=200)


class ConflictForm(forms.Form):
    uscc = forms.CharField(label=_("企业统一社会信用代码"), max_length=18)
    relation = forms.ChoiceField(label=_("关系"), choices=ConflictDeclaration.Relation.choices)
    note = forms.CharField(label=_("说明"), required=False, max_length=200)


class EnterprisePickForm(forms.Form):
    """Staff entering a paper application choose the enterprise it is for."""

    uscc = EnterpriseField(queryset=None, label=_("代为申报的企业"))

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["uscc"].queryset = enterprises
