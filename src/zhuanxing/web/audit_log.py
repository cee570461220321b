"""The audit log as a person reads it: filters, field labels and display values, the xlsx rows.

An entry stores ``old``/``new`` as JSON dicts keyed by field name (``accounts.audit``); here
each key becomes the field's verbose name and each value its display form (a choice's label,
是/否 for a flag), looked up on the model the entry names, so no query per entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhuanxing.accounts.models import AuditEntry

EMPTY = "—"
EXPORT_HEADERS = [
    "链序号",
    "时间",
    "操作人",
    "来源地址",
    "操作",
    "对象类型",
    "对象编号",
    "对象",
    "字段",
    "原值",
    "新值",
    "原因",
]


def model_for(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def type_label(object_type: str) -> str:
    model = model_for(object_type)
    return str(model._meta.verbose_name) if model else object_type


class AuditFilterForm(forms.Form):
    actor = forms.TypedChoiceField(label=gettext_lazy("操作人"), required=False, coerce=int, empty_value=None)
    type = forms.ChoiceField(label=gettext_lazy("对象类型"), required=False)
    object_id = forms.CharField(label=gettext_lazy("对象编号"), required=False, max_length=64)
    date_from = forms.DateField(
        label=gettext_lazy("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        actor_ids = AuditEntry.objects.exclude(actor=None).values("actor").distinct()
        actors = get_user_model().objects.filter(pk__in=actor_ids).order_by("username")
        self.fields["actor"].choices = [("", _("全部"))] + [
            (u.pk, u.display_name or u.username) for u in actors
        ]
        types = AuditEntry.objects.order_by().values_list("object_type", flat=True).distinct()
        self.fields["type"].choices = [("", _("全部"))] + sorted(
            ((t, type_label(t)) for t in types), key=lambda choice: choice[1]
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("截止日期不能早于起始日期"))
        return cleaned


def filtered_entries(form: AuditFilterForm):
    """The entries the valid filters select; an invalid filter is left out (the form shows why)."""
    entries = AuditEntry.objects.select_related("actor")
    values = form.cleaned_data if form.is_valid() else {}
    if values.get("actor"):
        entries = entries.filter(actor_id=values["actor"])
    if values.get("type"):
        entries = entries.filter(object_type=values["type"])
    if values.get("object_id"):
        entries = entries.filter(object_id=values["object_id"].strip())
    if values.get("date_from"):
        entries = entries.filter(at__date__gte=values["date_from"])
    if values.get("date_to"):
        entries = entries.filter(at__date__lte=values["date_to"])
    return entries


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


def display_value(field: models.Field | None, value) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if field is not None and field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, (list, dict)):
        return "、".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return str(value)


def field_changes(entry: AuditEntry) -> list[FieldChange]:
    """One line per field the entry names, labelled as the model labels it."""
    model = model_for(entry.object_type)
    old, new = entry.old or {}, entry.new or {}
    if not isinstance(old, dict) or not isinstance(new, dict):
        return [FieldChange("", display_value(None, entry.old), display_value(None, entry.new))]
    changes = []
    for name in dict.fromkeys([*old, *new]):
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            field = None
        if field is not None and field.auto_created and not field.concrete:
            field = None  # a reverse relation that happens to share the key's name
        label = str(getattr(field, "verbose_name", name)) if field is not None else name
        changes.append(
            FieldChange(label, display_value(field, old.get(name)), display_value(field, new.get(name)))
        )
    return changes


def actor_name(entry: AuditEntry) -> str:
    actor = entry.actor
    if actor is not None:
        return actor.display_name or actor.username
    return entry.actor_name or EMPTY  # the account was removed; the entry still names it


def export_rows(entries):
    """One spreadsheet row per changed field (an entry without fields still gets one row)."""
    for entry in entries.iterator(chunk_size=2000):
        head = [
            entry.seq,
            entry.at,
            actor_name(entry),
            entry.source_address,
            entry.action,
            type_label(entry.object_type),
            entry.object_id,
        ]
        for change in field_changes(entry) or [FieldChange("", "", "")]:
            yield [*head, entry.object_repr, change.label, change.old, change.new, entry.reason]
