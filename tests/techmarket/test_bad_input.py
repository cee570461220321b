"""Empty, long, Latin-only, digit-only, emoji and HTML texts: clear Chinese errors or sensible results."""

import pytest
from django.urls import reverse

from tests.techmarket.fixtures import SERVO_DEMAND
from zhuanxing.techmarket.models import Demand

pytestmark = pytest.mark.django_db


def post(client, **changes):
    data = {**SERVO_DEMAND, "cooperation": "不限", "confidentiality": "公开"} | changes
    return client.post(reverse("techmarket:demand_create"), data)


def test_empty_and_overlong_texts_are_refused_in_chinese(market, client_for):
    client = client_for("enterprise")
    response = post(client, title="", problem="   ")
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    response = post(client, problem="伺" * 5001)
    assert response.status_code == 200 and "5000" in response.content.decode()
    response = client.post(
        reverse("api:techmarket_demand_create"),
        {**SERVO_DEMAND, "problem": "  "},
        content_type="application/json",
    )
    assert response.status_code == 422 and "请描述要解决的问题" in response.json()["detail"]
    assert not Demand.objects.exists()


@pytest.mark.parametrize(
    "title",
    ["PLC MES ERP", "123456 0.05", "😀🔧🚀", "<script>alert(1)</script>冲压机械手", "伺服" * 2000],
)
def test_odd_texts_give_results_or_none_never_a_crash(market, client_for, title):
    client = client_for("enterprise")
    response = post(client, title=title[:100], problem=title)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "<script>alert(1)</script>" not in page
    search = client.get(reverse("techmarket:search"), {"q": title[:200]})
    assert search.status_code == 200 and "<script>alert" not in search.content.decode()


def test_html_in_a_profile_is_escaped(market, client_for):
    expert = market["robot"]
    expert.directions = '<img src=x onerror="alert(1)">伺服控制'
    expert.save()
    page = (
        client_for("enterprise")
        .get(reverse("techmarket:profile_detail", args=["expert", expert.pk]))
        .content.decode()
    )
    assert "<img src=x" not in page and "&lt;img" in page


def test_a_decline_without_a_reason_is_refused(demand, market, users, client_for):
    from zhuanxing.techmarket import services

    match = services.match_invite(actor=users["enterprise"], match=demand.matches.get(expert=market["robot"]))
    response = client_for("expert").post(
        reverse("techmarket:match_action", args=[match.pk, "decline"]), follow=True
    )
    assert "请选择婉拒原因" in response.content.decode()
    response = client_for("expert").post(
        reverse("api:techmarket_decline", args=[match.pk]),
        {"reason": "太忙"},
        content_type="application/json",
    )
    assert response.status_code == 422 and "婉拒原因" in response.json()["detail"]


def test_a_bad_vocabulary_line_is_refused(users):
    from django.core.exceptions import ValidationError

    from zhuanxing.techmarket import services

    with pytest.raises(ValidationError, match="至少要有两个词"):
        services.vocabulary_add(actor=users["bureau"], kind="近义词", line="铆压机")
