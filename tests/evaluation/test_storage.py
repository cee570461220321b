"""The fast paths give exactly what the ORM paths give: the year's inputs read in one query (on
PostgreSQL) and the results stored by COPY / multi-row insert."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.evaluation.fixtures import TEST_SCHEME
from zhuanxing.evaluation import adapters, services
from zhuanxing.evaluation.models import EvaluationFlag, EvaluationResult
from zhuanxing.scoring import parse_scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_with_everything(district, yearly_data):
    EvaluationFlag.objects.create(enterprise=district["chemicals"], year=2024, kind="major_accident")
    return 2024


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-query read is PostgreSQL's COPY path")
def test_one_query_reads_the_same_frame_as_the_orm(year_with_everything):
    one_query = adapters._input_frame_one_query(2024)
    orm = adapters._input_frame_orm(2024)
    assert one_query.schema == orm.schema
    assert one_query.to_dicts() == orm.to_dicts()
    row = one_query.filter(one_query["uscc"] == orm["uscc"][0]).to_dicts()[0]
    assert row["land_mu"] == 52.0 and row["high_tech"] is True and row["tenants"] == 1.0


def test_stored_results_equal_the_orm_rows(year_with_everything, users):
    run = services.run_create(actor=users["bureau"], year=2024, scheme_text=TEST_SCHEME)
    scheme = parse_scheme(TEST_SCHEME)
    inputs, results = adapters.evaluate_year(scheme, 2024)
    expected = adapters.result_rows(run, scheme, inputs, results)
    fields = [f.name for f in EvaluationResult._meta.concrete_fields if f.name != "id"]
    stored = {r.enterprise_id: r for r in run.results.all()}
    assert len(stored) == len(expected) == 2
    for row in expected:
        got = stored[row.enterprise_id]
        assert {f: getattr(got, f) for f in fields} == {f: getattr(row, f) for f in fields}
    assert run.summary == services.class_counts(run)
