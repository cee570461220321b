"""Synthetic technology market for the demo district: 40 institutions (real public institutions of the
Ningbo region by name; every person is invented), 300 experts, 200 achievements, 150 demands posted by
the demo's enterprises over 2025 with matches through the stages, and the 2025 专场 with 宁波大学 at the
size the 2015 reply reports for 2014 (9 signed projects, 680万元, 13 intents). Deterministic by seed;
the matching index is built once at the end."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhuanxing.accounts.models import User
from zhuanxing.registry.demo import demo_today
from zhuanxing.registry.models import Enterprise
from zhuanxing.techmarket import indexing, services
from zhuanxing.techmarket.models import (
    Achievement,
    Broker,
    Challenge,
    Commission,
    CommissionRule,
    Contract,
    Demand,
    Event,
    EventPair,
    EventRegistration,
    Expert,
    Institution,
    Listing,
    Match,
)

YEAR = 2025
AWAITING_ANSWER_DAYS = 25  # invitations for demands posted this recently are still unanswered
# name, kind, region, fields
INSTITUTIONS = [
    ("宁波大学", "高校", "宁波市", ["装备制造", "新材料", "电子信息"]),
    ("中国科学院宁波材料技术与工程研究所", "科研院所", "宁波市镇海区", ["新材料", "石油化工"]),
    ("西安电子科技大学宁波信息技术研究院", "新型研发机构", "宁波市", ["电子信息", "软件与信息服务"]),
    ("中国科学院大连化学物理研究所宁波研究中心", "科研院所", "宁波市", ["石油化工", "新能源与节能"]),
    ("哈尔滨工业大学宁波智能装备研究院", "新型研发机构", "宁波市", ["先进制造与自动化", "装备制造"]),
    ("浙江大学宁波理工学院", "高校", "宁波市", ["装备制造", "电子信息"]),
    ("宁波工程学院", "高校", "宁波市", ["装备制造", "石油化工"]),
    ("宁波诺丁汉大学", "高校", "宁波市", ["新材料", "资源与环境"]),
    ("浙江万里学院", "高校", "宁波市", ["生物与新医药", "软件与信息服务"]),
    ("宁波职业技术学院", "高校", "宁波市", ["模具", "装备制造"]),
    ("北京航空航天大学宁波创新研究院", "新型研发机构", "宁波市", ["航空航天", "新材料"]),
    ("天津大学浙江研究院", "新型研发机构", "宁波市", ["石油化工", "资源与环境"]),
    ("上海交通大学宁波人工智能研究院", "新型研发机构", "宁波市", ["软件与信息服务", "先进制造与自动化"]),
    ("甬江实验室", "新型研发机构", "宁波市镇海区", ["新材料", "电子信息"]),
    ("宁波市农业科学研究院", "科研院所", "宁波市", ["生物与新医药"]),
    ("中国兵器科学研究院宁波分院", "科研院所", "宁波市", ["新材料", "关键基础件"]),
    ("浙江大学", "高校", "杭州市", ["先进制造与自动化", "新材料", "石油化工"]),
    ("浙江工业大学", "高校", "杭州市", ["石油化工", "装备制造"]),
    ("浙江理工大学", "高校", "杭州市", ["纺织服装"]),
    ("西安电子科技大学", "高校", "西安市", ["电子信息"]),
    ("哈尔滨工业大学", "高校", "哈尔滨市", ["装备制造", "航空航天"]),
    ("中国科学院大连化学物理研究所", "科研院所", "大连市", ["石油化工", "新能源与节能"]),
    ("华东理工大学", "高校", "上海市", ["石油化工", "资源与环境"]),
    ("东华大学", "高校", "上海市", ["纺织服装", "新材料"]),
    ("江南大学", "高校", "无锡市", ["纺织服装", "生物与新医药"]),
    ("宁波市科技信息研究院", "服务机构", "宁波市", ["高技术服务"]),
    ("镇海区科技创业服务中心", "服务机构", "宁波市镇海区", ["高技术服务"]),
    ("宁波市知识产权保护中心", "服务机构", "宁波市", ["高技术服务"]),
    ("宁波市检验检测研究院", "服务机构", "宁波市", ["高技术服务", "关键基础件"]),
    ("中国科学院宁波工业技术研究院", "科研院所", "宁波市", ["先进制造与自动化", "新材料"]),
    ("宁波市特种设备检验研究院", "服务机构", "宁波市", ["装备制造"]),
    ("浙江大学宁波科创中心", "新型研发机构", "宁波市", ["电子信息", "新能源与节能"]),
    ("宁波市节能监察中心", "服务机构", "宁波市", ["新能源与节能", "节能环保"]),
    ("大连理工大学宁波研究院", "新型研发机构", "宁波市", ["石油化工", "装备制造"]),
]
# field -> (keywords, research directions, demand titles, achievement names)
TOPICS = {
    "装备制造": (
        ["冲压送料机械手", "伺服电机", "液压马达", "数控机床", "工业机器人", "机器视觉"],
        ["冲压自动化产线集成", "伺服系统参数整定", "机器人轨迹规划", "液压系统节能改造"],
        ["冲压线送料机械手节拍提升", "液压站能耗过高", "数控机床主轴振动", "焊接工位机器换人"],
        ["高精度伺服送料机械手", "液压马达低噪声设计", "机器人视觉定位系统"],
    ),
    "关键基础件": (
        ["紧固件", "轴承", "热处理", "表面处理", "冷镦"],
        ["高强度紧固件冷镦成形", "轴承疲劳寿命", "真空热处理工艺", "无铬钝化表面处理"],
        ["紧固件氢脆开裂", "轴承早期磨损", "电镀线环保改造", "热处理变形控制"],
        ["无铬达克罗涂层", "轴承套圈精密锻造", "高强度螺栓冷镦工艺"],
    ),
    "石油化工": (
        ["精细化工", "催化剂", "VOCs治理", "加氢", "分离提纯"],
        ["精细化工连续流工艺", "加氢催化剂", "挥发性有机物治理", "精馏节能"],
        ["精细化工废气VOCs超标", "催化剂寿命短", "精馏塔能耗高", "反应釜安全联锁改造"],
        ["连续流微反应技术", "低温加氢催化剂", "VOCs蓄热燃烧装置"],
    ),
    "新材料": (
        ["改性塑料", "阻燃", "高分子", "复合材料", "石墨烯"],
        ["聚丙烯改性", "无卤阻燃材料", "碳纤维复合材料", "石墨烯导热膜"],
        ["改性塑料阻燃等级不达标", "注塑件翘曲变形", "复合材料成本过高", "导热材料国产替代"],
        ["无卤阻燃聚丙烯", "长玻纤增强复合材料", "石墨烯导热膜"],
    ),
    "纺织服装": (
        ["印染", "涤纶", "功能面料", "印染废水", "数码印花"],
        ["印染废水深度处理", "涤纶功能改性", "数码印花工艺", "服装智能制造"],
        ["印染废水COD超标", "涤纶面料吸湿排汗", "服装吊挂系统改造", "染色一次合格率低"],
        ["印染废水回用技术", "吸湿排汗涤纶纤维", "服装智能吊挂系统"],
    ),
    "电子信息": (
        ["MES", "工业互联网", "传感器", "PLC", "嵌入式"],
        ["制造执行系统实施", "工业物联网数据采集", "嵌入式控制", "智能传感"],
        ["车间MES系统选型", "设备联网数据采集", "PLC控制程序升级", "产品质量追溯"],
        ["轻量化MES系统", "工业物联网网关", "无线振动传感器"],
    ),
    "新能源与节能": (
        ["节能", "余热回收", "光伏", "储能", "电机能效"],
        ["工业余热回收", "屋顶光伏", "高效电机系统", "储能系统集成"],
        ["空压机系统降低能耗", "窑炉余热利用", "厂房光伏加储能", "电机系统能效提升"],
        ["空压站智能群控节能系统", "低温余热发电", "永磁同步电机改造方案"],
    ),
    "模具": (
        ["模具", "注塑模", "3D打印", "增材制造", "模具钢"],
        ["精密注塑模具设计", "随形冷却水路", "模具表面强化"],
        ["注塑模具冷却慢周期长", "模具寿命短", "压铸模具开裂"],
        ["随形冷却增材制造模具", "模具表面激光熔覆"],
    ),
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建国文辉鹏斌宇浩凯健俊帆晨阳琳雪婷丹欣"
TITLES = ["教授", "副教授", "研究员", "副研究员", "高级工程师", "正高级工程师", "讲师"]
EXPERTS, ACHIEVEMENTS, DEMANDS = 300, 200, 150
# The 2025 专场: 9 signed projects, 680万元 in all, 13 intents (the reply's 2014 figures).
FAIR_AMOUNTS = [Decimal(a) for a in ("120", "95", "88", "80", "75", "70", "62", "50", "40")]
FAIR_INTENTS = 13


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _text(rng: random.Random, words: list[str], n: int) -> str:
    return "、".join(rng.sample(words, min(n, len(words))))


@transaction.atomic
def _profiles(rng: random.Random, today: dt.date) -> tuple[list[Institution], list[Expert]]:
    institutions = [
        Institution(
            name=name,
            kind=kind,
            region=region,
            fields=fields,
            capabilities="；".join(TOPICS[f][1][0] if f in TOPICS else f"{f}技术服务" for f in fields),
            labs=f"{fields[0]}重点实验室（演示）",
            contact_name=_person(rng),
            contact_phone=f"0574-8{rng.randrange(1000000, 9999999)}",
            confirmed_on=today - dt.timedelta(days=rng.randrange(0, 500)),
        )
        for name, kind, region, fields in INSTITUTIONS
    ]
    centres = (
        Enterprise.objects.filter(recognitions__kind__counts_as_rd_institution=True)
        .distinct()
        .order_by("uscc")
    )
    for enterprise in centres[: 40 - len(institutions)]:
        recognition = (
            enterprise.recognitions.filter(kind__counts_as_rd_institution=True)
            .order_by("-level__rank")
            .first()
        )
        field = rng.choice(list(TOPICS))
        institutions.append(
            Institution(
                name=f"{enterprise.name}研发中心",
                kind=Institution.Kind.ENTERPRISE_RD,
                region="宁波市镇海区",
                fields=[field],
                capabilities=_text(rng, TOPICS[field][1], 2),
                enterprise=enterprise,
                recognition=recognition,
                confirmed_on=today - dt.timedelta(days=rng.randrange(0, 500)),
            )
        )
    institutions = Institution.objects.bulk_create(institutions)
    topical = [i for i in institutions if any(f in TOPICS for f in i.fields)]
    experts = []
    for _ in range(EXPERTS):
        home = rng.choice(topical)
        field = rng.choice([f for f in home.fields if f in TOPICS])
        keywords, directions, _titles, _names = TOPICS[field]
        experts.append(
            Expert(
                name=_person(rng),
                institution=home,
                title=rng.choice(TITLES),
                fields=[field],
                keywords=" ".join(rng.sample(keywords, 3)),
                directions=_text(rng, directions, 2),
                phone=f"139{rng.randrange(10000000, 99999999)}",
                is_advisor=rng.random() < 0.3,
                is_reviewer=rng.random() < 0.4,
                # About one profile in six has not been confirmed for over a year: the stale list.
                confirmed_on=None
                if rng.random() < 0.05
                else today - dt.timedelta(days=rng.randrange(0, 440)),
            )
        )
    experts = Expert.objects.bulk_create(experts)
    demo_expert = User.objects.filter(username="zhuanjia").first()
    if demo_expert:
        # his keywords are his field's first ones, so the demand written for his field recommends him
        field = experts[0].fields[0]
        experts[0].keywords = " ".join(TOPICS[field][0][:3])
        Expert.objects.filter(pk=experts[0].pk).update(
            user=demo_expert, name="周教授（演示）", keywords=experts[0].keywords
        )
    achievements = []
    for _ in range(ACHIEVEMENTS):
        owner = rng.choice(experts)
        field = owner.fields[0]
        name = rng.choice(TOPICS[field][3])
        achievements.append(
            Achievement(
                name=name,
                description=f"{name}：{_text(rng, TOPICS[field][1], 2)}，涉及{_text(rng, TOPICS[field][0], 2)}。",
                field=field,
                maturity=rng.choice(Achievement.Maturity.values),
                patents=f"发明专利 ZL20{rng.randrange(18, 25)}1{rng.randrange(1000000, 9999999)}.X",
                transfer_modes=rng.sample(Achievement.TRANSFER_MODES, rng.randrange(1, 3)),
                price=Decimal(rng.randrange(10, 300)),
                valid_until=today + dt.timedelta(days=rng.randrange(60, 900)),
                institution=owner.institution,
                expert=owner,
            )
        )
    Achievement.objects.bulk_create(achievements)
    return institutions, experts


def _at(day: dt.date, hours: float) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9))) + dt.timedelta(hours=hours)


def build(*, seed: int, stdout) -> None:
    rng = random.Random(seed * 5051)
    today = demo_today()
    institutions, experts = _profiles(rng, today)
    indexing.rebuild()  # so that the demands below get their recommendations
    with transaction.atomic():  # one commit: SQLite pays a sync per commit
        signed = _market(rng, institutions, experts, today)
        # the demands posted over a year ago are past their date, as the daily job would find them
        services.demands_expire(today=today)
    status = indexing.rebuild()
    stdout.write(
        f"科技大市场：{len(institutions)} 家机构、{len(experts)} 位专家、{ACHIEVEMENTS} 项成果、{DEMANDS} 条需求，"
        f"{signed} 项匹配签约，1 场专场，{Broker.objects.count()} 名技术经纪人，{Listing.objects.count()} 项成果挂牌；"
        f"索引 {status.documents} 条。"
    )


def _market(rng: random.Random, institutions, experts, today: dt.date) -> int:
    staff = User.objects.filter(username="kjj").first()
    enterprises = list(Enterprise.objects.filter(scale=Enterprise.Scale.ABOVE).order_by("uscc")[:120])
    demands = []
    for number in range(DEMANDS):
        field = rng.choice(list(TOPICS))
        keywords, _directions, titles, _names = TOPICS[field]
        title = rng.choice(titles)
        # over the last 13 months, at least three days back (so its first invitation is not in the future)
        posted = today - dt.timedelta(days=rng.randrange(3, 400))
        enterprise = enterprises[number % len(enterprises)]
        demand = _posted_demand(
            staff,
            enterprise,
            title=title,
            words=_text(rng, keywords, 2),
            field=field,
            budget=(Decimal(rng.randrange(5, 50)), Decimal(rng.randrange(50, 300))),
            confidentiality=rng.choice(["公开", "公开", "摘要公开", "仅受邀可见"]),
            posted=posted,
            valid_until=posted + dt.timedelta(days=365),
        )
        demands.append((demand, posted))
    _demand_for_demo_expert(enterprises[0], staff, today)
    brokers = _brokers(rng, demands, staff)
    signed = _pipeline(rng, demands, staff, today)
    _fair(rng, institutions, experts, demands, staff)
    _commissions(brokers, staff)
    _interest(rng, demands, experts, institutions, staff)
    _lots(rng, institutions, enterprises, staff)
    _challenges(rng, demands, experts, institutions, staff)
    return signed


def _posted_demand(
    staff, enterprise, *, title, words, field, budget, confidentiality, posted, valid_until
) -> Demand:
    """A demo demand in the demo's words, dated as posted on ``posted``."""
    demand = services.demand_create(
        actor=staff,
        enterprise=enterprise,
        values={
            "title": title,
            "problem": f"我司{title}，涉及{words}，希望与高校院所合作解决。",
            "indicators": "达到行业先进水平，投资回收期不超过3年",
            "field": field,
            "budget_min": budget[0],
            "budget_max": budget[1],
            "confidentiality": confidentiality,
            "valid_until": valid_until,
        },
    )
    Demand.objects.filter(pk=demand.pk).update(created_at=_at(posted, 0))
    demand.created_at = _at(posted, 0)
    return demand


def _demand_for_demo_expert(enterprise, staff, today: dt.date) -> None:
    """A demand posted this week in the demo expert's field and words, its invitation to him waiting
    for his answer (his to-do)."""
    expert = Expert.objects.filter(user__username="zhuanjia").first()
    if expert is None:
        return
    field = expert.fields[0]
    title = TOPICS[field][2][0]
    posted = today - dt.timedelta(days=3)
    demand = _posted_demand(
        staff,
        enterprise,
        title=title,
        words=expert.keywords.replace(" ", "、"),
        field=field,
        budget=(Decimal(20), Decimal(120)),
        confidentiality="公开",
        posted=posted,
        valid_until=today + dt.timedelta(days=180),
    )
    match = demand.matches.filter(candidate=f"expert:{expert.pk}").first()
    if match is not None:
        services.match_invite(actor=staff, match=match, at=_at(posted, 4))


BROKERS = [
    ("郑经纪（演示）", "JJR-2023-0101"),
    ("冯经纪（演示）", "JJR-2023-0102"),
    ("韩经纪（演示）", "JJR-2024-0207"),
]


def _brokers(rng: random.Random, demands, staff) -> list[Broker]:
    """Three certified brokers, the year's commission rule (1.5% of 技术交易额, 3万元 a contract, 8万元 a
    broker and year, 15万元 in all), and a third of the demands assigned to them."""
    centre = Institution.objects.filter(name="镇海区科技创业服务中心").first()
    brokers = [
        services.broker_save(
            actor=staff,
            broker=Broker(
                name=name,
                certificate_no=number,
                certified_on=dt.date(int(number[4:8]), 9, 15),
                institution=centre,
                fields=[rng.choice(list(TOPICS))],
            ),
        )
        for name, number in BROKERS
    ]
    services.commission_rule_save(
        actor=staff,
        rule=CommissionRule(
            year=YEAR,
            share=Decimal("0.015"),
            cap_per_contract=Decimal("3"),
            cap_per_broker_year=Decimal("8"),
            budget=Decimal("15"),
        ),
    )
    for number, (demand, _posted) in enumerate(demands):
        if number % 3 == 0:
            services.demand_set_broker(
                actor=staff, demand=demand, broker=brokers[(number // 3) % len(brokers)]
            )
    return brokers


def _commissions(brokers, staff) -> None:
    """Approve the older commissions within the budget and pay half of them."""
    for number, commission in enumerate(Commission.objects.order_by("computed_at", "id")):
        try:
            services.commission_approve(actor=staff, commission=commission)
        except ValidationError:
            break  # the budget is used up: the rest wait (the page shows why)
        if number % 2 == 0:
            services.commission_pay(actor=staff, commission=commission)


def _interest(rng: random.Random, demands, experts, institutions, staff) -> None:
    """我能解决 from experts, and invitations made from profile pages and search results."""
    open_demands = [d for d, _ in demands if d.state == Demand.State.OPEN]
    for demand in rng.sample(open_demands, min(12, len(open_demands))):
        same_field = [e for e in experts if demand.field in e.fields] or experts
        expert = rng.choice(same_field)
        services.offer_solution(
            actor=staff,
            demand=demand,
            expert=expert,
            note=f"做过类似的{demand.field}项目，可先到现场看一看（演示）",
        )
    for number, demand in enumerate(rng.sample(open_demands, min(16, len(open_demands)))):
        target = rng.choice(experts) if number % 2 else rng.choice(institutions)
        if (
            demand.matches.filter(candidate=f"{target._meta.model_name}:{target.pk}")
            .exclude(stage="推荐")
            .exists()
        ):
            continue
        services.invite_direct(
            actor=staff, demand=demand, target=target, origin="档案页" if number % 3 else "搜索结果"
        )


def _lots(rng: random.Random, institutions, enterprises, staff) -> None:
    """Three lots of the enterprise R&D centres' achievements: an auction that sold, one open for bids,
    and a fixed-price transfer."""
    centres = [i for i in institutions if i.enterprise_id]
    if len(centres) < 3:
        return
    now = timezone.now()  # the services check deadlines against the real clock
    plans = [
        ("拍卖", now - dt.timedelta(days=20), now - dt.timedelta(days=13)),
        ("拍卖", now - dt.timedelta(days=1), now + dt.timedelta(days=6)),
        ("协议转让", now - dt.timedelta(days=3), now + dt.timedelta(days=27)),
    ]
    for centre, (mode, starts, ends) in zip(centres, plans, strict=False):
        field = centre.fields[0]
        name = rng.choice(TOPICS[field][3]) if field in TOPICS else f"{field}成果"
        achievement = Achievement.objects.create(
            name=f"{name}（{centre.enterprise.name[:6]}）",
            description=f"{centre.name}的{name}，已在本企业产线应用（演示）。",
            field=field,
            maturity=Achievement.Maturity.INDUSTRIAL,
            transfer_modes=["转让"],
            price=Decimal(rng.randrange(40, 200)),
            valid_until=demo_today() + dt.timedelta(days=365),
            institution=centre,
        )
        listing = services.listing_create(
            actor=staff,
            listing=Listing(
                achievement=achievement,
                seller=centre.enterprise,
                seller_name=centre.enterprise.name,
                seller_region="宁波市镇海区",
                mode=mode,
                price=achievement.price,
                increment=Decimal("5"),
                deposit=Decimal("10"),
                starts_at=starts,
                ends_at=ends,
            ),
        )
        if mode != "拍卖":
            continue
        bidders = [e for e in enterprises if e.pk != centre.enterprise_id][:3]
        for bidder in bidders:
            services.deposit_record(actor=staff, listing=listing, enterprise=bidder, amount=Decimal("10"))
        price = listing.price
        for step in range(5):
            services.bid_place(
                actor=staff,
                listing=listing,
                enterprise=bidders[step % len(bidders)],
                amount=price,
                at=starts + dt.timedelta(hours=2 + step),
            )
            price += Decimal("5") * rng.randrange(1, 3)
        if ends < now:
            services.listing_close(actor=staff, listing=listing, at=ends + dt.timedelta(minutes=1))


def _pipeline(rng: random.Random, demands, staff, today: dt.date) -> int:
    """Move some recommendations through the stages, with plausible waits between them."""
    signed = 0
    for demand, posted in demands:
        top_two = demand.matches.filter(stage=Match.Stage.RECOMMENDED).order_by("rank")[:2]
        for rank, match in enumerate(top_two):
            if rank and rng.random() > 0.6:
                continue  # the best recommendation is always invited, so no demand waits months unanswered
            clock = rng.uniform(4, 72)
            services.match_invite(actor=staff, match=match, at=_at(posted, clock))
            if (today - posted).days < AWAITING_ANSWER_DAYS:
                continue  # no answer yet: shows up in the reminders, waiting days rather than months
            clock += rng.uniform(2, 120)
            accept = rng.random() < 0.6
            reason = "" if accept else rng.choice(Match.DeclineReason.values)
            match = services.match_answer(
                actor=staff, match=match, accept=accept, reason=reason, at=_at(posted, clock)
            )
            if not accept or rng.random() < 0.3:
                continue
            clock += rng.uniform(24, 240)
            match = services.match_negotiate(actor=staff, match=match, at=_at(posted, clock))
            if rng.random() < 0.5:
                amount = Decimal(rng.randrange(20, 400))
                target = match.target
                seller = target.institution if isinstance(target, Expert | Achievement) else target
                services.contract_record(
                    actor=staff,
                    contract=Contract(
                        kind=rng.choice(Contract.Kind.values),
                        title=demand.title,
                        field=demand.field,
                        amount=amount,
                        tech_amount=(amount * Decimal("0.8")).quantize(Decimal("1")),
                        seller_name=seller.name if seller else str(target),
                        seller_region=seller.region if seller else "宁波市",
                        seller_institution=seller,
                        buyer_name=demand.enterprise.name,
                        buyer_region="宁波市镇海区",
                        buyer_enterprise=demand.enterprise,
                        signed_on=min(posted + dt.timedelta(days=30), today),
                        registration_no=f"330211{YEAR}{signed + 1:06d}",
                        registered_on=min(posted + dt.timedelta(days=37), today),
                    ),
                    match=match,
                )
                signed += 1
    return signed


def _fair(rng: random.Random, institutions, experts, demands, staff) -> None:
    nbu = next(i for i in institutions if i.name == "宁波大学")
    event = Event.objects.create(
        name=f"{YEAR}年宁波大学—镇海区产学研对接专场",
        partner=nbu,
        held_on=dt.date(YEAR, 6, 18),
        place="镇海区科技大厦",
        description="企业技术难题与高校专家面对面对接（演示）",
    )
    guests = [e for e in experts if e.institution_id == nbu.pk][:20] or experts[:20]
    picked = rng.sample(demands, 25)
    EventRegistration.objects.bulk_create(
        [EventRegistration(event=event, expert=e, registered_by=staff) for e in guests]
        + [
            EventRegistration(event=event, enterprise=e, registered_by=staff)
            for e in {d.enterprise for d, _ in picked}
        ]
    )
    pairs = EventPair.objects.bulk_create(
        [EventPair(event=event, demand=d, expert=guests[i % len(guests)]) for i, (d, _) in enumerate(picked)]
    )
    for i, pair in enumerate(pairs):
        pair.outcome = (
            "已签约"
            if i < len(FAIR_AMOUNTS)
            else ("合作意向" if i < len(FAIR_AMOUNTS) + FAIR_INTENTS else "未达成")
        )
    EventPair.objects.bulk_update(pairs, ["outcome"])
    for number, (pair, amount) in enumerate(zip(pairs, FAIR_AMOUNTS, strict=False), start=1):
        services.contract_record(
            actor=staff,
            contract=Contract(
                kind="技术开发",
                title=pair.demand.title,
                field=pair.demand.field,
                amount=amount,
                tech_amount=amount,
                seller_name=nbu.name,
                seller_region=nbu.region,
                seller_institution=nbu,
                buyer_name=pair.demand.enterprise.name,
                buyer_region="宁波市镇海区",
                buyer_enterprise=pair.demand.enterprise,
                signed_on=event.held_on,
                registration_no=f"330211{YEAR}9{number:05d}",
                registered_on=event.held_on + dt.timedelta(days=10),
            ),
            event=event,
        )


def _challenges(rng: random.Random, demands, experts, institutions, staff) -> None:
    """Two 揭榜挂帅 challenges: one open for proposals, one reviewed and awarded (its prize a contract)."""
    open_demands = [d for d, _ in demands if d.state == Demand.State.OPEN and d.confidentiality == "公开"]
    reviewers = [e for e in experts if e.is_reviewer]
    universities = [i for i in institutions if i.kind in ("高校", "科研院所")]
    if len(open_demands) < 2 or len(reviewers) < 3 or len(universities) < 3:
        return
    now = timezone.now()  # the services check deadlines against the real clock
    for number, demand in enumerate(rng.sample(open_demands, 2)):
        panel = [e for e in reviewers if demand.field in e.fields][:3] or reviewers[:3]
        challenge = services.challenge_publish(
            actor=staff,
            demand=demand,
            prize=Decimal(rng.choice([100, 150, 200, 300])),
            closes_at=now + dt.timedelta(days=30 if number == 0 else 1),
            panel=panel,
            eligible_kinds=["高校", "科研院所", "新型研发机构"],
        )
        solvers = [i for i in universities if not any(e.institution_id == i.pk for e in panel)][:3]
        for solver in solvers:
            services.proposal_submit(
                actor=staff,
                challenge=challenge,
                institution=solver,
                text=f"{solver.name}针对「{demand.title}」的技术方案：现场诊断、样机试制、三个月中试（演示）。",
            )
        if number == 0:
            continue
        # The second one's call closed a day ago (the demo's history), so it is reviewed and awarded.
        Challenge.objects.filter(pk=challenge.pk).update(closes_at=now - dt.timedelta(days=1))
        later = now
        challenge = services.challenge_review(actor=staff, challenge=challenge, at=later)
        for proposal in challenge.proposals.all():
            for expert in panel:
                services.proposal_score(
                    actor=staff,
                    proposal=proposal,
                    expert=expert,
                    score=rng.randrange(60, 96),
                    comment="（演示）",
                )
        services.challenge_award(actor=staff, challenge=challenge, at=later)
