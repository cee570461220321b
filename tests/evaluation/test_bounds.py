"""Bounded work (issue 18 §2): a scheme text has a size limit, and the report-card zip does not
copy the run's scheme text into every result row it reads."""

import pytest
from django.core.exceptions import ValidationError

from tests.evaluation.fixtures import TEST_SCHEME
from zhuanxing.evaluation import report_cards, services

pytestmark = pytest.mark.django_db


def test_a_scheme_with_a_megabyte_comment_is_refused_before_parsing(yearly_data, users):
    text = TEST_SCHEME + "\n# " + "注" * 200_000 + "\n"
    with pytest.raises(ValidationError, match="评价方案有 [0-9,]+ KB，超过上限 256 KB"):
        services.run_create(actor=users["bureau"], year=2024, scheme_text=text)


def test_a_policy_file_over_the_limit_is_refused(users):
    from tests.programs.conftest import TEST_POLICY
    from zhuanxing.programs import services as program_services

    with pytest.raises(ValidationError, match="政策文件有 [0-9,]+ KB，超过上限 256 KB"):
        program_services.policy_create(actor=users["bureau"], text=TEST_POLICY + "\n#" + "x" * 300_000)


def test_the_zip_reads_results_without_the_scheme_text_and_shares_one_run(yearly_data, users):
    run = services.run_create(actor=users["bureau"], year=2024, scheme_text=TEST_SCHEME)
    results = report_cards._results(run)
    assert "scheme_text" not in str(results.query)
    assert all(result.run is run for result in results)
