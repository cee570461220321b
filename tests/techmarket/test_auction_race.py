"""Two enterprises bidding the same amount at the same instant: with the listing row locked, exactly one
bid is taken and the other is refused naming the new current price. Real threads, each with its own
connection, against PostgreSQL's row locks."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tests.e2e.conftest import industries  # noqa: F401 (a fixture: transactional tests empty the tables)
from tests.techmarket.auction_fixtures import START, make_lot
from zhuanxing.techmarket import services

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises whole transactions, so a race proves nothing",
    ),
]


def race(actions) -> list:
    start = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def run(index: int) -> None:
        try:
            start.wait()
            results[index] = actions[index]()
        except Exception as exc:  # the loser's refusal is the point
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_simultaneous_bids_never_both_win(industries, users, district):  # noqa: F811
    lot = make_lot(users, district)
    bidders = [district["fasteners"], district["garments"]]
    for enterprise in bidders:
        services.deposit_record(
            actor=users["bureau"], listing=lot, enterprise=enterprise, amount=Decimal("10")
        )
    services.bid_place(
        actor=users["bureau"],
        listing=lot,
        enterprise=bidders[0],
        amount=Decimal("50"),
        at=START + dt.timedelta(minutes=1),
    )
    for round_number in range(5):  # several rounds: each time both offer the same next price
        price = lot.bids.order_by("-seq").first().amount + Decimal("5")
        at = START + dt.timedelta(minutes=2 + round_number)
        results = race(
            [
                lambda e=e, price=price, at=at: services.bid_place(
                    actor=users["bureau"], listing=lot, enterprise=e, amount=price, at=at
                )
                for e in bidders
            ]
        )
        taken = [r for r in results if not isinstance(r, Exception)]
        refused = [r for r in results if isinstance(r, ValidationError)]
        assert len(taken) == 1 and len(refused) == 1, results
        assert f"当前价 {price:.2f} 万元" in refused[0].messages[0]
    lot.refresh_from_db()
    assert lot.bids.count() == 6 and lot.current_price == Decimal("75")
    assert services.bid_chain_problems(lot) == []
