"""Writes to the campaign records: each validates fully, saves in one transaction and is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import models, transaction

from zhuanxing.accounts.audit import changed_fields, field_values, in_site_language, record_change
from zhuanxing.campaigns.models import LevelPromotion, Recognition, RecognitionKind, RecognitionLevel
from zhuanxing.campaigns.records import SPECS, RecordSpec
from zhuanxing.registry.models import Enterprise


def _stored_title(spec: RecordSpec) -> str:
    """The record kind's name as the audit trail stores it (Chinese, whoever acts)."""
    return in_site_language(spec.model._meta.verbose_name)


def _check_fields(spec: RecordSpec, values: Mapping) -> None:
    unknown = set(values) - set(spec.fields)
    if unknown:
        raise ValidationError(f"「{spec.title}」没有这些字段：{', '.join(sorted(unknown))}")


@transaction.atomic
def record_create(*, actor, spec: RecordSpec, values: Mapping[str, object]) -> models.Model:
    _check_fields(spec, values)
    record = spec.model(**values)
    record.full_clean()
    record.save()
    record_change(
        actor=actor,
        action=f"{_stored_title(spec)}新增",
        obj=record,
        new=field_values(record, list(spec.fields)),
    )
    if isinstance(record, Recognition):
        _propose_promotion(actor=actor, recognition=record)
    return record


@transaction.atomic
def record_update(
    *, actor, spec: RecordSpec, record: models.Model, values: Mapping[str, object], reason: str = ""
) -> models.Model:
    _check_fields(spec, values)
    record = spec.model.objects.select_for_update().get(pk=record.pk)
    before = field_values(record, list(spec.fields))
    for name, value in values.items():
        setattr(record, name, value)
    record.full_clean()
    record.save()
    old, new = changed_fields(before, field_values(record, list(spec.fields)))
    if new:
        record_change(
            actor=actor, action=f"{_stored_title(spec)}修改", obj=record, old=old, new=new, reason=reason
        )
    return record


@transaction.atomic
def record_delete(*, actor, spec: RecordSpec, record: models.Model, reason: str) -> None:
    if not reason.strip():
        raise ValidationError({"reason": "删除记录必须填写原因"})
    record_change(
        actor=actor,
        action=f"{_stored_title(spec)}删除",
        obj=record,
        old=field_values(record, list(spec.fields)),
        reason=reason,
    )
    record.delete()


@transaction.atomic
def import_apply(*, actor, spec: RecordSpec, rows, file_name: str) -> dict[str, int]:
    """Save the rows of a checked import (``sheets.ImportPlan.rows``): all of them or, on any error, none."""
    counts = {"new": 0, "changed": 0, "unchanged": 0}
    reason = f"导入：{file_name}"
    for row in rows:
        if row.existing is None:
            record_create(actor=actor, spec=spec, values=row.values)
        elif row.changes:
            record_update(actor=actor, spec=spec, record=row.existing, values=row.values, reason=reason)
        counts[row.action] += 1
    return counts


# ---------------------------------------------------------------- recognitions and the 免申即享 hook


def _kind(value) -> RecognitionKind:
    if isinstance(value, RecognitionKind):
        return value
    kind = (
        RecognitionKind.objects.filter(name=value).first()
        or RecognitionKind.objects.filter(code=value).first()
    )
    if kind is None:
        known = "、".join(RecognitionKind.objects.values_list("name", flat=True))
        raise ValidationError({"kind": f"未知的认定类别「{value}」（可选：{known}）"})
    return kind


def _level(kind: RecognitionKind, value) -> RecognitionLevel:
    if isinstance(value, RecognitionLevel):
        return value  # the model checks it belongs to the kind
    level = kind.levels.filter(name=value).first()
    if level is None:
        defined = "、".join(kind.levels.values_list("name", flat=True)) or "无"
        raise ValidationError({"level": f"「{kind}」没有「{value}」这一级别（已定义：{defined}）"})
    return level


@transaction.atomic
def recognition_register(
    *,
    actor,
    kind: RecognitionKind | str,
    level: RecognitionLevel | str,
    year: int,
    enterprise: Enterprise | None = None,
    institution: str = "",
    document_no: str = "",
    status: str = Recognition.Status.VALID,
    status_date: dt.date | None = None,
    note: str = "",
) -> tuple[Recognition, LevelPromotion | None]:
    """Register a recognition. When the holder is an enterprise, the kind is linked to a policy
    clause and the new level is higher than any level of that kind the enterprise held (none
    counts as lowest), a ``LevelPromotion`` is recorded for the programs app to propose the
    level-difference award through 免申即享. Returns the recognition and that promotion."""
    kind = _kind(kind)
    recognition = record_create(
        actor=actor,
        spec=SPECS["recognitions"],
        values={
            "enterprise": enterprise,
            "institution": institution,
            "kind": kind,
            "level": _level(kind, level),
            "year": year,
            "document_no": document_no,
            "status": status,
            "status_date": status_date,
            "note": note,
        },
    )
    return recognition, LevelPromotion.objects.filter(recognition=recognition).first()


def _propose_promotion(*, actor, recognition: Recognition) -> LevelPromotion | None:
    kind = recognition.kind
    if (
        not kind.policy_clause
        or recognition.enterprise_id is None
        or recognition.status != Recognition.Status.VALID
    ):
        return None
    # The highest level of the kind the enterprise held up to that year; a revoked one was never earned.
    held = (
        Recognition.objects.filter(
            enterprise_id=recognition.enterprise_id, kind=kind, year__lte=recognition.year
        )
        .exclude(pk=recognition.pk)
        .exclude(status=Recognition.Status.REVOKED)
        .select_related("level")
        .order_by("-level__rank")
        .first()
    )
    previous = held.level if held else None
    if previous is not None and previous.rank >= recognition.level.rank:
        return None
    promotion = LevelPromotion.objects.create(
        recognition=recognition,
        enterprise_id=recognition.enterprise_id,
        kind=kind,
        previous_level=previous,
        new_level=recognition.level,
        year=recognition.year,
        policy_id=kind.policy_id,
        clause_id=kind.clause_id,
    )
    record_change(
        actor=actor,
        action="级别晋升待转免申即享",
        obj=promotion,
        new={
            "previous_level": previous.name if previous else None,
            "new_level": recognition.level.name,
            "policy_clause": kind.policy_clause,
        },
    )
    return promotion


@transaction.atomic
def promotion_resolve(
    *, actor, promotion: LevelPromotion, state: str, award_ref: str = "", reason: str = ""
) -> LevelPromotion:
    """The programs app marks a promotion as turned into an award (with its reference) or dismissed."""
    promotion = LevelPromotion.objects.select_for_update().get(pk=promotion.pk)
    if state not in LevelPromotion.State.values or state == LevelPromotion.State.PROPOSED:
        raise ValidationError({"state": f"无效的处理结果「{state}」"})
    if state == LevelPromotion.State.AWARDED and not award_ref.strip():
        raise ValidationError({"award_ref": "转为奖励时必须填写奖励记录编号"})
    before = field_values(promotion, ["state", "award_ref"])
    promotion.state, promotion.award_ref = state, award_ref.strip()
    promotion.full_clean()
    promotion.save()
    old, new = changed_fields(before, field_values(promotion, ["state", "award_ref"]))
    record_change(actor=actor, action="级别晋升处理", obj=promotion, old=old, new=new, reason=reason)
    return promotion
