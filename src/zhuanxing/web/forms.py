"""The site's one way of rendering forms, and the form widgets every app shares."""

from pathlib import Path

import django.forms
from django import forms
from django.forms.renderers import DjangoTemplates
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

# Templates here replace Django's own of the same name (django/forms/div.html, p.html,
# field.html, widgets/select_option.html), so that {{ form }}, {{ form.as_p }} and
# {{ field.as_field_group }} all come out the same way: labels with "：", one required mark,
# help under the field, errors inline and summed up at the top, "请选择" for the empty choice.
SITE_FORM_TEMPLATES = Path(__file__).parent / "form_templates"
DJANGO_FORM_TEMPLATES = Path(django.forms.__file__).parent / "templates"


class SiteFormRenderer(DjangoTemplates):
    """``FORM_RENDERER`` of the site: Django's template renderer, the site's templates first."""

    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [SITE_FORM_TEMPLATES, DJANGO_FORM_TEMPLATES],
                "NAME": "siteforms",
                "OPTIONS": {},
            }
        )


# Dates are written yyyy-mm-dd everywhere. <input type=date> would show the browser locale's
# order (mm/dd/yyyy under en-US), so the site uses a text input with a hint and a pattern;
# 2026/3/31 and 20260331 (what a phone's number pad can type) are read too.
DATE_DISPLAY_FORMAT = "%Y-%m-%d"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"]
DATE_PATTERN = r"\d{4}([\-/]\d{1,2}[\-/]\d{1,2}|\d{4})"


class DateInput(forms.DateInput):
    """A date as yyyy-mm-dd text, whatever the browser's language."""

    input_type = "text"

    def __init__(self, attrs=None):
        hints = {
            "placeholder": "yyyy-mm-dd",
            "pattern": DATE_PATTERN,
            "inputmode": "numeric",
            "autocomplete": "off",
            "title": _("日期，格式 yyyy-mm-dd，如 2026-03-31"),
        }
        super().__init__(attrs={**hints, **(attrs or {})}, format=DATE_DISPLAY_FORMAT)


class DateField(forms.DateField):
    """A date field read as yyyy-mm-dd, refused in Chinese naming the expected form."""

    widget = DateInput
    input_formats = DATE_INPUT_FORMATS
    default_error_messages = {"invalid": _("日期格式不对，请按 yyyy-mm-dd 填写，如 2026-03-31")}


class EnterprisePicker(forms.TextInput):
    """Pick an enterprise by typing its name or credit code: as one types, htmx fills a
    <datalist> from registry:enterprise_suggest; the value sent is the credit code."""

    template_name = "web/forms/enterprise_picker.html"

    def __init__(self, attrs=None):
        hints = {
            "placeholder": _("输入企业名称或统一社会信用代码"),
            "autocomplete": "off",
            "hx-trigger": "input changed delay:250ms",
            "hx-swap": "innerHTML",
        }
        super().__init__(attrs={**hints, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        options_id = f"{widget_attrs.get('id') or name}-options"
        # htmx sends the input under its own name; ?field= tells the endpoint which one that is
        widget_attrs["hx-get"] = f"{reverse('registry:enterprise_suggest')}?field={name}"
        widget_attrs["hx-target"] = f"#{options_id}"
        widget_attrs["list"] = options_id
        context["widget"]["options_id"] = options_id
        return context


class EnterpriseField(forms.ModelChoiceField):
    """An enterprise chosen with the picker, by credit code. Give it the enterprises the user
    may act for: anything else is refused, whatever was typed."""

    widget = EnterprisePicker
    default_error_messages = {"invalid_choice": _("企业库中没有该企业，请从提示中选择")}

    def __init__(self, queryset, **kwargs):
        kwargs["to_field_name"] = "uscc"  # also over a foreign key's own "id"
        super().__init__(queryset, **kwargs)
