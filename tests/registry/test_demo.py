"""The demo district: deterministic by seed and of the seed documents' size."""

import hashlib
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

from zhuanxing.registry.demo import build_demo_registry
from zhuanxing.registry.models import AnnualData, Enterprise, LandParcel, Lease
from zhuanxing.registry.selectors import evaluated_land_mu
from zhuanxing.uscc import is_valid_uscc


def fingerprint() -> str:
    rows = AnnualData.objects.order_by("enterprise__uscc", "year").values_list(
        "enterprise__uscc",
        "enterprise__name",
        "enterprise__industry_id",
        "enterprise__town__code",
        "year",
        "tax",
        "value_added",
        "employees",
        "energy_tce",
    )
    leases = Lease.objects.order_by("tenant__uscc").values_list(
        "tenant__uscc", "parcel__owner__uscc", "area_mu"
    )
    return hashlib.sha256(repr((list(rows), list(leases))).encode()).hexdigest()


def wipe_registry():
    Lease.objects.all().delete()
    LandParcel.objects.all().delete()
    AnnualData.objects.all().delete()
    Enterprise.objects.all().delete()


@pytest.mark.django_db
def test_same_seed_same_district_other_seed_other_district():
    # the registry's part of the demo; each app's demo builder has its own test
    build_demo_registry(enterprises=120, seed=7)
    first = fingerprint()
    wipe_registry()
    build_demo_registry(enterprises=120, seed=7)
    assert fingerprint() == first
    wipe_registry()
    build_demo_registry(enterprises=120, seed=8)
    assert fingerprint() != first


@pytest.mark.django_db
def test_full_demo_matches_the_seed_documents(capsys, settings, tmp_path):
    settings.VAR_DIR = tmp_path  # the build records its day there, not in the developer's var/
    call_command("demo-data", enterprises=2770, seed=1)
    assert Enterprise.objects.count() == 2770
    assert all(is_valid_uscc(code) for code in Enterprise.objects.values_list("uscc", flat=True))
    # three recent years, and the 2015 reply's year 2014 (output only) that the cockpit demo adds
    years = sorted(set(AnnualData.objects.values_list("year", flat=True)))
    assert years[0] == 2014 and len(years) == 4
    reply_output = AnnualData.objects.filter(year=2014).aggregate(total=Sum("output_value"))["total"]
    assert Decimal("26000000") <= reply_output < Decimal("26100000")  # 2,600 多亿元
    years = years[1:]
    output = AnnualData.objects.filter(year=years[0]).aggregate(total=Sum("output_value"))["total"]
    assert Decimal("24000000") < output < Decimal("28000000")  # about 2,600亿元
    above = Enterprise.objects.filter(scale="规上")
    assert 450 < above.count() < 700
    land = evaluated_land_mu(years[-1])
    taxes = AnnualData.objects.filter(year=years[-1], enterprise__in=above).values_list(
        "enterprise_id", "tax"
    )
    total_tax = sum(tax for enterprise_id, tax in taxes)
    total_land = sum(land[enterprise_id] for enterprise_id, _tax in taxes)
    assert Decimal(25) <= total_tax / total_land <= Decimal(45)  # 规上 亩均税收, 万元/亩
    assert Lease.objects.exists()
    printed = capsys.readouterr().out
    assert "演示账号" in printed and "jxj" in printed and "qiye" in printed


@pytest.mark.django_db
def test_demo_refuses_a_non_empty_database_unless_asked_to_skip(district):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("demo-data", enterprises=50)
    call_command("demo-data", enterprises=50, if_empty=True)
    assert Enterprise.objects.count() == 4
