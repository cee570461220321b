from tests.access import LOGIN, OFFICIALS, STAFF_ONLY

ENTERPRISE_ONLY = [LOGIN, 403, 403, 403, 200, 403, 403]
NOT_FOUND_FOR_OTHERS = [LOGIN, 200, 200, 200, 200, 403, 403]


def make_fixtures(fixtures):
    """A published run of 2024 with results for 恒达轴承 (the enterprise user's own, in the
    town official's town) and 澥浦精细化工 (another town)."""
    from decimal import Decimal

    from tests.evaluation.fixtures import TEST_SCHEME
    from zhuanxing.evaluation import services
    from zhuanxing.registry import services as registry_services
    from zhuanxing.registry.models import ImportBatch

    batch = ImportBatch.objects.create(source=ImportBatch.Source.TAX, year=2024)
    for key in ("bearings", "chemicals"):
        registry_services.annual_values_set(
            batch=batch, enterprise=fixtures[key], year=2024, values={"tax": Decimal("500")}
        )
    staff = fixtures["users"]["bureau"]
    run = services.run_create(actor=staff, year=2024, scheme_text=TEST_SCHEME)
    services.run_publish(actor=staff, run=run, days=7)
    own = run.results.get(enterprise=fixtures["bearings"])
    other = run.results.get(enterprise=fixtures["chemicals"])
    objection = services.objection_submit(
        actor=fixtures["users"]["enterprise"], result=own, field="tax", reason="x"
    )
    return {"run": run, "own_result": own, "other_result": other, "objection": objection}


def run(f):
    return {"run_id": f["run"].pk}


def own_result(f):
    return {"result_id": f["own_result"].pk}


def other_result(f):
    return {"result_id": f["other_result"].pk}


ACCESS_TABLE = {
    "api:list_runs": (None, [401, 200, 200, 200, 403, 403, 403]),
    "api:list_results": (run, [401, 200, 200, 200, 403, 403, 403]),
    "api:get_result": (own_result, [401, 200, 200, 200, 200, 403, 403]),
    "evaluation:run_list": (None, OFFICIALS),
    "evaluation:run_create": (None, STAFF_ONLY),
    "evaluation:flag_set": (None, [LOGIN, 405, 405, 405, 405, 405, 405]),
    "evaluation:analysis": (None, OFFICIALS),
    "evaluation:objection_list": (None, STAFF_ONLY),
    # The fixture's objection has no file: those who may see it get 404, the others 403.
    "evaluation:objection_evidence": (
        lambda f: {"objection_id": f["objection"].pk},
        [LOGIN, 404, 404, 403, 404, 403, 403],
    ),
    "evaluation:objection_decide": (
        lambda f: {"objection_id": f["objection"].pk},
        [LOGIN, 405, 405, 405, 405, 405, 405],
    ),
    "evaluation:my_results": (None, ENTERPRISE_ONLY),
    "evaluation:run_detail": (run, OFFICIALS),
    "evaluation:run_diff": (run, OFFICIALS),
    "evaluation:whatif": (run, STAFF_ONLY),
    "evaluation:report_cards_zip": (run, STAFF_ONLY),
    "evaluation:policy_export": (run, STAFF_ONLY),
    "evaluation:run_action": (
        lambda f: {"run_id": f["run"].pk, "action": "publish"},
        [LOGIN, 405, 405, 405, 405, 405, 405],
    ),
    "evaluation:report_card": (own_result, NOT_FOUND_FOR_OTHERS),
    "evaluation:report_card_pdf": (own_result, NOT_FOUND_FOR_OTHERS),
    "evaluation:simulate": (own_result, NOT_FOUND_FOR_OTHERS),
    "evaluation:objection_create": (own_result, [LOGIN, 405, 405, 405, 405, 405, 405]),
    "evaluation:regrade": (own_result, [LOGIN, 405, 405, 405, 405, 405, 405]),
}
# Another town's enterprise: its report card is not found for the town official or the enterprise user.
CROSS_CHECKS = {
    "evaluation:report_card": (other_result, [LOGIN, 200, 200, 404, 404, 403, 403]),
    "evaluation:simulate": (other_result, [LOGIN, 200, 200, 404, 404, 403, 403]),
}
