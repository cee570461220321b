"""Writes of the dashboard app: computing warnings from the records, and moving them along."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from zhuanxing.accounts.audit import record_change
from zhuanxing.dashboard import warning_rules
from zhuanxing.dashboard.models import EnterpriseWarning, WarningRuleFile
from zhuanxing.dashboard.selectors import warning_frame


def active_rules_text() -> str:
    latest = WarningRuleFile.objects.order_by("-created_at", "-id").first()
    return latest.text if latest else warning_rules.shipped_rules_text()


def active_rules() -> warning_rules.RuleSet:
    return warning_rules.parse_rules(active_rules_text())


@transaction.atomic
def warning_rules_save(*, actor, text: str) -> WarningRuleFile:
    """Save a new version of the rules if it passes the check; otherwise raise a ValidationError
    listing every problem by key path, and the rules in force stay as they are."""
    try:
        warning_rules.parse_rules(text)
    except warning_rules.RuleError as exc:
        raise ValidationError({"text": exc.problems}) from exc
    old = active_rules_text()
    saved = WarningRuleFile(text=text, created_by=actor)
    saved.full_clean()
    saved.save()
    record_change(actor=actor, action="预警规则修改", obj=saved, old={"text": old}, new={"text": text})
    return saved


@transaction.atomic
def warnings_compute(*, years: list[int] | None = None) -> int:
    """Evaluate every rule over the enterprises' years and add the warnings not yet recorded
    (a warning already moved on keeps its state). Returns the number of new warnings."""
    rules = active_rules()
    labels = {rule.id: rule.label for rule in rules.rules}
    found = warning_rules.evaluate(rules, warning_frame(years))
    if years:
        found = found.filter(found["year"].is_in(years))
    existing = set(
        EnterpriseWarning.objects.filter(year__in=found["year"].unique().to_list()).values_list(
            "enterprise_id", "year", "rule"
        )
    )
    new = [
        EnterpriseWarning(enterprise_id=enterprise_id, year=year, rule=rule, label=labels[rule])
        for enterprise_id, year, rule in found.iter_rows()
        if (enterprise_id, year, rule) not in existing
    ]
    EnterpriseWarning.objects.bulk_create(new, batch_size=2000)
    return len(new)


@transaction.atomic
def warning_move(*, actor, warning: EnterpriseWarning, to: str, note: str = "") -> EnterpriseWarning:
    """新 → 已核实 (with a note) → 已处理, or 误报 from 新 or 已核实; audited."""
    allowed = EnterpriseWarning.MOVES.get(warning.state, ())
    if to not in allowed:
        raise ValidationError({"state": f"预警处于「{warning.state}」，不能改为「{to}」"})
    if to == EnterpriseWarning.State.VERIFIED and not note.strip():
        raise ValidationError({"note": "核实预警需填写核实说明"})
    old = {"state": warning.state, "note": warning.note}
    warning.state = to
    if note.strip():
        warning.note = note.strip()
    warning.updated_by = actor
    warning.full_clean()
    warning.save()
    record_change(
        actor=actor,
        action="预警处理",
        obj=warning,
        old=old,
        new={"state": warning.state, "note": warning.note},
    )
    return warning


def recompute_warnings_on_commit(year: int) -> None:
    """The one call the imports and evaluation services make: recompute the year's warnings
    (and the next year's, whose 'last year' changed) once their transaction commits."""
    transaction.on_commit(lambda: warnings_compute(years=[year, year + 1]))
