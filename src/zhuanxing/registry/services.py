"""Writes to the registry: each validates fully, saves in one transaction and is audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from zhuanxing.accounts.audit import changed_fields, field_values, record_change
from zhuanxing.registry.models import (
    AnnualData,
    AnnualDataChange,
    Enterprise,
    ImportBatch,
    Industry,
    Tag,
    Town,
)

ENTERPRISE_FIELDS = [
    "uscc",
    "name",
    "former_names",
    "town",
    "industry",
    "scale",
    "founded",
    "status",
    "address",
    "contact_name",
    "contact_phone",
]


def _town_by_name_or_code(value) -> Town:
    if isinstance(value, Town):
        return value
    town = Town.objects.filter(code=value).first() or Town.objects.filter(name=value).first()
    if town is None:
        raise ValidationError({"town": f"未知的镇街「{value}」"})
    return town


def _industry_class(value) -> Industry:
    if isinstance(value, Industry):
        return value
    industry = Industry.objects.filter(code=str(value), level=Industry.Level.CLASS).first()
    if industry is None:
        raise ValidationError({"industry": f"未知的行业小类代码「{value}」（应为GB/T 4754-2017的4位代码）"})
    return industry


def _tags(names: list[str]) -> list[Tag]:
    return [Tag.objects.get_or_create(name=name.strip())[0] for name in names if name.strip()]


@transaction.atomic
def enterprise_create(
    *,
    actor,
    uscc: str,
    name: str,
    town,
    industry,
    scale: str = Enterprise.Scale.BELOW,
    founded: dt.date | None = None,
    status: str = Enterprise.Status.OPERATING,
    tags: list[str] | None = None,
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
) -> Enterprise:
    enterprise = Enterprise(
        uscc=uscc.strip().upper(),
        name=name.strip(),
        town=_town_by_name_or_code(town),
        industry=_industry_class(industry),
        scale=scale,
        founded=founded,
        status=status,
        address=address,
        contact_name=contact_name,
        contact_phone=contact_phone,
    )
    enterprise.full_clean()
    enterprise.save()
    if tags:
        enterprise.tags.set(_tags(tags))
    record_change(
        actor=actor, action="企业新增", obj=enterprise, new=field_values(enterprise, ENTERPRISE_FIELDS)
    )
    return enterprise


@transaction.atomic
def enterprise_update(
    *, actor, enterprise: Enterprise, reason: str = "", tags: list[str] | None = None, **changes
):
    unknown = set(changes) - set(ENTERPRISE_FIELDS)
    if unknown:
        raise ValidationError(f"不能修改的字段：{', '.join(sorted(unknown))}")
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    before = field_values(enterprise, ENTERPRISE_FIELDS)
    before_tags = sorted(enterprise.tags.values_list("name", flat=True))
    if "town" in changes:
        changes["town"] = _town_by_name_or_code(changes["town"])
    if "industry" in changes:
        changes["industry"] = _industry_class(changes["industry"])
    if "uscc" in changes:
        changes["uscc"] = changes["uscc"].strip().upper()
    old_name = enterprise.name
    for name, value in changes.items():
        setattr(enterprise, name, value)
    enterprise.remember_former_name(old_name)
    enterprise.full_clean()
    enterprise.save()
    old, new = changed_fields(before, field_values(enterprise, ENTERPRISE_FIELDS))
    if tags is not None:
        enterprise.tags.set(_tags(tags))
        after_tags = sorted(t.strip() for t in tags if t.strip())
        if after_tags != before_tags:
            old["tags"], new["tags"] = before_tags, after_tags
    if new:
        record_change(actor=actor, action="企业修改", obj=enterprise, old=old, new=new, reason=reason)
    return enterprise


def _as_text(value) -> str | None:
    """History text of a value: ``Decimal("1500.0000")`` -> ``"1500"``."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


@transaction.atomic
def annual_values_set(
    *, batch: ImportBatch, enterprise: Enterprise, year: int, values: dict[str, Decimal | int | None]
) -> AnnualData:
    """Set some of an enterprise's yearly figures from ``batch``, keeping the history.
    Used for manual corrections and small writes; the department imports write in bulk."""
    unknown = set(values) - set(AnnualData.FIELDS)
    if unknown:
        raise ValidationError(f"未知的年度数据字段：{', '.join(sorted(unknown))}")
    record, _created = AnnualData.objects.select_for_update().get_or_create(enterprise=enterprise, year=year)
    changes = []
    for name, value in values.items():
        old = getattr(record, name)
        if old == value and record.sources.get(name) is not None:
            continue
        changes.append(
            AnnualDataChange(
                annual_data=record,
                field=name,
                old_value=_as_text(old),
                new_value=_as_text(value),
                old_batch_id=record.sources.get(name),
                batch=batch,
            )
        )
        setattr(record, name, value)
        record.sources[name] = batch.pk
    record.full_clean()
    record.save()
    AnnualDataChange.objects.bulk_create(changes)
    return record


@transaction.atomic
def annual_data_correct(*, actor, enterprise: Enterprise, year: int, values: dict, reason: str) -> AnnualData:
    """A staff correction of official figures (for example after an accepted objection)."""
    if not reason.strip():
        raise ValidationError({"reason": "更正年度数据必须填写原因"})
    batch = ImportBatch.objects.create(
        source=ImportBatch.Source.MANUAL, year=year, created_by=actor, note=reason[:255]
    )
    before = AnnualData.objects.filter(enterprise=enterprise, year=year).first()
    old = {k: _as_text(getattr(before, k)) if before else None for k in values}
    record = annual_values_set(batch=batch, enterprise=enterprise, year=year, values=values)
    record_change(
        actor=actor,
        action="年度数据更正",
        obj=record,
        old=old,
        new={k: _as_text(v) for k, v in values.items()},
        reason=reason,
    )
    return record
