"""Support-policy files (政策兑现): load the YAML, validate it whole, return a ``Policy``.

The file format is the contract of issue 6. Numbers are read from their literal
text into ``Decimal`` (``0.06`` is exactly 0.06, never a float), conditions are
polars SQL over the declared facts and are parsed and type-checked here, and every
mistake is reported with its key path (``clauses[0].award.rate``) in one
``PolicyError``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from importlib import resources
from pathlib import Path

import polars as pl
import yaml

from zhuanxing.awards.errors import PolicyError, PolicyProblem
from zhuanxing.tabular import header_key

AWARD_TYPES = ("percentage", "per_unit", "fixed", "bands", "level_difference")
FACT_TYPES = ("number", "boolean", "text")
FIELD_TYPES = ("number", "text", "date")
# The fixed columns of the applications table: id -> the Chinese header also accepted.
APPLICATION_COLUMNS = {
    "id": "申报编号",
    "uscc": "统一社会信用代码",
    "clause": "条款",
    "year": "年度",
    "submitted": "提交日期",
    "project": "项目编号",
}
USCC_LABEL = APPLICATION_COLUMNS["uscc"]
# Facts and fields are SQL column names and spreadsheet headers, so plain identifiers.
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PLAIN_INTEGER = re.compile(r"[-+]?[0-9][0-9_]*")


# ---------------------------------------------------------------- the model


@dataclass(frozen=True)
class Fact:
    """A column of the FACTS table that conditions may use."""

    id: str
    label: str
    type: str  # number | boolean | text
    unit: str | None = None  # of a number, for the pages (万元)


@dataclass(frozen=True)
class Field:
    """A value the applicant fills in for a clause."""

    id: str
    label: str
    type: str = "number"  # number | text | date
    unit: str | None = None
    required: bool = False


@dataclass(frozen=True)
class Condition:
    """A polars SQL condition over the applicant's FACTS row; null counts as false."""

    sql: str
    path: str
    expr: pl.Expr = field(compare=False, repr=False)


@dataclass(frozen=True)
class Veto:
    label: str
    when: Condition


@dataclass(frozen=True)
class Uplift:
    """The first uplift whose condition holds replaces the rate and/or the cap."""

    when: Condition
    rate: Decimal | None = None
    cap: Decimal | None = None
    label: str | None = None


@dataclass(frozen=True)
class Percentage:
    base: str
    rate: Decimal
    cap: Decimal | None = None
    min_base: Decimal | None = None
    uplifts: tuple[Uplift, ...] = ()


@dataclass(frozen=True)
class PerUnit:
    base: str
    rate: Decimal
    cap: Decimal | None = None
    min_base: Decimal | None = None
    uplifts: tuple[Uplift, ...] = ()
    share_of: str | None = None  # share_cap.of: the field the share limit is taken of
    share: Decimal | None = None


@dataclass(frozen=True)
class Fixed:
    amount: Decimal


@dataclass(frozen=True)
class Band:
    upto: Decimal | None  # inclusive upper bound; None for the last band
    rate: Decimal


@dataclass(frozen=True)
class Bands:
    base: str
    bands: tuple[Band, ...]
    marginal: bool = False
    cap: Decimal | None = None
    min_base: Decimal | None = None


@dataclass(frozen=True)
class LevelDifference:
    level: str
    amounts: Mapping[str, Decimal]
    previous: str | None = None


Award = Percentage | PerUnit | Fixed | Bands | LevelDifference


@dataclass(frozen=True)
class Clause:
    id: str
    label: str
    award: Award
    fields: tuple[Field, ...] = ()
    eligible: Condition | None = None
    veto: tuple[Veto, ...] = ()
    per_enterprise_per_year: int | None = None
    automatic: bool = False  # 免申即享: matched from data without an application
    description: str | None = None

    @property
    def required_fields(self) -> tuple[Field, ...]:
        """Fields that must be filled, in declared order: those marked, plus base and level."""
        implied = {getattr(self.award, "base", None), getattr(self.award, "level", None)}
        return tuple(f for f in self.fields if f.required or f.id in implied)

    @property
    def conditions(self) -> tuple[Condition, ...]:
        found = [self.eligible] if self.eligible else []
        found += [v.when for v in self.veto]
        found += [u.when for u in getattr(self.award, "uplifts", ())]
        return tuple(found)


@dataclass(frozen=True)
class Policy:
    id: str
    name: str
    clauses: tuple[Clause, ...]
    facts: Mapping[str, Fact] = field(default_factory=dict)
    exclusive: tuple[tuple[str, ...], ...] = ()
    year: int | None = None
    budget: Decimal | None = None
    doc_number: str | None = None
    department: str | None = None
    description: str | None = None

    def clause(self, clause_id: str) -> Clause:
        return self.clauses_by_id[clause_id]

    @cached_property
    def clauses_by_id(self) -> dict[str, Clause]:
        return {c.id: c for c in self.clauses}

    @cached_property
    def group_of(self) -> dict[str, int]:
        """clause id -> the index of its exclusive group."""
        return {clause_id: i for i, group in enumerate(self.exclusive) for clause_id in group}

    @cached_property
    def fields(self) -> dict[str, Field]:
        """Every field of every clause by id (validation made shared ids agree)."""
        return {f.id: f for c in self.clauses for f in c.fields}


# ---------------------------------------------------------------- loading


class _PolicyLoader(yaml.SafeLoader):
    """Safe YAML whose numbers keep their literal text (as Decimal) and whose mappings
    refuse a key given twice (two ``cap:`` lines must not silently keep the last)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # "<<: *defaults" may be overridden
                continue
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, str | int | Decimal | bool) and key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"重复的键「{key}」", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


def _construct_float(loader, node):
    text = loader.construct_scalar(node)
    try:
        value = Decimal(text.replace("_", ""))
    except InvalidOperation:  # .inf, .nan, 1:30.5: left as text, reported as not a number
        return text
    return value if value.is_finite() else text


def _construct_int(loader, node):
    text = loader.construct_scalar(node)
    if _PLAIN_INTEGER.fullmatch(text):  # "010" is ten, not YAML 1.1 octal
        return int(text.replace("_", ""))
    return yaml.SafeLoader.construct_yaml_int(loader, node)


_PolicyLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)
_PolicyLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def load_policy(source: str | os.PathLike | Mapping) -> Policy:
    """A validated policy from YAML text (``str``), a file (``Path``) or an already parsed
    mapping (floats in a mapping are taken by their shortest text, ``0.06`` -> 0.06).
    Raises ``PolicyError`` listing every problem with its key path."""
    if isinstance(source, Mapping):
        return validate_policy(source)
    if isinstance(source, os.PathLike):
        path = Path(source)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise PolicyError([PolicyProblem("", f"找不到政策文件：{path}")]) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise PolicyError([PolicyProblem("", f"无法读取政策文件 {path.name}：{exc}")]) from exc
    elif isinstance(source, str):
        text = source
    else:
        raise TypeError(f"load_policy takes YAML text, a path or a mapping, not {type(source).__name__}")
    try:
        data = yaml.load(text, Loader=_PolicyLoader)  # a SafeLoader: no arbitrary objects
    except yaml.YAMLError as exc:
        raise PolicyError([PolicyProblem("", _yaml_message(exc))]) from exc
    return validate_policy(data)


def _yaml_message(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    where = f"（第{mark.line + 1}行第{mark.column + 1}列）" if mark else ""
    return f"YAML 格式错误{where}：{problem}"


def shipped_policies() -> dict[str, Path]:
    """The policy files shipped in ``zhuanxing/policies``, by file stem."""
    folder = resources.files("zhuanxing.policies")
    files = sorted(p for p in folder.iterdir() if p.name.endswith(".yaml"))
    return {Path(p.name).stem: Path(str(p)) for p in files}


# ---------------------------------------------------------------- validation


def validate_policy(data: object) -> Policy:
    checker = _Checker()
    policy = checker.policy(data)
    if checker.problems or policy is None:
        raise PolicyError(checker.problems)
    return policy


_POLICY_KEYS = {
    "id",
    "name",
    "doc_number",
    "department",
    "year",
    "budget",
    "facts",
    "clauses",
    "exclusive",
    "description",
}
_CLAUSE_KEYS = {
    "id",
    "label",
    "description",
    "eligible",
    "fields",
    "award",
    "veto",
    "per_enterprise_per_year",
    "automatic",
}
_AWARD_KEYS = {
    "percentage": {"type", "base", "rate", "cap", "min_base", "uplifts"},
    "per_unit": {"type", "base", "rate", "cap", "min_base", "uplifts", "share_cap"},
    "fixed": {"type", "amount"},
    "bands": {"type", "base", "bands", "marginal", "cap", "min_base"},
    "level_difference": {"type", "level", "previous", "amounts"},
}
_MISSING = object()


class _Checker:
    """Walks the parsed YAML, building the model and collecting every problem."""

    def __init__(self) -> None:
        self.problems: list[PolicyProblem] = []
        self.facts: dict[str, Fact] = {}
        self.conditions: list[Condition] = []  # parsed, their types checked at the end

    def fail(self, path: str, message: str) -> None:
        self.problems.append(PolicyProblem(path, message))

    # -- scalars

    def mapping(self, value: object, path: str, allowed: set[str]) -> dict | None:
        if not isinstance(value, Mapping):
            self.fail(path, "应为键值映射（key: value）")
            return None
        for key in value:
            if key not in allowed:
                self.fail(_join(path, str(key)), f"未知的键（可用：{'、'.join(sorted(allowed))}）")
        return dict(value)

    def text(self, data: Mapping, key: str, path: str, *, required: bool = True) -> str | None:
        value = data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.fail(_join(path, key), "缺少此项")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            self.fail(_join(path, key), "应为文本")
            return None
        value = str(value).strip()
        if not value and required:
            self.fail(_join(path, key), "不能为空")
            return None
        return value or None

    def number(
        self,
        data: Mapping,
        key: str,
        path: str,
        *,
        required: bool = False,
        at_most_one: bool = False,
    ) -> Decimal | None:
        value = data.get(key, _MISSING)
        where = _join(path, key)
        if value is _MISSING or value is None:
            if required:
                self.fail(where, "缺少此项")
            return None
        number = _to_decimal(value)
        if number is None:
            self.fail(where, f"应为数字，实际为「{value}」")
            return None
        if number < 0:
            self.fail(where, "不能为负数")
            return None
        if at_most_one and number > 1:
            self.fail(where, f"比例应在 0 到 1 之间（6% 写作 0.06），实际为 {value}")
            return None
        return number

    def integer(self, data: Mapping, key: str, path: str, *, minimum: int) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.fail(_join(path, key), f"应为不小于 {minimum} 的整数，实际为「{value}」")
            return None
        return value

    def boolean(self, data: Mapping, key: str, path: str) -> bool:
        value = data.get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.fail(_join(path, key), f"应为 true 或 false，实际为「{value}」")
            return False
        return value

    def condition(self, value: object, path: str) -> Condition | None:
        if not isinstance(value, str) or not value.strip():
            self.fail(path, "应为 SQL 条件文本")
            return None
        problem = _parse_problem(value, self.facts)
        if problem:
            self.fail(path, problem)
            return None
        condition = Condition(sql=value.strip(), path=path, expr=pl.sql_expr(value))
        self.conditions.append(condition)
        return condition

    def check_condition_types(self) -> None:
        """Every parsed condition computed once on placeholder facts: all together, and one by
        one only when that fails, to name the culprits (one query is much the cheaper)."""
        sample = pl.DataFrame(
            {
                fact.id: pl.Series([_SAMPLE_VALUES[fact.type][0], None], dtype=_SAMPLE_VALUES[fact.type][1])
                for fact in self.facts.values()
            }
        )
        try:
            results = sample.select(c.expr.alias(str(i)) for i, c in enumerate(self.conditions))
            if all(dtype == pl.Boolean for dtype in results.dtypes):
                return
        except pl.exceptions.PolarsError:
            pass
        for condition in self.conditions:
            try:
                dtype = sample.select(condition.expr).dtypes[0]
            except pl.exceptions.PolarsError as exc:
                self.fail(condition.path, f"条件无法计算：{_first_line(exc)}")
                continue
            if dtype != pl.Boolean:
                self.fail(condition.path, f"条件的结果应为真/假，实际为 {dtype}")

    # -- structure

    def policy(self, data: object) -> Policy | None:
        data = self.mapping(data, "", _POLICY_KEYS)
        if data is None:
            return None
        policy_id = self.text(data, "id", "")
        name = self.text(data, "name", "", required=False) or policy_id
        year = self.integer(data, "year", "", minimum=1)
        budget = self.number(data, "budget", "")
        self.facts = self.facts_section(data.get("facts"))
        clauses = self.clauses_section(data.get("clauses"))
        # ids as written, so a clause with its own mistake is not also "unknown" here
        written_ids = {str(c.get("id")) for c in data.get("clauses") or () if isinstance(c, Mapping)}
        exclusive = self.exclusive_section(data.get("exclusive"), written_ids)
        self.check_condition_types()
        if self.problems:
            return None
        return Policy(
            id=policy_id,
            name=name,
            clauses=clauses,
            facts=self.facts,
            exclusive=exclusive,
            year=year,
            budget=budget,
            doc_number=self.text(data, "doc_number", "", required=False),
            department=self.text(data, "department", "", required=False),
            description=self.text(data, "description", "", required=False),
        )

    def facts_section(self, value: object) -> dict[str, Fact]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.fail("facts", "应为映射：事实列 id -> {label, type}")
            return {}
        facts: dict[str, Fact] = {}
        labels: dict[str, str] = {}
        for fact_id, spec in value.items():
            path = f"facts.{fact_id}"
            fact_id = str(fact_id)
            if not _IDENTIFIER.fullmatch(fact_id) or fact_id == "uscc":
                self.fail(path, "事实列 id 应为英文标识符（字母、数字、下划线），且不能是 uscc")
                continue
            spec = self.mapping(spec if spec is not None else {}, path, {"label", "type", "unit"})
            if spec is None:
                continue
            label = self.text(spec, "label", path, required=False) or fact_id
            kind = self.text(spec, "type", path, required=False) or "number"
            if kind not in FACT_TYPES:
                self.fail(f"{path}.type", f"未知的类型「{kind}」（可用：{'、'.join(FACT_TYPES)}）")
                continue
            key = header_key(label)
            if key in labels or key == header_key(USCC_LABEL):
                self.fail(f"{path}.label", f"名称「{label}」与{labels.get(key, USCC_LABEL)}重复")
                continue
            labels[key] = label
            facts[fact_id] = Fact(fact_id, label, kind, self.text(spec, "unit", path, required=False) or None)
        return facts

    def clauses_section(self, value: object) -> tuple[Clause, ...]:
        if not isinstance(value, list) or not value:
            self.fail("clauses", "应为至少含一个条款的列表")
            return ()
        clauses: list[Clause] = []
        seen: dict[str, str] = {}
        shared_fields: dict[str, tuple[Field, str]] = {}
        for index, spec in enumerate(value):
            path = f"clauses[{index}]"
            written_id = str(spec.get("id")) if isinstance(spec, Mapping) else None
            if written_id in seen:
                self.fail(f"{path}.id", f"条款 id「{written_id}」与 {seen[written_id]} 重复")
                continue
            seen[written_id] = path
            clause = self.clause(spec, path)
            if clause is None:
                continue
            for f_index, f in enumerate(clause.fields):
                earlier = shared_fields.get(f.id)
                if earlier and (earlier[0].label, earlier[0].type) != (f.label, f.type):
                    self.fail(
                        f"{path}.fields[{f_index}]",
                        f"字段「{f.id}」在 {earlier[1]} 中的名称或类型不同；同一列在各条款中应一致",
                    )
                shared_fields.setdefault(f.id, (f, path))
            clauses.append(clause)
        self.check_field_labels(shared_fields)
        return tuple(clauses)

    def check_field_labels(self, shared_fields: dict[str, tuple[Field, str]]) -> None:
        """Two fields, or a field and a fixed column, must not claim one header."""
        owners = {header_key(k): k for k in APPLICATION_COLUMNS}
        owners |= {header_key(v): k for k, v in APPLICATION_COLUMNS.items()}
        fixed = set(owners)
        for field_id, (f, path) in shared_fields.items():
            for key in {header_key(f.id), header_key(f.label)}:
                owner = owners.setdefault(key, field_id)
                if key in fixed or owner != field_id:
                    self.fail(f"{path}.fields", f"字段「{field_id}」的 id 或名称与列「{owner}」冲突")

    def clause(self, spec: object, path: str) -> Clause | None:
        data = self.mapping(spec, path, _CLAUSE_KEYS)
        if data is None:
            return None
        before = len(self.problems)
        clause_id = self.text(data, "id", path)
        if clause_id and re.search(r"\s", clause_id):
            self.fail(f"{path}.id", "条款 id 不能含空白")
        label = self.text(data, "label", path, required=False) or clause_id
        award_spec = data.get("award")
        award_data = award_spec if isinstance(award_spec, Mapping) else {}
        # level fields are text unless declared otherwise
        text_fields = {award_data.get("level"), award_data.get("previous")}
        fields = self.fields(data.get("fields"), f"{path}.fields", text_fields)
        award = self.award(award_spec, f"{path}.award", {f.id: f for f in fields})
        eligible = None
        if data.get("eligible") is not None:
            eligible = self.condition(data["eligible"], f"{path}.eligible")
        veto = self.vetoes(data.get("veto"), f"{path}.veto")
        limit = self.integer(data, "per_enterprise_per_year", path, minimum=1)
        automatic = self.boolean(data, "automatic", path)
        description = self.text(data, "description", path, required=False)
        if len(self.problems) > before:
            return None
        return Clause(
            id=clause_id,
            label=label,
            award=award,
            fields=fields,
            eligible=eligible,
            veto=veto,
            per_enterprise_per_year=limit,
            automatic=automatic,
            description=description,
        )

    def fields(self, value: object, path: str, text_fields: set) -> tuple[Field, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(path, "应为字段列表")
            return ()
        fields: list[Field] = []
        seen: set[str] = set()
        for index, spec in enumerate(value):
            where = f"{path}[{index}]"
            data = self.mapping(spec, where, {"id", "label", "type", "unit", "required"})
            if data is None:
                continue
            field_id = self.text(data, "id", where)
            if field_id is None:
                continue
            if not _IDENTIFIER.fullmatch(field_id):
                self.fail(f"{where}.id", "字段 id 应为英文标识符（字母、数字、下划线）")
                continue
            if field_id in seen:
                self.fail(f"{where}.id", f"字段「{field_id}」在本条款中重复")
                continue
            seen.add(field_id)
            default_type = "text" if field_id in text_fields else "number"
            kind = self.text(data, "type", where, required=False) or default_type
            if kind not in FIELD_TYPES:
                self.fail(f"{where}.type", f"未知的类型「{kind}」（可用：{'、'.join(FIELD_TYPES)}）")
                continue
            fields.append(
                Field(
                    id=field_id,
                    label=self.text(data, "label", where, required=False) or field_id,
                    type=kind,
                    unit=self.text(data, "unit", where, required=False),
                    required=self.boolean(data, "required", where),
                )
            )
        return tuple(fields)

    def vetoes(self, value: object, path: str) -> tuple[Veto, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(path, "应为否决条件列表：[{label, when}]")
            return ()
        vetoes = []
        for index, spec in enumerate(value):
            where = f"{path}[{index}]"
            data = self.mapping(spec, where, {"label", "when"})
            if data is None:
                continue
            label = self.text(data, "label", where)
            when = self.condition(data.get("when"), f"{where}.when")
            if label and when:
                vetoes.append(Veto(label, when))
        return tuple(vetoes)

    def field_ref(
        self,
        data: Mapping,
        key: str,
        path: str,
        fields: dict[str, Field],
        kind: str,
        *,
        required: bool = True,
    ) -> str | None:
        """A field named by the award (base, level, share_cap.of): declared in this clause, of ``kind``."""
        field_id = self.text(data, key, path, required=required)
        if field_id is None:
            return None
        declared = fields.get(field_id)
        if declared is None:
            known = "、".join(fields) or "无"
            self.fail(_join(path, key), f"「{field_id}」不是本条款声明的字段（fields：{known}）")
            return None
        if declared.type != kind:
            self.fail(_join(path, key), f"字段「{field_id}」的类型应为 {kind}，实际为 {declared.type}")
            return None
        return field_id

    def award(self, spec: object, path: str, fields: dict[str, Field]) -> Award | None:
        if not isinstance(spec, Mapping):
            self.fail(path, "缺少奖励计算方式（award）" if spec is None else "应为键值映射（key: value）")
            return None
        kind = spec.get("type")
        if kind not in AWARD_TYPES:
            self.fail(f"{path}.type", f"未知的奖励类型「{kind}」（可用：{'、'.join(AWARD_TYPES)}）")
            return None
        data = self.mapping(spec, path, _AWARD_KEYS[kind])
        if kind == "fixed":
            return Fixed(amount=self.number(data, "amount", path, required=True))
        if kind == "level_difference":
            return self.level_difference(data, path, fields)
        base = self.field_ref(data, "base", path, fields, "number")
        cap = self.number(data, "cap", path)
        min_base = self.number(data, "min_base", path)
        if kind == "bands":
            return Bands(
                base=base,
                bands=self.bands(data.get("bands"), f"{path}.bands"),
                marginal=self.boolean(data, "marginal", path),
                cap=cap,
                min_base=min_base,
            )
        is_percentage = kind == "percentage"
        rate = self.number(data, "rate", path, required=True, at_most_one=is_percentage)
        uplifts = self.uplifts(data.get("uplifts"), f"{path}.uplifts", at_most_one=is_percentage)
        if is_percentage:
            return Percentage(base=base, rate=rate, cap=cap, min_base=min_base, uplifts=uplifts)
        share_of = share = None
        if data.get("share_cap") is not None:
            where = f"{path}.share_cap"
            share_data = self.mapping(data["share_cap"], where, {"of", "share"}) or {}
            share_of = self.field_ref(share_data, "of", where, fields, "number")
            share = self.number(share_data, "share", where, required=True)
        return PerUnit(
            base=base, rate=rate, cap=cap, min_base=min_base, uplifts=uplifts, share_of=share_of, share=share
        )

    def uplifts(self, value: object, path: str, *, at_most_one: bool) -> tuple[Uplift, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(path, "应为上浮条件列表：[{when, rate, cap}]")
            return ()
        uplifts = []
        for index, spec in enumerate(value):
            where = f"{path}[{index}]"
            data = self.mapping(spec, where, {"when", "rate", "cap", "label"})
            if data is None:
                continue
            when = self.condition(data.get("when"), f"{where}.when")
            rate = self.number(data, "rate", where, at_most_one=at_most_one)
            cap = self.number(data, "cap", where)
            if "rate" not in data and "cap" not in data:
                self.fail(where, "上浮条件应至少给出 rate 或 cap")
            label = self.text(data, "label", where, required=False)
            if when:
                uplifts.append(Uplift(when=when, rate=rate, cap=cap, label=label))
        return tuple(uplifts)

    def bands(self, value: object, path: str) -> tuple[Band, ...]:
        if not isinstance(value, list) or not value:
            self.fail(path, "应为至少含一档的列表：[{upto, rate}, …, {rate}]")
            return ()
        bands: list[Band] = []
        previous: Decimal | None = None
        for index, spec in enumerate(value):
            where = f"{path}[{index}]"
            data = self.mapping(spec, where, {"upto", "rate"})
            if data is None:
                continue
            last = index == len(value) - 1
            upto = self.number(data, "upto", where, required=not last)
            rate = self.number(data, "rate", where, required=True, at_most_one=True)
            if last and data.get("upto") is not None:
                self.fail(f"{where}.upto", "最后一档不应有 upto（其上不设上限）")
            if upto is not None and previous is not None and upto <= previous:
                self.fail(f"{where}.upto", f"各档应按 upto 从小到大排列：{upto} 不大于上一档的 {previous}")
            previous = upto if upto is not None else previous
            bands.append(Band(upto=None if last else upto, rate=rate))
        return tuple(bands)

    def level_difference(self, data: Mapping, path: str, fields: dict[str, Field]) -> LevelDifference | None:
        level = self.field_ref(data, "level", path, fields, "text")
        previous = self.field_ref(data, "previous", path, fields, "text", required=False)
        amounts_spec = data.get("amounts")
        amounts: dict[str, Decimal] = {}
        if not isinstance(amounts_spec, Mapping) or not amounts_spec:
            self.fail(f"{path}.amounts", "应为映射：级别 -> 金额（万元）")
        else:
            for name, _ in amounts_spec.items():
                amount = self.number(amounts_spec, name, f"{path}.amounts", required=True)
                if amount is not None:
                    amounts[str(name).strip()] = amount
        return LevelDifference(level=level, previous=previous, amounts=amounts)

    def exclusive_section(self, value: object, clause_ids: set[str]) -> tuple[tuple[str, ...], ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail("exclusive", "应为条款组列表：[[条款, 条款], …]")
            return ()
        groups: list[tuple[str, ...]] = []
        placed: dict[str, str] = {}
        for g_index, group in enumerate(value):
            path = f"exclusive[{g_index}]"
            if not isinstance(group, list) or not group:
                self.fail(path, "应为条款 id 的列表")
                continue
            for c_index, clause_id in enumerate(group):
                where = f"{path}[{c_index}]"
                clause_id = str(clause_id)
                if clause_id not in clause_ids:
                    self.fail(where, f"未知的条款「{clause_id}」")
                elif clause_id in placed:
                    self.fail(
                        where, f"条款「{clause_id}」已在 {placed[clause_id]} 中；一个条款至多属于一个组"
                    )
                else:
                    placed[clause_id] = where
            groups.append(tuple(str(c) for c in group))
        return tuple(groups)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _to_decimal(value: object) -> Decimal | None:
    """A policy number as Decimal: YAML numbers arrive as Decimal or int already; a float
    (a mapping built in Python) is taken by its shortest text, so 0.06 stays 0.06."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip().replace(",", ""))
        except InvalidOperation:
            return None
    else:
        return None
    return number if number.is_finite() else None


# Placeholder values of each fact type, to type-check a condition without real data.
_SAMPLE_VALUES = {
    "number": (Decimal(1), pl.Decimal(38, 2)),
    "boolean": (True, pl.Boolean),
    "text": ("x", pl.String),
}


def _parse_problem(sql: str, facts: Mapping[str, Fact]) -> str | None:
    """Why ``sql`` does not parse as a condition over ``facts``, or None."""
    try:
        expr = pl.sql_expr(sql)
    except Exception as exc:  # polars raises several kinds for bad SQL
        return f"条件无法解析：{_first_line(exc)}"
    if not expr.meta.undo_aliases().meta.eq(expr):  # "rd > 1 extra" parses as an alias
        return "条件无法解析：条件末尾有多余的词"
    unknown = sorted(set(expr.meta.root_names()) - set(facts))
    if unknown:
        declared = "、".join(facts) or "无"
        message = f"条件使用了未声明的事实列：{'、'.join(unknown)}（facts 中已声明：{declared}）"
        if any(not _IDENTIFIER.fullmatch(name) for name in unknown):  # "规上" in double quotes is a column
            message += "；文字请用单引号，如 scale = '规上'"
        return message
    return None


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
