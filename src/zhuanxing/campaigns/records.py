"""One declarative spec per record type, shared by the pages, the API, the import and the export.

A spec lists the model fields a user fills; each field becomes one column (header = the field's
Chinese label), and a reference to another record (an enterprise, a recognition kind …) becomes
the columns that identify it (统一社会信用代码 and 企业名称 for an enterprise). ``parse_row`` turns
text cells into field values the same way for a form, a JSON body and a spreadsheet row, and
reports every problem by column id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.db import models
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_noop

from zhuanxing.campaigns.models import (
    AutomationProject,
    BeltMember,
    CapacityElimination,
    CommerceConversion,
    EcommercePark,
    ExitAction,
    InnovationPlatformYear,
    ParkTenants,
    PlatformTurnover,
    Recognition,
    RecognitionAssessment,
    RecognitionKind,
    RecognitionLevel,
    SchoolAgreement,
    ScienceParkYear,
    SpaceRenovation,
    TalentAssessment,
    TalentEntry,
    TalentPlan,
    Target,
    TradingPlatform,
    TrainingClass,
)
from zhuanxing.registry.models import Enterprise, Town
from zhuanxing.tabular import header_key, parse_date, parse_decimal


@dataclass(frozen=True)
class Column:
    id: str  # header id, form field and JSON key
    label: str  # Chinese header, with the unit where there is one
    kind: str = "text"  # text | integer | decimal | date | choice
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""


@dataclass(frozen=True)
class Problem:
    """Something wrong with one input, by column id (None: the record as a whole)."""

    column: str | None
    reason: str
    value: str | None = None


class LookupProblem(Exception):
    def __init__(self, column: str, reason: str, value: str | None = None):
        super().__init__(reason)
        self.problem = Problem(column, reason, value)


def _text(value) -> str | None:
    """A cell as text: stripped, empty as None."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


# ---------------------------------------------------------------- references to other records


@dataclass(frozen=True)
class Lookup:
    """How a reference is written in cells: the columns that identify the object, finding it
    from their text, and writing it back (export, form initial values)."""

    columns: tuple[Column, ...]
    find: Callable[[Mapping[str, str | None], dict], models.Model | None]
    show: Callable[[models.Model], dict[str, str]]
    options: Callable[[], list[str]] | None = None


def _find_enterprise(raw, resolved):
    code, name = _text(raw.get("uscc")), _text(raw.get("enterprise_name"))
    if code:
        enterprise = Enterprise.objects.filter(uscc=code.upper()).first()
        if enterprise is None:
            raise LookupProblem("uscc", "企业库中没有该统一社会信用代码", code)
        if name and name != enterprise.name:
            raise LookupProblem("enterprise_name", f"与信用代码对应的企业「{enterprise.name}」不一致", name)
        return enterprise
    if name:
        found = list(Enterprise.objects.filter(name=name)[:2])
        if not found:
            raise LookupProblem("enterprise_name", "企业库中没有该名称的企业", name)
        if len(found) > 1:
            raise LookupProblem("enterprise_name", "同名企业不止一家，请填写统一社会信用代码", name)
        return found[0]
    return None


def _named(model, column: str, label: str) -> Lookup:
    """A reference written as the object's name (or its code, where it has one)."""
    has_code = any(f.name == "code" for f in model._meta.fields)

    def find(raw, resolved):
        text = _text(raw.get(column))
        if text is None:
            return None
        found = model.objects.filter(name=text).first()
        if found is None and has_code:
            found = model.objects.filter(code=text).first()
        if found is None:
            known = "、".join(model.objects.values_list("name", flat=True)[:30]) or "无"
            raise LookupProblem(column, f"未知的{label}（已登记：{known}）", text)
        return found

    return Lookup(
        (Column(column, label),),
        find,
        lambda obj: {column: obj.name},
        lambda: list(model.objects.values_list("name", flat=True)),
    )


def _find_level(raw, resolved):
    text = _text(raw.get("level"))
    kind = resolved.get("kind")
    if text is None or kind is None:
        return None
    level = kind.levels.filter(name=text).first()
    if level is None:
        defined = "、".join(kind.levels.values_list("name", flat=True)) or "无"
        raise LookupProblem("level", f"「{kind}」没有这一级别（已定义：{defined}）", text)
    return level


def _year_cell(raw, column: str) -> int | None:
    text = _text(raw.get(column))
    if text is None:
        return None
    try:
        return _integer(text)
    except ValueError:
        raise LookupProblem(column, "应为年份", text) from None


def _find_recognition(raw, resolved):
    enterprise = _find_enterprise(raw, resolved)
    institution = _text(raw.get("institution")) or ""
    kind = LOOKUPS[RecognitionKind].find(raw, resolved)
    level = _find_level(raw, {"kind": kind})
    year = _year_cell(raw, "recognition_year")
    if not (enterprise or institution) or kind is None or level is None or year is None:
        raise LookupProblem(None, "请填写认定的持有单位、类别、级别和认定年度")
    found = Recognition.objects.filter(
        enterprise=enterprise,
        institution="" if enterprise else institution,
        kind=kind,
        level=level,
        year=year,
    ).first()
    if found is None:
        holder = enterprise.name if enterprise else institution
        raise LookupProblem(None, f"没有找到该认定：{holder} {year}年 {level}{kind}")
    return found


def _find_talent_entry(raw, resolved):
    plan = LOOKUPS[TalentPlan].find(raw, resolved)
    name = _text(raw.get("talent_name"))
    year = _year_cell(raw, "entry_year")
    if plan is None or name is None or year is None:
        raise LookupProblem(None, "请填写人才计划、姓名或团队名称和入选年度")
    found = TalentEntry.objects.filter(plan=plan, name=name, year=year).first()
    if found is None:
        raise LookupProblem(None, f"没有找到该人才入选记录：{plan} {name}（{year}年）")
    return found


_ENTERPRISE_COLUMNS = (
    Column(
        "uscc",
        gettext_noop("统一社会信用代码"),
        help=gettext_noop("与企业名称至少填写一项；两项都填时须一致"),
    ),
    Column("enterprise_name", gettext_noop("企业名称"), help=gettext_noop("与统一社会信用代码至少填写一项")),
)


def _show_enterprise(e):
    return {"uscc": e.uscc, "enterprise_name": e.name}


def _show_recognition(r):
    return (_show_enterprise(r.enterprise) if r.enterprise_id else {}) | {
        "institution": r.institution,
        "kind": r.kind.name,
        "level": r.level.name,
        "recognition_year": str(r.year),
    }


LOOKUPS: dict[type[models.Model], Lookup] = {
    Enterprise: Lookup(_ENTERPRISE_COLUMNS, _find_enterprise, _show_enterprise),
    Town: _named(Town, "town", "镇街"),
    RecognitionKind: _named(RecognitionKind, "kind", "认定类别"),
    RecognitionLevel: Lookup(
        (Column("level", "级别"),),
        _find_level,
        lambda level: {"level": level.name},
        lambda: sorted(set(RecognitionLevel.objects.values_list("name", flat=True))),
    ),
    TalentPlan: _named(TalentPlan, "plan", "人才计划"),
    EcommercePark: _named(EcommercePark, "park", "电商园区"),
    TradingPlatform: _named(TradingPlatform, "platform", "交易平台"),
}
# composite references: an assessment names its recognition or talent-plan member by these cells
LOOKUPS[Recognition] = Lookup(
    (
        *_ENTERPRISE_COLUMNS,
        Column("institution", gettext_noop("机构名称")),
        *LOOKUPS[RecognitionKind].columns,
        *LOOKUPS[RecognitionLevel].columns,
        Column("recognition_year", gettext_noop("认定年度")),
    ),
    _find_recognition,
    _show_recognition,
)
LOOKUPS[TalentEntry] = Lookup(
    (
        *LOOKUPS[TalentPlan].columns,
        Column("talent_name", gettext_noop("姓名或团队名称")),
        Column("entry_year", gettext_noop("入选年度")),
    ),
    _find_talent_entry,
    lambda e: {"plan": e.plan.name, "talent_name": e.name, "entry_year": str(e.year)},
)


def column_options(column: Column) -> list[str] | None:
    """The names a reference column may take (kinds, towns, plans …), None for free text."""
    for lookup in LOOKUPS.values():
        if lookup.options and column in lookup.columns:
            return lookup.options()
    return None


# ---------------------------------------------------------------- plain cells


def _integer(text: str) -> int:
    value = parse_decimal(text)
    if value != value.to_integral_value():
        raise ValueError(text)
    return int(value)


def _choice(text: str, choices) -> str:
    for value, label in choices:
        if text.casefold() in (str(value).casefold(), str(label).casefold()):
            return value
    raise ValueError(text)


PARSERS: dict[str, tuple[Callable, str]] = {
    "integer": (_integer, "应为整数"),
    "decimal": (parse_decimal, "应为数字"),
    "date": (parse_date, "无法识别的日期"),
}


def _parse_reason(column: Column) -> str:
    if column.kind == "choice":
        return "应为以下之一：" + "、".join(label for _value, label in column.choices)
    return PARSERS[column.kind][1]


def _column_kind(model_field) -> str:
    if model_field.choices:
        return "choice"
    if isinstance(model_field, models.DecimalField):
        return "decimal"
    if isinstance(model_field, models.IntegerField):
        return "integer"
    if isinstance(model_field, models.DateField):
        return "date"
    return "text"


def show_value(value) -> str:
    """A value as a cell shows it: ``Decimal("1500.0000")`` -> ``1500``."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# ---------------------------------------------------------------- specs


@dataclass(frozen=True)
class RecordSpec:
    key: str  # in the URL
    model: type[models.Model]
    group: str
    fields: tuple[str, ...]
    # the record's town and enterprise, as ORM paths; None when the records have none
    town_path: str | None = None
    enterprise_path: str | None = None
    personal: bool = False  # names of people: staff only
    town_editable: bool = True  # a town official may keep its own town's records
    extras: tuple[tuple[str, str], ...] = ()  # computed (label, attribute) shown in lists and exports
    apply_order: Callable[[dict], object] | None = None  # order of the rows an import saves
    shows_evaluation_class: bool = False
    description: str = ""

    @property
    def title(self) -> str:
        return str(self.model._meta.verbose_name)

    def model_field(self, name: str):
        return self.model._meta.get_field(name)

    @cached_property
    def columns(self) -> tuple[Column, ...]:
        # in Chinese whoever asks first: the labels are the spreadsheet's headers and import keys,
        # and this spec is shared by every request (forms translate them for display)
        with translation.override(settings.LANGUAGE_CODE):
            return self._columns()

    def _columns(self) -> tuple[Column, ...]:
        columns: list[Column] = []
        for name in self.fields:
            model_field = self.model_field(name)
            if model_field.is_relation:
                columns.extend(LOOKUPS[model_field.related_model].columns)
                continue
            kind = _column_kind(model_field)
            columns.append(
                Column(
                    id=name,
                    label=str(model_field.verbose_name),
                    kind=kind,
                    required=not model_field.blank and not model_field.has_default(),
                    choices=tuple((str(v), str(label)) for v, label in model_field.choices)
                    if kind == "choice"
                    else (),
                    help=str(model_field.help_text),
                )
            )
        return tuple(columns)

    def field_columns(self, name: str) -> tuple[Column, ...]:
        """The columns that write one model field."""
        model_field = self.model_field(name)
        if model_field.is_relation:
            return LOOKUPS[model_field.related_model].columns
        return tuple(c for c in self.columns if c.id == name)

    def column_label(self, column_id: str | None) -> str | None:
        return next((c.label for c in self.columns if c.id == column_id), None)

    def text(self, record, name: str) -> str:
        """One field of a record as a page shows it: a reference by its name, a choice by its label."""
        value = getattr(record, name)
        if value is not None and self.model_field(name).choices:
            return str(getattr(record, f"get_{name}_display")())
        if isinstance(value, models.Model):
            return str(value)
        return show_value(value)

    def column_values(self, record) -> dict[str, object]:
        """Column id -> value of one record for a spreadsheet: numbers and dates typed, a
        reference by its identifying columns, a choice by its label."""
        row: dict[str, object] = {}
        for name in self.fields:
            model_field = self.model_field(name)
            value = getattr(record, name)
            if model_field.is_relation:
                row |= LOOKUPS[model_field.related_model].show(value) if value is not None else {}
            else:
                row[name] = self.text(record, name) if model_field.choices else value
        return row

    def cells(self, record) -> dict[str, str]:
        """Column id -> text of one record (a form's initial values)."""
        return {column: show_value(value) for column, value in self.column_values(record).items()}

    def display(self, record) -> list[str]:
        """One cell per field and extra, for a list page."""
        return [self.text(record, name) for name in self.fields] + [
            show_value(getattr(record, attribute)) for _label, attribute in self.extras
        ]

    def headings(self) -> list[str]:
        return [str(self.model_field(name).verbose_name) for name in self.fields] + [
            label for label, _ in self.extras
        ]

    def related(self) -> list[str]:
        """select_related paths for listing the records."""
        paths = [name for name in self.fields if self.model_field(name).is_relation]
        return paths + [
            p.rsplit("__", 1)[0] for p in (self.town_path, self.enterprise_path) if p and "__" in p
        ]


def _empty(model_field):
    if model_field.has_default():
        return model_field.get_default()
    return None if model_field.null else ""


def parse_row(
    spec: RecordSpec, raw: Mapping[str, object], *, partial: bool = False
) -> tuple[dict, list[Problem]]:
    """Text cells (column id -> text) to field values (field name -> value), and every problem.

    With ``partial``, fields none of whose columns are given are left out (an update that
    changes some fields); otherwise an absent or empty cell means the field is empty."""
    values: dict[str, object] = {}
    problems: list[Problem] = []
    for name in spec.fields:
        model_field = spec.model_field(name)
        columns = spec.field_columns(name)
        if partial and not any(c.id in raw for c in columns):
            continue
        if model_field.is_relation:
            try:
                found = LOOKUPS[model_field.related_model].find(raw, values)
            except LookupProblem as exc:
                problems.append(exc.problem)
                continue
            if found is None and not model_field.null:
                labels = "或".join(f"「{c.label}」" for c in columns)
                problems.append(Problem(columns[0].id, f"请填写{labels}"))
                continue
            values[name] = found
            continue
        column = columns[0]
        text = _text(raw.get(column.id))
        if text is None:
            if column.required:
                problems.append(Problem(column.id, f"「{column.label}」必须填写"))
            else:
                values[name] = _empty(model_field)
            continue
        try:
            if column.kind == "choice":
                values[name] = _choice(text, column.choices)
            elif column.kind in PARSERS:
                values[name] = PARSERS[column.kind][0](text)
            else:
                values[name] = text
        except (ValueError, ArithmeticError):
            problems.append(Problem(column.id, _parse_reason(column), text))
    return values, problems


def field_problems(spec: RecordSpec, errors: Mapping[str, list[str]]) -> list[Problem]:
    """A model ValidationError's messages by field, as problems by column."""
    problems = []
    for name, messages in errors.items():
        column = spec.field_columns(name)[0].id if name in spec.fields else None
        problems.extend(Problem(column, str(message)) for message in messages)
    return problems


def describe(spec: RecordSpec, problem: Problem) -> str:
    """A problem as one sentence naming the column and the value (when the reason does not already)."""
    label = spec.column_label(problem.column)
    where = f"「{label}」" if label and header_key(label) not in problem.reason.casefold() else ""
    value = f"「{problem.value}」" if problem.value is not None else ""
    return f"{where}{value}：{problem.reason}" if where or value else problem.reason


def find_existing(spec: RecordSpec, values: Mapping[str, object]):
    """The stored record with the same natural key, if the key is complete."""
    key = spec.model.KEY
    if any(name not in values for name in key):
        return None
    return spec.model.objects.filter(**{name: values[name] for name in key}).first()


# ---------------------------------------------------------------- the record types

_ENTERPRISE = {"town_path": "enterprise__town", "enterprise_path": "enterprise"}
SPECS: dict[str, RecordSpec] = {
    s.key: s
    for s in [
        RecordSpec(
            "recognitions",
            Recognition,
            "认定",
            (
                "enterprise",
                "institution",
                "kind",
                "level",
                "year",
                "document_no",
                "status",
                "status_date",
                "note",
            ),
            **_ENTERPRISE,
            apply_order=lambda values: (values["year"], values["level"].rank),
            description="企业研究院、工程（技术）中心、博士后工作站等认定；企业已有某类别的认定、又认定更高级别时，若该类别关联了级差奖励条款，平台生成待转免申即享的级别晋升。",
        ),
        RecordSpec(
            "recognition-assessments",
            RecognitionAssessment,
            "认定",
            ("recognition", "year", "result", "note"),
            town_path="recognition__enterprise__town",
            enterprise_path="recognition__enterprise",
        ),
        RecordSpec(
            "talent",
            TalentEntry,
            "人才",
            (
                "plan",
                "kind",
                "name",
                "enterprise",
                "grade",
                "year",
                "agreement_start",
                "agreement_end",
                "status",
            ),
            personal=True,
            description="3315计划、121人才培养工程等入选人员和团队。含个人信息，仅经信局工作人员可见。",
        ),
        RecordSpec(
            "talent-assessments", TalentAssessment, "人才", ("entry", "year", "result", "note"), personal=True
        ),
        RecordSpec(
            "training-classes",
            TrainingClass,
            "人才",
            ("base", "name", "partner", "courses", "year", "start", "end", "trainees", "completed"),
            description="精益人才培育基地等培训基地开设的班级（只记人数，不记名单）。",
        ),
        RecordSpec(
            "school-agreements",
            SchoolAgreement,
            "人才",
            ("enterprise", "school", "programme", "students", "year", "start", "end"),
            **_ENTERPRISE,
        ),
        RecordSpec(
            "automation",
            AutomationProject,
            "机器换人",
            (
                "enterprise",
                "name",
                "year",
                "investment",
                "equipment",
                "robots",
                "staff_before",
                "staff_after",
                "output_before",
                "output_after",
                "status",
                "award_application_ref",
            ),
            **_ENTERPRISE,
            extras=(("减员（人）", "jobs_reduced"),),
        ),
        RecordSpec(
            "exit-actions",
            ExitAction,
            "腾笼换鸟",
            ("enterprise", "action", "year", "date", "note"),
            **_ENTERPRISE,
            shows_evaluation_class=True,
            description="对企业的关停、转产、搬迁、提升改造。亩均效益评价上线后，本表显示企业当年的评价等级，便于核对C、D类企业是否都有整治措施。",
        ),
        RecordSpec(
            "capacity",
            CapacityElimination,
            "腾笼换鸟",
            (
                "enterprise",
                "name",
                "year",
                "plan_level",
                "capacity",
                "energy_saved_tce",
                "land_freed_mu",
                "status",
            ),
            **_ENTERPRISE,
            shows_evaluation_class=True,
        ),
        RecordSpec(
            "commerce",
            CommerceConversion,
            "腾笼换鸟",
            (
                "name",
                "town",
                "enterprise",
                "site",
                "former_use",
                "new_use",
                "floor_area_m2",
                "year",
                "status",
            ),
            town_path="town",
            enterprise_path="enterprise",
        ),
        RecordSpec(
            "space",
            SpaceRenovation,
            "空间换地",
            (
                "enterprise",
                "name",
                "kind",
                "year",
                "project_area_m2",
                "land_mu",
                "floor_area_before_m2",
                "floor_area_after_m2",
                "status",
            ),
            **_ENTERPRISE,
            extras=(("改造前容积率", "plot_ratio_before"), ("改造后容积率", "plot_ratio_after")),
        ),
        RecordSpec(
            "parks", EcommercePark, "电商换市", ("name", "town", "opened", "operator"), town_path="town"
        ),
        RecordSpec(
            "park-tenants",
            ParkTenants,
            "电商换市",
            ("park", "year", "tenant_type", "count"),
            town_path="park__town",
        ),
        RecordSpec(
            "belt",
            BeltMember,
            "电商换市",
            ("belt", "enterprise", "year", "products", "online_sales"),
            **_ENTERPRISE,
        ),
        RecordSpec(
            "platforms", TradingPlatform, "电商换市", ("name", "goods", "operator", "town"), town_path="town"
        ),
        RecordSpec(
            "platform-turnover",
            PlatformTurnover,
            "电商换市",
            ("platform", "year", "turnover"),
            town_path="platform__town",
        ),
        RecordSpec(
            "innovation-platforms",
            InnovationPlatformYear,
            "科创平台",
            (
                "platform",
                "partner",
                "town",
                "year",
                "projects",
                "enterprises",
                "registered_capital",
                "national_thousand",
                "provincial_thousand",
                "plan_3315",
                "transfer_amount",
            ),
            town_path="town",
            description="五大科技创新平台每年报送的引进项目、孵化企业、人才项目和技术转移合同。",
        ),
        RecordSpec(
            "science-park",
            ScienceParkYear,
            "科创平台",
            (
                "park",
                "year",
                "enterprises",
                "creative_enterprises",
                "creative_revenue",
                "creative_value_added",
                "ip_applied",
                "ip_granted",
                "staff",
                "staff_bachelor",
                "industry_space_m2",
                "apartment_m2",
            ),
            town_editable=False,
            description="大学科技园每年报送的入园企业、文创企业、知识产权、从业人员和空间。",
        ),
        RecordSpec(
            "targets",
            Target,
            "目标任务",
            ("figure", "year", "setter", "town", "value"),
            town_editable=False,
            description="市定、区定的年度目标；镇街留空为全区目标。完成率在“四换”进度页计算。",
        ),
    ]
}
GROUPS = ["认定", "人才", "科创平台", "机器换人", "腾笼换鸟", "空间换地", "电商换市", "目标任务"]


def spec_for(key: str) -> RecordSpec:
    try:
        return SPECS[key]
    except KeyError:
        raise Http404("没有这类记录") from None
