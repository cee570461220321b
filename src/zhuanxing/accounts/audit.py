"""Writing audit entries. Call inside the same transaction as the change it records."""

from __future__ import annotations

from django.db import models

from zhuanxing.accounts.models import AuditEntry


def record_change(
    *,
    actor,
    action: str,
    obj: models.Model,
    old: dict | None = None,
    new: dict | None = None,
    reason: str = "",
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        old=old,
        new=new,
        reason=reason,
    )


def field_values(obj: models.Model, fields: list[str]) -> dict:
    """The JSON-safe values of ``fields`` on ``obj``, for the old/new of an audit entry."""
    values = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, models.Model):
            value = value.pk
        values[name] = value if value is None or isinstance(value, (bool, int, float, str)) else str(value)
    return values


def changed_fields(old: dict, new: dict) -> tuple[dict, dict]:
    """Only the entries that differ, for a compact audit record."""
    keys = [k for k in new if old.get(k) != new.get(k)]
    return {k: old.get(k) for k in keys}, {k: new[k] for k in keys}
