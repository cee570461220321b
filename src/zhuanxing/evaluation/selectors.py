"""Reads of the evaluation: result tables, diffs, district analysis, report cards."""

from __future__ import annotations

import functools
import statistics
from collections import Counter, defaultdict

import yaml
from django.conf import settings
from django.db.models import Count, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext as _

from zhuanxing.evaluation.models import EvaluationResult, EvaluationRun, Objection
from zhuanxing.registry.models import AnnualData, Enterprise, IndustryCluster
from zhuanxing.registry.selectors import cluster_filter
from zhuanxing.scoring import Scheme, parse_scheme

SORTS = {
    "rank": ("group", "rank", "enterprise__name"),
    "-total": ("-total", "enterprise__name"),
    "total": ("total", "enterprise__name"),
    "name": ("enterprise__name",),
    "class": ("computed_class", "group", "rank"),
}


def run_scheme(run: EvaluationRun) -> Scheme:
    return _parsed_scheme(run.scheme_text)


@functools.lru_cache(maxsize=16)
def _parsed_scheme(text: str) -> Scheme:
    """A run's scheme text never changes, so each is parsed once per process."""
    return parse_scheme(text)


def class_labels(run: EvaluationRun) -> dict[str, str]:
    return {c.code: c.label for c in run_scheme(run).classes}


def result_search(
    results: QuerySet,
    *,
    town: str = "",
    industry: str = "",
    cluster: str = "",
    klass: str = "",
    group: str = "",
    q: str = "",
    sort: str = "rank",
) -> QuerySet:
    if town:
        results = results.filter(enterprise__town__code=town)
    if industry:
        results = results.filter(enterprise__industry__code__startswith=industry)
    if cluster:
        found = IndustryCluster.objects.filter(code=cluster).first()
        if found is None:
            return results.none()
        results = results.filter(enterprise__in=Enterprise.objects.filter(cluster_filter(found)).values("pk"))
    if klass == "exempt":
        results = results.filter(exempt=True)
    elif klass:
        results = results.filter(computed_class=klass, regraded_class="") | results.filter(
            regraded_class=klass
        )
    if group:
        results = results.filter(group=group)
    if q.strip():
        results = results.filter(enterprise__name__contains=q.strip()) | results.filter(
            enterprise__uscc=q.strip().upper()
        )
    return results.select_related("enterprise__town", "enterprise__industry").order_by(
        *SORTS.get(sort, SORTS["rank"])
    )


def current_run(year: int) -> EvaluationRun | None:
    """The run that stands for ``year``: the newest final version, else the newest published one."""
    runs = EvaluationRun.objects.filter(year=year).order_by("-version")
    return (
        runs.filter(state=EvaluationRun.State.FINAL).first()
        or runs.filter(state=EvaluationRun.State.PUBLISHED).first()
    )


def standing_classes(year: int, enterprise_ids) -> dict[int, str]:
    """Enterprise id -> its class in the run that stands for ``year`` (re-grading included)."""
    run = current_run(year)
    if run is None:
        return {}
    rows = run.results.filter(enterprise_id__in=list(enterprise_ids), exempt=False)
    return {
        eid: regraded or computed
        for eid, computed, regraded in rows.values_list("enterprise_id", "computed_class", "regraded_class")
    }


def run_diff(run: EvaluationRun) -> list[dict]:
    """Enterprises whose class differs from the previous version, with the objections
    accepted against the previous version as the reason."""
    if run.previous_id is None:
        return []
    before = dict(run.previous.results.values_list("enterprise_id", "computed_class"))
    accepted = defaultdict(list)
    for objection in Objection.objects.filter(
        result__run=run.previous, state=Objection.State.ACCEPTED
    ).select_related("result"):
        accepted[objection.result.enterprise_id].append(f"采纳异议（{objection.field}）：{objection.reply}")
    changes = []
    for result in run.results.select_related("enterprise").order_by("enterprise__name"):
        old = before.get(result.enterprise_id)
        if old != result.computed_class:
            changes.append(
                {
                    "enterprise": result.enterprise,
                    "old": old or "—",
                    "new": result.computed_class or "不评级",
                    "why": "；".join(accepted.get(result.enterprise_id, [])) or "数据变化",
                    "result": result,
                }
            )
    return changes


def class_counts_by(results: QuerySet, key: str) -> tuple[list[str], dict[str, Counter]]:
    """Rows of ``key`` (e.g. ``enterprise__town__name``) with a Counter of final classes each."""
    table: dict[str, Counter] = defaultdict(Counter)
    for label, computed, regraded in results.values_list(key, "computed_class", "regraded_class"):
        table[label or "—"][regraded or computed or "不评级"] += 1
    return sorted(table), table


def indicator_distributions(run: EvaluationRun) -> dict[str, list[float]]:
    values: dict[str, list[float]] = defaultdict(list)
    for indicators in run.results.filter(exempt=False).values_list("indicators", flat=True):
        for indicator_id, parts in indicators.items():
            if parts.get("value") is not None:
                values[indicator_id].append(parts["value"])
    return values


def transition_matrix(from_run: EvaluationRun, to_run: EvaluationRun) -> dict[tuple[str, str], int]:
    """How many enterprises went from class X in one year to class Y in the other."""
    before = {
        eid: regraded or computed
        for eid, computed, regraded in from_run.results.values_list(
            "enterprise_id", "computed_class", "regraded_class"
        )
    }
    matrix: Counter = Counter()
    for eid, computed, regraded in to_run.results.values_list(
        "enterprise_id", "computed_class", "regraded_class"
    ):
        if eid in before:
            matrix[(before[eid] or "不评级", regraded or computed or "不评级")] += 1
    return dict(matrix)


def low_class_enterprises(run: EvaluationRun, classes: tuple[str, ...] = ("C", "D")) -> QuerySet:
    """The 腾笼换鸟 targets: C and D enterprises, worst first (D before C, then the lowest total),
    so the first page of a long list shows those the campaign reaches first."""
    results = run.results.filter(regraded_class__in=classes) | run.results.filter(
        regraded_class="", computed_class__in=classes
    )
    final_class = Coalesce(NullIf("regraded_class", Value("")), "computed_class")
    return (
        results.select_related("enterprise__town", "enterprise__industry")
        .annotate(final_class_order=final_class)
        .order_by("-final_class_order", "total", "enterprise__name")
    )


def division_averages(run: EvaluationRun, result: EvaluationResult | None = None) -> dict[tuple, dict]:
    """(group, GB/T division) -> the mean of each indicator's value over the run's graded
    enterprises there. With ``result``, only that result's group and division are read
    (one report card); without, the whole run at once (all report cards)."""
    peers = run.results.filter(exempt=False)
    if result is not None:
        division = _division(result)
        peers = peers.filter(group=result.group, enterprise__industry__code__startswith=division)
    values: dict[tuple, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for group, industry, indicators in peers.values_list("group", "enterprise__industry_id", "indicators"):
        for indicator_id, parts in indicators.items():
            if parts.get("value") is not None:
                values[(group, industry[:2])][indicator_id].append(parts["value"])
    return {key: {k: statistics.fmean(v) for k, v in by_id.items()} for key, by_id in values.items()}


def _division(result: EvaluationResult) -> str:
    return (result.inputs.get("industry") or "")[:2]


def histories(enterprise_ids) -> dict[int, list[EvaluationResult]]:
    """Enterprise id -> its standing result in each year (the current run of that year),
    newest year first; one query for the results however many enterprises."""
    years = sorted(set(EvaluationRun.objects.values_list("year", flat=True)), reverse=True)
    runs = [run for run in (current_run(year) for year in years) if run is not None]
    found = defaultdict(list)
    results = EvaluationResult.objects.filter(run__in=runs, enterprise_id__in=list(enterprise_ids))
    for result in results.select_related("run").order_by("-run__year"):
        found[result.enterprise_id].append(result)
    return found


def report_card(
    result: EvaluationResult,
    averages: dict[tuple, dict] | None = None,
    history: list | None = None,
    graded: dict[str, int] | None = None,
) -> dict:
    """Everything the report card shows: each indicator against its benchmark and the
    industry's average, with a plain-language hint where it falls short. ``averages``
    (from ``division_averages(run)``) and ``history`` (from ``histories``) save reading them
    again for every card of a run; so does ``graded`` (group -> graded results, from
    ``graded_per_group``)."""
    run = result.run
    scheme = run_scheme(run)
    group = next((g for g in scheme.groups if g.id == result.group), None)
    if averages is None:
        averages = division_averages(run, result)
    averages = averages.get((result.group, _division(result)), {})
    lines = []
    for indicator in group.indicators if group else ():
        parts = result.indicators.get(indicator.id, {})
        value, benchmark = parts.get("value"), parts.get("benchmark")
        lines.append(
            {
                "id": indicator.id,
                "label": indicator.label,
                "unit": indicator.unit,
                "weight": indicator.weight,
                "value": value,
                "benchmark": benchmark,
                "score": parts.get("score"),
                "industry_average": averages.get(indicator.id),
                "hint": indicator_hint(
                    indicator.label, value, benchmark, lower_is_better=indicator.scoring == "inverse"
                ),
            }
        )
    labels = {c.code: c.label for c in scheme.classes}
    return {
        "result": result,
        "run": run,
        "group_label": group.label if group else result.group,
        "lines": lines,
        "class_label": labels.get(result.final_class, ""),
        "computed_label": labels.get(result.computed_class, ""),
        "rules": [r for r in result.reasons.split("；") if r],
        "graded_in_group": run.results.filter(group=result.group, exempt=False).count()
        if graded is None
        else graded.get(result.group, 0),
        "history": histories([result.enterprise_id])[result.enterprise_id] if history is None else history,
    }


def graded_per_group(run: EvaluationRun) -> dict[str, int]:
    """Group -> how many of the run's results are graded (not exempt), in one query."""
    rows = run.results.filter(exempt=False).values("group").annotate(n=Count("id")).values_list("group", "n")
    return dict(rows)


def indicator_hint(label: str, value, benchmark, *, lower_is_better: bool = False) -> str:
    """E.g. 亩均税收低于基准 35%, in the reader's language (the scheme's labels are Chinese msgids)."""
    label = _(label)
    if value is None:
        return _("%(label)s缺少数据，按方案规则计分") % {"label": label}
    if not benchmark:
        return ""
    gap = (value - benchmark) / benchmark
    if lower_is_better:
        gap = -gap
    percent = round(abs(gap) * 100)
    if percent == 0:
        return _("%(label)s与基准持平") % {"label": label}
    if lower_is_better:
        phrase = _("%(label)s优于基准 %(percent)s%%") if gap > 0 else _("%(label)s劣于基准 %(percent)s%%")
    else:
        phrase = _("%(label)s低于基准 %(percent)s%%") if gap < 0 else _("%(label)s高于基准 %(percent)s%%")
    return phrase % {"label": label, "percent": percent}


def scheme_policies(run: EvaluationRun) -> list[dict]:
    return list(yaml.safe_load(run.scheme_text).get("policies") or [])


def newest_data_year() -> int | None:
    """The newest year that has yearly figures: what a new evaluation is about by default."""
    return AnnualData.objects.order_by("-year").values_list("year", flat=True).first()


def district_scheme_id(schemes: list[Scheme]) -> str | None:
    """The configured district's own scheme (its name starts with the district's name), the
    newest if it has several; None when the district ships none."""
    own = [s for s in schemes if s.name.startswith(settings.ZHUANXING_DISTRICT_NAME)]
    return max(own, key=lambda s: s.year).id if own else None
