"""Who sees what: confidential demands, matches, contact details."""

import pytest
from django.urls import reverse

from tests.techmarket.fixtures import SERVO_DEMAND
from zhuanxing.techmarket import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(market, users):
    values = SERVO_DEMAND | {"confidentiality": "仅受邀可见"}
    return services.demand_create(
        actor=users["enterprise"], enterprise=users["enterprise"].enterprise, values=values
    )


def test_an_expert_sees_an_invited_only_demand_only_after_invitation(secret, market, users, client_for):
    url = reverse("techmarket:demand_detail", args=[secret.pk])
    expert = client_for("expert")
    assert expert.get(url).status_code == 404
    assert SERVO_DEMAND["title"] not in expert.get(reverse("techmarket:demand_list")).content.decode()
    assert expert.get(reverse("api:techmarket_demand", args=[secret.pk])).status_code == 404
    services.match_invite(actor=users["enterprise"], match=secret.matches.get(expert=market["robot"]))
    page = expert.get(url).content.decode()
    assert SERVO_DEMAND["problem"] in page
    assert page.count('data-candidate="') == 1  # only its own match, not the other candidates
    assert client_for("reviewer").get(url).status_code == 404


def test_an_enterprise_sees_only_its_own_demands_matches(demand, users, district, client_for):
    from zhuanxing.accounts.models import Role, User

    other = User.objects.create(username="other", role=Role.ENTERPRISE, enterprise=district["chemicals"])
    client = client_for(None)
    client.force_login(other)
    page = client.get(reverse("techmarket:demand_detail", args=[demand.pk])).content.decode()
    assert "data-candidate=" not in page
    api = client.get(reverse("api:techmarket_demand", args=[demand.pk])).json()
    assert api["matches"] == []
    own = client_for("enterprise").get(reverse("api:techmarket_demand", args=[demand.pk])).json()
    assert own["matches"] and own["matches"][0]["reason"]


def test_summary_public_demands_hide_the_details(market, users, client_for):
    demand = services.demand_create(
        actor=users["enterprise"],
        enterprise=users["enterprise"].enterprise,
        values=SERVO_DEMAND | {"confidentiality": "摘要公开"},
    )
    page = client_for("reviewer").get(reverse("techmarket:demand_detail", args=[demand.pk])).content.decode()
    assert SERVO_DEMAND["title"] in page and SERVO_DEMAND["problem"] not in page


def test_contact_details_only_after_acceptance(demand, market, users, client_for):
    url = reverse("techmarket:demand_detail", args=[demand.pk])
    profile = reverse("techmarket:profile_detail", args=["expert", market["robot"].pk])
    firm = client_for("enterprise")
    assert "13800000001" not in firm.get(url).content.decode()
    assert "13800000001" not in firm.get(profile).content.decode()
    assert "13800000001" in client_for("bureau").get(profile).content.decode()
    match = services.match_invite(actor=users["enterprise"], match=demand.matches.get(expert=market["robot"]))
    assert "13800000001" not in firm.get(url).content.decode()
    services.match_answer(actor=users["expert"], match=match, accept=True)
    assert "13800000001" in firm.get(url).content.decode()
    assert "13800000001" in firm.get(profile).content.decode()


def test_only_the_invited_expert_answers(demand, market, users, client_for):
    match = services.match_invite(actor=users["enterprise"], match=demand.matches.get(expert=market["robot"]))
    url = reverse("techmarket:match_action", args=[match.pk, "accept"])
    assert client_for("reviewer").post(url).status_code == 404
    assert client_for("enterprise").post(url).status_code == 403
    assert client_for("expert").post(url).status_code == 302
    match.refresh_from_db()
    assert match.stage == "接受"


def test_the_demand_list_makes_a_fixed_number_of_queries(
    market, users, client_for, django_assert_max_num_queries
):
    for number in range(12):
        services.demand_create(
            actor=users["enterprise"],
            enterprise=users["enterprise"].enterprise,
            values=SERVO_DEMAND | {"title": f"难题{number}"},
        )
    client = client_for("bureau")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("techmarket:demand_list"))
    assert response.status_code == 200 and "难题11" in response.content.decode()
