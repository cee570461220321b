"""The year's figures computed from the records: the reply's 24.2%, 203% and 197%, and the rest."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.conftest import uscc_for
from zhuanxing.campaigns import selectors, services
from zhuanxing.campaigns.models import AutomationProject, BeltMember, SpaceRenovation, Target
from zhuanxing.registry.models import Enterprise

pytestmark = pytest.mark.django_db


def enterprise(number, name, town, scale="规上", status="在营"):
    return Enterprise.objects.create(
        uscc=uscc_for(number), name=name, town=town, industry_id="3451", scale=scale, status=status
    )


def recognise(users, holder, kind, level, year, **extra):
    services.recognition_register(
        actor=users["bureau"], enterprise=holder, kind=kind, level=level, year=year, **extra
    )


@pytest.fixture
def recognitions(district, users):
    """Seven 规上 enterprises count (one 停产 among them; a 注销 one does not):

    恒达轴承   工程中心 区级 2020, 市级 2024  -> holds from 2020 (once, at its highest level)
    澥浦精细化工 企业研究院 省级 2023           -> holds from 2023
    甬兴机械   博士后工作站 省级 2021          -> a workstation is not a 研发机构: never
    华盛化纤   工程中心 市级 2019, 撤销 2024-05-01 -> holds 2019–2023
    宏达电机（停产） 工程中心 区级 2025      -> holds from 2025
    恒远精工   none
    新创模具   none
    Not counted: 骆驼紧固件厂 is 规下; 汇源机械 is 注销; an institution is not an enterprise.
    """
    luotuo, xiepu = district["luotuo"], district["xiepu"]
    yongxing = enterprise(11, "宁波甬兴机械有限公司", luotuo)
    huasheng = enterprise(12, "宁波华盛化纤有限公司", xiepu)
    hongda = enterprise(13, "宁波宏达电机有限公司", luotuo, status="停产")
    enterprise(14, "宁波恒远精工有限公司", luotuo)
    enterprise(15, "宁波新创模具有限公司", xiepu)
    closed = enterprise(16, "宁波汇源机械有限公司", xiepu, status="注销")
    centre = "工程（技术）中心"
    recognise(users, district["bearings"], centre, "区级", 2020)
    recognise(users, district["bearings"], centre, "市级", 2024)
    recognise(users, district["chemicals"], "企业研究院", "省级", 2023)
    recognise(users, yongxing, "博士后工作站", "省级", 2021)
    recognise(users, huasheng, centre, "市级", 2019, status="撤销", status_date=dt.date(2024, 5, 1))
    recognise(users, hongda, centre, "区级", 2025)
    recognise(users, district["fasteners"], centre, "区级", 2022)
    recognise(users, closed, centre, "区级", 2018)
    services.recognition_register(
        actor=users["bureau"], institution="某研究院", kind=centre, level="市级", year=2020
    )


@pytest.mark.parametrize(
    ("year", "holders", "percent"),
    [
        (2022, 2, Decimal("28.6")),  # 恒达, 华盛: 2/7
        (2023, 3, Decimal("42.9")),  # 恒达, 澥浦精细化工, 华盛: 3/7
        (2024, 2, Decimal("28.6")),  # 华盛's was revoked in May
        (2025, 3, Decimal("42.9")),  # 宏达 joins
    ],
)
def test_share_of_above_scale_holding_an_rd_institution(recognitions, year, holders, percent):
    assert selectors.rd_institution_share(year) == {"holders": holders, "above_scale": 7, "percent": percent}


def test_the_replys_share():
    assert selectors.percent(138, 570) == Decimal("24.2")
    assert selectors.percent(1, 0) is None


def test_recognitions_by_kind_count_each_holder_at_its_highest_level(recognitions):
    by_kind = {kind["kind"]: kind for kind in selectors.recognitions_by_kind(2025)}
    centres = by_kind["工程（技术）中心"]
    # 市级: 恒达 (its 区级 not counted again) and the institution; 区级: 宏达, 紧固件厂, 汇源
    assert {lv["level"]: lv["count"] for lv in centres["levels"]} == {
        "国家级": 0,
        "省级": 0,
        "市级": 2,
        "区级": 3,
    }
    assert centres["total"] == 5
    assert by_kind["企业研究院"]["total"] == 1 and by_kind["博士后工作站"]["total"] == 1
    recognitions = selectors.campaign_summary(2025)["recognitions"]
    assert (recognitions["total"], recognitions["rd_institutions"]) == (7, 6)


@pytest.fixture
def renovations(district):
    """2014: 142,100 ㎡ of old factories renovated (the reply), besides records that do not count."""

    def project(firm, name, area, year=2014, status="已完成", **extra):
        SpaceRenovation.objects.create(
            enterprise=firm, name=name, year=year, project_area_m2=Decimal(area), status=status, **extra
        )

    project(district["bearings"], "一号厂区改造", 50_000)
    project(district["chemicals"], "老厂区改造", 60_000)
    project(district["bearings"], "二号厂区改造", 32_100)
    project(district["bearings"], "多层厂房", 9_000, kind=SpaceRenovation.Kind.MULTISTOREY)
    project(district["chemicals"], "待改造", 5_000, status="计划")
    project(district["chemicals"], "去年的改造", 20_000, year=2013)

    def target(setter, value, town=None):
        Target.objects.create(
            figure="renovated_area_m2", year=2014, setter=setter, value=Decimal(value), town=town
        )

    target("市定", 70_000)
    target("区定", 72_000)
    target("市定", 40_000, town=district["luotuo"])


def test_completion_against_city_and_district_targets(renovations):
    completion = {(t["setter"], t["town"]): t for t in selectors.targets_with_completion(2014)}
    city, district_target = completion[("市定", None)], completion[("区定", None)]
    assert city["actual"] == Decimal(142_100)
    assert city["completion_percent"] == Decimal("203.0")  # 142,100 / 70,000
    assert district_target["completion_percent"] == Decimal("197.4")  # 142,100 / 72,000
    # 骆驼街道's own records: 50,000 + 32,100 = 82,100 of 40,000
    assert completion[("市定", "骆驼街道")]["completion_percent"] == Decimal("205.3")


def test_progress_page_shows_the_completion_and_charts(renovations, client_for):
    page = client_for("bureau").get(reverse("campaigns:progress"), {"year": 2014}).content.decode()
    assert "203.0%" in page and "197.4%" in page  # shares with one decimal
    assert '<figure class="chart' in page and 'data-plotly-src="/static/plotly/plotly.min.js"' in page
    assert client_for("town").get(reverse("campaigns:progress")).status_code == 403


@pytest.fixture
def projects(district):
    def project(firm, name, year, before, after, status="已完成", investment=100):
        AutomationProject.objects.create(
            enterprise=firm,
            name=name,
            year=year,
            staff_before=before,
            staff_after=after,
            status=status,
            investment=Decimal(investment),
            robots=2,
        )

    project(district["bearings"], "A", 2024, 40, 32)
    project(district["chemicals"], "B", 2024, 60, 50, investment=250)
    project(district["chemicals"], "C", 2024, 90, 10, status="已取消")
    project(district["bearings"], "D", 2025, 30, 25, status="实施中")
    project(district["bearings"], "E", 2025, 30, 20, status="计划")
    for year, sales in ((2024, "30.5"), (2025, "40")):
        BeltMember.objects.create(enterprise=district["bearings"], year=year, online_sales=Decimal(sales))


def test_campaign_totals_of_the_year_and_up_to_it(projects, district):
    figures = {f["code"]: f for f in selectors.campaign_figures(2025)}
    assert (figures["automation_projects"]["year"], figures["automation_projects"]["cumulative"]) == (1, 3)
    assert (figures["automation_jobs_reduced"]["year"], figures["automation_jobs_reduced"]["cumulative"]) == (
        5,
        23,
    )
    assert figures["automation_investment"]["cumulative"] == Decimal(450)
    assert figures["automation_robots"]["cumulative"] == 6
    # a stock (members at the year's end) does not add up over the years; sales do
    assert figures["belt_members"]["year"] == 1 and figures["belt_members"]["cumulative"] is None
    assert figures["belt_online_sales"]["cumulative"] == Decimal("70.5")
    luotuo = {f["code"]: f for f in selectors.campaign_figures(2024, town=district["luotuo"])}
    assert luotuo["automation_jobs_reduced"]["year"] == 8
    by_town = selectors.figures_by_town(2024)
    index = [f.code for f in by_town["figures"]].index("automation_projects")
    assert {row["town"].name: row["values"][index] for row in by_town["rows"]} == {"骆驼街道": 1, "澥浦镇": 1}


def test_summary_api(recognitions, projects, renovations, client_for):
    client = client_for("bureau")
    data = client.get("/api/campaigns/summary", {"year": 2025}).json()
    assert data["year"] == 2025
    assert data["recognitions"]["rd_institution_share"] == {"holders": 3, "above_scale": 7, "percent": 42.9}
    assert {p["code"]: p["total"] for p in data["talent"]["plans"]}["121"] == 0
    campaigns = {f["code"]: f for f in data["campaigns"]}
    assert campaigns["automation_jobs_reduced"] == {
        "code": "automation_jobs_reduced",
        "label": "机器换人减员",
        "unit": "人",
        "group": "机器换人",
        "year": 5.0,
        "cumulative": 23.0,
    }
    targets = client.get("/api/campaigns/summary", {"year": 2014}).json()["targets"]
    assert sorted(t["completion_percent"] for t in targets) == [197.4, 203.0, 205.3]
    # without a year: the newest year that has records
    assert client.get("/api/campaigns/summary").json()["year"] == 2025
    response = client.get("/api/campaigns/summary", {"year": 20250})
    assert (
        response.status_code == 422
        and "year" in response.json()["detail"]
        and "2100" in response.json()["detail"]
    )
    assert client_for("town").get("/api/campaigns/summary").status_code == 403


def test_hooks_for_the_evaluation_app(district, users, save, client_for, yearly_data):
    from tests.evaluation.fixtures import TEST_SCHEME
    from zhuanxing.evaluation import services as evaluation_services

    save("exit-actions", {"uscc": district["chemicals"].uscc, "action": "关停", "year": "2024"})
    save(
        "capacity",
        {"uscc": district["chemicals"].uscc, "name": "电镀线淘汰", "year": "2024", "energy_saved_tce": "100"},
    )
    assert selectors.enterprises_with_actions(2024) == {
        district["chemicals"].pk: ["关停", "淘汰落后产能：电镀线淘汰"]
    }
    assert selectors.enterprises_with_actions(2023) == {}
    url = reverse("campaigns:record_list", args=["exit-actions"])
    page = client_for("bureau").get(url).content.decode()
    assert '<span class="badge D">D</span>' not in page  # 2024 not yet evaluated
    run = evaluation_services.run_create(actor=users["bureau"], year=2024, scheme_text=TEST_SCHEME)
    evaluation_services.run_publish(actor=users["bureau"], run=run, days=5)
    page = client_for("bureau").get(url).content.decode()
    assert "亩均评价等级" in page and '<span class="badge D">D</span>' in page
