"""The district's shared registry: towns, industries, enterprises, land, yearly data.

Yearly figures are official data: each value remembers the batch it came from
(``AnnualData.sources``) and every change is kept in ``AnnualDataChange``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from zhuanxing import pinyin
from zhuanxing.uscc import uscc_problem

SQUARE_METRES_PER_MU = Decimal(10000) / Decimal(15)
NON_NEGATIVE = [MinValueValidator(0, message="不能为负数")]


def validate_uscc(value: str) -> None:
    problem = uscc_problem(value)
    if problem:
        raise ValidationError(f"「{value}」：{problem}", code="invalid_uscc")


class Town(models.Model):
    class Kind(models.TextChoices):
        TOWN = "镇", _("镇")
        SUBDISTRICT = "街道", _("街道")
        ZONE = "功能区", _("功能区")

    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.SUBDISTRICT)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("镇街/功能区")
        verbose_name_plural = _("镇街/功能区")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Industry(models.Model):
    """One code of GB/T 4754-2017: section letter, 2-digit division, 3-digit group, 4-digit class."""

    class Level(models.TextChoices):
        SECTION = "section", _("门类")
        DIVISION = "division", _("大类")
        GROUP = "group", _("中类")
        CLASS = "class", _("小类")

    code = models.CharField(_("代码"), max_length=4, primary_key=True)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    name = models.CharField(_("名称"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("国民经济行业")
        verbose_name_plural = _("国民经济行业")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def division_code(self) -> str:
        return self.code[:2] if self.code[:1].isdigit() else ""


class IndustryCluster(models.Model):
    """A district cluster (石油化工, 装备制造 …) defined by industry code prefixes."""

    class Kind(models.TextChoices):
        TRADITIONAL = "traditional", _("传统产业")
        EMERGING = "emerging", _("战略性新兴产业")
        OTHER = "other", _("其他")

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    industry_prefixes = models.JSONField(
        _("行业代码前缀"), default=list, help_text=_("如 25、26、2927：以这些代码开头的行业属于本产业")
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("产业集群")
        verbose_name_plural = _("产业集群")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        bad = [p for p in self.industry_prefixes if not (isinstance(p, str) and p.isdigit() and len(p) <= 4)]
        if bad:
            raise ValidationError({"industry_prefixes": f"行业代码前缀应为1–4位数字：{bad[0]}"})

    def matches(self, industry_code: str) -> bool:
        return any(industry_code.startswith(prefix) for prefix in self.industry_prefixes)


class Tag(models.Model):
    name = models.CharField(_("名称"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("企业标签")
        verbose_name_plural = _("企业标签")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


FORMER_SEPARATOR = "；"  # between former names


class Enterprise(models.Model):
    class Scale(models.TextChoices):
        ABOVE = "规上", _("规上")
        BELOW = "规下", _("规下")

    class Status(models.TextChoices):
        OPERATING = "在营", _("在营")
        SUSPENDED = "停产", _("停产")
        DEREGISTERED = "注销", _("注销")
        MOVED_OUT = "迁出", _("迁出")

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc])
    name = models.CharField(_("企业名称"), max_length=100, db_index=True)
    former_names = models.CharField(
        _("曾用名"), max_length=300, blank=True, help_text=_("多个曾用名以“；”分隔；改名时自动记入")
    )
    # pinyin initials of the name and former names (宁波金丰 → nbjf), for search; kept by save()
    # and by the registry import (``refresh_search_fields``)
    name_initials = models.CharField(_("名称拼音首字母"), max_length=200, blank=True, editable=False)
    town = models.ForeignKey(Town, verbose_name=_("所属镇街"), on_delete=models.PROTECT)
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("行业代码"),
        on_delete=models.PROTECT,
        limit_choices_to={"level": Industry.Level.CLASS},
    )
    scale = models.CharField(_("规模"), max_length=4, choices=Scale.choices, default=Scale.BELOW)
    founded = models.DateField(_("成立日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=4, choices=Status.choices, default=Status.OPERATING)
    tags = models.ManyToManyField(Tag, verbose_name=_("标签"), blank=True, related_name="enterprises")
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["town", "scale"]), models.Index(fields=["industry"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.refresh_search_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name", "former_names"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "name_initials"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.industry_id and len(str(self.industry_id)) != 4:
            raise ValidationError({"industry": f"行业代码应为4位小类代码：{self.industry_id}"})

    @property
    def former_name_list(self) -> list[str]:
        return [n.strip() for n in self.former_names.split(FORMER_SEPARATOR) if n.strip()]

    def remember_former_name(self, old_name: str) -> None:
        """Called when the name changes: the old one joins the former names (once)."""
        old_name = (old_name or "").strip()
        names = self.former_name_list
        if old_name and old_name != self.name and old_name not in names:
            names.append(old_name)
            self.former_names = FORMER_SEPARATOR.join(names)[:300]

    def refresh_search_fields(self) -> None:
        self.name_initials = pinyin.initials_of(self.name, *self.former_name_list)


class LandParcel(models.Model):
    certificate_no = models.CharField(_("不动产权证号"), max_length=60, unique=True)
    owner = models.ForeignKey(
        Enterprise, verbose_name=_("权利人"), on_delete=models.PROTECT, related_name="parcels"
    )
    area_mu = models.DecimalField(_("面积（亩）"), max_digits=12, decimal_places=4, validators=NON_NEGATIVE)
    use = models.CharField(_("用途"), max_length=30, default="工业用地")
    town = models.ForeignKey(
        Town, verbose_name=_("所在镇街"), null=True, blank=True, on_delete=models.PROTECT
    )
    # The parcel's boundary (zhuanxing.maps): GeoJSON geometry text in lon/lat (CGCS2000 taken
    # as WGS84), a simplified copy for small zooms, its bounding box and centroid as plain
    # floats (indexed, so a map view is a range query on any database), and the drawn area.
    geometry = models.TextField(_("宗地界线（GeoJSON）"), blank=True)
    geometry_simple = models.TextField(_("简化界线（GeoJSON）"), blank=True)
    min_lon = models.FloatField(_("最小经度"), null=True, blank=True)
    min_lat = models.FloatField(_("最小纬度"), null=True, blank=True)
    max_lon = models.FloatField(_("最大经度"), null=True, blank=True)
    max_lat = models.FloatField(_("最大纬度"), null=True, blank=True)
    centroid_lon = models.FloatField(_("中心经度"), null=True, blank=True)
    centroid_lat = models.FloatField(_("中心纬度"), null=True, blank=True)
    drawn_mu = models.DecimalField(
        _("图形面积（亩）"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    area_warning = models.CharField(_("面积核对"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("土地宗地")
        verbose_name_plural = _("土地宗地")
        ordering = ["certificate_no"]
        indexes = [
            models.Index(fields=["centroid_lon", "centroid_lat"], name="parcel_centroid_idx"),
            models.Index(fields=["town", "centroid_lon"], name="parcel_town_centroid_idx"),
        ]

    def __str__(self) -> str:
        return self.certificate_no

    @property
    def area_m2(self) -> Decimal:
        return (self.area_mu * SQUARE_METRES_PER_MU).quantize(Decimal("0.01"))


class Lease(models.Model):
    """Part of a parcel let to another enterprise; counts for every year it overlaps."""

    parcel = models.ForeignKey(
        LandParcel, verbose_name=_("宗地"), on_delete=models.CASCADE, related_name="leases"
    )
    tenant = models.ForeignKey(
        Enterprise, verbose_name=_("承租企业"), on_delete=models.PROTECT, related_name="leases_in"
    )
    area_mu = models.DecimalField(
        _("出租面积（亩）"), max_digits=12, decimal_places=4, validators=NON_NEGATIVE
    )
    start = models.DateField(_("起始日期"))
    end = models.DateField(_("截止日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("土地出租")
        verbose_name_plural = _("土地出租")
        ordering = ["parcel", "start"]

    def __str__(self) -> str:
        return f"{self.parcel} → {self.tenant}"

    def clean(self) -> None:
        errors = {}
        if self.end and self.start and self.end < self.start:
            errors["end"] = f"截止日期 {self.end} 早于起始日期 {self.start}"
        if self.parcel_id and self.area_mu is not None and self.area_mu > self.parcel.area_mu:
            errors["area_mu"] = f"出租面积 {self.area_mu} 亩超过宗地面积 {self.parcel.area_mu} 亩"
        if self.parcel_id and self.tenant_id and self.parcel.owner_id == self.tenant_id:
            errors["tenant"] = "承租企业不能是宗地权利人本身"
        if errors:
            raise ValidationError(errors)


class ImportBatch(models.Model):
    """One file handed in by a department (or one manual correction), applied as a whole."""

    class Source(models.TextChoices):
        LAND = "land", _("自然资源")
        TAX = "tax", _("税务")
        STATS = "stats", _("统计")
        POWER = "power", _("电力")
        ENV = "env", _("环保")
        REGISTRY = "registry", _("企业名录")
        PARCELS = "parcels", _("宗地图形")
        MANUAL = "manual", _("人工更正")
        DEMO = "demo", _("演示数据")

    class State(models.TextChoices):
        APPLIED = "applied", _("已导入")
        ROLLED_BACK = "rolled_back", _("已回滚")

    source = models.CharField(_("数据来源"), max_length=20, choices=Source.choices)
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    file_name = models.CharField(_("文件名"), max_length=255, blank=True)
    file_sha256 = models.CharField(_("文件哈希"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.APPLIED)
    summary = models.JSONField(_("统计"), default=dict, blank=True)
    # what a rollback needs besides AnnualDataChange: registry and land rows the batch
    # created (ids) or changed ({"id", "old", "new"}), see zhuanxing.imports.services
    undo = models.JSONField(_("回滚信息"), default=dict, blank=True)
    note = models.CharField(_("说明"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.year or ''} {self.file_name}".strip()


class AnnualData(models.Model):
    """One enterprise's figures for one year, as the evaluation reads them."""

    # field name -> (label, unit); the order is the order shown to users. Marked for translation
    # and translated where shown: the Chinese labels also name fields in imports and the audit trail.
    FIELDS = {
        "tax": (gettext_noop("实缴税金"), gettext_noop("万元")),
        "social_insurance": (gettext_noop("社保费"), gettext_noop("万元")),
        "output_value": (gettext_noop("工业总产值"), gettext_noop("万元")),
        "sales": (gettext_noop("销售收入"), gettext_noop("万元")),
        "revenue": (gettext_noop("主营业务收入"), gettext_noop("万元")),
        "value_added": (gettext_noop("工业增加值"), gettext_noop("万元")),
        "employees": (gettext_noop("年平均职工人数"), gettext_noop("人")),
        "rd": (gettext_noop("研发经费"), gettext_noop("万元")),
        "energy_tce": (gettext_noop("综合能耗"), gettext_noop("吨标准煤")),
        "electricity": (gettext_noop("用电量"), gettext_noop("万千瓦时")),
        "cod": (gettext_noop("COD排放量"), gettext_noop("吨")),
        "ammonia": (gettext_noop("氨氮排放量"), gettext_noop("吨")),
        "so2": (gettext_noop("SO2排放量"), gettext_noop("吨")),
        "nox": (gettext_noop("NOx排放量"), gettext_noop("吨")),
        "emissions": (gettext_noop("主要污染物排放量"), gettext_noop("吨")),
        "emission_rights": (gettext_noop("排污权"), gettext_noop("吨")),
    }

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="annual_data"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    tax = models.DecimalField(_("实缴税金"), max_digits=16, decimal_places=4, null=True, blank=True)
    social_insurance = models.DecimalField(
        _("社保费"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    output_value = models.DecimalField(
        _("工业总产值"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    sales = models.DecimalField(_("销售收入"), max_digits=16, decimal_places=4, null=True, blank=True)
    revenue = models.DecimalField(_("主营业务收入"), max_digits=16, decimal_places=4, null=True, blank=True)
    value_added = models.DecimalField(_("工业增加值"), max_digits=16, decimal_places=4, null=True, blank=True)
    employees = models.PositiveIntegerField(_("年平均职工人数"), null=True, blank=True)
    rd = models.DecimalField(_("研发经费"), max_digits=16, decimal_places=4, null=True, blank=True)
    energy_tce = models.DecimalField(_("综合能耗"), max_digits=16, decimal_places=4, null=True, blank=True)
    electricity = models.DecimalField(_("用电量"), max_digits=16, decimal_places=4, null=True, blank=True)
    cod = models.DecimalField(_("COD排放量"), max_digits=14, decimal_places=4, null=True, blank=True)
    ammonia = models.DecimalField(_("氨氮排放量"), max_digits=14, decimal_places=4, null=True, blank=True)
    so2 = models.DecimalField(_("SO2排放量"), max_digits=14, decimal_places=4, null=True, blank=True)
    nox = models.DecimalField(_("NOx排放量"), max_digits=14, decimal_places=4, null=True, blank=True)
    emissions = models.DecimalField(
        _("主要污染物排放量"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    emission_rights = models.DecimalField(_("排污权"), max_digits=14, decimal_places=4, null=True, blank=True)
    # field name -> ImportBatch id that last set it
    sources = models.JSONField(_("数据来源"), default=dict, blank=True)

    class Meta:
        verbose_name = _("年度数据")
        verbose_name_plural = _("年度数据")
        ordering = ["enterprise", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="annual_data_once_per_year")
        ]
        indexes = [models.Index(fields=["year"])]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"

    def clean(self) -> None:
        negative = {
            name: f"{label}不能为负数：{getattr(self, name)}"
            for name, (label, _unit) in self.FIELDS.items()
            if getattr(self, name) is not None and getattr(self, name) < 0
        }
        if negative:
            raise ValidationError(negative)


class AnnualDataChange(models.Model):
    """The history of one yearly value: every change, with its batch."""

    annual_data = models.ForeignKey(
        AnnualData, verbose_name=_("年度数据"), on_delete=models.CASCADE, related_name="changes"
    )
    field = models.CharField(_("字段"), max_length=30)
    # null is "no value" (the field was empty), which history must tell apart from any text.
    old_value = models.CharField(_("原值"), max_length=40, blank=True, null=True)  # noqa: DJ001
    new_value = models.CharField(_("新值"), max_length=40, blank=True, null=True)  # noqa: DJ001
    old_batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("原批次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    batch = models.ForeignKey(
        ImportBatch, verbose_name=_("批次"), on_delete=models.CASCADE, related_name="changes"
    )

    class Meta:
        verbose_name = _("年度数据变更")
        verbose_name_plural = _("年度数据变更")
        ordering = ["-batch__created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.annual_data} {self.field}: {self.old_value} → {self.new_value}"

    @property
    def field_label(self) -> str:
        """The field as users know it (社保费), not its id (social_insurance)."""
        return AnnualData.FIELDS.get(self.field, (self.field,))[0]

    @property
    def field_unit(self) -> str:
        return AnnualData.FIELDS.get(self.field, ("", ""))[1]
