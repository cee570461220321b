"""Writes of the evaluation: runs, publication, objections, re-runs, re-grading.

Every state change checks the state it starts from, happens in one transaction and
writes an audit entry (who, when, from, to, why).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from zhuanxing import workflow
from zhuanxing.accounts.audit import record_change
from zhuanxing.evaluation import access, adapters
from zhuanxing.evaluation.models import EvaluationFlag, EvaluationResult, EvaluationRun, Objection
from zhuanxing.evaluation.workflows import OBJECTION, RUN
from zhuanxing.params import spec_size_problem
from zhuanxing.registry.models import AnnualData
from zhuanxing.registry.services import annual_data_correct
from zhuanxing.scoring import EvaluationError, InputError, Scheme, SchemeError, load_scheme, parse_scheme


def scheme_from(*, scheme_id: str = "", scheme_text: str = "") -> Scheme:
    """A shipped scheme by id, or an uploaded one by its YAML text; errors as ValidationError."""
    too_large = spec_size_problem(scheme_text, "评价方案")
    if too_large:
        raise ValidationError({"scheme": [too_large]})
    try:
        return parse_scheme(scheme_text) if scheme_text.strip() else load_scheme(scheme_id)
    except SchemeError as exc:
        raise ValidationError({"scheme": [str(p) for p in exc.problems]}) from exc


def _engine_failure(exc: InputError | EvaluationError) -> ValidationError:
    return ValidationError({"__all__": ["评价无法完成："] + [str(p) for p in exc.problems][:50]})


def _next_version(year: int) -> int:
    return (EvaluationRun.objects.filter(year=year).aggregate(v=Max("version"))["v"] or 0) + 1


def _evaluate_into(run: EvaluationRun, scheme: Scheme, progress=None) -> None:
    """Score ``run.year``'s data and store every result row, in the caller's transaction.
    ``progress`` (a job's reporter) hears the stages and the rows stored."""
    if progress is not None:
        progress(stage="读取年度数据")
    try:
        inputs = adapters.input_frame(run.year)
        if progress is not None:
            progress(stage="计算得分与等级", total=inputs.height)
            progress.check()
        results = adapters.evaluate(adapters.scheme_for_year(scheme, run.year), inputs.drop("enterprise_id"))
    except (InputError, EvaluationError) as exc:
        raise _engine_failure(exc) from exc
    if results.height == 0:
        raise ValidationError({"year": f"{run.year}年度没有可评价的企业数据"})
    frame = adapters.result_frame(run, scheme, inputs, results)
    if progress is not None:
        progress(stage="保存评价结果", done=0, total=frame.height)
    adapters.store_results(frame, progress)
    run.summary = adapters.class_counts_of(frame)
    run.save(update_fields=["summary"])


def class_counts(run: EvaluationRun) -> dict:
    counts: dict[str, dict[str, int]] = {}
    for group, klass in run.results.values_list("group", "computed_class"):
        bucket = counts.setdefault(group, {})
        bucket[klass or "不评级"] = bucket.get(klass or "不评级", 0) + 1
    return {"classes": counts, "evaluated": sum(sum(v.values()) for v in counts.values())}


@transaction.atomic
def run_create(
    *, actor, year: int, scheme_id: str = "", scheme_text: str = "", note: str = "", progress=None
) -> EvaluationRun:
    """Evaluate ``year``'s data now and keep the results as a draft run (all rows or none)."""
    scheme = scheme_from(scheme_id=scheme_id, scheme_text=scheme_text)
    run = EvaluationRun(
        year=year,
        version=_next_version(year),
        scheme_id=scheme.id,
        scheme_name=scheme.name,
        scheme_text=scheme.text,
        note=note,
        created_by=actor,
    )
    run.full_clean()
    # two staff creating a run of the same year at once both read the same next version:
    # the loser of the unique (year, version) takes the following one instead of a 500
    for attempt in range(10):
        try:
            with transaction.atomic():
                run.save()
            break
        except IntegrityError:
            if attempt == 9:
                raise ValidationError(f"{year} 年度的评价正在被他人同时创建，请稍后再试") from None
            run.pk = None
            run.version = _next_version(year)
    _evaluate_into(run, scheme, progress)
    record_change(actor=actor, action="评价创建", obj=run, new={"state": run.state, "scheme": scheme.id})
    return run


@transaction.atomic
def run_publish(*, actor, run: EvaluationRun, days: int = 7, today: dt.date | None = None) -> EvaluationRun:
    """Start the public notice (公示) for ``days`` days; enterprises may object meanwhile."""
    if not 1 <= days <= 60:
        raise ValidationError({"publish_days": f"公示天数应在1到60天之间：{days}"})
    until = (today or timezone.localdate()) + dt.timedelta(days=days)
    changes = {"publish_days": days, "publish_until": until}
    return workflow.apply_transition(RUN, run, "publish", actor=actor, changes=changes)


@transaction.atomic
def run_finalize(*, actor, run: EvaluationRun) -> EvaluationRun:
    """Close the notice and fix the classes. Open objections must be answered first."""

    def prepare(run: EvaluationRun) -> None:
        open_count = Objection.objects.filter(result__run=run, state=Objection.State.OPEN).count()
        if open_count:
            raise ValidationError(f"还有{open_count}条异议未处理，不能定档")

    return workflow.apply_transition(RUN, run, "finalize", actor=actor, prepare=prepare)


@transaction.atomic
def run_rerun(*, actor, run: EvaluationRun, reason: str) -> EvaluationRun:
    """A new version of ``run``: the same scheme text on the year's current data (for
    example after accepted objections corrected figures). The old version stays as it was."""
    if not reason.strip():
        raise ValidationError({"reason": "重新评价必须说明原因"})
    scheme = scheme_from(scheme_text=run.scheme_text)
    revision = EvaluationRun(
        year=run.year,
        version=_next_version(run.year),
        previous=run,
        scheme_id=run.scheme_id,
        scheme_name=run.scheme_name,
        scheme_text=run.scheme_text,
        note=reason[:255],
        created_by=actor,
    )
    revision.save()
    _evaluate_into(revision, scheme)
    record_change(
        actor=actor,
        action="重新评价",
        obj=revision,
        old={"version": run.version},
        new={"version": revision.version},
        reason=reason,
    )
    return revision


@transaction.atomic
def run_delete_draft(*, actor, run: EvaluationRun) -> None:
    run = EvaluationRun.objects.select_for_update().get(pk=run.pk)
    if run.state != EvaluationRun.State.DRAFT:
        raise ValidationError("只有草稿可以删除；已公示或定档的评价不可更改")
    record_change(actor=actor, action="评价删除", obj=run, old={"state": run.state})
    run.delete()


OBJECTION_FIELDS = {
    **{name: label for name, (label, _unit) in AnnualData.FIELDS.items()},
    "land_mu": "用地面积",
}


@transaction.atomic
def objection_submit(
    *,
    actor,
    result: EvaluationResult,
    field: str,
    reason: str,
    claimed_value: str = "",
    attachment=None,
    today: dt.date | None = None,
) -> Objection:
    run = EvaluationRun.objects.get(
        pk=result.run_id
    )  # the state as stored now, not as the caller last saw it
    access.access_object(actor, result)
    if not access.in_notice_period(run, today):
        raise ValidationError("只能在公示期内提出异议")
    if field not in OBJECTION_FIELDS:
        raise ValidationError({"field": f"未知的数据项「{field}」"})
    if not reason.strip():
        raise ValidationError({"reason": "请填写异议理由"})
    objection = Objection(
        result=result, field=field, reason=reason, claimed_value=claimed_value.strip(), submitted_by=actor
    )
    if attachment is not None:
        objection.attachment = attachment
    objection.full_clean()
    objection.save()
    record_change(
        actor=actor,
        action="提出异议",
        obj=objection,
        new={"field": field, "claimed": claimed_value},
        reason=reason,
    )
    return objection


@transaction.atomic
def objection_decide(
    *, actor, objection: Objection, accept: bool, reply: str, corrected_value: str = ""
) -> Objection:
    """Accept (correcting the figure through an audited change) or reject, with a reply."""
    if Objection.objects.filter(pk=objection.pk).exclude(state=Objection.State.OPEN).exists():
        raise ValidationError("该异议已处理")  # the clear message; the workflow re-checks under the lock
    if not reply.strip():
        raise ValidationError({"reply": "请填写答复"})

    def prepare(objection: Objection) -> None:
        if accept and objection.field in AnnualData.FIELDS:
            text = (corrected_value or objection.claimed_value).strip()
            try:
                value = Decimal(text.replace(",", ""))
            except InvalidOperation as exc:
                raise ValidationError({"corrected_value": f"更正值应为数字：「{text}」"}) from exc
            if objection.field == "employees":
                value = int(value)
            annual_data_correct(
                actor=actor,
                enterprise=objection.result.enterprise,
                year=objection.result.run.year,
                values={objection.field: value},
                reason=f"采纳异议：{reply}",
            )
        objection.reply = reply
        objection.handled_by = actor

    return workflow.apply_transition(
        OBJECTION, objection, "accept" if accept else "reject", actor=actor, reason=reply, prepare=prepare
    )


@transaction.atomic
def result_regrade(*, actor, result: EvaluationResult, new_class: str, reason: str) -> EvaluationResult:
    """Staff change a final class with a written reason; the computed class stays beside it."""
    result = EvaluationResult.objects.select_for_update().select_related("run").get(pk=result.pk)
    if result.run.state != EvaluationRun.State.FINAL:
        raise ValidationError("只能对已定档的评价调档")
    if result.exempt:
        raise ValidationError("不评级的企业不能调档")
    classes = [c.code for c in scheme_from(scheme_text=result.run.scheme_text).classes]
    if new_class not in classes:
        raise ValidationError({"new_class": f"未知的等级「{new_class}」（可选：{'、'.join(classes)}）"})
    if not reason.strip():
        raise ValidationError({"reason": "调档必须填写原因"})
    old = result.final_class
    result.regraded_class = "" if new_class == result.computed_class else new_class
    result.regrade_reason = reason if result.regraded_class else ""
    result.save(update_fields=["regraded_class", "regrade_reason"])
    record_change(
        actor=actor, action="调档", obj=result, old={"class": old}, new={"class": new_class}, reason=reason
    )
    return result


@transaction.atomic
def flag_set(*, actor, enterprise, year: int, kind: str, present: bool, note: str = "") -> None:
    """Record or clear a yearly fact a scheme's rules read (重大安全事故, 环境违法)."""
    existing = EvaluationFlag.objects.filter(enterprise=enterprise, year=year, kind=kind).first()
    if present and existing is None:
        flag = EvaluationFlag(enterprise=enterprise, year=year, kind=kind, note=note)
        flag.full_clean()
        flag.save()
        record_change(
            actor=actor, action="评价事项登记", obj=flag, new={"kind": kind, "year": year}, reason=note
        )
    elif not present and existing is not None:
        record_change(
            actor=actor, action="评价事项撤销", obj=existing, old={"kind": kind, "year": year}, reason=note
        )
        existing.delete()
