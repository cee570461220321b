"""Input of one record from a page or the API: text cells, parsed by the record's spec exactly as
an imported row is, so a form, a JSON body and a spreadsheet get the same checks and messages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import BLANK_CHOICE_DASH
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhuanxing.campaigns import access, services
from zhuanxing.campaigns.records import (
    Column,
    Problem,
    RecordSpec,
    column_options,
    describe,
    field_problems,
    parse_row,
)
from zhuanxing.web.forms import DateInput


def _form_field(column: Column) -> forms.Field:
    field = _optional_form_field(column)
    # Left optional for the form so that parse_row reports every missing cell in its own words.
    field.needed_to_submit = column.required
    return field


def _optional_form_field(column: Column) -> forms.Field:
    # a column's label and help also name the spreadsheet's header in Chinese: translated only here
    label = _(str(column.label))
    help_text = _(str(column.help)) if column.help else column.help
    options = column_options(column)
    if column.choices or options is not None:
        choices = column.choices or tuple((name, name) for name in options)
        return forms.ChoiceField(
            label=label, choices=(*BLANK_CHOICE_DASH, *choices), required=False, help_text=help_text
        )
    if column.kind == "date":
        widget = DateInput()  # the text itself is read by parse_row, like an imported cell
    elif column.kind in ("integer", "decimal"):
        widget = forms.TextInput(attrs={"inputmode": "decimal"})
    else:
        widget = forms.TextInput()
    return forms.CharField(label=label, required=False, help_text=help_text, widget=widget)


class RecordForm(forms.Form):
    def __init__(self, spec: RecordSpec, data=None, *, record: models.Model | None = None):
        super().__init__(data, initial=spec.cells(record) if record is not None else None)
        for column in spec.columns:
            self.fields[column.id] = _form_field(column)
        if record is not None:
            self.fields["reason"] = forms.CharField(
                label=gettext_lazy("修改原因"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def add_errors(self, exc: ValidationError) -> None:
        for key, messages in exc.message_dict.items():
            self.add_error(key if key in self.fields else None, messages)


def input_error(spec: RecordSpec, problems: Iterable[Problem]) -> ValidationError:
    """Problems as one ValidationError keyed by column id, each message naming column and value."""
    errors: dict[str, list[str]] = defaultdict(list)
    for problem in problems:
        errors[problem.column or NON_FIELD_ERRORS].append(describe(spec, problem))
    return ValidationError(dict(errors))


def save_input(
    *,
    user,
    spec: RecordSpec,
    cells: Mapping[str, object],
    record: models.Model | None = None,
    reason: str = "",
    partial: bool = False,
) -> models.Model:
    """Parse, check the user may keep the record as it would be saved, and save (audited).
    Raises ValidationError keyed by column id, or PermissionDenied."""
    values, problems = parse_row(spec, cells, partial=partial)
    if problems:
        raise input_error(spec, problems)
    candidate = spec.model(**values) if record is None else record
    if record is not None:
        for name, value in values.items():
            setattr(candidate, name, value)
    access.access_write(user, spec, candidate)
    try:
        if record is None:
            return services.record_create(actor=user, spec=spec, values=values)
        return services.record_update(actor=user, spec=spec, record=record, values=values, reason=reason)
    except ValidationError as exc:
        raise input_error(spec, field_problems(spec, exc.message_dict)) from exc
