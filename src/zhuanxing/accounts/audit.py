"""Writing audit entries. Call inside the same transaction as the change it records."""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.db import models
from django.utils import translation

from zhuanxing.accounts.chain import seal_after_commit
from zhuanxing.accounts.models import AuditEntry

# The address of the request being served (set by ``AuditAddressMiddleware``), so that every
# entry names where it came from without each service passing the request down.
request_address: ContextVar[str] = ContextVar("request_address", default="")


def record_change(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    old: dict | None = None,
    new: dict | None = None,
    reason: str = "",
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    address: str | None = None,
) -> AuditEntry:
    """One entry; ``obj`` names the record, or ``object_type``/``object_id`` for an event that has
    none (a failed login names the account tried)."""
    user = actor if getattr(actor, "pk", None) else None
    entry = AuditEntry.objects.create(
        actor=user,
        actor_name=user.get_username() if user else "",
        source_address=(request_address.get() if address is None else address)[:45],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else object_type,
        object_id=str(obj.pk) if obj is not None else object_id,
        object_repr=(str(obj) if obj is not None else object_repr)[:200],
        old=old,
        new=new,
        reason=reason,
    )
    seal_after_commit()
    return entry


def in_site_language(text) -> str:
    """A label (often lazy) as the trail stores it: in the site's language (Chinese), whatever
    language the person acting reads the site in."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def record_account_event(action: str, username: str, *, address: str | None = None) -> AuditEntry:
    """A security event about an account named by what was typed (it may not exist): a failed
    login, a lockout."""
    return record_change(
        actor=None,
        action=action,
        object_type="accounts.user",
        object_id=username[:64],
        object_repr=username[:200],
        address=address,
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
