"""Recognitions, talent programmes and the 四换 campaigns: the records behind the reply's progress report.

Every yearly record carries its reporting ``year`` (统计年度), so the figures of a year compute
themselves (``selectors.campaign_summary``). Kinds of recognition, their levels and talent plans
are data staff extend in the admin. Each record type names its natural key in ``KEY``: the
fields that identify one record, checked with a message naming the values (the database
constraint stays as a backstop) and used by the import to update instead of duplicate.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhuanxing.registry.models import SQUARE_METRES_PER_MU, Enterprise, Town

YEAR_VALIDATORS = [
    MinValueValidator(1990, message="年度应在1990–2100之间：%(value)s"),
    MaxValueValidator(2100, message="年度应在1990–2100之间：%(value)s"),
]


class NonNegative:
    """A quantity (money, area, energy, people) that cannot be negative; the error names the field."""

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if value is not None and value < 0:
            raise ValidationError(f"{self.verbose_name}不能为负数：{value}", code="negative")


class AmountField(NonNegative, models.DecimalField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 4)
        super().__init__(*args, **kwargs)


class CountField(NonNegative, models.IntegerField):
    pass


def year_field(label=None):
    return models.PositiveSmallIntegerField(label or _("年度"), validators=YEAR_VALIDATORS, db_index=True)


class ProjectStatus(models.TextChoices):
    PLANNED = "计划", _("计划")
    ONGOING = "实施中", _("实施中")
    DONE = "已完成", _("已完成")
    CANCELLED = "已取消", _("已取消")


# Projects that count as carried out (the reply's 累计实施): neither only planned nor cancelled.
CARRIED_OUT = [ProjectStatus.ONGOING, ProjectStatus.DONE]


class CampaignRecord(models.Model):
    """A record kept in the lists; ``KEY`` names the fields that identify it."""

    KEY: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def full_clean(self, exclude=None, validate_unique=False, validate_constraints=False):
        # clean() checks the natural key and names its values; Django's own unique and constraint
        # checks would repeat it in words that name neither, and the database enforces them anyway.
        super().full_clean(
            exclude, validate_unique=validate_unique, validate_constraints=validate_constraints
        )

    def clean(self) -> None:
        super().clean()
        self._check_key()

    def _check_key(self) -> None:
        lookup = {}
        for name in self.KEY:
            field = self._meta.get_field(name)
            value = getattr(self, field.attname)
            if value is None and not field.null:
                return  # a missing required field is reported by clean_fields
            lookup[field.attname] = value
        duplicates = type(self)._default_manager.filter(**lookup)
        if self.pk is not None:
            duplicates = duplicates.exclude(pk=self.pk)
        if duplicates.exists():
            shown = "、".join(
                f"{self._meta.get_field(name).verbose_name}「{self._shown(name)}」"
                for name in self.KEY
                if getattr(self, name) not in (None, "")
            )
            raise ValidationError({NON_FIELD_ERRORS: f"已有相同的{self._meta.verbose_name}：{shown}"})

    def _shown(self, name: str):
        return (
            getattr(self, f"get_{name}_display")()
            if self._meta.get_field(name).choices
            else getattr(self, name)
        )


def _check_dates(record, start: str, end: str, errors: dict) -> None:
    first, last = getattr(record, start), getattr(record, end)
    if first and last and last < first:
        errors[end] = (
            f"{record._meta.get_field(end).verbose_name} {last} 早于{record._meta.get_field(start).verbose_name} {first}"
        )


# ---------------------------------------------------------------- recognitions


class Tier(models.TextChoices):
    """The administrative level behind a recognition level (the reply counts 区级及以上)."""

    NATIONAL = "国家级", _("国家级")
    PROVINCIAL = "省级", _("省级")
    CITY = "市级", _("市级")
    DISTRICT = "区级", _("区级")
    OTHER = "其他", _("其他")


DISTRICT_OR_HIGHER = [Tier.NATIONAL, Tier.PROVINCIAL, Tier.CITY, Tier.DISTRICT]


class RecognitionKind(models.Model):
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    counts_as_rd_institution = models.BooleanField(
        _("计入研发机构占比"),
        default=False,
        help_text=_("企业研究院、工程（技术）中心：计入“区级以上研发机构占规上企业比重”"),
    )
    # The programs app turns a promotion of this kind into a proposed 免申即享 award of this clause.
    policy_id = models.CharField(_("关联政策"), max_length=80, blank=True, help_text=_("政策文件 id"))
    clause_id = models.CharField(_("关联条款"), max_length=80, blank=True, help_text=_("级差奖励条款 id"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("认定类别")
        verbose_name_plural = _("认定类别")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if bool(self.policy_id) != bool(self.clause_id):
            raise ValidationError({"clause_id": "关联政策与关联条款应同时填写或同时留空"})

    @property
    def policy_clause(self) -> str | None:
        return f"{self.policy_id}#{self.clause_id}" if self.policy_id else None


class RecognitionLevel(models.Model):
    kind = models.ForeignKey(
        RecognitionKind, verbose_name=_("认定类别"), on_delete=models.CASCADE, related_name="levels"
    )
    name = models.CharField(_("级别"), max_length=30)
    tier = models.CharField(_("行政层级"), max_length=10, choices=Tier.choices)
    rank = models.PositiveSmallIntegerField(_("高低"), help_text=_("同一类别内数值越大级别越高"))

    class Meta:
        verbose_name = _("认定级别")
        verbose_name_plural = _("认定级别")
        ordering = ["kind__order", "kind__code", "-rank"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="recognition_level_name_once"),
            models.UniqueConstraint(fields=["kind", "rank"], name="recognition_level_rank_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Recognition(CampaignRecord):
    """One recognition of an enterprise (or an institution) at a level of a kind in a year."""

    class Status(models.TextChoices):
        VALID = "有效", _("有效")
        REVOKED = "撤销", _("撤销")
        EXPIRED = "到期", _("到期")

    KEY = ("enterprise", "institution", "kind", "level", "year")

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("企业"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="recognitions",
    )
    institution = models.CharField(
        _("机构名称"), max_length=100, blank=True, help_text=_("持有单位不是企业时填写")
    )
    kind = models.ForeignKey(RecognitionKind, verbose_name=_("认定类别"), on_delete=models.PROTECT)
    level = models.ForeignKey(RecognitionLevel, verbose_name=_("级别"), on_delete=models.PROTECT)
    year = year_field(_("认定年度"))
    document_no = models.CharField(_("认定文号"), max_length=80, blank=True)
    status = models.CharField(_("状态"), max_length=4, choices=Status.choices, default=Status.VALID)
    status_date = models.DateField(_("撤销/到期日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("认定")
        verbose_name_plural = _("认定")
        ordering = ["-year", "kind__order", "-level__rank", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "kind", "level", "year"],
                condition=Q(enterprise__isnull=False),
                name="recognition_enterprise_once",
            ),
            models.UniqueConstraint(
                fields=["institution", "kind", "level", "year"],
                condition=Q(enterprise__isnull=True),
                name="recognition_institution_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder} {self.level}{self.kind}（{self.year}）"

    @property
    def holder(self) -> str:
        return self.enterprise.name if self.enterprise_id else self.institution

    def clean(self) -> None:
        errors = {}
        if self.enterprise_id and self.institution:
            errors["institution"] = f"持有单位只能是企业或机构之一：已填企业，又填机构「{self.institution}」"
        if not self.enterprise_id and not self.institution:
            errors["enterprise"] = "请填写持有认定的企业或机构"
        if self.kind_id and self.level_id and self.level.kind_id != self.kind_id:
            defined = "、".join(self.kind.levels.values_list("name", flat=True)) or "无"
            errors["level"] = f"「{self.kind}」没有「{self.level}」这一级别（已定义：{defined}）"
        if self.status == self.Status.VALID and self.status_date:
            errors["status_date"] = f"状态为有效时不应填写撤销/到期日期：{self.status_date}"
        if errors:
            raise ValidationError(errors)
        super().clean()


class AssessmentResult(models.TextChoices):
    EXCELLENT = "优秀", _("优秀")
    GOOD = "良好", _("良好")
    PASSED = "合格", _("合格")
    FAILED = "不合格", _("不合格")


class RecognitionAssessment(CampaignRecord):
    """A periodic re-assessment (复评/考核) of a recognition."""

    KEY = ("recognition", "year")

    recognition = models.ForeignKey(
        Recognition, verbose_name=_("认定"), on_delete=models.CASCADE, related_name="assessments"
    )
    year = year_field(_("复评年度"))
    result = models.CharField(_("复评结果"), max_length=4, choices=AssessmentResult.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("认定复评")
        verbose_name_plural = _("认定复评")
        ordering = ["-year", "recognition_id"]
        constraints = [
            models.UniqueConstraint(fields=["recognition", "year"], name="recognition_assessed_once")
        ]

    def __str__(self) -> str:
        return f"{self.recognition} {self.year} {self.result}"


class LevelPromotion(models.Model):
    """An enterprise registered at a higher level of a kind linked to a policy clause.

    Written by ``services.recognition_register``; the programs app turns each proposed one into a
    免申即享 award of the clause (level_difference: new level − previous level) and marks it."""

    class State(models.TextChoices):
        PROPOSED = "待处理", _("待处理")
        AWARDED = "已转奖励", _("已转奖励")
        DISMISSED = "不予奖励", _("不予奖励")

    recognition = models.OneToOneField(
        Recognition, verbose_name=_("认定"), on_delete=models.CASCADE, related_name="promotion"
    )
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE)
    kind = models.ForeignKey(RecognitionKind, verbose_name=_("认定类别"), on_delete=models.PROTECT)
    previous_level = models.ForeignKey(
        RecognitionLevel,
        verbose_name=_("原有级别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    new_level = models.ForeignKey(
        RecognitionLevel, verbose_name=_("新认定级别"), on_delete=models.PROTECT, related_name="+"
    )
    year = year_field(_("认定年度"))
    policy_id = models.CharField(_("政策"), max_length=80)
    clause_id = models.CharField(_("条款"), max_length=80)
    state = models.CharField(_("状态"), max_length=8, choices=State.choices, default=State.PROPOSED)
    award_ref = models.CharField(_("奖励记录"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("级别晋升")
        verbose_name_plural = _("级别晋升")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.kind}：{self.previous_level or '无'} → {self.new_level}"


# ---------------------------------------------------------------- talent


class TalentPlan(models.Model):
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    tier = models.CharField(_("层级"), max_length=10, choices=Tier.choices)
    term_years = models.PositiveSmallIntegerField(_("培养协议年限"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("人才计划")
        verbose_name_plural = _("人才计划")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class TalentEntry(CampaignRecord):
    """A person or team selected into a talent plan. Personal data: staff only, and minimal."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "个人", _("个人")
        TEAM = "团队", _("团队")

    class Status(models.TextChoices):
        ACTIVE = "在册", _("在册")
        FINISHED = "期满", _("期满")
        WITHDRAWN = "退出", _("退出")

    KEY = ("plan", "name", "year")

    plan = models.ForeignKey(TalentPlan, verbose_name=_("人才计划"), on_delete=models.PROTECT)
    kind = models.CharField(_("类型"), max_length=4, choices=Kind.choices, default=Kind.INDIVIDUAL)
    name = models.CharField(_("姓名或团队名称"), max_length=60)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), null=True, blank=True, on_delete=models.CASCADE
    )
    grade = models.CharField(_("层次"), max_length=20, blank=True, help_text=_("如 A类、B类、第一层次"))
    year = year_field(_("入选年度"))
    agreement_start = models.DateField(_("协议开始"), null=True, blank=True)
    agreement_end = models.DateField(_("协议结束"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=4, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        verbose_name = _("人才入选")
        verbose_name_plural = _("人才入选")
        ordering = ["-year", "plan__order", "name"]
        constraints = [models.UniqueConstraint(fields=["plan", "name", "year"], name="talent_entry_once")]

    def __str__(self) -> str:
        return f"{self.plan} {self.name}（{self.year}）"

    def clean(self) -> None:
        errors: dict = {}
        _check_dates(self, "agreement_start", "agreement_end", errors)
        if errors:
            raise ValidationError(errors)
        super().clean()


class TalentAssessment(CampaignRecord):
    """A yearly assessment of a talent-plan member (e.g. the 121 trainees)."""

    KEY = ("entry", "year")

    entry = models.ForeignKey(
        TalentEntry, verbose_name=_("人才入选"), on_delete=models.CASCADE, related_name="assessments"
    )
    year = year_field(_("考核年度"))
    result = models.CharField(_("考核结果"), max_length=4, choices=AssessmentResult.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("人才考核")
        verbose_name_plural = _("人才考核")
        ordering = ["-year", "entry_id"]
        constraints = [models.UniqueConstraint(fields=["entry", "year"], name="talent_assessed_once")]

    def __str__(self) -> str:
        return f"{self.entry} {self.year} {self.result}"


class TrainingClass(CampaignRecord):
    """A class of a training base such as the 精益人才培育基地 (counts only, no roster)."""

    KEY = ("base", "name", "year")

    base = models.CharField(_("培训基地"), max_length=60)
    name = models.CharField(_("班级名称"), max_length=100)
    partner = models.CharField(_("合作单位"), max_length=100, blank=True)
    courses = models.CharField(_("课程"), max_length=300, blank=True)
    year = year_field()
    start = models.DateField(_("开班日期"), null=True, blank=True)
    end = models.DateField(_("结业日期"), null=True, blank=True)
    trainees = CountField(_("学员人数"))
    completed = CountField(_("结业人数"), default=0)

    class Meta:
        verbose_name = _("培训班")
        verbose_name_plural = _("培训班")
        ordering = ["-year", "base", "name"]
        constraints = [models.UniqueConstraint(fields=["base", "name", "year"], name="training_class_once")]

    def __str__(self) -> str:
        return f"{self.base} {self.name}（{self.year}）"

    def clean(self) -> None:
        errors: dict = {}
        _check_dates(self, "start", "end", errors)
        if self.trainees is not None and self.completed is not None and self.completed > self.trainees:
            errors["completed"] = f"结业人数（{self.completed}）多于学员人数（{self.trainees}）"
        if errors:
            raise ValidationError(errors)
        super().clean()


class SchoolAgreement(CampaignRecord):
    """A school–enterprise agreement for customised training (校企合作定制化培养)."""

    KEY = ("enterprise", "school", "programme", "year")

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE)
    school = models.CharField(_("合作院校"), max_length=100)
    programme = models.CharField(_("专业或项目"), max_length=100)
    students = CountField(_("培养人数"))
    year = year_field(_("签约年度"))
    start = models.DateField(_("开始日期"), null=True, blank=True)
    end = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("校企合作")
        verbose_name_plural = _("校企合作")
        ordering = ["-year", "school"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "school", "programme", "year"], name="school_agreement_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} × {self.school} {self.programme}"

    def clean(self) -> None:
        errors: dict = {}
        _check_dates(self, "start", "end", errors)
        if errors:
            raise ValidationError(errors)
        super().clean()


# ---------------------------------------------------------------- 机器换人


class AutomationProject(CampaignRecord):
    """A 机器换人 project: equipment replacing staff."""

    KEY = ("enterprise", "name")

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE)
    name = models.CharField(_("项目名称"), max_length=100)
    year = year_field(_("实施年度"))
    investment = AmountField(_("投资额（万元）"))
    equipment = models.CharField(
        _("主要设备"), max_length=200, blank=True, help_text=_("如 工业机器人、数控生产线")
    )
    robots = CountField(_("机器人（台）"), default=0)
    staff_before = CountField(_("改造前用工（人）"))
    staff_after = CountField(_("改造后用工（人）"))
    output_before = AmountField(_("改造前产值（万元）"), null=True, blank=True)
    output_after = AmountField(_("改造后产值（万元）"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=4, choices=ProjectStatus.choices, default=ProjectStatus.ONGOING
    )
    # The programs app's application for this project's award, once it exists.
    award_application_ref = models.CharField(_("奖励申报编号"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("机器换人项目")
        verbose_name_plural = _("机器换人项目")
        ordering = ["-year", "enterprise__name", "name"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"], name="automation_project_once")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.name}"

    @property
    def jobs_reduced(self) -> int | None:
        if self.staff_before is None or self.staff_after is None:
            return None
        return self.staff_before - self.staff_after

    def clean(self) -> None:
        if (
            self.staff_before is not None
            and self.staff_after is not None
            and self.staff_after > self.staff_before
        ):
            raise ValidationError(
                {
                    "staff_after": f"改造后用工（{self.staff_after}人）多于改造前（{self.staff_before}人），"
                    "不能作为机器换人减员上报"
                }
            )
        super().clean()


# ---------------------------------------------------------------- 腾笼换鸟


class ExitAction(CampaignRecord):
    """An action on a low-end enterprise: 关停, 转产, 搬迁 or 提升改造."""

    class Action(models.TextChoices):
        CLOSE = "关停", _("关停")
        CONVERT = "转产", _("转产")
        RELOCATE = "搬迁", _("搬迁")
        UPGRADE = "提升改造", _("提升改造")

    KEY = ("enterprise", "action", "year")

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE)
    action = models.CharField(_("整治方式"), max_length=6, choices=Action.choices)
    year = year_field()
    date = models.DateField(_("完成日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("腾笼换鸟整治")
        verbose_name_plural = _("腾笼换鸟整治")
        ordering = ["-year", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "action", "year"], name="exit_action_once")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.action}（{self.year}）"


class CapacityElimination(CampaignRecord):
    """A 淘汰落后产能 project: capacity removed, energy saved, land freed."""

    class PlanLevel(models.TextChoices):
        CITY = "市级", _("市级")
        DISTRICT = "区级", _("区级")

    KEY = ("enterprise", "name")

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE)
    name = models.CharField(_("项目名称"), max_length=100)
    year = year_field()
    plan_level = models.CharField(
        _("计划级别"), max_length=4, choices=PlanLevel.choices, default=PlanLevel.CITY
    )
    capacity = models.CharField(_("淘汰产能"), max_length=100, blank=True, help_text=_("如 印染 1200万米"))
    energy_saved_tce = AmountField(_("年节能量（吨标准煤）"))
    land_freed_mu = AmountField(_("腾出土地（亩）"), default=Decimal(0))
    status = models.CharField(
        _("状态"), max_length=4, choices=ProjectStatus.choices, default=ProjectStatus.ONGOING
    )

    class Meta:
        verbose_name = _("淘汰落后产能项目")
        verbose_name_plural = _("淘汰落后产能项目")
        ordering = ["-year", "enterprise__name", "name"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"], name="capacity_project_once")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.name}"


class CommerceConversion(CampaignRecord):
    """A 工改商 project: an industrial building put to a service use."""

    class NewUse(models.TextChoices):
        LOGISTICS = "现代物流", _("现代物流")
        FINANCE = "金融", _("金融")
        TECH = "科技信息", _("科技信息")
        CREATIVE = "文创", _("文创")
        TRADE = "商贸商务", _("商贸商务")
        AGENCY = "中介服务", _("中介服务")
        OTHER = "其他", _("其他")

    KEY = ("name",)

    name = models.CharField(_("项目名称"), max_length=100, unique=True)
    town = models.ForeignKey(Town, verbose_name=_("所在镇街"), on_delete=models.PROTECT)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), null=True, blank=True, on_delete=models.CASCADE
    )
    site = models.CharField(_("地址"), max_length=200, blank=True)
    former_use = models.CharField(_("原用途"), max_length=30, default="工业厂房")
    new_use = models.CharField(_("新用途"), max_length=6, choices=NewUse.choices)
    floor_area_m2 = AmountField(_("建筑面积（㎡）"))
    year = year_field()
    status = models.CharField(
        _("状态"), max_length=4, choices=ProjectStatus.choices, default=ProjectStatus.DONE
    )

    class Meta:
        verbose_name = _("工改商项目")
        verbose_name_plural = _("工改商项目")
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------- 空间换地


class SpaceRenovation(CampaignRecord):
    """A 空间换地 project: an old factory renovated or a multi-storey factory built."""

    class Kind(models.TextChoices):
        RENOVATION = "旧厂区改造", _("旧厂区改造")
        MULTISTOREY = "新建多层厂房", _("新建多层厂房")
        EXTRA_FLOORS = "厂房加层", _("厂房加层")

    KEY = ("enterprise", "name")

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE)
    name = models.CharField(_("项目名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=6, choices=Kind.choices, default=Kind.RENOVATION)
    year = year_field()
    project_area_m2 = AmountField(_("改造（新建）面积（㎡）"))
    land_mu = AmountField(_("用地面积（亩）"), null=True, blank=True)
    floor_area_before_m2 = AmountField(_("改造前建筑面积（㎡）"), null=True, blank=True)
    floor_area_after_m2 = AmountField(_("改造后建筑面积（㎡）"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=4, choices=ProjectStatus.choices, default=ProjectStatus.DONE
    )

    class Meta:
        verbose_name = _("空间换地项目")
        verbose_name_plural = _("空间换地项目")
        ordering = ["-year", "enterprise__name", "name"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"], name="space_project_once")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.name}"

    def _plot_ratio(self, floor_area) -> Decimal | None:
        if floor_area is None or not self.land_mu:
            return None
        return (floor_area / (self.land_mu * SQUARE_METRES_PER_MU)).quantize(Decimal("0.01"))

    @property
    def plot_ratio_before(self) -> Decimal | None:
        """容积率 = floor area / land area."""
        return self._plot_ratio(self.floor_area_before_m2)

    @property
    def plot_ratio_after(self) -> Decimal | None:
        return self._plot_ratio(self.floor_area_after_m2)


# ---------------------------------------------------------------- 电商换市


class EcommercePark(CampaignRecord):
    KEY = ("name",)

    name = models.CharField(_("园区名称"), max_length=100, unique=True)
    town = models.ForeignKey(Town, verbose_name=_("所在镇街"), on_delete=models.PROTECT)
    opened = models.DateField(_("开园日期"), null=True, blank=True)
    operator = models.CharField(_("运营单位"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("电商园区")
        verbose_name_plural = _("电商园区")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ParkTenants(CampaignRecord):
    """How many e-commerce firms of one type a park hosts at the end of a year."""

    KEY = ("park", "year", "tenant_type")

    park = models.ForeignKey(
        EcommercePark, verbose_name=_("电商园区"), on_delete=models.CASCADE, related_name="tenants"
    )
    year = year_field()
    tenant_type = models.CharField(_("企业类型"), max_length=30, help_text=_("如 外贸、家纺、跨境电商"))
    count = CountField(_("入驻企业（家）"))

    class Meta:
        verbose_name = _("园区入驻")
        verbose_name_plural = _("园区入驻")
        ordering = ["-year", "park__name", "tenant_type"]
        constraints = [
            models.UniqueConstraint(fields=["park", "year", "tenant_type"], name="park_tenants_once")
        ]

    def __str__(self) -> str:
        return f"{self.park} {self.year} {self.tenant_type} {self.count}"


class BeltMember(CampaignRecord):
    """An enterprise in an online industrial belt (产业带) and its online sales in a year."""

    DEFAULT_BELT = "阿里巴巴·镇海装备制造产业带"
    KEY = ("belt", "enterprise", "year")

    belt = models.CharField(_("产业带"), max_length=60, default=DEFAULT_BELT)
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE)
    year = year_field()
    products = models.CharField(_("主营产品"), max_length=100, blank=True)
    online_sales = AmountField(_("线上销售额（万元）"), default=Decimal(0))

    class Meta:
        verbose_name = _("产业带企业")
        verbose_name_plural = _("产业带企业")
        ordering = ["-year", "belt", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(fields=["belt", "enterprise", "year"], name="belt_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.belt} {self.enterprise}（{self.year}）"


class TradingPlatform(CampaignRecord):
    """A commodity trading platform (大宗商品交易平台)."""

    KEY = ("name",)

    name = models.CharField(_("平台名称"), max_length=100, unique=True)
    goods = models.CharField(_("交易品种"), max_length=100)
    operator = models.CharField(_("运营单位"), max_length=100, blank=True)
    town = models.ForeignKey(
        Town, verbose_name=_("所在镇街"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("交易平台")
        verbose_name_plural = _("交易平台")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PlatformTurnover(CampaignRecord):
    KEY = ("platform", "year")

    platform = models.ForeignKey(
        TradingPlatform, verbose_name=_("交易平台"), on_delete=models.CASCADE, related_name="turnovers"
    )
    year = year_field()
    turnover = AmountField(_("交易额（万元）"))

    class Meta:
        verbose_name = _("平台交易额")
        verbose_name_plural = _("平台交易额")
        ordering = ["-year", "platform__name"]
        constraints = [models.UniqueConstraint(fields=["platform", "year"], name="platform_turnover_once")]

    def __str__(self) -> str:
        return f"{self.platform} {self.year}"


# ---------------------------------------------------------------- targets


def figure_choices() -> list[tuple[str, str]]:
    from zhuanxing.campaigns.figures import FIGURES  # the catalogue reads these models

    return [(f.code, f"{f.label}（{f.unit}）") for f in FIGURES.values()]


class Target(CampaignRecord):
    """A yearly target for a campaign figure, set by the city or the district (for all or one town)."""

    class Setter(models.TextChoices):
        CITY = "市定", _("市定")
        DISTRICT = "区定", _("区定")

    KEY = ("figure", "year", "setter", "town")

    figure = models.CharField(_("指标"), max_length=40, choices=figure_choices)
    year = year_field()
    setter = models.CharField(_("下达单位"), max_length=4, choices=Setter.choices)
    town = models.ForeignKey(
        Town,
        verbose_name=_("镇街"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("留空为全区"),
    )
    value = AmountField(_("目标值"))

    class Meta:
        verbose_name = _("目标任务")
        verbose_name_plural = _("目标任务")
        ordering = ["-year", "figure", "setter"]
        constraints = [
            models.UniqueConstraint(
                fields=["figure", "year", "setter", "town"],
                condition=Q(town__isnull=False),
                name="target_town_once",
            ),
            models.UniqueConstraint(
                fields=["figure", "year", "setter"],
                condition=Q(town__isnull=True),
                name="target_district_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_figure_display()} {self.setter} {self.town or '全区'}"

    def clean(self) -> None:
        if self.value is not None and self.value == 0:
            raise ValidationError({"value": "目标值应大于0"})
        super().clean()


# ---------------------------------------------------------------- innovation platforms and the science park


class InnovationPlatformYear(CampaignRecord):
    """One year's figures of one of the 五大科技创新平台 (清华基地, 西电平台, 大连化物所 …), as the
    platform reports them: projects brought in, enterprises incubated, their registered capital,
    talent projects by plan, and technology transfer contracts."""

    KEY = ("platform", "year")

    platform = models.CharField(_("平台名称"), max_length=100)
    partner = models.CharField(_("合作院所"), max_length=100, blank=True)
    town = models.ForeignKey(
        Town, verbose_name=_("所在镇街"), null=True, blank=True, on_delete=models.PROTECT
    )
    year = year_field()
    projects = CountField(_("引进项目数"), default=0)
    enterprises = CountField(_("孵化企业数"), default=0)
    registered_capital = AmountField(_("注册资金（万元）"), default=0)
    national_thousand = CountField(_("国家千人计划项目数"), default=0)
    provincial_thousand = CountField(_("省千人计划项目数"), default=0)
    plan_3315 = CountField(_("3315计划项目数"), default=0)
    transfer_amount = AmountField(_("技术转移合同额（万元）"), default=0)

    class Meta:
        verbose_name = _("科技创新平台年度情况")
        verbose_name_plural = _("科技创新平台年度情况")
        ordering = ["-year", "platform"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "year"], name="innovation_platform_year_once")
        ]

    def __str__(self) -> str:
        return f"{self.platform}（{self.year}）"


class ScienceParkYear(CampaignRecord):
    """One year's figures of a 大学科技园 (the park reports them as a whole)."""

    KEY = ("park", "year")

    park = models.CharField(_("科技园名称"), max_length=100)
    year = year_field()
    enterprises = CountField(_("入园企业数"), default=0)
    creative_enterprises = CountField(_("其中文创企业数"), default=0)
    creative_revenue = AmountField(_("文创企业主营收入（万元）"), default=0)
    creative_value_added = AmountField(_("文创企业增加值（万元）"), default=0)
    ip_applied = CountField(_("申请知识产权数"), default=0)
    ip_granted = CountField(_("获批知识产权数"), default=0)
    staff = CountField(_("平均从业人员"), default=0)
    staff_bachelor = CountField(_("本科以上从业人员"), default=0)
    industry_space_m2 = AmountField(_("产业发展空间（㎡）"), default=0)
    apartment_m2 = AmountField(_("人才公寓（㎡）"), default=0)

    class Meta:
        verbose_name = _("大学科技园年度情况")
        verbose_name_plural = _("大学科技园年度情况")
        ordering = ["-year", "park"]
        constraints = [models.UniqueConstraint(fields=["park", "year"], name="science_park_year_once")]

    def __str__(self) -> str:
        return f"{self.park}（{self.year}）"

    def clean(self) -> None:
        errors: dict = {}
        if (self.creative_enterprises or 0) > (self.enterprises or 0):
            errors["creative_enterprises"] = (
                f"文创企业数（{self.creative_enterprises}）多于入园企业数（{self.enterprises}）"
            )
        if (self.staff_bachelor or 0) > (self.staff or 0):
            errors["staff_bachelor"] = f"本科以上人员（{self.staff_bachelor}）多于从业人员（{self.staff}）"
        if errors:
            raise ValidationError(errors)
        super().clean()
