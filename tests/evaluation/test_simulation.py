"""企业模拟测算 on the report card, and what a class is worth in money."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.evaluation.fixtures import TEST_SCHEME
from zhuanxing.evaluation import services
from zhuanxing.evaluation.policies import class_worth, money
from zhuanxing.evaluation.simulation import run_input_frame
from zhuanxing.scoring import lift, parse_scheme


@pytest.fixture
def published(yearly_data, users):
    run = services.run_create(actor=users["bureau"], year=2024, scheme_text=TEST_SCHEME)
    return services.run_publish(actor=users["bureau"], run=run, days=7)


@pytest.mark.django_db
def test_the_page_agrees_with_the_lift_command_and_a_raised_tax_reaches_the_next_class(
    published, users, client_for
):
    own = published.results.get(enterprise=users["enterprise"].enterprise)  # 恒达轴承: 520 万元, 52 亩 → B
    url = reverse("evaluation:simulate", args=[own.pk])
    page = client_for("enterprise").get(url).content.decode()
    assert 'id="sim-class"><span class="badge B">B</span>' in page
    table = lift(parse_scheme(TEST_SCHEME), run_input_frame(published), fields=["tax"])
    expected = table.filter(table["uscc"] == own.enterprise.uscc).row(0, named=True)
    assert expected["value"] == pytest.approx(780)  # A needs 150 points: 15 万元/亩 × 52 亩
    assert "评价税收增加 260 万元（+50.0%），可升为 A 类" in page
    raised = client_for("enterprise").get(url, {"tax": str(expected["value"])}, HTTP_HX_REQUEST="true")
    body = raised.content.decode()
    assert '<span class="badge A">A</span>' in body and "150.00" in body
    assert "<html" not in body  # htmx gets the fragment only
    short = client_for("enterprise").get(url, {"tax": "779"}, HTTP_HX_REQUEST="true").content.decode()
    assert '<span class="badge B">B</span>' in short
    own.refresh_from_db()
    assert own.total == pytest.approx(100) and own.computed_class == "B"  # nothing saved


@pytest.mark.django_db
def test_money_of_the_class_and_of_the_next_one(published, district, client_for):
    chemicals = published.results.get(enterprise=district["chemicals"])  # D, 1200 万千瓦时
    page = client_for("bureau").get(reverse("evaluation:simulate", args=[chemicals.pk])).content.decode()
    assert "差别化电价：120.00 万元" in page
    assert "不再适用差别化电价（120.00 万元）" in page


@pytest.mark.django_db
def test_a_bad_figure_is_refused_beside_the_field(published, users, client_for):
    own = published.results.get(enterprise=users["enterprise"].enterprise)
    page = client_for("enterprise").get(reverse("evaluation:simulate", args=[own.pk]), {"tax": "-5"})
    assert "不能为负数" in page.content.decode()


def test_money_is_decimal_to_the_cent_half_up_and_a_missing_base_says_so():
    assert money(0.1, 1200.0) == Decimal("120.000000")
    assert money(0.3, 0.1) == Decimal("0.030000")  # 0.3 × 0.1 is 0.030000000000000002 in floats
    assert money("1", "0.0000025") == Decimal("0.000003")  # half up, not to even
    assert money(0.1, None) is None
    measures = [{"class": "D", "measure": "差别化电价", "rate": 0.1, "base": "electricity"}]
    (worth,) = class_worth(measures, "D", {"electricity": None})
    assert worth["amount"] is None and worth["amount_text"] == "缺少用电量数据，无法计算金额"
    assert class_worth(measures, "A", {"electricity": 5}) == []


@pytest.mark.django_db
def test_report_card_and_results_list_show_each_class_in_money(published, district, client_for):
    chemicals = published.results.get(enterprise=district["chemicals"])
    card = client_for("bureau").get(reverse("evaluation:report_card", args=[chemicals.pk])).content.decode()
    assert "差别化电价：120.00 万元" in card  # 0.1 元/千瓦时 × 1,200 万千瓦时
    listing = client_for("bureau").get(reverse("evaluation:run_detail", args=[published.pk])).content.decode()
    assert "差别化电价：120.00 万元" in listing
