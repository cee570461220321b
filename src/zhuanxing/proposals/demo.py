"""The demo district's proposals: the seed's proposal (区政协九届四次会议第10号, 经济界别工委) answered by
经信局 with 科技局, 商务局 and 组织部 from a template of the 2015 reply's shape whose figures are the
cockpit's (``zhuanxing.dashboard.figures``) read from the demo's records, and a dozen synthetic
proposals and suggestions at every stage.

Every person and proposal other than the seed's title is invented. Dates count back from today so
that the overview shows overdue and due-soon cases.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from zhuanxing.accounts.demo import DEMO_PASSWORD
from zhuanxing.accounts.models import Department, Role, User
from zhuanxing.proposals import documents, services
from zhuanxing.proposals.models import OfficeMember, Proposal, Unit, UnitMember
from zhuanxing.registry.demo import demo_today
from zhuanxing.workdays import add_working_days

SEED_TITLE = "关于镇海区传统产业的改造路径与创新发展的建议"
LETTERHEAD = "宁波市镇海区经济和信息化局文件"

UNITS = [
    # name, full name (the signature), kind
    ("经信局", "镇海区经信局", Unit.Kind.BUREAU),
    ("科技局", "镇海区科技局", Unit.Kind.BUREAU),
    ("商务局", "镇海区商务局", Unit.Kind.BUREAU),
    ("组织部", "中共镇海区委组织部", Unit.Kind.PARTY),
    ("发改局", "镇海区发展和改革局", Unit.Kind.BUREAU),
    ("人社局", "镇海区人力资源和社会保障局", Unit.Kind.BUREAU),
    ("自然资源局", "宁波市自然资源和规划局镇海分局", Unit.Kind.BUREAU),
    ("骆驼街道", "镇海区骆驼街道办事处", Unit.Kind.TOWN),
    ("澥浦镇", "镇海区澥浦镇人民政府", Unit.Kind.TOWN),
]
# username, display name, role, department, unit, leader
USERS = [
    ("zxtaw", "区政协提案委 钱工（演示）", Role.BUREAU, "", None, False),
    ("jxj-ld", "经信局 分管副局长 孙工（演示）", Role.BUREAU, Department.ECONOMY, "经信局", True),
    ("zzb", "组织部 郑工（演示）", Role.BUREAU, "", "组织部", False),
    ("jjjb", "经济界别工委 联络员（演示）", Role.EXPERT, "", None, False),
]
EXISTING_MEMBERS = [
    ("jxj", "经信局", False),
    ("kjj", "科技局", True),
    ("swj", "商务局", True),
    ("luotuo", "骆驼街道", True),
]


def seed_paragraphs(year: int) -> list[str]:
    """The 2015 reply's shape, every figure it quotes a cockpit placeholder for ``year``."""

    def f(code: str) -> str:
        return f"{{{{ 图表: {code} @ {year} }}}}"

    return [
        "您在{{ 会议 }}上提出的《{{ 标题 }}》的提案收悉，经我局会同{{ 会办单位 }}研究，答复如下：",
        "{{ 正文 }}",
        "一、鼓励企业建立企业工程（技术）中心。",
        f"长期以来，我区一直鼓励企业建立各类工程（技术）中心。截至{year}年底，我区各类企业研究院、工程（技术）中心总数已达"
        f"{f('recognitions.total')}，其中省级企业研究院{f('recognitions.by_level[省级企业研究院]')}、"
        f"省级企业工程（技术）中心{f('recognitions.by_level[省级工程（技术）中心]')}、"
        f"市级工程（技术）中心{f('recognitions.by_level[市级工程（技术）中心]')}、"
        f"区级企业工程（技术）中心{f('recognitions.by_level[区级工程（技术）中心]')}，"
        f"区级以上工程技术中心占规上企业比重达{f('recognitions.above_scale_share')}。",
        "二、加快产学研创新平台建设，加大人才引进培养力度。",
        f"我区相继建成{f('platforms.count')}科技创新平台，共引进项目{f('platforms.projects')}，"
        f"其中人才项目{f('platforms.talent_projects')}，已实现技术转移合同{f('platforms.transfer_contracts')}。"
        f"出台了《教授（专家）工作室管理暂行办法》，共有{f('talent.professor_studios')}企业申报区级教授（专家）工作室。"
        f"目前我区共建成博士后工作站{f('talent.postdoc_stations')}，其中国家级{f('talent.postdoc_stations[国家级]')}、"
        f"省级{f('talent.postdoc_stations[省级]')}、市级{f('talent.postdoc_stations[市级]')}。"
        f"全区共入选市级企业技术创新团队{f('talent.innovation_teams')}。"
        f"开展定制化人才培育工程，共{f('talent.program_121')}入选区121人才培养工程并签订了为期五年的培养协议；"
        f"精益人才培育基地已开设{f('talent.training_classes')}。",
        "三、建立科技市场，完善区域科技服务职责。",
        f"科技大市场已举办{f('techmarket.events')}专场线下产学研对接活动，{year}年促成签约项目{f('techmarket.event_signed')}，"
        f"技术交易额{f('techmarket.event_amount')}，达成合作意向{f('techmarket.event_intents')}。"
        f"通过网上技术市场发布企业难题{f('techmarket.online_demands')}，其中成交项目{f('techmarket.online_deals')}，"
        f"技术交易额达到{f('techmarket.online_amount')}。",
        "四、大力扶持培育生产性智力服务行业。",
        f"大学科技园共引进企业{f('park.enterprises')}，其中文化创意企业{f('park.creative_enterprises')}。"
        f"{year}年，文创企业主营收入{f('park.creative_revenue')}，增加值{f('park.creative_value_added')}，"
        f"申请知识产权{f('park.ip_applied')}，获批知识产权{f('park.ip_granted')}；平均从业人员{f('park.staff')}，"
        f"其中本科学历以上{f('park.staff_bachelor')}。",
        "五、大力推进“腾笼换鸟、机器换人、空间换地、电商换市”等“四换工程”。",
        f"（一）“腾笼换鸟”：完成{f('exit.enterprises')}小精细化工企业关闭、转产、搬迁及提升改造；"
        f"{f('exit.capacity_projects')}淘汰落后产能项目稳妥推进，年节能{f('exit.energy_saved')}；"
        f"已完成{f('exit.commerce_conversions')}“工改商”项目。",
        f"（二）“机器换人”：实施“机器换人”技改项目{f('automation.projects')}，减员{f('automation.staff_reduced')}，"
        f"下达财政奖励资金{f('automation.awards')}；省、市认定机器换人服务中心{f('automation.service_centres')}。",
        f"（三）“空间换地”：改造旧厂区{f('space.renovated_area')}，目标任务完成率{f('space.completion')}。",
        f"（四）“电商换市”：大宗商品交易平台{year}年交易额{f('ecommerce.platform_turnover')}；"
        f"产业带入驻企业{f('ecommerce.belt_members')}，线上销售额{f('ecommerce.belt_sales')}；"
        f"电商产业园已入驻{f('ecommerce.parks')}。",
        "下步，我区将紧紧围绕区委“六大战略”建设目标，加快推进传统产业创新发展及产业转型升级。",
        "感谢您对我区政府工作的关心和支持。",
    ]


SEED_BODY = (
    "广义上的传统产业是相对于战略性新兴产业来说的，是指发展时间长、技术稳定、附加值低、具有资源依赖性或劳动密集型的产业。"
    "我区确定石油化工、装备制造及纺织服装等三个产业为我区优势传统产业。\n"
    "您在提案中的建议，我们非常认同，实际上也是我区近年来一直在鼓励和扶持的，在我区的“1+X”扶持政策中基本上得到了体现。"
)

# number, body, title, proposer, lead, co-units, stage, class, ratings
OTHERS = [
    (
        3,
        "cppcc",
        "关于加快机器换人公共服务体系建设的建议",
        "林委员",
        "经信局",
        ["科技局"],
        "registered",
        "",
        None,
    ),
    (15, "cppcc", "关于支持跨境电商园区发展的建议", "陈委员", "商务局", [], "returned", "", None),
    (21, "cppcc", "关于建设中小企业公共研发中心的建议", "农工党界别", "科技局", ["经信局"], "soon", "", None),
    (
        27,
        "cppcc",
        "关于推进老旧工业区块有机更新的建议",
        "何委员",
        "自然资源局",
        ["经信局"],
        "overdue",
        "",
        None,
    ),
    (32, "cppcc", "关于加强企业技术人才培养的建议", "吴委员", "人社局", ["组织部"], "awaiting", "", None),
    (8, "cppcc", "关于完善亩均效益评价办法的建议", "工商联界别", "经信局", ["发改局"], "replied", "A", None),
    (
        12,
        "cppcc",
        "关于扶持工业设计发展的建议",
        "许委员",
        "经信局",
        [],
        "closed",
        "B",
        ("satisfied", "satisfied"),
    ),
    (
        18,
        "cppcc",
        "关于设立产业引导基金的建议",
        "冯委员",
        "发改局",
        ["经信局"],
        "closed",
        "C",
        ("fairly", "fairly"),
    ),
    (
        25,
        "cppcc",
        "关于放宽工改商审批的建议",
        "蒋委员",
        "自然资源局",
        [],
        "second",
        "D",
        ("fairly", "unsatisfied"),
    ),
    (
        101,
        "npc",
        "关于骆驼街道紧固件行业整治提升的建议",
        "骆驼代表团",
        "骆驼街道",
        ["经信局"],
        "extension",
        "",
        None,
    ),
    (
        115,
        "npc",
        "关于加大企业研发费用补助的建议",
        "沈代表",
        "科技局",
        [],
        "published",
        "A",
        ("satisfied", "fairly"),
    ),
    (120, "npc", "关于澥浦镇化工企业安全改造的建议", "韩代表", "澥浦镇", ["经信局"], "extended", "", None),
]


def _user(username, display_name, role, department) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username,
            display_name=display_name,
            role=role,
            department=department,
            is_staff=role == Role.BUREAU,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


@transaction.atomic
def build(*, seed: int, stdout) -> None:
    from zhuanxing.campaigns.demo import YEARS

    rng = random.Random(seed * 131 + 17)
    year = max(YEARS)  # the demo's latest year of records, as the seed's reply quoted 2014 in 2015
    admin = User.objects.get(username="admin")
    units = {}
    for order, (name, full_name, kind) in enumerate(UNITS):
        units[name] = services.unit_create(
            actor=admin, name=name, full_name=full_name, kind=kind, order=order
        )
    users = {}
    for username, display_name, role, department, unit, leader in USERS:
        users[username] = _user(username, display_name, role, department)
        if unit:
            services.unit_member_add(actor=admin, unit=units[unit], user=users[username], is_leader=leader)
    office = users["zxtaw"]
    OfficeMember.objects.get_or_create(user=office)
    for username, unit, leader in EXISTING_MEMBERS:
        user = User.objects.filter(username=username).first()
        if user is not None:
            users[username] = user
            services.unit_member_add(actor=admin, unit=units[unit], user=user, is_leader=leader)
    economy = users.get("jxj", users["jxj-ld"])
    leader = users["jxj-ld"]
    templates = {
        "经信局": services.template_upload(
            actor=economy,
            unit=units["经信局"],
            name=f"提案答复（{year}年数据）",
            content=documents.build_template(letterhead=LETTERHEAD, paragraphs=seed_paragraphs(year)),
        )
    }
    for name, full_name, _kind in UNITS[1:]:
        templates[name] = services.template_upload(
            actor=admin,
            unit=units[name],
            name="通用答复",
            number_pattern="镇" + name[:2] + "案复〔{year}〕{n}号",
            content=documents.build_template(
                letterhead=f"{full_name}文件",
                paragraphs=["您提出的《{{ 标题 }}》收悉，现答复如下：", "{{ 正文 }}"],
            ),
        )
    today = demo_today()

    # the seed's proposal: assigned, every co-unit's view, the reply drafted from the figures, signed, 满意
    submitted = today - dt.timedelta(days=150)
    seed_case = services.proposal_register(
        actor=office,
        body="cppcc",
        term=9,
        meeting=4,
        number=10,
        title=SEED_TITLE,
        text="当前市场需求继续疲软给镇海的产业发展，尤其是传统产业，带来较为严峻的生存压力……（提案全文略）",
        proposer="经济界别工委",
        proposer_kind=Proposal.ProposerKind.GROUP,
        category="经济建设",
        keywords="传统产业,转型升级,四换",
        submitted_on=submitted,
        proposer_user=users["jjjb"],
        suggested_units=["经信局", "科技局", "商务局", "组织部"],
    )
    on = submitted + dt.timedelta(days=14)
    services.proposal_assign(
        actor=office,
        proposal=seed_case,
        lead=units["经信局"],
        co_units=[units["科技局"], units["商务局"], units["组织部"]],
        on=on,
    )
    views = {
        "科技局": (
            "科技市场运行情况及产学研合作平台建设情况见数据。",
            "科技大市场 促成签约项目、技术交易额（见科技大市场统计）",
        ),
        "商务局": (
            "电子商务发展政策实施细则已出台，大宗商品交易平台、产业带、电商园建设情况见数据。",
            "大宗商品交易平台 3 家\n产业带入驻企业（见认定与四换）",
        ),
        "组织部": ("121人才培养工程、博士后工作站建设情况见数据。", "121人才培养工程入选人员（见人才计划）"),
    }
    for assignment in seed_case.assignments.filter(role="co"):
        member = assignment.unit.members.first()
        text, figures = views[assignment.unit.name]
        services.coview_submit(
            actor=member.user,
            assignment=assignment,
            text=text,
            figures=figures,
            today=on + dt.timedelta(days=20),
        )
    draft = services.draft_save(
        actor=economy,
        proposal=seed_case,
        template=templates["经信局"],
        body=SEED_BODY,
        reply_class="B",
        reply_date=on + dt.timedelta(days=60),
    )
    services.draft_submit(actor=economy, draft=draft)
    services.draft_approve(actor=leader, draft=draft, today=on + dt.timedelta(days=62))
    services.feedback_record(
        actor=users["jjjb"],
        proposal=seed_case,
        handling="satisfied",
        result="satisfied",
        today=on + dt.timedelta(days=80),
    )
    services.proposal_publish(actor=office, proposal=seed_case, published=True)

    for number, body, title, proposer, lead, co, stage, cls, ratings in OTHERS:
        _other(
            rng, office, units, templates, today, number, body, title, proposer, lead, co, stage, cls, ratings
        )
    stdout.write(
        f"提案建议办理：{Proposal.objects.count()} 件（第10号为种子提案，答复引用{year}年数据），"
        f"提案办理办公室账号 zxtaw，经信局审签账号 jxj-ld，提案人账号 jjjb"
    )


def _leader_of(unit: Unit) -> User:
    member = unit.members.filter(is_leader=True).first() or unit.members.first()
    return member.user if member else User.objects.get(username="admin")


def _handler(unit: Unit) -> User:
    member = unit.members.filter(is_leader=False).first() or unit.members.first()
    return member.user if member else User.objects.get(username="admin")


def _other(
    rng, office, units, templates, today, number, body, title, proposer, lead, co, stage, cls, ratings
):
    for name in [lead, *co]:
        # a unit without demo users gets the office's handling as a stand-in (演示) so every stage can be shown
        if not units[name].members.exists():
            UnitMember.objects.create(
                user=User.objects.get(username="admin"), unit=units[name], is_leader=True
            )
    term, meeting = (9, 4) if body == "cppcc" else (16, 3)
    age = {"soon": 80, "overdue": 120, "registered": 10, "returned": 12, "extension": 40, "extended": 40}.get(
        stage, 100
    )
    submitted = today - dt.timedelta(days=age + 10)
    proposal = services.proposal_register(
        actor=office,
        body=body,
        term=term,
        meeting=meeting,
        number=number,
        title=title,
        text=f"{title}。（合成的演示内容）",
        proposer=proposer,
        proposer_kind=Proposal.ProposerKind.GROUP
        if proposer.endswith(("界别", "代表团"))
        else Proposal.ProposerKind.MEMBER,
        category=rng.choice(["经济建设", "科技创新", "城乡建设", "社会事业"]),
        submitted_on=submitted,
        suggested_units=[lead, *co],
    )
    if stage == "registered":
        return
    on = today - dt.timedelta(days=age)
    if stage == "returned":
        on = today - dt.timedelta(days=2)
    services.proposal_assign(
        actor=office, proposal=proposal, lead=units[lead], co_units=[units[n] for n in co], on=on
    )
    lead_assignment = proposal.assignments.get(role="lead", active=True)
    if stage == "returned":
        services.assignment_return(
            actor=_handler(units[lead]),
            assignment=lead_assignment,
            reason="跨境电商园区规划属发改局职能，建议改由发改局主办",
            today=today,
        )
        return
    if stage == "soon":
        # 60 working days from the assignment: put it within a week of today
        while lead_assignment.due_on > today + dt.timedelta(days=6):
            on -= dt.timedelta(days=1)
            lead_assignment.assigned_on = on
            lead_assignment.due_on = add_working_days(on, services.REPLY_DAYS)
        lead_assignment.save(update_fields=["assigned_on", "due_on"])
        return
    if stage in ("overdue",):
        return
    if stage in ("extension", "extended"):
        extension = services.extension_request(
            actor=_handler(units[lead]),
            proposal=proposal,
            days=20,
            reason="需待年度安全评估结果",
            today=today,
        )
        if stage == "extended":
            services.extension_decide(actor=office, extension=extension, approve=True)
        return
    handler, leader = _handler(units[lead]), _leader_of(units[lead])
    draft = services.draft_save(
        actor=handler,
        proposal=proposal,
        template=templates[lead],
        body=f"经研究，现就《{title}》答复如下：我单位已将相关建议纳入年度工作计划。（合成的演示内容）",
        reply_class=cls or "B",
        reply_date=today - dt.timedelta(days=10),
    )
    services.draft_submit(actor=handler, draft=draft)
    if stage == "awaiting":
        return
    services.draft_approve(actor=leader, draft=draft, today=today - dt.timedelta(days=9))
    if ratings:
        services.feedback_record(
            actor=office,
            proposal=proposal,
            handling=ratings[0],
            result=ratings[1],
            today=today - dt.timedelta(days=3),
        )
    if stage == "closed" and cls == "B":
        follow = services.draft_save(
            actor=handler,
            proposal=proposal,
            template=templates[lead],
            body="该事项已解决：工业设计扶持办法已出台实施。（合成的演示内容）",
            kind="follow_up",
        )
        services.draft_submit(actor=handler, draft=follow)
        services.draft_approve(actor=leader, draft=follow)
    if stage == "published":
        services.proposal_publish(actor=office, proposal=proposal, published=True)
