"""方案推演: staff change the scheme's numbers; the counts agree with a full re-run of the draft."""

import pytest
from django.urls import reverse

from tests.evaluation.fixtures import TEST_SCHEME
from zhuanxing.evaluation import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(yearly_data, users):
    run = services.run_create(actor=users["bureau"], year=2024, scheme_text=TEST_SCHEME)
    return services.run_publish(actor=users["bureau"], run=run, days=7)


def test_whatif_counts_agree_with_a_full_rerun_of_the_saved_draft(published, users, client_for):
    url = reverse("evaluation:whatif", args=[published.pk])
    edits = {"g0.thresholds.A": "90", "g0.thresholds.B": "60"}  # 恒达 (100) A; 澥浦 (20) stays D
    page = client_for("bureau").get(url, edits, HTTP_HX_REQUEST="true").content.decode()
    assert "B → A" in page and "总分 100.00 → 100.00" in page
    assert "-      A: 150" in page and "+      A: 90.0" in page  # the diff against the original
    draft = client_for("bureau").get(url, {**edits, "download": "1"})
    text = draft.content.decode()
    rerun = services.run_create(actor=users["bureau"], year=2024, scheme_text=text)
    counts = {code: rerun.results.filter(computed_class=code).count() for code in "ABCD"}
    for code, n in counts.items():
        assert f'data-class="{code}">{n}<' in page


def test_out_of_range_values_are_refused_beside_the_field(published, client_for):
    url = reverse("evaluation:whatif", args=[published.pk])
    page = client_for("bureau").get(url, {"g0.i0.weight": "-1", "g0.i0.cap": "0", "g0.thresholds.B": "200"})
    body = page.content.decode()
    assert "权重不能为负数" in body and "应大于 0" in body and "分数线应不高于较好等级 A 的 150" in body
    assert 'id="whatif-matrix"' not in body
