"""Runs, publication, objections, re-runs and re-grading, through the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.evaluation.fixtures import TEST_SCHEME
from zhuanxing.accounts.models import AuditEntry
from zhuanxing.evaluation import selectors, services
from zhuanxing.evaluation.models import EvaluationFlag, EvaluationRun, Objection
from zhuanxing.registry.models import AnnualData

pytestmark = pytest.mark.django_db


def classes(run):
    return {r.enterprise.name: r.final_class for r in run.results.select_related("enterprise")}


@pytest.fixture
def run(yearly_data, users):
    return services.run_create(actor=users["bureau"], year=2024, scheme_text=TEST_SCHEME)


def test_run_evaluates_the_years_data_with_evaluated_land(run, district):
    assert classes(run) == {"宁波恒达轴承有限公司": "B", "宁波澥浦精细化工有限公司": "D"}
    bearings = run.results.get(enterprise=district["bearings"])
    assert bearings.inputs["land_mu"] == 52.0 and bearings.inputs["tenants"] == 1.0
    assert bearings.indicators["tax_per_mu"] == {"value": 10.0, "benchmark": 10.0, "score": 100.0}
    assert run.scheme_text == TEST_SCHEME and run.state == EvaluationRun.State.DRAFT
    assert run.summary["evaluated"] == 2


def test_run_refuses_a_year_without_data(yearly_data, users):
    with pytest.raises(ValidationError) as error:
        services.run_create(actor=users["bureau"], year=2019, scheme_text=TEST_SCHEME)
    assert "2019年度没有可评价的企业数据" in str(error.value)
    assert not EvaluationRun.objects.exists()


def test_a_bad_uploaded_scheme_names_the_key_path(yearly_data, users):
    bad = TEST_SCHEME.replace("weight: 100", "weight: 百")
    with pytest.raises(ValidationError) as error:
        services.run_create(actor=users["bureau"], year=2024, scheme_text=bad)
    assert "groups[0].indicators[0].weight" in str(error.value)
    assert not EvaluationRun.objects.exists()


def test_a_missing_column_stops_the_run_and_names_it(yearly_data, users):
    needs_water = TEST_SCHEME.replace("numerator: tax,", "numerator: water,")
    with pytest.raises(ValidationError) as error:
        services.run_create(actor=users["bureau"], year=2024, scheme_text=needs_water)
    assert "用水量" in str(error.value)


def test_a_flag_applies_the_schemes_rule(yearly_data, users, district):
    services.flag_set(
        actor=users["bureau"],
        enterprise=district["bearings"],
        year=2024,
        kind=EvaluationFlag.Kind.MAJOR_ACCIDENT,
        present=True,
        note="安监通报",
    )
    data = services.AnnualData.objects.get(enterprise=district["bearings"], year=2024)
    services.annual_data_correct(
        actor=users["bureau"],
        enterprise=district["bearings"],
        year=2024,
        values={"tax": data.tax * 2},
        reason="补录",
    )
    run = services.run_create(actor=users["bureau"], year=2024, scheme_text=TEST_SCHEME)
    result = run.results.get(enterprise=district["bearings"])
    assert (result.initial_class, result.final_class) == ("A", "C")
    assert result.reasons == "发生重大安全事故不得评为A、B类"


def test_publish_object_accept_rerun_and_diff(run, users, district):
    services.run_publish(actor=users["bureau"], run=run, days=7, today=dt.date(2025, 6, 1))
    run.refresh_from_db()
    assert run.state == EvaluationRun.State.PUBLISHED and run.publish_until == dt.date(2025, 6, 8)
    result = run.results.get(enterprise=district["bearings"])
    objection = services.objection_submit(
        actor=users["enterprise"],
        result=result,
        field="tax",
        claimed_value="1040",
        reason="漏计了一笔入库税款",
        today=dt.date(2025, 6, 5),
    )
    with pytest.raises(ValidationError):
        services.run_finalize(actor=users["bureau"], run=run)  # an objection is still open
    services.objection_decide(
        actor=users["bureau"], objection=objection, accept=True, reply="经税务核实，予以更正"
    )
    assert AnnualData.objects.get(enterprise=district["bearings"], year=2024).tax == Decimal("1040")
    revision = services.run_rerun(actor=users["bureau"], run=run, reason="采纳异议后重新评价")
    assert revision.version == 2 and revision.previous == run
    assert classes(revision)["宁波恒达轴承有限公司"] == "A"
    assert classes(run)["宁波恒达轴承有限公司"] == "B"  # the published version is not changed
    (change,) = selectors.run_diff(revision)
    assert (change["old"], change["new"]) == ("B", "A")
    assert "采纳异议（tax）：经税务核实，予以更正" in change["why"]
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["评价创建", "评价状态变更", "提出异议", "年度数据更正", "处理异议", "重新评价"]


def test_objection_only_during_the_notice(run, users, district):
    result = run.results.get(enterprise=district["bearings"])
    with pytest.raises(ValidationError, match="只能在公示期内提出异议"):
        services.objection_submit(actor=users["enterprise"], result=result, field="tax", reason="x")
    services.run_publish(actor=users["bureau"], run=run, days=5, today=dt.date(2025, 6, 1))
    with pytest.raises(ValidationError, match="只能在公示期内提出异议"):
        services.objection_submit(
            actor=users["enterprise"], result=result, field="tax", reason="x", today=dt.date(2025, 6, 7)
        )
    assert not Objection.objects.exists()


def test_rejected_objection_changes_no_data(run, users, district):
    services.run_publish(actor=users["bureau"], run=run, days=5)
    result = run.results.get(enterprise=district["bearings"])
    objection = services.objection_submit(
        actor=users["enterprise"], result=result, field="tax", reason="偏低", claimed_value="900"
    )
    services.objection_decide(
        actor=users["bureau"], objection=objection, accept=False, reply="数据以税务入库为准"
    )
    assert AnnualData.objects.get(enterprise=district["bearings"], year=2024).tax == Decimal("520")
    objection.refresh_from_db()
    assert objection.state == Objection.State.REJECTED and objection.reply == "数据以税务入库为准"


def test_final_run_never_changes_but_may_be_regraded_with_a_reason(run, users, district):
    services.run_publish(actor=users["bureau"], run=run, days=5)
    services.run_finalize(actor=users["bureau"], run=run)
    with pytest.raises(ValidationError):
        services.run_delete_draft(actor=users["bureau"], run=run)
    with pytest.raises(ValidationError):
        services.run_publish(actor=users["bureau"], run=run)
    result = run.results.get(enterprise=district["chemicals"])
    with pytest.raises(ValidationError, match="调档必须填写原因"):
        services.result_regrade(actor=users["bureau"], result=result, new_class="C", reason=" ")
    with pytest.raises(ValidationError, match="未知的等级「E」"):
        services.result_regrade(actor=users["bureau"], result=result, new_class="E", reason="x")
    services.result_regrade(actor=users["bureau"], result=result, new_class="C", reason="已签订技改协议")
    result.refresh_from_db()
    assert (result.computed_class, result.regraded_class, result.final_class) == ("D", "C", "C")
    entry = AuditEntry.objects.get(action="调档")
    assert (entry.old, entry.new, entry.reason) == ({"class": "D"}, {"class": "C"}, "已签订技改协议")


def test_regrading_needs_a_final_run(run, users, district):
    with pytest.raises(ValidationError, match="只能对已定档的评价调档"):
        services.result_regrade(actor=users["bureau"], result=run.results.first(), new_class="A", reason="x")


def test_current_run_prefers_the_newest_final_version(run, users):
    assert selectors.current_run(2024) is None  # a draft does not stand
    services.run_publish(actor=users["bureau"], run=run, days=5)
    assert selectors.current_run(2024) == run
    services.run_finalize(actor=users["bureau"], run=run)
    revision = services.run_rerun(actor=users["bureau"], run=run, reason="复核")
    assert selectors.current_run(2024) == run  # the new draft does not replace the final one
    services.run_publish(actor=users["bureau"], run=revision, days=5)
    services.run_finalize(actor=users["bureau"], run=revision)
    assert selectors.current_run(2024) == revision


def test_policy_measures_per_department(run, users):
    from zhuanxing.evaluation.policies import policy_measures

    measures = policy_measures(run)
    assert set(measures) == {"区发改局"}
    (row,) = measures["区发改局"]
    assert row["enterprise"].name == "宁波澥浦精细化工有限公司"
    assert row["measure"] == "差别化电价" and row["amount"] == pytest.approx(120.0)  # 1200 万kWh × 0.1 元/kWh
