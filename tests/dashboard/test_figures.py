"""Each cockpit figure against a small hand-counted district, the no-data rule and the live property."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.conftest import uscc_for
from tests.imports.files import xlsx
from zhuanxing.campaigns.models import (
    AutomationProject,
    InnovationPlatformYear,
    Recognition,
    RecognitionKind,
    RecognitionLevel,
    ScienceParkYear,
    TrainingClass,
)
from zhuanxing.dashboard.figures import FIGURES, UnknownFigure, compute_figure, compute_figures
from zhuanxing.imports.services import batch_apply
from zhuanxing.registry.models import AnnualData, Enterprise

pytestmark = pytest.mark.django_db

# every code of the issue's table, spelled out (the contract)
CODES = [
    "registry.industrial_enterprises",
    "registry.industrial_output",
    "registry.above_scale",
    "evaluation.class_counts",
    "evaluation.tax_per_mu",
    "evaluation.value_added_per_mu",
    "recognitions.total",
    "recognitions.by_level",
    "recognitions.above_scale_share",
    "platforms.count",
    "platforms.projects",
    "platforms.talent_projects",
    "platforms.transfer_contracts",
    "talent.professor_studios",
    "talent.postdoc_stations",
    "talent.innovation_teams",
    "talent.program_121",
    "talent.training_classes",
    "techmarket.events",
    "techmarket.event_signed",
    "techmarket.event_amount",
    "techmarket.event_intents",
    "techmarket.online_demands",
    "techmarket.online_deals",
    "techmarket.online_amount",
    "park.enterprises",
    "park.creative_enterprises",
    "park.creative_revenue",
    "park.creative_value_added",
    "park.ip_applied",
    "park.ip_granted",
    "park.staff",
    "park.staff_bachelor",
    "park.space",
    "exit.enterprises",
    "exit.capacity_projects",
    "exit.energy_saved",
    "exit.commerce_conversions",
    "automation.projects",
    "automation.staff_reduced",
    "automation.awards",
    "automation.service_centres",
    "space.renovated_area",
    "space.completion",
    "ecommerce.platform_turnover",
    "ecommerce.belt_members",
    "ecommerce.belt_sales",
    "ecommerce.parks",
    "programs.awards_paid",
    "programs.budget_used",
]


def value(code, year=2024, town=None):
    return compute_figure(code, year, town).value


def test_the_catalogue_has_exactly_the_codes_of_the_issue():
    assert sorted(FIGURES) == sorted(CODES)


def test_an_unknown_code_is_a_clear_error(db):
    with pytest.raises(UnknownFigure, match="没有这个指标代码：registry.nope"):
        compute_figure("registry.nope", 2024)


def test_a_year_without_records_is_null_everywhere_never_zero(district):
    figures = compute_figures(1999)
    assert len(figures) == len(CODES)
    assert all(f.value is None and f.previous is None for f in figures)


def test_registry_figures_count_industrial_enterprises_of_a_year_with_data(district):
    # 4 enterprises, all industrial (C section); garments founded unknown; a shop (F section) does not count
    Enterprise.objects.create(
        uscc=uscc_for(90), name="宁波骆驼商贸有限公司", town=district["luotuo"], industry_id="5191"
    )
    Enterprise.objects.create(
        uscc=uscc_for(91),
        name="宁波迟来机械有限公司",
        town=district["luotuo"],
        industry_id="3411",
        founded=dt.date(2025, 2, 1),
    )
    Enterprise.objects.create(
        uscc=uscc_for(92),
        name="宁波已注销化工有限公司",
        town=district["xiepu"],
        industry_id="2614",
        status=Enterprise.Status.DEREGISTERED,
    )
    assert value("registry.industrial_enterprises") is None  # no yearly data for 2024 yet
    AnnualData.objects.create(enterprise=district["bearings"], year=2024, output_value=Decimal("12000"))
    AnnualData.objects.create(enterprise=district["chemicals"], year=2024, output_value=Decimal("30000.5"))
    assert value("registry.industrial_enterprises") == 4
    assert value("registry.above_scale") == 2
    assert value("registry.industrial_output") == Decimal("4.20")  # 42,000.5 万元 = 4.20 亿元
    assert value("registry.industrial_enterprises", town=district["luotuo"]) == 2
    assert value("registry.industrial_output", town=district["xiepu"]) == Decimal("3.00")


def test_live_twelve_imported_enterprises_raise_the_count_by_twelve(tmp_path, district, users, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    AnnualData.objects.create(enterprise=district["bearings"], year=2024, tax=Decimal(1))
    before = value("registry.industrial_enterprises")
    header = ["统一社会信用代码", "企业名称", "所属镇街", "行业代码", "规模", "成立日期", "标签"]
    rows = [
        [uscc_for(200 + i), f"宁波新进{i}号机械有限公司", "骆驼街道", "3411", "规下", "2020年1月1日", ""]
        for i in range(12)
    ]
    path = xlsx(tmp_path / "registry.xlsx", header, rows)
    batch_apply(actor=users["bureau"], source="registry", path=path, file_name=path.name, year=2024)
    assert value("registry.industrial_enterprises") == before + 12


def _kinds():
    return {kind.code: kind for kind in RecognitionKind.objects.all()}


def _level(kind, name):
    return RecognitionLevel.objects.get(kind=kind, name=name)


def test_recognitions_add_up_by_level_and_count_a_promotion_once(district):
    kinds = _kinds()
    institute, centre = kinds["research-institute"], kinds["engineering-centre"]
    Recognition.objects.create(
        enterprise=district["bearings"], kind=institute, level=_level(institute, "省级"), year=2014
    )
    Recognition.objects.create(
        enterprise=district["bearings"], kind=centre, level=_level(centre, "区级"), year=2012
    )
    Recognition.objects.create(
        enterprise=district["bearings"], kind=centre, level=_level(centre, "市级"), year=2014
    )
    Recognition.objects.create(
        enterprise=district["chemicals"], kind=centre, level=_level(centre, "区级"), year=2013
    )
    figure = compute_figure("recognitions.by_level", 2014)
    assert figure.value == 3
    assert dict(figure.parts) == {"省级企业研究院": 1, "市级工程（技术）中心": 1, "区级工程（技术）中心": 1}
    assert "139" in figure.note and "138" in figure.note
    assert value("recognitions.total", 2014) == 3
    assert compute_figure("recognitions.total", 2014).previous == 2  # 2013: two 区级 centres
    # 2 of the 2 above-scale enterprises hold one
    assert value("recognitions.above_scale_share", 2014) == Decimal("100.0")


def test_talent_and_centres_from_recognitions(district):
    kinds = _kinds()
    station = kinds["postdoc-station"]
    for firm, level in (
        (district["bearings"], "国家级"),
        (district["chemicals"], "省级"),
        (district["fasteners"], "省级"),
    ):
        Recognition.objects.create(enterprise=firm, kind=station, level=_level(station, level), year=2014)
    centre = kinds["automation-service-centre"]
    Recognition.objects.create(
        institution="宁波智能制造服务中心", kind=centre, level=_level(centre, "省级"), year=2014
    )
    Recognition.objects.create(
        institution="镇海机器人服务站", kind=centre, level=_level(centre, "市级"), year=2014
    )
    studio = kinds["expert-studio"]
    Recognition.objects.create(
        enterprise=district["bearings"], kind=studio, level=_level(studio, "区级"), year=2014
    )
    figure = compute_figure("talent.postdoc_stations", 2014)
    assert figure.value == 3 and dict(figure.parts) == {"国家级": 1, "省级": 2}
    assert dict(compute_figure("automation.service_centres", 2014).parts) == {"省级": 1, "市级": 1}
    assert value("talent.professor_studios", 2014) == 1
    assert value("talent.professor_studios", 2015) == 0  # records exist, none granted in 2015


def test_platforms_and_the_science_park(district):
    InnovationPlatformYear.objects.create(
        platform="清华基地", year=2014, projects=37, national_thousand=2, plan_3315=3
    )
    InnovationPlatformYear.objects.create(
        platform="西电平台",
        year=2014,
        enterprises=38,
        registered_capital=Decimal(30000),
        provincial_thousand=1,
    )
    InnovationPlatformYear.objects.create(platform="大连化物所", year=2014, transfer_amount=Decimal(19500))
    assert value("platforms.count", 2014) == 3
    projects = compute_figure("platforms.projects", 2014)
    assert projects.value == 37 and dict(projects.parts)["西电平台企业"] == 38
    talent = compute_figure("platforms.talent_projects", 2014)
    assert talent.value == 6 and dict(talent.parts) == {"国千": 2, "省千": 1, "3315": 3}
    assert value("platforms.transfer_contracts", 2014) == 19500
    ScienceParkYear.objects.create(park="宁波大学科技园", year=2012, creative_revenue=Decimal(35000))
    ScienceParkYear.objects.create(park="宁波大学科技园", year=2013, creative_revenue=Decimal(45700))
    ScienceParkYear.objects.create(
        park="宁波大学科技园",
        year=2014,
        enterprises=826,
        creative_enterprises=629,
        creative_revenue=Decimal(81400),
        creative_value_added=Decimal(14900),
        ip_applied=1143,
        ip_granted=1097,
        staff=6773,
        staff_bachelor=2501,
        industry_space_m2=Decimal(25000),
        apartment_m2=Decimal(30000),
    )
    revenue = compute_figure("park.creative_revenue", 2014)
    assert revenue.value == Decimal("8.14") and dict(revenue.parts) == {"三年累计（亿元）": Decimal("16.21")}
    assert value("park.creative_value_added", 2014) == Decimal("1.49")
    assert (value("park.enterprises", 2014), value("park.creative_enterprises", 2014)) == (826, 629)
    assert (value("park.ip_applied", 2014), value("park.ip_granted", 2014)) == (1143, 1097)
    space = compute_figure("park.space", 2014)
    assert dict(space.parts) == {"产业发展空间": Decimal("2.50"), "人才公寓": Decimal("3.00")}


def test_automation_counts_since_2013_and_training_classes(district):
    for year, before, after in ((2013, 30, 20), (2014, 50, 45), (2012, 10, 5)):
        AutomationProject.objects.create(
            enterprise=district["bearings"],
            name=f"改造{year}",
            year=year,
            investment=Decimal(100),
            staff_before=before,
            staff_after=after,
        )
    assert value("automation.projects", 2014) == 2
    assert value("automation.staff_reduced", 2014) == 15
    TrainingClass.objects.create(base="精益人才培育基地", name="第一期", year=2014, trainees=40)
    TrainingClass.objects.create(base="精益人才培育基地", name="第二期", year=2014, trainees=35)
    classes = compute_figure("talent.training_classes", 2014)
    assert classes.value == 2 and dict(classes.parts) == {"学员人数": 75}
    assert classes.link == "/campaigns/training-classes/?year=2014"


def test_evaluation_figures_from_the_standing_run(district, users, yearly_data):
    from tests.evaluation.fixtures import TEST_SCHEME
    from zhuanxing.evaluation import services

    run = services.run_create(actor=users["bureau"], year=2024, scheme_text=TEST_SCHEME)
    assert value("evaluation.class_counts") is None  # a draft does not stand
    services.run_publish(actor=users["bureau"], run=run)
    counts = compute_figure("evaluation.class_counts", 2024)
    # 规上 only: 恒达轴承 B, 澥浦精细化工 D
    assert counts.value == 2 and dict(counts.parts) == {"B类": 1, "D类": 1}
    # Σ tax / Σ land = (520 + 241) / (52 + 120.5)
    assert value("evaluation.tax_per_mu") == (Decimal(761) / Decimal("172.5")).quantize(Decimal("0.01"))
    assert compute_figure("evaluation.class_counts", 2024, district["luotuo"]).value == 1
