"""挂牌 and 竞价: the increment, the deposit, the seller barred, bids after the end, the 5-minute extension,
the hash chain catching a changed or removed bid, the close (winner's contract, others' deposits to
refund), and 协议转让's first acceptable offer."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.techmarket.auction_fixtures import END, START, make_lot
from zhuanxing.techmarket import selectors, services
from zhuanxing.techmarket.models import AppendOnlyError, Bid, Deposit

pytestmark = pytest.mark.django_db
D = Decimal
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def lot(users, district):
    listing = make_lot(users, district)
    for name in ("fasteners", "garments"):
        services.deposit_record(
            actor=users["bureau"], listing=listing, enterprise=district[name], amount=D("10")
        )
    return listing


def bid(users, lot, enterprise, amount, at):
    return services.bid_place(
        actor=users["bureau"], listing=lot, enterprise=enterprise, amount=D(amount), at=at
    )


def test_bids_follow_the_rules_and_nothing_is_written_when_refused(users, district, lot):
    fasteners, garments, bearings = district["fasteners"], district["garments"], district["bearings"]
    with pytest.raises(ValidationError, match="竞价尚未开始"):
        bid(users, lot, fasteners, "50", START - MINUTE)
    with pytest.raises(ValidationError, match="低于起拍价 50"):
        bid(users, lot, fasteners, "49", START + MINUTE)
    bid(users, lot, fasteners, "50", START + MINUTE)
    with pytest.raises(
        ValidationError,
        match=r"出价 54 万元低于最低应价 55\.00 万元（当前价 50\.00 万元 \+ 加价幅度 5\.00 万元）",
    ):
        bid(users, lot, garments, "54", START + 2 * MINUTE)
    with pytest.raises(ValidationError, match="卖方不能对自己挂牌的成果出价"):
        bid(users, lot, bearings, "60", START + 2 * MINUTE)
    unpaid = make_lot(users, district)  # another lot, where nobody has paid a deposit
    with pytest.raises(ValidationError, match="未缴纳保证金 10.00 万元"):
        bid(users, unpaid, garments, "60", START + 2 * MINUTE)
    assert not unpaid.bids.exists()
    bid(users, lot, garments, "55", START + 3 * MINUTE)
    with pytest.raises(ValidationError, match="竞价已于 .* 结束"):
        bid(users, lot, fasteners, "70", END)
    lot.refresh_from_db()
    assert lot.current_price == D("55") and lot.leader == garments and lot.bids.count() == 2


def test_a_bid_in_the_last_five_minutes_extends_the_end(users, district, lot):
    bid(users, lot, district["fasteners"], "50", END - 10 * MINUTE)
    lot.refresh_from_db()
    assert lot.ends_at == END  # ten minutes before: no extension
    bid(users, lot, district["garments"], "55", END - 2 * MINUTE)
    lot.refresh_from_db()
    assert lot.ends_at == END + 3 * MINUTE  # five minutes after the bid
    bid(users, lot, district["fasteners"], "60", END + 2 * MINUTE)  # inside the extension
    lot.refresh_from_db()
    assert lot.ends_at == END + 7 * MINUTE


def test_the_hash_chain_detects_a_changed_and_a_removed_bid(users, district, lot):
    for i, (who, amount) in enumerate([("fasteners", "50"), ("garments", "55"), ("fasteners", "65")]):
        bid(users, lot, district[who], amount, START + (i + 1) * MINUTE)
    assert services.bid_chain_problems(lot) == []
    first = Bid.objects.get(listing=lot, seq=1)
    with pytest.raises(AppendOnlyError):
        first.save()
    with pytest.raises(AppendOnlyError):
        first.delete()
    Bid.objects.filter(pk=first.pk).update(amount=D("45"))  # somebody edits the table directly
    assert services.bid_chain_problems(lot) == ["第 1 号出价的内容与其哈希不符（出价被改动）"]
    Bid.objects.filter(pk=first.pk).update(amount=D("50"))
    Bid.objects.filter(listing=lot, seq=2)._raw_delete(Bid.objects.db)
    problems = services.bid_chain_problems(lot)
    assert "第 2 号出价缺失" in problems and any("前一条哈希" in p for p in problems)
    with pytest.raises(ValidationError, match="出价记录校验未通过"):
        services.listing_close(actor=users["bureau"], listing=lot, at=END + MINUTE)


def test_close_makes_the_winners_contract_and_marks_the_others_deposits(users, district, lot, client_for):
    bid(users, lot, district["fasteners"], "50", START + MINUTE)
    bid(users, lot, district["garments"], "60", START + 2 * MINUTE)
    with pytest.raises(ValidationError, match="才结束"):
        services.listing_close(actor=users["bureau"], listing=lot, at=END - MINUTE)
    lot = services.listing_close(actor=users["bureau"], listing=lot, at=END + MINUTE)
    assert lot.state == "已成交"
    contract = lot.contract
    assert (contract.kind, contract.amount, contract.buyer_enterprise) == (
        "技术转让",
        D("60"),
        district["garments"],
    )
    deposits = dict(Deposit.objects.filter(listing=lot).values_list("enterprise__name", "state"))
    assert deposits == {district["garments"].name: "抵作价款", district["fasteners"].name: "待退还"}
    by_kind = selectors.statistics_for(contract.signed_on.year)["by_kind"]
    assert [(row["name"], row["count"], row["amount"]) for row in by_kind] == [("技术转让", 1, D("60"))]
    # Public pages: anybody (signed in or not) sees the lot, its result and the checked log.
    anonymous = client_for(None)
    assert "已成交" in anonymous.get(reverse("techmarket:lot_detail", args=[lot.pk])).content.decode()
    log = anonymous.get(reverse("techmarket:lot_bids", args=[lot.pk])).content.decode()
    assert "校验通过" in log and log.count('class="bid-row"') == 2


def test_fixed_price_sells_to_the_first_acceptance(users, district):
    lot = make_lot(users, district, mode="协议转让")
    with pytest.raises(ValidationError, match="出价须等于挂牌价"):
        bid(users, lot, district["fasteners"], "45", START + MINUTE)
    bid(users, lot, district["fasteners"], "50", START + MINUTE)
    lot.refresh_from_db()
    assert lot.state == "已成交" and lot.contract.buyer_enterprise == district["fasteners"]
    with pytest.raises(ValidationError, match="已成交，不能出价"):
        bid(users, lot, district["garments"], "50", START + 2 * MINUTE)
