"""The evaluated land area: own parcels − area let out + area rented, per year."""

import datetime as dt
from decimal import Decimal

import pytest

from zhuanxing.registry.models import LandParcel, Lease
from zhuanxing.registry.selectors import evaluated_land_mu


@pytest.mark.django_db
def test_owner_loses_and_tenant_gains_the_leased_area(district):
    land = evaluated_land_mu(2024)
    assert land[district["bearings"].pk] == Decimal("52")  # 60 own − 8 let to the fastener maker
    assert land[district["fasteners"].pk] == Decimal("8")
    assert land[district["chemicals"].pk] == Decimal("120.5")
    assert district["garments"].pk not in land


@pytest.mark.django_db
def test_a_lease_counts_only_in_the_years_it_overlaps(district):
    assert evaluated_land_mu(2021)[district["bearings"].pk] == Decimal("60")  # lease starts in 2022
    Lease.objects.filter(parcel=district["parcel"]).update(end=dt.date(2023, 1, 31))
    assert evaluated_land_mu(2023)[district["bearings"].pk] == Decimal("52")
    assert evaluated_land_mu(2024)[district["bearings"].pk] == Decimal("60")


@pytest.mark.django_db
def test_several_parcels_and_leases_add_up(district):
    second = LandParcel.objects.create(
        certificate_no="浙(2015)镇海区不动产权第0000009号",
        owner=district["bearings"],
        area_mu=Decimal("10.25"),
    )
    Lease.objects.create(
        parcel=second, tenant=district["garments"], area_mu=Decimal("2.25"), start=dt.date(2024, 6, 1)
    )
    Lease.objects.create(
        parcel=district["parcel"],
        tenant=district["garments"],
        area_mu=Decimal("1"),
        start=dt.date(2020, 1, 1),
    )
    land = evaluated_land_mu(2024)
    assert land[district["bearings"].pk] == Decimal("60") + Decimal("10.25") - 8 - Decimal("2.25") - 1
    assert land[district["garments"].pk] == Decimal("3.25")


@pytest.mark.django_db
def test_restricting_to_some_enterprises_still_counts_their_leases(district):
    land = evaluated_land_mu(2024, [district["fasteners"].pk])
    assert land == {district["fasteners"].pk: Decimal("8")}
