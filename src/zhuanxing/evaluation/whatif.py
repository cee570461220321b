"""方案推演 (staff what-if): a run's scheme with changed weights, benchmarks, caps and class
limits, evaluated on the run's frozen data and compared with the run. Reads only."""

from __future__ import annotations

import copy
import difflib

import polars as pl
import yaml

from zhuanxing.evaluation.adapters import scheme_for_year
from zhuanxing.evaluation.models import EvaluationRun
from zhuanxing.evaluation.simulation import run_baseline
from zhuanxing.scoring import EvaluationError, InputError, SchemeError, evaluate, parse_scheme

CHANGED_SHOWN = 200


def form_fields(run: EvaluationRun) -> list[dict]:
    """Per group: each indicator's weight, fixed benchmark (if fixed) and cap; the class limits."""
    data = yaml.safe_load(run.scheme_text)
    groups = []
    for gi, group in enumerate(data.get("groups") or []):
        indicators = []
        for ii, indicator in enumerate(group.get("indicators") or []):
            benchmark = indicator.get("benchmark")
            fixed = benchmark.get("fixed") if isinstance(benchmark, dict) else benchmark
            indicators.append(
                {
                    "label": indicator.get("label"),
                    "weight": (f"g{gi}.i{ii}.weight", indicator.get("weight")),
                    "benchmark": (f"g{gi}.i{ii}.benchmark", fixed)
                    if isinstance(fixed, int | float)
                    else None,
                    "cap": (f"g{gi}.i{ii}.cap", indicator.get("cap")),
                }
            )
        method = "quota" if "quota" in (group.get("classify") or {}) else "thresholds"
        limits = [
            (code, f"g{gi}.{method}.{code}", value)
            for code, value in (group.get("classify") or {}).get(method, {}).items()
        ]
        groups.append(
            {
                "label": group.get("label", group.get("id")),
                "indicators": indicators,
                "method": method,
                "limits": limits,
            }
        )
    return groups


def _number(text: str):
    return float(text.replace(",", "").strip())


def apply_edits(run: EvaluationRun, values: dict[str, str]) -> tuple[str | None, dict[str, str], list[str]]:
    """(new scheme YAML, errors by field, other problems). Out-of-range values are refused
    beside their field: a negative weight, a cap or benchmark ≤ 0, a quota outside [0, 1] or
    smaller than a better class's, a threshold above a better class's."""
    data = copy.deepcopy(yaml.safe_load(run.scheme_text))
    errors: dict[str, str] = {}
    for gi, group in enumerate(data.get("groups") or []):
        for ii, indicator in enumerate(group.get("indicators") or []):
            for key in ("weight", "benchmark", "cap"):
                name = f"g{gi}.i{ii}.{key}"
                text = values.get(name, "").strip()
                if not text:
                    continue
                try:
                    number = _number(text)
                except ValueError:
                    errors[name] = "应为数字"
                    continue
                if key == "weight" and number < 0:
                    errors[name] = "权重不能为负数"
                elif key in ("benchmark", "cap") and number <= 0:
                    errors[name] = "应大于 0"
                elif key == "benchmark":
                    indicator["benchmark"] = {"fixed": number}
                else:
                    indicator[key] = number
        classify = group.get("classify") or {}
        method = "quota" if "quota" in classify else "thresholds"
        limits = classify.get(method, {})
        previous = None
        for code in list(limits):
            name = f"g{gi}.{method}.{code}"
            text = values.get(name, "").strip()
            if text:
                try:
                    limits[code] = _number(text)
                except ValueError:
                    errors[name] = "应为数字"
                    continue
            value = limits[code]
            if method == "quota" and not 0 <= value <= 1:
                errors[name] = "累计比例应在 0 到 1 之间"
            elif previous is not None and method == "quota" and value < previous[1]:
                errors[name] = f"累计比例应不小于较好等级 {previous[0]} 的 {previous[1]:g}"
            elif previous is not None and method == "thresholds" and value > previous[1]:
                errors[name] = f"分数线应不高于较好等级 {previous[0]} 的 {previous[1]:g}"
            previous = (code, value)
    if errors:
        return None, errors, []
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    try:
        parse_scheme(text)
    except SchemeError as exc:
        return None, {}, [str(p) for p in exc.problems]
    return text, {}, []


def compare(run: EvaluationRun, text: str) -> dict:
    """Class counts, the transition matrix against the run, and who changes class (with why)."""
    baseline = run_baseline(run)
    scheme = scheme_for_year(parse_scheme(text), run.year)
    try:
        after = evaluate(scheme, baseline.members.select(pl.exclude("^r\\..*$", "_pos", "_group")))
    except (InputError, EvaluationError) as exc:
        return {"problems": [str(p) for p in exc.problems]}
    before = baseline.result
    codes = list(scheme.class_codes)
    joined = before.select("uscc", "name", "final_class", "total", "rank").join(
        after.select(
            "uscc",
            pl.col("final_class").alias("new_class"),
            pl.col("total").alias("new_total"),
            pl.col("rank").alias("new_rank"),
            pl.col("reasons").alias("new_reasons"),
        ),
        on="uscc",
        how="left",
        maintain_order="left",
    )
    counts = {code: after.filter(pl.col("final_class") == code).height for code in codes}
    old_counts = {code: before.filter(pl.col("final_class") == code).height for code in codes}
    matrix = {(a, b): 0 for a in codes for b in codes}
    for a, b, n in joined.group_by("final_class", "new_class").len().iter_rows():
        if a in codes and b in codes:
            matrix[(a, b)] = n
    changed = joined.filter(pl.col("final_class") != pl.col("new_class"))
    rows = []
    for row in changed.head(CHANGED_SHOWN).iter_rows(named=True):
        why = f"总分 {row['total']:.2f} → {row['new_total']:.2f}"
        if row["rank"] is not None and row["new_rank"] is not None:
            why += f"，排名 {row['rank']} → {row['new_rank']}"
        if row["new_reasons"]:
            why += f"；{row['new_reasons']}"
        rows.append({**row, "why": why})
    original = yaml.safe_dump(yaml.safe_load(run.scheme_text), allow_unicode=True, sort_keys=False)
    diff = "".join(
        difflib.unified_diff(original.splitlines(True), text.splitlines(True), "原方案", "推演方案")
    )
    return {
        "codes": codes,
        "counts": [(c, old_counts[c], counts[c]) for c in codes],
        "matrix": [(a, [matrix[(a, b)] for b in codes]) for a in codes],
        "changed": rows,
        "changed_count": changed.height,
        "diff": diff,
        "text": text,
    }
