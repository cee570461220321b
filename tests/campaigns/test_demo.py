"""The demo's campaign records: deterministic by seed, and of the reply's size."""

import hashlib
import io
from decimal import Decimal

import pytest

from zhuanxing.accounts import demo as accounts_demo
from zhuanxing.accounts.models import User
from zhuanxing.campaigns import demo, selectors
from zhuanxing.campaigns.models import AutomationProject, Recognition, TalentEntry
from zhuanxing.registry.demo import build_demo_registry
from zhuanxing.registry.models import Enterprise, LandParcel, Lease

pytestmark = pytest.mark.django_db


def fingerprint() -> str:
    recognitions = Recognition.objects.order_by(
        "enterprise__uscc", "institution", "kind__code", "level__rank", "year"
    )
    projects = AutomationProject.objects.order_by("enterprise__uscc", "name")
    talent = TalentEntry.objects.order_by("plan__code", "name", "year")
    return hashlib.sha256(
        repr(
            (
                list(
                    recognitions.values_list(
                        "enterprise__uscc", "institution", "kind__code", "level__name", "year", "document_no"
                    )
                ),
                list(
                    projects.values_list(
                        "enterprise__uscc", "name", "investment", "staff_before", "staff_after"
                    )
                ),
                list(talent.values_list("plan__code", "name", "enterprise__uscc", "year")),
                selectors.campaign_summary(2025),
            )
        ).encode()
    ).hexdigest()


def build(enterprises: int, seed: int) -> None:
    """The district, its logins and the campaign records, as ``zhuanxing demo-data`` builds them."""
    build_demo_registry(enterprises=enterprises, seed=seed)
    accounts_demo.build(seed=seed, stdout=io.StringIO())
    demo.build(seed=seed, stdout=io.StringIO())


def test_same_seed_same_records_even_when_built_again():
    build(enterprises=150, seed=7)
    first = fingerprint()
    # as the registry's demo test does: enterprises go, and their records with them
    User.objects.all().delete()
    Lease.objects.all().delete()
    LandParcel.objects.all().delete()
    Enterprise.objects.all().delete()
    build(enterprises=150, seed=7)
    assert fingerprint() == first


def test_full_demo_has_the_replys_figures():
    build(enterprises=2770, seed=1)
    summary = selectors.campaign_summary(2025)
    by_kind = {kind["code"]: kind for kind in summary["recognitions"]["by_kind"]}
    assert summary["recognitions"]["rd_institutions"] == 138
    assert Decimal("23.5") <= summary["recognitions"]["rd_institution_share"]["percent"] <= Decimal("25")
    assert by_kind["postdoc-station"]["total"] == 6 and by_kind["innovation-team"]["total"] == 18
    assert {p["code"]: p["total"] for p in summary["talent"]["plans"]}["121"] == 88
    figures = {f["code"]: f for f in summary["campaigns"]}
    assert figures["automation_projects"]["cumulative"] == 150
    assert 1_200 <= figures["automation_jobs_reduced"]["cumulative"] < 1_500
    assert figures["exit_enterprises"]["cumulative"] == 46
    assert figures["capacity_projects"]["cumulative"] == 16
    assert figures["energy_saved_tce"]["cumulative"] == 32_000
    assert figures["commerce_projects"]["cumulative"] == 20
    assert figures["renovated_area_m2"]["year"] == 142_100
    assert figures["belt_members"]["year"] == 140
    assert 4_500 <= figures["belt_online_sales"]["year"] <= 5_000
    assert figures["platforms"]["year"] == 3
    completion = {(t["figure"], t["setter"]): t["completion_percent"] for t in summary["targets"]}
    assert completion[("renovated_area_m2", "市定")] == Decimal("203.0")
    assert completion[("renovated_area_m2", "区定")] == Decimal("197.4")
    # the demo's enterprise login finds records of its own
    own = User.objects.get(username="qiye").enterprise
    assert (
        AutomationProject.objects.filter(enterprise=own).exists()
        and Recognition.objects.filter(enterprise=own).exists()
    )
