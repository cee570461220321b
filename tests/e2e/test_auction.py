"""An enterprise lists an achievement of its R&D centre for auction; staff record two enterprises'
deposits; both bid, a low bid is refused naming the current price; the lot closes; the winner's
contract appears in the statistics. Screenshots at desktop and phone widths."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).parents[2] / "var" / "screenshots"


def test_auction_from_listing_to_statistics(browse, users, district):
    from zhuanxing.accounts.models import Role, User
    from zhuanxing.techmarket.models import Achievement, Institution, Listing

    centre = Institution.objects.create(
        name="恒达轴承研发中心", kind="企业研发中心", region="宁波市镇海区", enterprise=district["bearings"]
    )
    Achievement.objects.create(
        name="轴承套圈精密锻造工艺",
        description="近净成形锻造，材料利用率提高15%",
        field="关键基础件",
        maturity="产业化",
        transfer_modes=["转让"],
        valid_until=dt.date.today() + dt.timedelta(days=365),
        institution=centre,
    )
    for username, firm in (("buyer1", "fasteners"), ("buyer2", "garments")):
        user = User(username=username, role=Role.ENTERPRISE, enterprise=district[firm], display_name=username)
        user.set_password(PASSWORD)
        user.save()

    seller = browse()
    seller.on("dialog", lambda dialog: dialog.accept())
    log_in(seller, "enterprise", PASSWORD)
    seller.goto("/techmarket/lots/")
    seller.click("#new-lot")
    now = timezone.localtime()
    seller.select_option("select[name=achievement]", label="轴承套圈精密锻造工艺")
    seller.select_option("select[name=mode]", "拍卖")
    seller.fill("input[name=price]", "50")
    seller.fill("input[name=increment]", "5")
    seller.fill("input[name=deposit]", "10")
    seller.fill("input[name=starts_at]", (now - dt.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M"))
    seller.fill("input[name=ends_at]", (now + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    seller.click("#lot-form button")
    seller.wait_for_selector("text=成果已挂牌")
    lot_url = seller.url
    assert "挂牌中" in seller.inner_text("#lot-state")

    staff = browse()
    staff.on("dialog", lambda dialog: dialog.accept())
    log_in(staff, "bureau", PASSWORD)
    for firm in ("fasteners", "garments"):
        staff.goto(lot_url)
        staff.fill("input[name=uscc]", district[firm].uscc)
        staff.click("#deposit-form button")
        staff.wait_for_selector(f"text=已登记 {district[firm].name} 的保证金")

    first = browse()
    first.on("dialog", lambda dialog: dialog.accept())
    log_in(first, "buyer1", PASSWORD)
    first.goto(lot_url)
    first.fill("#bid-form input[name=amount]", "50")
    first.click("#bid-form button")
    first.wait_for_selector("text=出价 50 万元已记录")
    second = browse()
    second.on("dialog", lambda dialog: dialog.accept())
    log_in(second, "buyer2", PASSWORD)
    second.goto(lot_url)
    second.fill("#bid-form input[name=amount]", "52")
    second.click("#bid-form button")
    second.wait_for_selector("text=低于最低应价 55.00 万元（当前价 50.00 万元")
    second.fill("#bid-form input[name=amount]", "60")
    second.click("#bid-form button")
    second.wait_for_selector("text=出价 60 万元已记录")
    assert second.inner_text("#lot-price") == "60.00"
    SHOTS.mkdir(parents=True, exist_ok=True)
    second.set_viewport_size({"width": 1366, "height": 900})
    second.screenshot(path=str(SHOTS / "lot-desktop.png"), full_page=True)

    # Time passes: the auction's end is reached.
    Listing.objects.update(ends_at=timezone.now() - dt.timedelta(seconds=1))
    staff.goto(lot_url)
    staff.click("#close-form button")
    staff.wait_for_selector("text=挂牌已结束")
    assert "已成交" in staff.inner_text("#lot-state")
    assert district["garments"].name in staff.inner_text("#lot-result")
    assert "待退还" in staff.inner_text("#deposits")
    staff.goto(lot_url + "bids/")
    assert "校验通过" in staff.inner_text("#chain-check")
    staff.set_viewport_size({"width": 390, "height": 844})
    staff.screenshot(path=str(SHOTS / "bids-phone.png"), full_page=True)
    staff.goto(f"/techmarket/statistics/?year={timezone.localdate().year}", timeout=60_000)  # plotly bundle
    assert staff.inner_text("#contract-count") == "1"
    assert staff.inner_text("#contract-amount").startswith("60")
    assert Listing.objects.get().contract.amount == Decimal("60")
