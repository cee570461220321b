"""提案建议办理: proposals (政协) and suggestions (人大), their handling units, deadlines, replies
drafted from templates, classes and the proposers' feedback."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Body(models.TextChoices):
    CPPCC = "cppcc", _("政协提案")
    NPC = "npc", _("人大代表建议")


class ReplyClass(models.TextChoices):
    A = "A", _("A类（已解决或采纳）")
    B = "B", _("B类（正在解决或列入计划）")
    C = "C", _("C类（留作参考）")
    D = "D", _("D类（因条件限制等不能解决，予以解释）")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    FAIRLY = "fairly", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class Unit(models.Model):
    """A handling unit (承办单位): a bureau, a town, a party department."""

    class Kind(models.TextChoices):
        BUREAU = "bureau", _("政府部门")
        TOWN = "town", _("镇街")
        PARTY = "party", _("党群部门")
        OTHER = "other", _("其他")

    name = models.CharField(_("单位名称"), max_length=60, unique=True)
    full_name = models.CharField(_("全称"), max_length=100, blank=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.BUREAU)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class UnitMember(models.Model):
    """A user working for a handling unit; a leader (分管领导) approves its replies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="unit_memberships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("承办单位"), on_delete=models.CASCADE, related_name="members"
    )
    is_leader = models.BooleanField(_("单位领导"), default=False)

    class Meta:
        verbose_name = _("承办单位人员")
        verbose_name_plural = _("承办单位人员")
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="proposals_member_once")]

    def __str__(self) -> str:
        return f"{self.unit} {self.user}"


class OfficeMember(models.Model):
    """A staff user of the 政协/人大 office (提案委/人代工委): registers, assigns, records feedback."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="proposal_office",
    )

    class Meta:
        verbose_name = _("提案办理办公室人员")
        verbose_name_plural = _("提案办理办公室人员")

    def __str__(self) -> str:
        return str(self.user)


class Proposal(models.Model):
    class State(models.TextChoices):
        REGISTERED = "registered", _("待交办")
        HANDLING = "handling", _("办理中")
        RETURNED = "returned", _("退回待重新交办")
        AWAITING = "awaiting", _("待审签")
        REPLIED = "replied", _("已答复")
        CLOSED = "closed", _("已办结")

    class ProposerKind(models.TextChoices):
        MEMBER = "member", _("委员/代表")
        GROUP = "group", _("界别/工委/代表团")

    body = models.CharField(_("类型"), max_length=8, choices=Body.choices, default=Body.CPPCC)
    term = models.PositiveSmallIntegerField(_("届次"))
    meeting = models.PositiveSmallIntegerField(_("会议"))
    number = models.PositiveIntegerField(_("编号"))
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("内容"), blank=True)
    proposer = models.CharField(_("提案人"), max_length=100)
    proposer_kind = models.CharField(
        _("提案人类别"), max_length=8, choices=ProposerKind.choices, default=ProposerKind.MEMBER
    )
    cosigners = models.CharField(_("联名人"), max_length=300, blank=True)
    category = models.CharField(_("类别"), max_length=40, blank=True)
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    submitted_on = models.DateField(_("提交日期"))
    proposer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提案人账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    suggested_units = models.JSONField(_("建议承办单位"), default=list, blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.REGISTERED)
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    reply_class = models.CharField(_("标注类别"), max_length=1, choices=ReplyClass.choices, blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    published = models.BooleanField(_("公开答复"), default=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("提案建议")
        verbose_name_plural = _("提案建议")
        ordering = ["body", "-term", "-meeting", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "term", "meeting", "number"], name="proposals_number_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session_label}第{self.number}号 {self.title}"

    @property
    def session_label(self) -> str:
        body = "政协" if self.body == Body.CPPCC else "人大"
        return f"区{body}{chinese_number(self.term)}届{chinese_number(self.meeting)}次会议"


class Assignment(models.Model):
    """A unit's part in a case for one handling round: the lead (主办) or a co-unit (会办)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("主办")
        CO = "co", _("会办")

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("提案建议"), on_delete=models.CASCADE, related_name="assignments"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("承办方式"), max_length=4, choices=Role.choices)
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    assigned_on = models.DateField(_("交办日期"))
    due_on = models.DateField(_("办理期限"))
    return_until = models.DateField(_("可退回至"))
    active = models.BooleanField(_("有效"), default=True)
    returned_on = models.DateField(_("退回日期"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)

    class Meta:
        verbose_name = _("交办")
        verbose_name_plural = _("交办")
        ordering = ["proposal", "round", "role", "unit__order", "id"]
        indexes = [models.Index(fields=["unit", "active"])]

    def __str__(self) -> str:
        return f"{self.proposal} {self.unit} {self.get_role_display()}"


class Extension(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("未批准")

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("提案建议"), on_delete=models.CASCADE, related_name="extensions"
    )
    days = models.PositiveSmallIntegerField(_("延期工作日"))
    reason = models.TextField(_("延期理由"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    old_due_on = models.DateField(_("原期限"), null=True, blank=True)
    new_due_on = models.DateField(_("新期限"), null=True, blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")

    def __str__(self) -> str:
        return f"{self.proposal} 延期{self.days}个工作日"


class CoView(models.Model):
    """A co-unit's view (会办意见) sent to the lead unit: its text and the figures it contributes."""

    assignment = models.OneToOneField(
        Assignment, verbose_name=_("会办交办"), on_delete=models.CASCADE, related_name="view"
    )
    text = models.TextField(_("会办意见"))
    figures = models.TextField(_("数据"), blank=True, help_text=_("每行一项，如：2014年促成签约项目 9 项"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填写人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_on = models.DateField(_("送达日期"))

    class Meta:
        verbose_name = _("会办意见")
        verbose_name_plural = _("会办意见")

    def __str__(self) -> str:
        return f"{self.assignment.unit} 会办意见"


class ReplyTemplate(models.Model):
    """A unit's .docx reply template with its placeholders (checked at upload)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("承办单位"), on_delete=models.CASCADE, related_name="templates"
    )
    name = models.CharField(_("模板名称"), max_length=100)
    number_pattern = models.CharField(_("文号格式"), max_length=60, default="镇经信案复〔{year}〕{n}号")
    content = models.BinaryField(_("模板文件"))
    placeholders = models.JSONField(_("占位符"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("答复模板")
        verbose_name_plural = _("答复模板")
        ordering = ["unit", "name"]

    def __str__(self) -> str:
        return f"{self.unit} {self.name}"


class ReplyDraft(models.Model):
    """One version of the lead unit's reply. An approved version is final and never changes."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审签")
        APPROVED = "approved", _("已签发")
        SUPERSEDED = "superseded", _("已被新版本替代")

    class Kind(models.TextChoices):
        REPLY = "reply", _("答复")
        FOLLOW_UP = "follow_up", _("跟踪答复")

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("提案建议"), on_delete=models.CASCADE, related_name="drafts"
    )
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    kind = models.CharField(_("答复类型"), max_length=10, choices=Kind.choices, default=Kind.REPLY)
    version = models.PositiveSmallIntegerField(_("版本"))
    template = models.ForeignKey(ReplyTemplate, verbose_name=_("模板"), on_delete=models.PROTECT)
    document_number = models.CharField(_("文号"), max_length=60)
    reply_class = models.CharField(_("标注类别"), max_length=1, choices=ReplyClass.choices, blank=True)
    addressee = models.CharField(_("收件人"), max_length=100)
    body = models.TextField(_("正文"), blank=True)
    signature = models.CharField(_("署名"), max_length=60)
    reply_date = models.DateField(_("落款日期"))
    figures = models.JSONField(_("引用数据"), default=list, blank=True)
    docx = models.BinaryField(_("答复文件"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("起草人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("起草时间"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("签发时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("答复稿")
        verbose_name_plural = _("答复稿")
        ordering = ["proposal", "round", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "round", "kind", "version"], name="proposals_draft_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_number} v{self.version}"


class Feedback(models.Model):
    """The proposer's feedback form (征询意见表) on one handling round."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("提案建议"), on_delete=models.CASCADE, related_name="feedbacks"
    )
    round = models.PositiveSmallIntegerField(_("办理轮次"))
    handling = models.CharField(_("对办理过程"), max_length=12, choices=Rating.choices)
    result = models.CharField(_("对办理结果"), max_length=12, choices=Rating.choices)
    comment = models.TextField(_("意见"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    on_behalf = models.BooleanField(_("办公室代录"), default=False)
    recorded_on = models.DateField(_("反馈日期"))

    class Meta:
        verbose_name = _("办理反馈")
        verbose_name_plural = _("办理反馈")
        constraints = [models.UniqueConstraint(fields=["proposal", "round"], name="proposals_feedback_once")]

    def __str__(self) -> str:
        return f"{self.proposal} 第{self.round}轮反馈"


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals: 9 -> 九, 10 -> 十, 14 -> 十四, 21 -> 二十一."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def parse_chinese_number(text: str) -> int:
    """``9``, ``九``, ``第九届``, ``四次``, ``十四`` -> int (1..99); ValueError otherwise."""
    cleaned = str(text).strip().removeprefix("第")
    for suffix in ("届", "次会议", "次", "会议"):
        cleaned = cleaned.removesuffix(suffix)
    if cleaned.isdigit():
        value = int(cleaned)
    elif cleaned and all(c in _DIGITS + "十" for c in cleaned) and cleaned.count("十") <= 1:
        if "十" in cleaned:
            tens, _sep, ones = cleaned.partition("十")
            value = (_DIGITS.index(tens) if tens else 1) * 10 + (_DIGITS.index(ones) if ones else 0)
        elif len(cleaned) == 1:
            value = _DIGITS.index(cleaned)
        else:
            raise ValueError(text)
    else:
        raise ValueError(text)
    if not 1 <= value <= 99:
        raise ValueError(text)
    return value
