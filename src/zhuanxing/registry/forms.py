from django import forms
from django.utils.translation import gettext_lazy as _

from zhuanxing.registry.models import Enterprise, Town
from zhuanxing.web.forms import DateField


class EnterpriseForm(forms.Form):
    """Input for creating or editing an enterprise; the service validates the model fully."""

    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    name = forms.CharField(label=_("企业名称"), max_length=100)
    town = forms.ModelChoiceField(label=_("所属镇街"), queryset=Town.objects.all())
    industry = forms.CharField(label=_("行业代码（4位小类）"), max_length=4)
    scale = forms.ChoiceField(label=_("规模"), choices=Enterprise.Scale.choices)
    founded = DateField(label=_("成立日期"), required=False)
    status = forms.ChoiceField(label=_("状态"), choices=Enterprise.Status.choices)
    tags = forms.CharField(label=_("标签（逗号分隔）"), required=False)
    address = forms.CharField(label=_("地址"), required=False)
    contact_name = forms.CharField(label=_("联系人"), required=False)
    contact_phone = forms.CharField(label=_("联系电话"), required=False)
    reason = forms.CharField(label=_("修改原因"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, data=None, *, instance: Enterprise | None = None):
        initial = None
        if instance is not None:
            initial = {name: getattr(instance, name) for name in self.PLAIN_FIELDS}
            initial.update(
                town=instance.town_id,
                industry=instance.industry_id,
                tags=", ".join(instance.tags.values_list("name", flat=True)),
            )
        super().__init__(data, initial=initial)
        if instance is None:
            del self.fields["reason"]

    PLAIN_FIELDS = ("uscc", "name", "scale", "founded", "status", "address", "contact_name", "contact_phone")
