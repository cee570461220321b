"""Evaluation schemes: loading a YAML file and checking it clause by clause.

Every problem is collected (not just the first) and named by its key path, e.g.
``groups[0].indicators[2].numerator：未知的列「taxx」``, so that an analyst can fix a
scheme in one pass. The format is specified in issue 4 and docs (scheme reference).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import polars as pl
import yaml

from zhuanxing.scoring import expressions
from zhuanxing.scoring.columns import COLUMN_DTYPES, known_columns, source_column
from zhuanxing.scoring.errors import SchemeError

DEFAULT_SCHEME = "zhenhai-2014"
DEFAULT_CLASSES = (("A", "优先发展类"), ("B", "鼓励提升类"), ("C", "帮扶转型类"), ("D", "倒逼退出类"))
BENCHMARK_KINDS = ("fixed", "aggregate", "mean", "median", "percentile")
SCORING_METHODS = ("ratio", "inverse", "minmax")
MISSING_POLICIES = ("zero", "mean_score", "renormalize")
RULE_ACTIONS = ("exempt", "at_least", "at_most", "set")

_SCHEME_ID = re.compile(r"^[a-z0-9-]+$")
_GROUP_ID = re.compile(r"^[A-Za-z0-9_-]+$")
_INDICATOR_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

_SCHEME_KEYS = ("id", "name", "year", "source", "classes", "groups", "policies")
_GROUP_KEYS = (
    "id",
    "label",
    "population",
    "rank_within",
    "rank_within_min",
    "indicators",
    "adjustments",
    "classify",
    "rules",
)
_INDICATOR_KEYS = (
    "id",
    "label",
    "unit",
    "numerator",
    "denominator",
    "multiplier",
    "weight",
    "benchmark",
    "scoring",
    "cap",
    "minmax",
    "missing",
)
_BENCHMARK_OPTIONS = ("by", "min_group_size")


@dataclass(frozen=True)
class SchemeClass:
    code: str
    label: str


@dataclass(frozen=True)
class Benchmark:
    kind: str  # one of BENCHMARK_KINDS
    value: float | None = None  # the fixed benchmark, or p for a percentile
    by: str | None = None
    min_group_size: int = 5


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str
    numerator: str
    weight: float
    benchmark: Benchmark | None  # None only for minmax, which has none
    denominator: str = "1"
    multiplier: float = 1.0
    unit: str = ""
    scoring: str = "ratio"
    cap: float | None = None
    low: float = 0.0  # minmax only
    high: float = 100.0
    missing: str = "zero"


@dataclass(frozen=True)
class Adjustment:
    label: str
    points: float
    when: str | None = None
    per: str | None = None
    max: float | None = None


@dataclass(frozen=True)
class Rule:
    label: str
    when: str
    action: str  # one of RULE_ACTIONS
    target: str | None = None  # the class code, except for exempt


@dataclass(frozen=True)
class Classify:
    method: str  # "quota" (cumulative shares) or "thresholds" (minimum totals)
    limits: tuple[tuple[str, float], ...]  # (class code, share or minimum), best class first


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    population: str | None
    indicators: tuple[Indicator, ...]
    classify: Classify
    adjustments: tuple[Adjustment, ...] = ()
    rules: tuple[Rule, ...] = ()
    rank_within: str | None = None
    rank_within_min: int = 10
    rules_before_adjustments: bool = False  # file order, for the reasons column

    @property
    def total_weight(self) -> float:
        return sum(indicator.weight for indicator in self.indicators)

    def population_columns(self) -> list[str]:
        """The input columns deciding who belongs to the group."""
        columns = expressions.referenced_columns(self.population) if self.population else []
        return list(dict.fromkeys(source_column(column) for column in columns))

    def referenced_columns(self) -> list[str]:
        """The columns (input or derived) the group's members are evaluated on."""
        texts = []
        for indicator in self.indicators:
            texts += [indicator.numerator, indicator.denominator]
        for adjustment in self.adjustments:
            texts += [t for t in (adjustment.when, adjustment.per) if t]
        texts += [rule.when for rule in self.rules]
        columns = [self.rank_within] if self.rank_within else []
        columns += [i.benchmark.by for i in self.indicators if i.benchmark and i.benchmark.by]
        for text in texts:
            columns += expressions.referenced_columns(text)
        return list(dict.fromkeys(columns))

    def input_columns(self) -> list[str]:
        """The input columns the group's members are evaluated on (a derived column needs its source)."""
        return list(dict.fromkeys(source_column(column) for column in self.referenced_columns()))


@dataclass(frozen=True)
class Scheme:
    id: str
    name: str
    year: int
    source: str
    classes: tuple[SchemeClass, ...]
    groups: tuple[Group, ...]
    policies: tuple[dict, ...] = ()  # per-class measures, used by the platform, not by the engine
    text: str = ""  # the YAML as loaded, so a run can store exactly what it used

    @property
    def class_codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.classes)

    def indicators(self) -> list[Indicator]:
        """Indicators in output order: by group, then file order; an id shared by groups appears once."""
        seen: dict[str, Indicator] = {}
        for group in self.groups:
            for indicator in group.indicators:
                seen.setdefault(indicator.id, indicator)
        return list(seen.values())

    def input_columns(self) -> list[str]:
        """The input columns this scheme may need (the credit code always)."""
        used = ["uscc"]
        for group in self.groups:
            used += group.population_columns() + group.input_columns()
        return list(dict.fromkeys(used))


# ---------------------------------------------------------------- loading


def shipped_scheme_ids() -> list[str]:
    folder = resources.files("zhuanxing") / "schemes"
    return sorted(entry.name[:-5] for entry in folder.iterdir() if entry.name.endswith(".yaml"))


def shipped_schemes() -> list[Scheme]:
    return [load_scheme(scheme_id) for scheme_id in shipped_scheme_ids()]


def load_scheme(id_or_path: str | Path) -> Scheme:
    """A shipped scheme by id, or a scheme file by path."""
    text_id = str(id_or_path)
    if text_id in shipped_scheme_ids():
        return _shipped_scheme(text_id)
    path = Path(id_or_path)
    if not path.is_file():
        known = "、".join(shipped_scheme_ids())
        raise SchemeError([f"找不到方案「{text_id}」：既不是内置方案（{known}），也不是文件"])
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SchemeError([f"方案文件「{path.name}」不是 UTF-8 编码"]) from exc
    return parse_scheme(text)


@cache
def _shipped_scheme(scheme_id: str) -> Scheme:  # a Scheme is immutable, so one parse serves all
    return parse_scheme((resources.files("zhuanxing") / "schemes" / f"{scheme_id}.yaml").read_text("utf-8"))


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML that refuses a key given twice (PyYAML would silently keep the last)."""

    def construct_mapping(self, node, deep=False):
        keys = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in keys:
                raise yaml.constructor.ConstructorError(None, None, f"重复的键「{key}」", key_node.start_mark)
            keys.add(key)
        return super().construct_mapping(node, deep=deep)


def parse_scheme(text: str) -> Scheme:
    """Parse and validate scheme YAML; raises SchemeError listing every problem."""
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行第{mark.column + 1}列：" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise SchemeError([f"YAML 格式错误：{where}{problem}"]) from exc
    checker = _Checker()
    scheme = checker.scheme(data, text)
    if checker.problems:
        raise SchemeError(checker.problems)
    return scheme


# ---------------------------------------------------------------- validation


class _Checker:
    """Builds a Scheme from parsed YAML, recording each problem with its key path."""

    def __init__(self):
        self.problems: list[str] = []
        self.class_codes: tuple[str, ...] = ()

    def add(self, path: str, message: str) -> None:
        self.problems.append(f"{path}：{message}" if path else message)

    # -- primitives; each returns None (after recording the problem) when the value is unusable

    def mapping(self, value, path: str, allowed: tuple[str, ...]) -> dict | None:
        if not isinstance(value, dict):
            self.add(path, "应为键值映射")
            return None
        for key in value:
            if key not in allowed:
                self.add(f"{path}.{key}" if path else str(key), f"未知的键（可用：{'、'.join(allowed)}）")
        return value

    def text(self, data: dict, key: str, path: str, *, required: bool = False, default=None):
        value = data.get(key)
        if value is None:
            if required:
                self.add(path, "缺少此项")
            return default
        if not isinstance(value, str) or not value.strip():
            self.add(path, "应为非空文本")
            return default
        return value.strip()

    def number(
        self, data: dict, key: str, path: str, *, required=False, default=None, minimum=None, positive=False
    ):
        value = data.get(key)
        if value is None:
            if required:
                self.add(path, "缺少此项")
            return default
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            self.add(path, f"应为数字，实际为「{value}」")
            return default
        if positive and value <= 0:
            self.add(path, f"应大于 0，实际为 {value}")
            return default
        if minimum is not None and value < minimum:
            self.add(path, f"应不小于 {minimum}，实际为 {value}")
            return default
        return float(value)

    def integer(self, data: dict, key: str, path: str, *, default: int, minimum: int) -> int:
        value = data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.add(path, f"应为不小于 {minimum} 的整数，实际为「{value}」")
            return default
        return value

    def choice(self, data: dict, key: str, path: str, choices: tuple[str, ...], default: str) -> str:
        value = data.get(key, default)
        if value not in choices:
            self.add(path, f"应为 {' | '.join(choices)} 之一，实际为「{value}」")
            return default
        return value

    def class_code(self, value, path: str) -> str | None:
        if value not in self.class_codes:
            self.add(path, f"未知的等级「{value}」（方案的等级：{'、'.join(self.class_codes)}）")
            return None
        return value

    def column(self, data: dict, key: str, path: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or value not in known_columns():
            self.add(path, f"未知的列「{value}」")
            return None
        return value

    def expression(self, data: dict, key: str, path: str, *, kind: str, required: bool = False):
        """An SQL expression; ``kind`` is "condition" (boolean) or "number"."""
        value = data.get(key)
        if value is None:
            if required:
                self.add(path, "缺少此项")
            return None
        if isinstance(value, bool):  # YAML reads an unquoted true/false as a boolean
            value = "TRUE" if value else "FALSE"
        elif isinstance(value, int | float):
            value = repr(value)
        if not isinstance(value, str) or not value.strip():
            self.add(path, "应为 SQL 表达式文本")
            return None
        problem = expression_problem(value, kind)
        if problem:
            self.add(path, problem)
            return None
        return value.strip()

    # -- the scheme, top down

    def scheme(self, data, text: str) -> Scheme | None:
        if self.mapping(data, "", _SCHEME_KEYS) is None:
            self.problems[-1] = "方案文件应为 YAML 映射（id、name、year、groups …）"
            return None
        scheme_id = self.text(data, "id", "id", required=True, default="")
        if scheme_id and not _SCHEME_ID.match(scheme_id):
            self.add("id", f"只能由小写字母、数字和连字符组成，实际为「{scheme_id}」")
        name = self.text(data, "name", "name", required=True, default="")
        year = data.get("year")
        if year is None:
            self.add("year", "缺少此项")
        elif isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100:
            self.add("year", f"应为四位数年份，实际为「{year}」")
        source = self.text(data, "source", "source", default="")
        classes = self.classes(data.get("classes"))
        self.class_codes = tuple(c.code for c in classes)
        groups = self.groups(data.get("groups"))
        policies = self.policies(data.get("policies"))
        if self.problems:
            return None
        return Scheme(
            id=scheme_id,
            name=name,
            year=year,
            source=source,
            classes=classes,
            groups=groups,
            policies=policies,
            text=text,
        )

    def classes(self, value) -> tuple[SchemeClass, ...]:
        if value is None:
            return tuple(SchemeClass(code, label) for code, label in DEFAULT_CLASSES)
        if not isinstance(value, list) or not value:
            self.add("classes", "应为非空列表，如 - {code: A, label: 优先发展类}")
            return ()
        classes = []
        for index, item in enumerate(value):
            path = f"classes[{index}]"
            if self.mapping(item, path, ("code", "label")) is None:
                continue
            code = self.text(item, "code", f"{path}.code", required=True)
            if code is None:
                continue
            if code in (c.code for c in classes):
                self.add(f"{path}.code", f"等级「{code}」重复")
                continue
            classes.append(SchemeClass(code, self.text(item, "label", f"{path}.label", default=code)))
        return tuple(classes)

    def groups(self, value) -> tuple[Group, ...]:
        if not isinstance(value, list) or not value:
            self.add("groups", "缺少此项或不是非空列表")
            return ()
        groups = []
        for index, item in enumerate(value):
            group = self.group(item, f"groups[{index}]")
            if group is None:
                continue
            if group.id in (g.id for g in groups):
                self.add(f"groups[{index}].id", f"评价组「{group.id}」重复")
            groups.append(group)
        return tuple(groups)

    def group(self, data, path: str) -> Group | None:
        if self.mapping(data, path, _GROUP_KEYS) is None:
            return None
        group_id = self.text(data, "id", f"{path}.id", required=True)
        if group_id and not _GROUP_ID.match(group_id):
            self.add(f"{path}.id", f"只能由字母、数字、下划线和连字符组成，实际为「{group_id}」")
        label = self.text(data, "label", f"{path}.label", default=group_id)
        population = self.expression(data, "population", f"{path}.population", kind="condition")
        rank_within = self.column(data, "rank_within", f"{path}.rank_within")
        rank_within_min = self.integer(
            data, "rank_within_min", f"{path}.rank_within_min", default=10, minimum=1
        )
        indicators = self.indicators(data.get("indicators"), f"{path}.indicators")
        adjustments = self.adjustments(data.get("adjustments"), f"{path}.adjustments")
        classify = self.classify(data.get("classify"), f"{path}.classify")
        rules = self.rules(data.get("rules"), f"{path}.rules")
        keys = list(data)
        rules_first = (
            "rules" in keys and "adjustments" in keys and keys.index("rules") < keys.index("adjustments")
        )
        if group_id is None or classify is None:
            return None
        return Group(
            id=group_id,
            label=label,
            population=population,
            indicators=indicators,
            classify=classify,
            adjustments=adjustments,
            rules=rules,
            rank_within=rank_within,
            rank_within_min=rank_within_min,
            rules_before_adjustments=rules_first,
        )

    def indicators(self, value, path: str) -> tuple[Indicator, ...]:
        if not isinstance(value, list) or not value:
            self.add(path, "缺少此项或不是非空列表")
            return ()
        indicators: list[Indicator] = []
        for index, item in enumerate(value):
            indicator = self.indicator(item, f"{path}[{index}]")
            if indicator is None:
                continue
            if indicator.id in (i.id for i in indicators):
                self.add(f"{path}[{index}].id", f"指标「{indicator.id}」在本组重复")
            indicators.append(indicator)
        return tuple(indicators)

    def indicator(self, data, path: str) -> Indicator | None:
        if self.mapping(data, path, _INDICATOR_KEYS) is None:
            return None
        indicator_id = self.text(data, "id", f"{path}.id", required=True)
        if indicator_id and not _INDICATOR_ID.match(indicator_id):
            self.add(f"{path}.id", f"应以字母开头，由字母、数字和下划线组成，实际为「{indicator_id}」")
        label = self.text(data, "label", f"{path}.label", required=True)
        unit = self.text(data, "unit", f"{path}.unit", default="")
        numerator = self.expression(data, "numerator", f"{path}.numerator", kind="number", required=True)
        denominator = self.expression(data, "denominator", f"{path}.denominator", kind="number") or "1"
        multiplier = self.number(data, "multiplier", f"{path}.multiplier", default=1.0, positive=True)
        weight = self.number(data, "weight", f"{path}.weight", required=True, minimum=0)
        scoring = self.choice(data, "scoring", f"{path}.scoring", SCORING_METHODS, "ratio")
        cap = self.number(data, "cap", f"{path}.cap", positive=True)
        if scoring == "inverse" and cap is None and "cap" not in data:
            self.add(f"{path}.cap", "inverse 计分必须设置封顶倍数 cap")
        missing = self.choice(data, "missing", f"{path}.missing", MISSING_POLICIES, "zero")
        low, high = self.minmax(data, path, scoring)
        benchmark = None
        if "benchmark" in data:
            benchmark = self.benchmark(data["benchmark"], f"{path}.benchmark")
        elif scoring != "minmax":
            self.add(f"{path}.benchmark", f"{scoring} 计分必须设置基准值 benchmark")
        if None in (indicator_id, label, numerator, weight) or (benchmark is None and scoring != "minmax"):
            return None
        return Indicator(
            id=indicator_id,
            label=label,
            numerator=numerator,
            weight=weight,
            benchmark=benchmark,
            denominator=denominator,
            multiplier=multiplier,
            unit=unit,
            scoring=scoring,
            cap=cap,
            low=low,
            high=high,
            missing=missing,
        )

    def minmax(self, data: dict, path: str, scoring: str) -> tuple[float, float]:
        if "minmax" not in data:
            return 0.0, 100.0
        if scoring != "minmax":
            self.add(f"{path}.minmax", "只有 scoring: minmax 的指标才能设置 minmax")
            return 0.0, 100.0
        bounds = self.mapping(data["minmax"], f"{path}.minmax", ("low", "high"))
        if bounds is None:
            return 0.0, 100.0
        low = self.number(bounds, "low", f"{path}.minmax.low", default=0.0)
        high = self.number(bounds, "high", f"{path}.minmax.high", default=100.0)
        if low > high:
            self.add(f"{path}.minmax", f"low（{low:g}）不应大于 high（{high:g}）")
        return low, high

    def benchmark(self, value, path: str) -> Benchmark | None:
        """``{fixed: 24.1}``, ``{aggregate: {}}``, ``{mean: {}}``, ``{median: {}}`` or
        ``{percentile: 75}``; ``by`` and ``min_group_size`` beside the kind or inside its
        mapping. A bare number means fixed; a bare kind name means that kind."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = {"fixed": value}
        elif isinstance(value, str):
            value = {value: {}}
        if self.mapping(value, path, BENCHMARK_KINDS + _BENCHMARK_OPTIONS) is None:
            return None
        kinds = [k for k in BENCHMARK_KINDS if k in value]
        if len(kinds) != 1:
            self.add(path, f"应恰有一种基准值：{' | '.join(BENCHMARK_KINDS)}")
            return None
        kind = kinds[0]
        options = {k: value[k] for k in _BENCHMARK_OPTIONS if k in value}
        argument = value[kind]
        number = None
        if kind in ("fixed", "percentile"):
            number = self.number(value, kind, f"{path}.{kind}", required=True, positive=kind == "fixed")
            if kind == "percentile" and number is not None and not 0 <= number <= 100:
                self.add(f"{path}.percentile", f"应在 0 到 100 之间，实际为 {number:g}")
        elif argument is not None:
            inner = self.mapping(argument, f"{path}.{kind}", _BENCHMARK_OPTIONS)
            for key, option in (inner or {}).items():
                if key in options:
                    self.add(f"{path}.{kind}.{key}", "与同级的同名设置重复")
                options[key] = option
        by = self.column(options, "by", f"{path}.by")
        min_group_size = self.integer(
            options, "min_group_size", f"{path}.min_group_size", default=5, minimum=1
        )
        return Benchmark(kind, number, by, min_group_size)

    def adjustments(self, value, path: str) -> tuple[Adjustment, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.add(path, "应为列表")
            return ()
        adjustments = []
        for index, item in enumerate(value):
            item_path = f"{path}[{index}]"
            if self.mapping(item, item_path, ("label", "when", "per", "points", "max")) is None:
                continue
            label = self.text(item, "label", f"{item_path}.label", required=True)
            when = self.expression(item, "when", f"{item_path}.when", kind="condition")
            per = self.expression(item, "per", f"{item_path}.per", kind="number")
            points = self.number(item, "points", f"{item_path}.points", required=True)
            limit = self.number(item, "max", f"{item_path}.max", positive=True)
            if "when" not in item and "per" not in item:
                self.add(item_path, "应设置 when（条件加分）或 per（按数量加分），或两者都设")
            elif None not in (label, points) and (when or per):
                adjustments.append(Adjustment(label, points, when, per, limit))
        return tuple(adjustments)

    def classify(self, value, path: str) -> Classify | None:
        if value is None:
            self.add(path, "缺少此项（quota 或 thresholds）")
            return None
        if self.mapping(value, path, ("quota", "thresholds")) is None:
            return None
        methods = [m for m in ("quota", "thresholds") if m in value]
        if len(methods) != 1:
            self.add(path, "应恰有 quota 与 thresholds 之一")
            return None
        method = methods[0]
        limits = value[method]
        if not isinstance(limits, dict) or not limits:
            self.add(f"{path}.{method}", "应为「等级: 数值」的映射，如 {A: 0.2, B: 0.8, C: 0.95}")
            return None
        found = {}
        for code in limits:
            key_path = f"{path}.{method}.{code}"
            if self.class_code(code, key_path) is None:
                continue
            number = self.number(limits, code, key_path, required=True)
            if number is None:
                continue
            if method == "quota" and not 0 <= number <= 1:
                self.add(key_path, f"累计比例应在 0 到 1 之间，实际为 {number:g}")
                continue
            found[code] = number
        ordered = tuple((code, found[code]) for code in self.class_codes if code in found)
        for (better, a), (worse, b) in zip(ordered, ordered[1:]):
            if method == "quota" and b < a:
                self.add(f"{path}.quota.{worse}", f"累计比例应不小于较好等级「{better}」的 {a:g}")
            if method == "thresholds" and b > a:
                self.add(f"{path}.thresholds.{worse}", f"分数线应不高于较好等级「{better}」的 {a:g}")
        return Classify(method, ordered)

    def rules(self, value, path: str) -> tuple[Rule, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.add(path, "应为列表")
            return ()
        rules = []
        for index, item in enumerate(value):
            item_path = f"{path}[{index}]"
            if self.mapping(item, item_path, ("label", "when") + RULE_ACTIONS) is None:
                continue
            label = self.text(item, "label", f"{item_path}.label", required=True)
            when = self.expression(item, "when", f"{item_path}.when", kind="condition", required=True)
            actions = [a for a in RULE_ACTIONS if a in item]
            if len(actions) != 1:
                self.add(item_path, "应恰有一种处理：exempt: true | at_least | at_most | set")
                continue
            action = actions[0]
            target = None
            if action == "exempt":
                if item["exempt"] is not True:
                    self.add(f"{item_path}.exempt", "只能为 true")
                    continue
            else:
                target = self.class_code(item[action], f"{item_path}.{action}")
                if target is None:
                    continue
            if label and when:
                rules.append(Rule(label, when, action, target))
        return tuple(rules)

    def policies(self, value) -> tuple[dict, ...]:
        """Checked only as far as the engine knows them: a class and a measure each."""
        if value is None:
            return ()
        if not isinstance(value, list):
            self.add("policies", "应为列表")
            return ()
        for index, item in enumerate(value):
            path = f"policies[{index}]"
            if not isinstance(item, dict):
                self.add(path, "应为键值映射")
                continue
            self.class_code(item.get("class"), f"{path}.class")
            self.text(item, "measure", f"{path}.measure", required=True)
        return tuple(value)


# ---------------------------------------------------------------- expressions

# Two rows of nulls with the input's types: enough for polars to resolve types and
# for an aggregate (which gives one row) to show itself.
_SAMPLE = pl.DataFrame({name: pl.Series(name, [None, None], dtype=d) for name, d in COLUMN_DTYPES.items()})


def expression_problem(text: str, kind: str) -> str | None:
    """Why ``text`` is not a usable expression of ``kind`` ("condition" or "number"), or None."""
    try:
        parsed = expressions.parse(text)
    except Exception as exc:  # polars raises several kinds for a bad expression
        return f"无法解析的表达式「{text}」：{_first_line(exc)}"
    unknown = [c for c in dict.fromkeys(parsed.meta.root_names()) if c not in known_columns()]
    if unknown:
        return "未知的列" + "、".join(f"「{c}」" for c in unknown)
    try:
        result = _SAMPLE.select(expressions.compile_expression(text).alias("result")).get_column("result")
    except Exception as exc:
        return f"表达式「{text}」无法计算：{_first_line(exc)}"
    if result.len() != _SAMPLE.height:
        return f"表达式「{text}」不能使用汇总函数（SUM、AVG、COUNT …），它按每家企业计算"
    if kind == "condition" and result.dtype not in (pl.Boolean, pl.Null):
        return f"条件「{text}」应得出是/否，实际得出 {result.dtype}"
    if kind == "number" and not (result.dtype.is_numeric() or result.dtype in (pl.Boolean, pl.Null)):
        return f"表达式「{text}」应得出数字，实际得出 {result.dtype}"
    return None


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
