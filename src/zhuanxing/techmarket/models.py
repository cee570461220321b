"""科技大市场: institutions, experts, achievements, enterprises' technical demands, the matches between
them and their stages, 对接活动, technology contracts, 外脑 consulting, and the site's extra vocabulary for
the matching engine (``zhuanxing.matching``)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhuanxing.registry.models import Enterprise

# The 高新技术八大领域 and the district's clusters, as the engine's field table names them
# (matching/data/fields.txt), so that "same field" is recognised.
TECH_FIELDS = [
    "电子信息",
    "生物与新医药",
    "航空航天",
    "新材料",
    "高技术服务",
    "新能源与节能",
    "资源与环境",
    "先进制造与自动化",
    "石油化工",
    "装备制造",
    "关键基础件",
    "纺织服装",
    "汽车零部件",
    "模具",
    "智能家电",
    "节能环保",
    "软件与信息服务",
]
FIELD_CHOICES = [(name, _(name)) for name in TECH_FIELDS]  # stored in Chinese, shown translated
TEXT_LIMIT = 5000  # a longer text is refused with a message, not cut silently


def amount_field(label: str, **extra) -> models.DecimalField:
    """An amount in 万元, never negative."""
    return models.DecimalField(
        label, max_digits=14, decimal_places=2, validators=[MinValueValidator(0)], **extra
    )


def long_text(label: str, **extra) -> models.TextField:
    return models.TextField(label, max_length=TEXT_LIMIT, **extra)


def check_fields(names: list, *, field: str) -> None:
    if not isinstance(names, list) or any(name not in TECH_FIELDS for name in names):
        raise ValidationError({field: f"技术领域应从列表中选择：{names}"})


class Institution(models.Model):
    class Kind(models.TextChoices):
        UNIVERSITY = "高校", _("高校")
        INSTITUTE = "科研院所", _("科研院所")
        NEW_RD = "新型研发机构", _("新型研发机构")
        ENTERPRISE_RD = "企业研发中心", _("企业研发中心")
        SERVICE = "服务机构", _("服务机构")

    name = models.CharField(_("机构名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    region = models.CharField(_("所在地区"), max_length=40, help_text=_("用于判断技术合同的输出/吸纳"))
    fields = models.JSONField(_("技术领域"), default=list, blank=True)
    capabilities = long_text(_("技术能力"), blank=True)
    labs = long_text(_("实验室与平台"), blank=True)
    contact_name = models.CharField(_("联系窗口"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    # The person who answers invitations for the institution (a user of role 专家).
    contact_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("窗口账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="window_for",
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("所属企业"), null=True, blank=True, on_delete=models.PROTECT
    )
    recognition = models.ForeignKey(
        "campaigns.Recognition",
        verbose_name=_("认定级别"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tech_institutions",
        help_text=_("企业研发中心的认定（类别与级别）"),
    )
    confirmed_on = models.DateField(_("信息确认日期"), null=True, blank=True)
    active = models.BooleanField(_("在库"), default=True)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        check_fields(self.fields, field="fields")
        if self.kind == self.Kind.ENTERPRISE_RD and not self.enterprise_id:
            raise ValidationError({"enterprise": "企业研发中心须关联所属企业"})
        if self.recognition_id and self.recognition.enterprise_id != self.enterprise_id:
            raise ValidationError({"recognition": "所选认定不属于该企业"})


class Expert(models.Model):
    name = models.CharField(_("姓名"), max_length=50)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert_profile",
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("所在机构"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="experts",
    )
    affiliation = models.CharField(_("工作单位"), max_length=100, blank=True)
    title = models.CharField(_("职称"), max_length=40, blank=True)
    fields = models.JSONField(_("技术领域"), default=list, blank=True)
    keywords = models.CharField(_("关键词"), max_length=300, blank=True)
    directions = long_text(_("研究方向"), blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    email = models.EmailField(_("邮箱"), blank=True)
    is_advisor = models.BooleanField(_("外脑顾问团"), default=False)
    is_reviewer = models.BooleanField(_("评审专家"), default=False)
    confirmed_on = models.DateField(_("档案确认日期"), null=True, blank=True)
    active = models.BooleanField(_("在库"), default=True)

    class Meta:
        verbose_name = _("专家")
        verbose_name_plural = _("专家")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def organisation(self) -> str:
        return self.institution.name if self.institution_id else self.affiliation

    def clean(self) -> None:
        check_fields(self.fields, field="fields")
        if self.user_id and self.user.role != "expert":
            raise ValidationError({"user": "专家的登录账号须为「专家」角色"})


class Achievement(models.Model):
    class Maturity(models.TextChoices):
        LAB = "实验室", _("实验室阶段")
        PILOT = "小试", _("小试")
        SCALE_UP = "中试", _("中试")
        INDUSTRIAL = "产业化", _("已产业化")

    TRANSFER_MODES = ["转让", "许可", "作价入股", "合作开发"]

    name = models.CharField(_("成果名称"), max_length=100)
    description = long_text(_("成果简介"))
    field = models.CharField(_("技术领域"), max_length=20, choices=FIELD_CHOICES)
    maturity = models.CharField(_("成熟度"), max_length=10, choices=Maturity.choices)
    patents = models.CharField(_("专利"), max_length=300, blank=True)
    transfer_modes = models.JSONField(_("转化方式"), default=list)
    price = amount_field(_("参考价格（万元）"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"))
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("持有机构"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="achievements",
    )
    expert = models.ForeignKey(
        Expert,
        verbose_name=_("完成人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="achievements",
    )
    active = models.BooleanField(_("在库"), default=True)

    class Meta:
        verbose_name = _("成果")
        verbose_name_plural = _("成果")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        modes = self.transfer_modes
        if not modes or not isinstance(modes, list) or any(m not in self.TRANSFER_MODES for m in modes):
            raise ValidationError({"transfer_modes": f"转化方式应从 {'、'.join(self.TRANSFER_MODES)} 中选择"})


class Demand(models.Model):
    class Confidentiality(models.TextChoices):
        PUBLIC = "公开", _("公开")
        SUMMARY = "摘要公开", _("摘要公开")
        INVITED = "仅受邀可见", _("仅受邀可见")

    class Cooperation(models.TextChoices):
        ANY = "不限", _("不限")
        DEVELOPMENT = "委托开发", _("委托开发")
        JOINT = "合作开发", _("合作开发")
        TRANSFER = "技术转让", _("技术转让")
        LICENSE = "技术许可", _("技术许可")
        CONSULTING = "技术咨询", _("技术咨询")

    class State(models.TextChoices):
        OPEN = "征集中", _("征集中")
        SOLVED = "已解决", _("已解决")
        EXPIRED = "已过期", _("已过期")
        WITHDRAWN = "已撤回", _("已撤回")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="tech_demands"
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, on_delete=models.SET_NULL
    )
    title = models.CharField(_("难题名称"), max_length=100)
    problem = long_text(_("问题描述"))
    indicators = long_text(_("目标指标"), blank=True)
    current_state = long_text(_("现状"), blank=True)
    budget_min = amount_field(_("预算下限（万元）"), null=True, blank=True)
    budget_max = amount_field(_("预算上限（万元）"), null=True, blank=True)
    cooperation = models.CharField(
        _("合作方式"), max_length=10, choices=Cooperation.choices, default=Cooperation.ANY
    )
    field = models.CharField(_("技术领域"), max_length=20, choices=FIELD_CHOICES)
    deadline = models.DateField(_("期望完成日期"), null=True, blank=True)
    confidentiality = models.CharField(
        _("保密级别"), max_length=10, choices=Confidentiality.choices, default=Confidentiality.PUBLIC
    )
    valid_until = models.DateField(_("有效期至"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN)
    broker = models.ForeignKey(
        "Broker",
        verbose_name=_("技术经纪人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="demands",
    )
    consultation = models.ForeignKey(
        "Consultation",
        verbose_name=_("来自外脑诊断"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="demands",
    )
    created_at = models.DateTimeField(_("发布时间"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("技术需求")
        verbose_name_plural = _("技术需求")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if not self.title.strip():
            raise ValidationError({"title": "请填写难题名称"})
        if not self.problem.strip():
            raise ValidationError({"problem": "请描述要解决的问题"})
        if self.budget_min is not None and self.budget_max is not None and self.budget_min > self.budget_max:
            raise ValidationError({"budget_max": "预算上限不能低于下限"})


class Match(models.Model):
    """One candidate for one demand, from recommendation to contract or termination. Each stage change
    is timestamped (and audited)."""

    class Stage(models.TextChoices):
        RECOMMENDED = "推荐", _("推荐")
        INVITED = "邀请", _("邀请")
        ACCEPTED = "接受", _("接受")
        DECLINED = "婉拒", _("婉拒")
        NEGOTIATING = "洽谈", _("洽谈")
        SIGNED = "签约", _("签约")
        TERMINATED = "终止", _("终止")

    class DeclineReason(models.TextChoices):
        DIRECTION = "不在我的领域", _("不在我的领域")
        BUDGET = "预算不足", _("预算不足")
        TIME = "时间不合适", _("时间不合适")
        MORE_INFO = "信息不足", _("信息不足")
        PARTNER = "已有合作方", _("已有合作方")
        OTHER = "其他", _("其他")

    class Origin(models.TextChoices):
        """Where the candidate came from: the engine's recommendations, or an invitation made from the
        candidate's profile page or from search results, or the expert's own 我能解决."""

        RECOMMENDATION = "推荐", _("推荐")
        PROFILE = "档案页", _("档案页")
        SEARCH = "搜索结果", _("搜索结果")
        OFFER = "我能解决", _("我能解决")

    demand = models.ForeignKey(
        Demand, verbose_name=_("需求"), on_delete=models.CASCADE, related_name="matches"
    )
    # The engine's document id ("expert:17"); exactly one of the three links below is set.
    candidate = models.CharField(_("候选"), max_length=40)
    expert = models.ForeignKey(
        Expert, null=True, blank=True, on_delete=models.CASCADE, related_name="matches"
    )
    achievement = models.ForeignKey(
        Achievement, null=True, blank=True, on_delete=models.CASCADE, related_name="matches"
    )
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.CASCADE, related_name="matches"
    )
    stage = models.CharField(_("阶段"), max_length=4, choices=Stage.choices, default=Stage.RECOMMENDED)
    origin = models.CharField(_("来源"), max_length=6, choices=Origin.choices, default=Origin.RECOMMENDATION)
    rank = models.PositiveSmallIntegerField(_("推荐名次"), null=True, blank=True)
    score = models.FloatField(_("匹配分"), default=0)
    reason = models.TextField(_("推荐理由"), blank=True)
    explanation = models.JSONField(_("评分明细"), default=dict, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decline_reason = models.CharField(_("婉拒原因"), max_length=10, choices=DeclineReason.choices, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    recommended_at = models.DateTimeField(_("推荐时间"), default=timezone.now)
    invited_at = models.DateTimeField(_("邀请时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    negotiating_at = models.DateTimeField(_("洽谈时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("签约/终止时间"), null=True, blank=True)
    stage_changed_at = models.DateTimeField(_("进入当前阶段"), default=timezone.now)

    class Meta:
        verbose_name = _("匹配")
        verbose_name_plural = _("匹配")
        ordering = ["demand", "rank", "id"]
        constraints = [models.UniqueConstraint(fields=["demand", "candidate"], name="match_candidate_once")]
        indexes = [models.Index(fields=["stage", "stage_changed_at"])]

    def __str__(self) -> str:
        return f"{self.demand} ← {self.target}"

    @property
    def target(self) -> Expert | Achievement | Institution:
        return self.expert or self.achievement or self.institution

    @property
    def candidate_kind(self) -> str:
        return self.candidate.partition(":")[0]

    @property
    def kind_label(self) -> str:
        return {"expert": "专家", "achievement": "成果", "institution": "机构"}[self.candidate_kind]


class SolutionOffer(models.Model):
    """An expert says 我能解决 about a demand, with a short note; the enterprise and staff see it beside
    the recommendations and may invite the expert from there."""

    demand = models.ForeignKey(
        Demand, verbose_name=_("需求"), on_delete=models.CASCADE, related_name="offers"
    )
    expert = models.ForeignKey(
        Expert, verbose_name=_("专家"), on_delete=models.CASCADE, related_name="offers"
    )
    note = models.CharField(_("说明"), max_length=300)
    created_at = models.DateTimeField(_("提出时间"), default=timezone.now)

    class Meta:
        verbose_name = _("我能解决")
        verbose_name_plural = _("我能解决")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["demand", "expert"], name="offer_once")]

    def __str__(self) -> str:
        return f"{self.expert} → {self.demand}"

    def clean(self) -> None:
        if not self.note.strip():
            raise ValidationError({"note": "请简要说明您能如何解决"})


class Event(models.Model):
    name = models.CharField(_("活动名称"), max_length=100)
    partner = models.ForeignKey(
        Institution, verbose_name=_("合作机构"), null=True, blank=True, on_delete=models.SET_NULL
    )
    held_on = models.DateField(_("举办日期"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    description = long_text(_("简介"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("对接活动")
        verbose_name_plural = _("对接活动")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.name


class EventRegistration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    enterprise = models.ForeignKey(Enterprise, null=True, blank=True, on_delete=models.CASCADE)
    expert = models.ForeignKey(Expert, null=True, blank=True, on_delete=models.CASCADE)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        constraints = [
            models.UniqueConstraint(fields=["event", "enterprise"], name="event_enterprise_once"),
            models.UniqueConstraint(fields=["event", "expert"], name="event_expert_once"),
            models.CheckConstraint(
                condition=Q(enterprise__isnull=False) | Q(expert__isnull=False), name="registration_has_party"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event}：{self.enterprise or self.expert}"


class EventPair(models.Model):
    """A demand–expert pair arranged for the day, and what came of it."""

    class Outcome(models.TextChoices):
        PENDING = "待对接", _("待对接")
        INTENT = "合作意向", _("合作意向")
        SIGNED = "已签约", _("已签约")
        NONE = "未达成", _("未达成")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="pairs")
    demand = models.ForeignKey(Demand, verbose_name=_("需求"), on_delete=models.CASCADE)
    expert = models.ForeignKey(Expert, verbose_name=_("专家"), on_delete=models.CASCADE)
    outcome = models.CharField(_("结果"), max_length=6, choices=Outcome.choices, default=Outcome.PENDING)

    class Meta:
        verbose_name = _("预匹配对接")
        verbose_name_plural = _("预匹配对接")
        constraints = [models.UniqueConstraint(fields=["event", "demand", "expert"], name="event_pair_once")]

    def __str__(self) -> str:
        return f"{self.demand} ↔ {self.expert}"


class Contract(models.Model):
    class Kind(models.TextChoices):
        DEVELOPMENT = "技术开发", _("技术开发")
        TRANSFER = "技术转让", _("技术转让")
        LICENSE = "技术许可", _("技术许可")
        CONSULTING = "技术咨询", _("技术咨询")
        SERVICE = "技术服务", _("技术服务")

    kind = models.CharField(_("合同类型"), max_length=4, choices=Kind.choices)
    title = models.CharField(_("项目名称"), max_length=100)
    field = models.CharField(_("技术领域"), max_length=20, choices=FIELD_CHOICES)
    amount = amount_field(_("成交额（万元）"))
    tech_amount = amount_field(_("技术交易额（万元）"))
    seller_name = models.CharField(_("卖方"), max_length=100)
    seller_region = models.CharField(_("卖方地区"), max_length=40)
    seller_institution = models.ForeignKey(
        Institution, verbose_name=_("卖方机构"), null=True, blank=True, on_delete=models.SET_NULL
    )
    buyer_name = models.CharField(_("买方"), max_length=100)
    buyer_region = models.CharField(_("买方地区"), max_length=40)
    buyer_enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("买方企业"), null=True, blank=True, on_delete=models.SET_NULL
    )
    signed_on = models.DateField(_("签订日期"))
    registration_no = models.CharField(_("登记编号"), max_length=40, blank=True)
    registered_office = models.CharField(_("登记机构"), max_length=100, blank=True)
    registered_on = models.DateField(_("登记日期"), null=True, blank=True)
    match = models.OneToOneField(
        Match, verbose_name=_("来自匹配"), null=True, blank=True, on_delete=models.SET_NULL
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("来自活动"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contracts",
    )
    broker = models.ForeignKey(
        "Broker",
        verbose_name=_("技术经纪人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contracts",
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("技术合同")
        verbose_name_plural = _("技术合同")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration_no"],
                condition=~Q(registration_no=""),
                name="contract_registration_once",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def flow(self) -> str:
        """输出 (a seller of this district sells out), 吸纳 (a buyer here buys in), or 区内."""
        here = settings.ZHUANXING_DISTRICT_NAME
        seller_here, buyer_here = here in self.seller_region, here in self.buyer_region
        if seller_here and not buyer_here:
            return "输出"
        if buyer_here and not seller_here:
            return "吸纳"
        return "区内" if seller_here else "区外"

    @property
    def registered(self) -> bool:
        return bool(self.registration_no)

    def clean(self) -> None:
        if self.tech_amount is not None and self.amount is not None and self.tech_amount > self.amount:
            raise ValidationError({"tech_amount": "技术交易额不能大于成交额"})
        if self.registration_no and (not self.registered_office or not self.registered_on):
            raise ValidationError({"registered_office": "认定登记须填写登记机构和登记日期"})
        if self.registered_on and self.signed_on and self.registered_on < self.signed_on:
            raise ValidationError({"registered_on": "登记日期不能早于签订日期"})


class Consultation(models.Model):
    """外脑 diagnosis: an enterprise asks, staff assign an expert group, visits and the report are recorded,
    the enterprise rates the service."""

    AREAS = ["管理", "技术", "营销", "融资", "知识产权", "自动化改造"]

    class State(models.TextChoices):
        REQUESTED = "已申请", _("已申请")
        ASSIGNED = "已派专家", _("已派专家")
        REPORTED = "已出报告", _("已出报告")
        RATED = "已评价", _("已评价")

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    areas = models.JSONField(_("诊断方向"), default=list)
    description = long_text(_("情况说明"))
    state = models.CharField(_("状态"), max_length=6, choices=State.choices, default=State.REQUESTED)
    experts = models.ManyToManyField(Expert, verbose_name=_("专家组"), blank=True)
    report = long_text(_("诊断报告"), blank=True)
    problems = models.JSONField(_("发现的问题"), default=list, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("评分"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.CharField(_("评价"), max_length=500, blank=True)
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    assigned_at = models.DateTimeField(_("派专家时间"), null=True, blank=True)
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("外脑诊断")
        verbose_name_plural = _("外脑诊断")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise}（{'、'.join(self.areas)}）"

    def clean(self) -> None:
        if not self.areas or any(area not in self.AREAS for area in self.areas):
            raise ValidationError({"areas": f"诊断方向应从 {'、'.join(self.AREAS)} 中选择"})


class ConsultationVisit(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("走访日期"))
    notes = long_text(_("走访记录"))

    class Meta:
        verbose_name = _("走访")
        verbose_name_plural = _("走访")
        ordering = ["visited_on", "id"]

    def __str__(self) -> str:
        return f"{self.consultation} {self.visited_on}"


class VocabularyLine(models.Model):
    """A line staff add to the engine's shipped files (same formats as matching/data/*.txt)."""

    class Kind(models.TextChoices):
        DICTIONARY = "词典", _("词典")
        SYNONYMS = "近义词", _("近义词")
        STOPWORDS = "停用词", _("停用词")
        FIELDS = "领域", _("领域")

    kind = models.CharField(_("类型"), max_length=4, choices=Kind.choices)
    line = models.CharField(_("内容"), max_length=300)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("匹配词表")
        verbose_name_plural = _("匹配词表")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return f"{self.kind}：{self.line}"


# ----- 技术经纪人 and their commissions -----


class Broker(models.Model):
    """A registered technology broker (技术经纪人): trained and certified, working for an institution."""

    name = models.CharField(_("姓名"), max_length=50)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="broker_profile",
    )
    certificate_no = models.CharField(_("培训证书编号"), max_length=40, unique=True)
    certified_on = models.DateField(_("发证日期"))
    institution = models.ForeignKey(
        Institution, verbose_name=_("所在机构"), null=True, blank=True, on_delete=models.SET_NULL
    )
    affiliation = models.CharField(_("工作单位"), max_length=100, blank=True)
    fields = models.JSONField(_("技术领域"), default=list, blank=True)
    active = models.BooleanField(_("在册"), default=True)

    class Meta:
        verbose_name = _("技术经纪人")
        verbose_name_plural = _("技术经纪人")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def organisation(self) -> str:
        return self.institution.name if self.institution_id else self.affiliation

    def clean(self) -> None:
        check_fields(self.fields, field="fields")
        if self.user_id and self.user.role != "expert":
            raise ValidationError({"user": "技术经纪人的登录账号须为「专家」角色（站外人员）"})


class CommissionRule(models.Model):
    """The year's commission rule, as data: a share of the contract's 技术交易额, capped per contract and
    per broker and year, within the year's budget (all amounts in 万元)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    share = models.DecimalField(
        _("佣金比例"),
        max_digits=6,
        decimal_places=4,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("技术交易额的比例，如 0.015 即 1.5%"),
    )
    cap_per_contract = amount_field(_("单笔上限（万元）"))
    cap_per_broker_year = amount_field(_("每人每年上限（万元）"))
    budget = amount_field(_("年度预算（万元）"))

    class Meta:
        verbose_name = _("佣金规则")
        verbose_name_plural = _("佣金规则")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年度佣金规则"

    @property
    def percent(self):
        return self.share * 100

    def clean(self) -> None:
        caps = (self.cap_per_contract, self.cap_per_broker_year, self.budget)
        if None in caps:
            return
        if self.cap_per_contract > self.cap_per_broker_year:
            raise ValidationError({"cap_per_contract": "单笔上限不能高于每人每年上限"})
        if self.cap_per_broker_year > self.budget:
            raise ValidationError({"cap_per_broker_year": "每人每年上限不能高于年度预算"})


class Commission(models.Model):
    """A broker's commission on one registered contract: computed at registration, then approved and
    paid through the audited steps. The computed amount and its arithmetic never change."""

    class State(models.TextChoices):
        COMPUTED = "待核定", _("待核定")
        APPROVED = "已核定", _("已核定")
        PAID = "已拨付", _("已拨付")
        REJECTED = "不予核定", _("不予核定")

    contract = models.OneToOneField(
        Contract, verbose_name=_("技术合同"), on_delete=models.PROTECT, related_name="commission"
    )
    broker = models.ForeignKey(
        Broker, verbose_name=_("技术经纪人"), on_delete=models.PROTECT, related_name="commissions"
    )
    rule = models.ForeignKey(CommissionRule, verbose_name=_("佣金规则"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("年度"))
    base = amount_field(_("技术交易额（万元）"))
    computed = amount_field(_("按比例（万元）"))
    amount = amount_field(_("应付佣金（万元）"))
    arithmetic = models.CharField(_("计算过程"), max_length=300)
    state = models.CharField(_("状态"), max_length=4, choices=State.choices, default=State.COMPUTED)
    reason = models.CharField(_("说明"), max_length=300, blank=True)
    computed_at = models.DateTimeField(_("计算时间"), default=timezone.now)
    approved_at = models.DateTimeField(_("核定时间"), null=True, blank=True)
    paid_at = models.DateTimeField(_("拨付时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("经纪人佣金")
        verbose_name_plural = _("经纪人佣金")
        ordering = ["-computed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.broker}：{self.contract}"


# ----- 挂牌 and 竞价 of achievements -----


class Listing(models.Model):
    """An achievement listed for sale: 协议转让 (a fixed price, the first enterprise to accept it buys) or
    拍卖 (opening price, increment, deposit, start and end; a bid in the last five minutes moves the end
    to five minutes after it)."""

    class Mode(models.TextChoices):
        FIXED = "协议转让", _("协议转让")
        AUCTION = "拍卖", _("拍卖")

    class State(models.TextChoices):
        OPEN = "挂牌中", _("挂牌中")
        SOLD = "已成交", _("已成交")
        UNSOLD = "流拍", _("流拍")
        WITHDRAWN = "已撤回", _("已撤回")

    achievement = models.ForeignKey(
        Achievement, verbose_name=_("成果"), on_delete=models.PROTECT, related_name="listings"
    )
    seller = models.ForeignKey(
        Enterprise,
        verbose_name=_("卖方企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tech_listings",
    )
    seller_name = models.CharField(_("卖方"), max_length=100)
    seller_region = models.CharField(_("卖方地区"), max_length=40)
    mode = models.CharField(_("方式"), max_length=4, choices=Mode.choices)
    price = amount_field(_("挂牌价 / 起拍价（万元）"))
    increment = amount_field(_("加价幅度（万元）"), null=True, blank=True)
    deposit = amount_field(_("保证金（万元）"), null=True, blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    state = models.CharField(_("状态"), max_length=4, choices=State.choices, default=State.OPEN)
    current_price = amount_field(_("当前价（万元）"), null=True, blank=True)
    leader = models.ForeignKey(
        Enterprise,
        verbose_name=_("领先者"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contract = models.OneToOneField(
        Contract,
        verbose_name=_("成交合同"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="listing",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("挂牌时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("结束处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("成果挂牌")
        verbose_name_plural = _("成果挂牌")
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return f"{self.achievement}（{self.mode}）"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "结束时间须晚于开始时间"})
        if self.mode == self.Mode.AUCTION:
            if not self.increment or self.increment <= 0:
                raise ValidationError({"increment": "拍卖须设加价幅度（大于 0 万元）"})
            if self.deposit is None:
                raise ValidationError({"deposit": "拍卖须设保证金（万元，可为 0）"})
        if self.price is not None and self.price <= 0:
            raise ValidationError({"price": "挂牌价 / 起拍价须大于 0 万元"})


class Deposit(models.Model):
    """A bidder's deposit, recorded by staff when it has arrived; after the close the winner's counts
    toward the price and the others' are marked for refund."""

    class State(models.TextChoices):
        PAID = "已缴纳", _("已缴纳")
        TO_REFUND = "待退还", _("待退还")
        REFUNDED = "已退还", _("已退还")
        APPLIED = "抵作价款", _("抵作价款")

    listing = models.ForeignKey(
        Listing, verbose_name=_("挂牌"), on_delete=models.CASCADE, related_name="deposits"
    )
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("竞买企业"), on_delete=models.PROTECT)
    amount = amount_field(_("金额（万元）"))
    state = models.CharField(_("状态"), max_length=4, choices=State.choices, default=State.PAID)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("竞买保证金")
        verbose_name_plural = _("竞买保证金")
        constraints = [models.UniqueConstraint(fields=["listing", "enterprise"], name="deposit_once")]

    def __str__(self) -> str:
        return f"{self.enterprise}：{self.amount}"


class AppendOnlyError(Exception):
    pass


class Bid(models.Model):
    """One bid, in an append-only log: each carries the SHA-256 of the previous bid's hash, the bidder,
    the amount and the time, so that a changed or removed bid breaks the chain (``selectors.bid_chain``)."""

    listing = models.ForeignKey(
        Listing, verbose_name=_("挂牌"), on_delete=models.PROTECT, related_name="bids"
    )
    seq = models.PositiveIntegerField(_("序号"))
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("竞买企业"), on_delete=models.PROTECT)
    amount = amount_field(_("出价（万元）"))
    placed_at = models.DateTimeField(_("出价时间"))
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    previous_hash = models.CharField(_("前一条哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64)

    class Meta:
        verbose_name = _("出价")
        verbose_name_plural = _("出价")
        ordering = ["listing", "seq"]
        constraints = [models.UniqueConstraint(fields=["listing", "seq"], name="bid_seq_once")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.enterprise} {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("出价记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("出价记录只能追加，不能删除")


# ----- 揭榜挂帅 challenges -----


def proposal_attachment_path(proposal, filename: str) -> str:
    return f"techmarket/challenges/{proposal.challenge_id}/{filename}"


class Challenge(models.Model):
    """A demand published as a 揭榜挂帅 challenge: a prize, a closing time, who may take it up (institution
    kinds, a region), and a panel of experts who score the proposals after the closing time. Its
    states move through the workflow table ``techmarket.challenge`` (``workflows.py``)."""

    class State(models.TextChoices):
        OPEN = "征集中", _("征集中")
        REVIEW = "评审中", _("评审中")
        AWARDED = "已揭榜", _("已揭榜")
        FAILED = "未揭榜", _("未揭榜")

    demand = models.OneToOneField(
        Demand, verbose_name=_("需求"), on_delete=models.PROTECT, related_name="challenge"
    )
    prize = amount_field(_("奖金（万元）"))
    closes_at = models.DateTimeField(_("截止时间"))
    eligible_kinds = models.JSONField(_("可揭榜机构类型"), default=list, blank=True)
    eligible_region = models.CharField(_("限定地区"), max_length=40, blank=True, help_text=_("留空为不限"))
    panel = models.ManyToManyField(Expert, verbose_name=_("评审专家组"), related_name="challenge_panels")
    state = models.CharField(_("状态"), max_length=4, choices=State.choices, default=State.OPEN)
    state_since = models.DateTimeField(_("进入当前状态"), default=timezone.now)
    winner = models.ForeignKey(
        "Proposal",
        verbose_name=_("揭榜方案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contract = models.OneToOneField(
        Contract,
        verbose_name=_("奖励合同"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="challenge",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("发榜时间"), default=timezone.now)
    reviewed_at = models.DateTimeField(_("开始评审时间"), null=True, blank=True)
    announced_at = models.DateTimeField(_("揭榜公布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("揭榜挂帅")
        verbose_name_plural = _("揭榜挂帅")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.demand.title

    def clean(self) -> None:
        kinds = self.eligible_kinds
        if not isinstance(kinds, list) or any(k not in Institution.Kind.values for k in kinds):
            raise ValidationError(
                {"eligible_kinds": f"机构类型应从 {'、'.join(Institution.Kind.values)} 中选择"}
            )
        if self.prize is not None and self.prize <= 0:
            raise ValidationError({"prize": "奖金须大于 0 万元"})

    def eligibility_problem(self, institution: Institution) -> str:
        """Why ``institution`` may not take the challenge up, or ""."""
        if self.eligible_kinds and institution.kind not in self.eligible_kinds:
            return f"本榜限 {'、'.join(self.eligible_kinds)} 揭榜，「{institution}」是{institution.kind}"
        if self.eligible_region and self.eligible_region not in institution.region:
            return f"本榜限{self.eligible_region}的机构揭榜，「{institution}」在{institution.region}"
        return ""


class Proposal(models.Model):
    challenge = models.ForeignKey(
        Challenge, verbose_name=_("揭榜挂帅"), on_delete=models.CASCADE, related_name="proposals"
    )
    institution = models.ForeignKey(Institution, verbose_name=_("揭榜机构"), on_delete=models.PROTECT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = long_text(_("方案"))
    attachment = models.FileField(_("附件"), upload_to=proposal_attachment_path, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        verbose_name = _("揭榜方案")
        verbose_name_plural = _("揭榜方案")
        ordering = ["submitted_at", "id"]
        constraints = [models.UniqueConstraint(fields=["challenge", "institution"], name="proposal_once")]

    def __str__(self) -> str:
        return f"{self.institution}：{self.challenge}"


class ProposalScore(models.Model):
    """A panel member's score (0–100) of a proposal, or their declared conflict of interest."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("揭榜方案"), on_delete=models.CASCADE, related_name="scores"
    )
    expert = models.ForeignKey(Expert, verbose_name=_("评审专家"), on_delete=models.PROTECT)
    score = models.PositiveSmallIntegerField(
        _("评分"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    comment = models.CharField(_("评语"), max_length=500, blank=True)
    conflict = models.CharField(_("利益冲突"), max_length=200, blank=True)
    scored_at = models.DateTimeField(_("评分时间"), default=timezone.now)

    class Meta:
        verbose_name = _("方案评分")
        verbose_name_plural = _("方案评分")
        constraints = [models.UniqueConstraint(fields=["proposal", "expert"], name="proposal_score_once")]

    def __str__(self) -> str:
        return f"{self.expert}：{self.score}"
