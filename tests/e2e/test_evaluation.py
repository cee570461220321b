"""Staff run and publish an evaluation; the enterprise objects; staff accept and re-run;
the enterprise's report card shows the new class."""

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in
from tests.evaluation.fixtures import TEST_SCHEME

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_run_publish_object_accept_rerun(browse, district, users, yearly_data, tmp_path):
    scheme_file = tmp_path / "测试方案.yaml"
    scheme_file.write_text(TEST_SCHEME, encoding="utf-8")

    staff = browse()
    staff.on("dialog", lambda dialog: dialog.accept())  # the confirmations of irreversible steps
    log_in(staff, "bureau", PASSWORD)
    staff.click("nav >> text=亩均评价")
    staff.click("text=新建评价")
    staff.select_option("select[name=year]", "2024")
    staff.set_input_files("input[name=scheme_file]", str(scheme_file))
    staff.click("button:has-text('开始评价')")
    staff.wait_for_selector("text=评价完成：2 家企业")
    staff.fill("input[name=days]", "5")
    staff.click("button:has-text('发起公示')")
    staff.wait_for_selector("#run-state:has-text('公示中')")

    firm = browse()
    log_in(firm, "enterprise", PASSWORD)
    firm.click("nav >> text=我的评价")
    firm.click("#my-results a")
    assert firm.inner_text("#final-class").startswith("B")
    firm.select_option("#objection-form select[name=field]", "tax")
    firm.fill("#objection-form input[name=claimed_value]", "1040")
    firm.fill("#objection-form textarea[name=reason]", "漏计了第四季度入库税款")
    firm.click("#objection-form button")
    firm.wait_for_selector("text=异议已提交")

    staff.goto("/evaluation/objections/")
    staff.fill("#objections input[name=reply]", "经税务局核实，予以更正")
    staff.click("#objections button:has-text('处理')")
    staff.wait_for_selector("text=异议已处理")
    staff.goto("/evaluation/")
    staff.click("#runs a:has-text('2024年度')")
    staff.fill("#rerun-reason", "采纳异议后重新评价")
    staff.click("#rerun-form button")
    staff.wait_for_selector("#diff:has-text('宁波恒达轴承有限公司')")
    staff.click("text=查看本版结果")
    staff.fill("input[name=days]", "5")
    staff.click("button:has-text('发起公示')")
    staff.wait_for_selector("#run-state:has-text('公示中')")

    firm.goto("/evaluation/mine/")
    firm.click("#my-results a >> nth=0")  # the newest version first
    assert firm.inner_text("#final-class").startswith("A")


def test_deleting_a_draft_asks_first_and_dismissing_keeps_it(browse, district, users, yearly_data):
    from zhuanxing.evaluation import services
    from zhuanxing.evaluation.models import EvaluationRun

    run = services.run_create(actor=users["bureau"], year=2024, scheme_text=TEST_SCHEME)
    staff = browse()
    log_in(staff, "bureau", PASSWORD)
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    staff.once("dialog", lambda dialog: answer(dialog, accept=False))
    staff.goto(f"/evaluation/runs/{run.pk}/")
    staff.click("button:has-text('删除草稿')")
    staff.wait_for_timeout(300)  # a dismissed dialog sends nothing: the page stays as it was
    assert questions == ["删除后，这份评价草稿及其全部企业结果将不可恢复。"]
    assert EvaluationRun.objects.filter(pk=run.pk).exists()
    assert staff.url.endswith(f"/evaluation/runs/{run.pk}/")

    staff.once("dialog", lambda dialog: answer(dialog, accept=True))
    staff.click("button:has-text('删除草稿')")
    staff.wait_for_url("**/evaluation/")
    assert len(questions) == 2 and not EvaluationRun.objects.filter(pk=run.pk).exists()
