"""预警 rules as data: parse and check a district's rule file, and evaluate it over enterprise-years.

Pure (polars and ``zhuanxing.scoring.expressions`` only, no Django): the conditions are the same
polars-SQL expressions as the scoring schemes, compiled with the same null rule.

A rule file::

    district: 镇海区
    rules:
      - id: tax-per-mu-fall                # unique, letters/digits/-
        label: 亩均税收较上年下降30%以上       # shown on the lists
        when: "prev_tax_per_mu > 0 AND tax_per_mu <= prev_tax_per_mu * (1 - fall)"
        params: {fall: 0.3}                 # numbers, usable in ``when`` by name
        kind: jump                          # optional: an import-value jump (shown in import previews)

Columns a condition may use (``WARNING_COLUMNS``): each yearly value of the enterprise
(``tax``, ``value_added`` …, ``land_mu``, ``tax_per_mu``, ``value_added_per_mu``), its class as
a number (``class_rank``: A 4, B 3, C 2, D 1; null when not evaluated), the same of the year
before prefixed ``prev_`` and ``class_rank`` of two years before as ``prev2_class_rank``.
Every problem is reported with its key path (``rules[2].params.fall``) in Chinese; a file with
any problem is refused as a whole (``RuleError``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import polars as pl
import yaml

from zhuanxing.scoring import expressions

VALUES = [
    "tax",
    "social_insurance",
    "output_value",
    "sales",
    "revenue",
    "value_added",
    "staff",
    "rd",
    "energy_tce",
    "electricity",
    "land_mu",
    "tax_per_mu",
    "value_added_per_mu",
    "class_rank",
]
WARNING_COLUMNS = {name: pl.Float64 for name in VALUES} | {f"prev_{name}": pl.Float64 for name in VALUES}
WARNING_COLUMNS |= {"prev2_class_rank": pl.Float64, "year": pl.Int64, "enterprise_id": pl.Int64}
CLASS_RANKS = {"A": 4, "B": 3, "C": 2, "D": 1}
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_RULE_KEYS = {"id", "label", "when", "params", "kind"}
KINDS = {"yearly", "jump"}


class RuleError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class WarningRule:
    id: str
    label: str
    when: str
    params: tuple[tuple[str, float], ...] = ()
    kind: str = "yearly"

    def condition(self) -> pl.Expr:
        return expressions.condition(self.when)


@dataclass(frozen=True)
class RuleSet:
    district: str
    rules: tuple[WarningRule, ...]
    text: str


class _Loader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"重复的键「{key}」", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _sample(params: dict[str, float]) -> pl.DataFrame:
    columns = {
        name: pl.Series(name, [1, None], dtype=dtype, strict=False) for name, dtype in WARNING_COLUMNS.items()
    }
    frame = pl.DataFrame(columns)
    return frame.with_columns([pl.lit(value, dtype=pl.Float64).alias(name) for name, value in params.items()])


def _expression_problem(text: str, params: dict[str, float]) -> str | None:
    try:
        parsed = expressions.parse(text)
    except Exception as exc:  # polars raises several kinds for a bad expression
        return f"无法解析的条件「{text}」：{_first_line(exc)}"
    known = set(WARNING_COLUMNS) | set(params)
    unknown = [c for c in dict.fromkeys(parsed.meta.root_names()) if c not in known]
    if unknown:
        return "未知的列" + "、".join(f"「{c}」" for c in unknown)
    sample = _sample(params)
    try:
        result = sample.select(expressions.compile_expression(text).alias("r")).get_column("r")
    except Exception as exc:
        return f"条件「{text}」无法计算：{_first_line(exc)}"
    if result.len() != sample.height:
        return f"条件「{text}」不能使用汇总函数，它按每家企业每年计算"
    if result.dtype not in (pl.Boolean, pl.Null):
        return f"条件「{text}」应得出是/否，实际得出 {result.dtype}"
    return None


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def parse_rules(text: str) -> RuleSet:
    """The rule file, checked; raises ``RuleError`` naming every problem by key path."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行第{mark.column + 1}列：" if mark else ""
        raise RuleError([f"YAML 格式错误：{where}{getattr(exc, 'problem', None) or exc}"]) from exc
    problems: list[str] = []
    if not isinstance(data, dict):
        raise RuleError(["预警规则文件应为 YAML 映射（district、rules）"])
    for key in data:
        if key not in ("district", "rules"):
            problems.append(f"{key}：未知的键（可用 district、rules）")
    district = data.get("district")
    if not isinstance(district, str) or not district.strip():
        problems.append("district：应为区县名称文本")
    items = data.get("rules")
    if not isinstance(items, list) or not items:
        problems.append("rules：应为至少一条规则的列表")
        items = []
    rules, ids = [], set()
    for index, item in enumerate(items):
        path = f"rules[{index}]"
        if not isinstance(item, dict):
            problems.append(f"{path}：应为映射（id、label、when …）")
            continue
        for key in item:
            if key not in _RULE_KEYS:
                problems.append(f"{path}.{key}：未知的键（可用 {'、'.join(sorted(_RULE_KEYS))}）")
        rule_id = item.get("id")
        if not isinstance(rule_id, str) or not _ID.match(rule_id):
            problems.append(f"{path}.id：应为小写字母、数字和连字符组成的代码，实际为「{rule_id}」")
        elif rule_id in ids:
            problems.append(f"{path}.id：规则代码「{rule_id}」重复")
        else:
            ids.add(rule_id)
        label = item.get("label")
        if not isinstance(label, str) or not label.strip():
            problems.append(f"{path}.label：缺少规则名称")
        kind = item.get("kind", "yearly")
        if kind not in KINDS:
            problems.append(f"{path}.kind：应为 yearly 或 jump，实际为「{kind}」")
        params: dict[str, float] = {}
        raw_params = item.get("params", {}) or {}
        if not isinstance(raw_params, dict):
            problems.append(f"{path}.params：应为 名称: 数值 的映射")
            raw_params = {}
        for name, value in raw_params.items():
            if (
                not isinstance(name, str)
                or not re.match(r"^[a-z_][a-z0-9_]*$", name)
                or name in WARNING_COLUMNS
            ):
                problems.append(f"{path}.params.{name}：参数名应为小写字母和下划线，且不能与列同名")
            elif isinstance(value, bool) or not isinstance(value, int | float):
                problems.append(f"{path}.params.{name}：应为数值，实际为「{value}」")
            else:
                params[name] = float(value)
        when = item.get("when")
        if not isinstance(when, str) or not when.strip():
            problems.append(f"{path}.when：缺少条件（SQL 表达式）")
        else:
            problem = _expression_problem(when, params)
            if problem:
                problems.append(f"{path}.when：{problem}")
        if isinstance(rule_id, str) and isinstance(label, str) and isinstance(when, str):
            rules.append(WarningRule(rule_id, label.strip(), when.strip(), tuple(params.items()), kind))
    if problems:
        raise RuleError(problems)
    return RuleSet(district.strip(), tuple(rules), text)


def shipped_rules_text(district: str = "zhenhai") -> str:
    return (
        resources.files("zhuanxing.dashboard")
        .joinpath("rules", f"{district}.yaml")
        .read_text(encoding="utf-8")
    )


def yearly_frame(long: pl.DataFrame) -> pl.DataFrame:
    """Add each enterprise's previous year (``prev_``) and the class two years before to a frame
    of ``enterprise_id, year`` and the values (missing value columns are null)."""
    base = long.with_columns(
        [
            pl.lit(None, dtype=dtype).alias(name)
            for name, dtype in WARNING_COLUMNS.items()
            if name not in long.columns
        ]
    ).select(["enterprise_id", "year", *VALUES])
    base = base.with_columns(
        pl.col("enterprise_id").cast(pl.Int64),
        pl.col("year").cast(pl.Int64),
        *[pl.col(name).cast(pl.Float64) for name in VALUES],
    )
    base = base.with_columns(
        tax_per_mu=pl.when(pl.col("land_mu") > 0)
        .then(pl.col("tax") / pl.col("land_mu"))
        .otherwise(pl.col("tax_per_mu")),
        value_added_per_mu=pl.when(pl.col("land_mu") > 0)
        .then(pl.col("value_added") / pl.col("land_mu"))
        .otherwise(pl.col("value_added_per_mu")),
    )
    previous = base.select(
        "enterprise_id", (pl.col("year") + 1).alias("year"), *[pl.col(n).alias(f"prev_{n}") for n in VALUES]
    )
    before = base.select(
        "enterprise_id", (pl.col("year") + 2).alias("year"), pl.col("class_rank").alias("prev2_class_rank")
    )
    return base.join(previous, on=["enterprise_id", "year"], how="left").join(
        before, on=["enterprise_id", "year"], how="left"
    )


def evaluate(rules: RuleSet, frame: pl.DataFrame, *, year: int | None = None) -> pl.DataFrame:
    """``enterprise_id, year, rule`` for every rule that holds (optionally in one year only)."""
    lazy = frame.lazy()
    if year is not None:
        lazy = lazy.filter(pl.col("year") == year)
    hits = []
    for rule in rules.rules:
        scoped = lazy.with_columns([pl.lit(value).alias(name) for name, value in rule.params])
        hits.append(
            scoped.filter(rule.condition()).select("enterprise_id", "year", pl.lit(rule.id).alias("rule"))
        )
    if not hits:
        return pl.DataFrame(schema={"enterprise_id": pl.Int64, "year": pl.Int64, "rule": pl.String})
    return pl.concat(pl.collect_all(hits))
