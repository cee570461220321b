"""An achievement of 宁波大学 listed for auction by 恒达轴承 (the seller), and two bidding enterprises."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

START = dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC)
END = START + dt.timedelta(hours=2)


def make_lot(users, district, *, mode: str = "拍卖", starts_at=START, ends_at=END):
    from zhuanxing.techmarket import services
    from zhuanxing.techmarket.models import Achievement, Institution, Listing

    nbu = Institution.objects.get_or_create(
        name="宁波大学", defaults={"kind": "高校", "region": "宁波市", "fields": ["装备制造"]}
    )[0]
    achievement = Achievement.objects.create(
        name="高精度伺服送料机械手",
        description="伺服闭环送料，定位精度0.02mm",
        field="装备制造",
        maturity="中试",
        transfer_modes=["转让"],
        price=Decimal("80"),
        valid_until=dt.date.today() + dt.timedelta(days=365),
        institution=nbu,
    )
    return services.listing_create(
        actor=users["enterprise"],
        listing=Listing(
            achievement=achievement,
            seller=district["bearings"],
            seller_name=district["bearings"].name,
            seller_region="宁波市镇海区",
            mode=mode,
            price=Decimal("50"),
            increment=Decimal("5"),
            deposit=Decimal("10"),
            starts_at=starts_at,
            ends_at=ends_at,
        ),
    )
