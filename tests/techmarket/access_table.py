from tests.access import API_EVERYONE, EVERYONE, LOGIN, OFFICIALS, STAFF_ONLY

POST_ONLY = [LOGIN, 405, 405, 405, 405, 405, 405]
API_POST_ONLY = [405] * 7
POSTERS = [LOGIN, 200, 200, 403, 200, 403, 403]
PUBLIC = [200] * 7


def make_fixtures(fixtures):
    """The small market of tests/techmarket/fixtures.py, a public demand of 恒达轴承 with its
    recommendations, an event with a pair, a consultation, a contract and a vocabulary line."""
    import datetime as dt

    from django.utils import timezone

    from tests.techmarket.auction_fixtures import make_lot
    from tests.techmarket.fixtures import SERVO_DEMAND, build_market
    from zhuanxing.techmarket import services
    from zhuanxing.techmarket.models import Broker, Consultation, Contract, Event, EventPair, VocabularyLine

    users = fixtures["users"]
    market = build_market(users)
    demand = services.demand_create(
        actor=users["enterprise"], enterprise=fixtures["bearings"], values=SERVO_DEMAND
    )
    event = Event.objects.create(name="宁波大学专场", partner=market["nbu"], held_on=dt.date(2025, 5, 20))
    pair = EventPair.objects.create(event=event, demand=demand, expert=market["robot"])
    consultation = Consultation.objects.create(
        enterprise=fixtures["bearings"], areas=["技术"], description="x"
    )
    word = VocabularyLine.objects.create(kind="词典", line="旋铆机")
    contract = Contract.objects.create(
        kind="技术开发",
        title="送料机械手改造",
        field="装备制造",
        amount=100,
        tech_amount=80,
        seller_name="宁波大学",
        seller_region="宁波市",
        buyer_name="恒达轴承",
        buyer_region="宁波市镇海区",
        signed_on=dt.date(2025, 5, 1),
    )
    return {
        "tm_demand": demand,
        "tm_match": demand.matches.first(),
        "tm_expert": market["robot"],
        "tm_event": event,
        "tm_pair": pair,
        "tm_consultation": consultation,
        "tm_word": word,
        "tm_contract": contract,
        "tm_lot": make_lot(users, fixtures),
        "tm_challenge": services.challenge_publish(
            actor=users["bureau"],
            demand=demand,
            prize=100,
            closes_at=timezone.now() + dt.timedelta(days=30),
            panel=[market["robot"]],
        ),
        "tm_broker": Broker.objects.create(
            name="赵经纪", user=users["expert"], certificate_no="JJR-1", certified_on=dt.date(2024, 9, 1)
        ),
    }


def demand(f):
    return {"demand_id": f["tm_demand"].pk}


def match(f, action="invite"):
    return {"match_id": f["tm_match"].pk}


ACCESS_TABLE = {
    "techmarket:home": (None, EVERYONE),
    "techmarket:demand_list": (None, EVERYONE),
    "techmarket:demand_create": (None, POSTERS),
    "techmarket:demand_detail": (demand, EVERYONE),
    "techmarket:demand_edit": (demand, POSTERS),
    "techmarket:demand_action": (lambda f: {**demand(f), "action": "refresh"}, POST_ONLY),
    "techmarket:match_action": (lambda f: {**match(f), "action": "invite"}, POST_ONLY),
    "techmarket:invitations": (None, EVERYONE),
    "techmarket:profile_demands": (None, [LOGIN, 403, 403, 403, 403, 200, 403]),
    "techmarket:search": (None, EVERYONE),
    "techmarket:profile_detail": (lambda f: {"kind": "expert", "pk": f["tm_expert"].pk}, EVERYONE),
    "techmarket:invite_direct": (lambda f: {"kind": "expert", "pk": f["tm_expert"].pk}, POST_ONLY),
    "techmarket:contract_register": (lambda f: {"contract_id": f["tm_contract"].pk}, STAFF_ONLY),
    "techmarket:registrations": (None, OFFICIALS),
    "techmarket:lot_list": (None, PUBLIC),
    "techmarket:lot_create": (None, STAFF_ONLY),
    "techmarket:lot_detail": (lambda f: {"listing_id": f["tm_lot"].pk}, PUBLIC),
    "techmarket:lot_bids": (lambda f: {"listing_id": f["tm_lot"].pk}, PUBLIC),
    "techmarket:lot_action": (lambda f: {"listing_id": f["tm_lot"].pk, "action": "bid"}, POST_ONLY),
    "techmarket:challenge_list": (None, PUBLIC),
    "techmarket:challenge_detail": (lambda f: {"challenge_id": f["tm_challenge"].pk}, PUBLIC),
    "techmarket:challenge_action": (
        lambda f: {"challenge_id": f["tm_challenge"].pk, "action": "submit"},
        POST_ONLY,
    ),
    "techmarket:challenge_publish": (demand, POSTERS),
    "techmarket:broker_list": (None, STAFF_ONLY),
    "techmarket:broker_detail": (
        lambda f: {"broker_id": f["tm_broker"].pk},
        [LOGIN, 200, 200, 403, 403, 200, 403],
    ),
    "techmarket:commission_action": (lambda f: {"commission_id": 1, "action": "approve"}, POST_ONLY),
    "techmarket:reminders": (None, STAFF_ONLY),
    "techmarket:contract_list": (None, [LOGIN, 200, 200, 200, 200, 403, 403]),
    "techmarket:contract_create": (None, STAFF_ONLY),
    "techmarket:event_list": (None, EVERYONE),
    "techmarket:event_create": (None, STAFF_ONLY),
    "techmarket:event_detail": (lambda f: {"event_id": f["tm_event"].pk}, EVERYONE),
    "techmarket:event_action": (lambda f: {"event_id": f["tm_event"].pk, "action": "register"}, POST_ONLY),
    "techmarket:pair_outcome": (lambda f: {"pair_id": f["tm_pair"].pk}, POST_ONLY),
    "techmarket:consultation_list": (None, [LOGIN, 200, 200, 403, 200, 200, 403]),
    "techmarket:consultation_detail": (
        lambda f: {"consultation_id": f["tm_consultation"].pk},
        [LOGIN, 200, 200, 403, 200, 404, 403],
    ),
    "techmarket:consultation_action": (
        lambda f: {"consultation_id": f["tm_consultation"].pk, "action": "rate"},
        POST_ONLY,
    ),
    "techmarket:statistics": (None, OFFICIALS),
    "techmarket:vocabulary": (None, STAFF_ONLY),
    "techmarket:vocabulary_remove": (lambda f: {"entry_id": f["tm_word"].pk}, POST_ONLY),
    "api:techmarket_demands": (None, API_EVERYONE),
    "api:techmarket_demand_create": (None, API_EVERYONE),  # the list's URL: GET lists
    "api:techmarket_demand": (demand, API_EVERYONE),
    "api:techmarket_search": (None, API_EVERYONE),
    "api:techmarket_invitations": (None, API_EVERYONE),
    "api:techmarket_invite": (match, API_POST_ONLY),
    "api:techmarket_accept": (match, API_POST_ONLY),
    "api:techmarket_decline": (match, API_POST_ONLY),
    "api:techmarket_contracts": (None, [401, 200, 200, 200, 200, 403, 403]),
    "api:techmarket_contract_create": (None, [401, 200, 200, 200, 200, 403, 403]),
    "api:techmarket_statistics": (None, [401, 200, 200, 200, 403, 403, 403]),
    "api:techmarket_invite_direct": (demand, API_POST_ONLY),
    "api:techmarket_offer": (demand, API_POST_ONLY),
    "api:techmarket_contract_register": (lambda f: {"contract_id": f["tm_contract"].pk}, API_POST_ONLY),
    "api:techmarket_registrations": (None, [401, 200, 200, 200, 403, 403, 403]),
}
