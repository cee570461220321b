"""Shared fixtures: a small district and one user per role.

Tests that need no database (the engines) never touch these.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhuanxing.uscc import make_uscc

PASSWORD = "test-pass-2026"

# Fixtures an app's tests and the browser tests share.
pytest_plugins = ["tests.evaluation.fixtures", "tests.maps.fixtures"]


def uscc_for(number: int) -> str:
    """A valid synthetic credit code, distinct per number."""
    return make_uscc(f"91330211MA2{number:06d}")


@pytest.fixture(autouse=True)
def site_language_after_each_test(request):
    """A request in English leaves English active in the thread (the locale middleware activates,
    as Django's does); the next test starts in the site's language again."""
    yield
    if not request.config.pluginmanager.hasplugin("django"):
        return
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def matching_dir(request, tmp_path_factory):
    """The technology market's matching index goes to a fresh directory, never var/matching.
    (Skipped when the engines' tests run without Django: ``-p no:django``.)"""
    if not request.config.pluginmanager.hasplugin("django"):
        return None
    settings = request.getfixturevalue("settings")
    settings.ZHUANXING_MATCHING_DIR = tmp_path_factory.mktemp("matching")
    return settings.ZHUANXING_MATCHING_DIR


@pytest.fixture
def district(db):
    """Two towns, the three traditional clusters, four enterprises, land and a lease."""
    from zhuanxing.registry.models import Enterprise, IndustryCluster, LandParcel, Lease, Tag, Town

    luotuo = Town.objects.create(code="luotuo", name="骆驼街道", kind=Town.Kind.SUBDISTRICT, order=1)
    xiepu = Town.objects.create(code="xiepu", name="澥浦镇", kind=Town.Kind.TOWN, order=2)
    IndustryCluster.objects.create(
        code="petrochem",
        name="石油化工",
        kind=IndustryCluster.Kind.TRADITIONAL,
        industry_prefixes=["25", "26"],
    )
    IndustryCluster.objects.create(
        code="equipment",
        name="装备制造",
        kind=IndustryCluster.Kind.TRADITIONAL,
        industry_prefixes=["33", "34"],
    )
    high_tech = Tag.objects.create(name="高新技术企业")
    bearings = Enterprise.objects.create(
        uscc=uscc_for(1),
        name="宁波恒达轴承有限公司",
        town=luotuo,
        industry_id="3451",
        scale=Enterprise.Scale.ABOVE,
        founded=dt.date(2003, 5, 1),
    )
    bearings.tags.add(high_tech)
    chemicals = Enterprise.objects.create(
        uscc=uscc_for(2),
        name="宁波澥浦精细化工有限公司",
        town=xiepu,
        industry_id="2614",
        scale=Enterprise.Scale.ABOVE,
        founded=dt.date(1998, 1, 1),
    )
    fasteners = Enterprise.objects.create(
        uscc=uscc_for(3),
        name="宁波骆驼紧固件厂",
        town=luotuo,
        industry_id="3482",
        scale=Enterprise.Scale.BELOW,
    )
    garments = Enterprise.objects.create(
        uscc=uscc_for(4),
        name="宁波庄市制衣有限公司",
        town=xiepu,
        industry_id="1811",
        scale=Enterprise.Scale.BELOW,
    )
    parcel = LandParcel.objects.create(
        certificate_no="浙(2010)镇海区不动产权第0000001号", owner=bearings, area_mu=Decimal("60")
    )
    LandParcel.objects.create(
        certificate_no="浙(2012)镇海区不动产权第0000002号", owner=chemicals, area_mu=Decimal("120.5")
    )
    Lease.objects.create(parcel=parcel, tenant=fasteners, area_mu=Decimal("8"), start=dt.date(2022, 3, 1))
    return {
        "luotuo": luotuo,
        "xiepu": xiepu,
        "bearings": bearings,
        "chemicals": chemicals,
        "fasteners": fasteners,
        "garments": garments,
        "parcel": parcel,
    }


@pytest.fixture
def users(district, settings):
    """One active user per role; the town official works in 骆驼街道, the enterprise user for 恒达轴承.
    Passwords use a fast hasher (argon2 is slow by design and has its own test)."""
    from zhuanxing.accounts.models import Department, Role, User

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    def make(username, role, **extra):
        user = User(username=username, role=role, display_name=username, **extra)
        user.set_password(PASSWORD)
        user.save()
        return user

    return {
        "admin": make("admin", Role.ADMIN, is_staff=True, is_superuser=True),
        "bureau": make("bureau", Role.BUREAU, department=Department.ECONOMY, is_staff=True),
        "town": make("town", Role.TOWN, town=district["luotuo"]),
        "enterprise": make("enterprise", Role.ENTERPRISE, enterprise=district["bearings"]),
        "expert": make("expert", Role.EXPERT),
        "reviewer": make("reviewer", Role.REVIEWER),
    }


@pytest.fixture
def client_for(client, users):
    """``client_for("bureau")`` is a test client logged in as that role (or anonymous for None)."""
    from django.test import Client

    def login(role: str | None):
        fresh = Client()
        if role is not None:
            fresh.force_login(users[role])
        return fresh

    return login


@pytest.fixture
def access_fixtures(district, users):
    """What the URL access tables build their URLs from: the district's objects by name.
    Apps add their own sample objects through ``tests/<app>/access_table.py``'s optional
    ``make_fixtures(fixtures)`` hook, which returns more named objects."""
    import importlib
    import pkgutil
    from pathlib import Path

    fixtures = dict(district) | {"users": users}
    tests_dir = Path(__file__).parent
    for info in sorted(pkgutil.iter_modules([str(tests_dir)]), key=lambda i: i.name):
        if info.ispkg and (tests_dir / info.name / "access_table.py").exists():
            module = importlib.import_module(f"tests.{info.name}.access_table")
            if hasattr(module, "make_fixtures"):
                fixtures |= module.make_fixtures(fixtures)
    return fixtures
