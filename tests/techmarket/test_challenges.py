"""揭榜挂帅 through the workflow: publication, proposals before the closing time (eligibility checked,
late ones refused), the panel's scores with conflicts refused or declared, the award announced on the
public page and turned into a contract."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from zhuanxing.accounts.models import AuditEntry, Role, User
from zhuanxing.techmarket import services
from zhuanxing.techmarket.models import Expert, Institution

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(demand, market, users):
    window = User.objects.create(username="window", role=Role.EXPERT)
    zju = Institution.objects.create(
        name="浙江大学", kind="高校", region="杭州市", fields=["装备制造"], contact_user=window
    )
    services_centre = Institution.objects.create(name="某检测公司", kind="服务机构", region="宁波市")
    judge = Expert.objects.create(
        name="评审甲",
        affiliation="宁波工程学院",
        is_reviewer=True,
        user=User.objects.create(username="judge", role=Role.EXPERT),
    )
    # users["expert"] is 周明 of 宁波大学, a panel member too
    challenge = services.challenge_publish(
        actor=users["enterprise"],
        demand=demand,
        prize=Decimal("200"),
        closes_at=timezone.now() + dt.timedelta(days=30),
        panel=[market["robot"], judge],
        eligible_kinds=["高校", "科研院所"],
    )
    return {"challenge": challenge, "zju": zju, "service": services_centre, "judge": judge, "window": window}


def test_challenge_from_publication_to_award(setup, market, users, client_for):
    challenge, zju, judge = setup["challenge"], setup["zju"], setup["judge"]
    nbu = market["nbu"]
    page = client_for(None).get(reverse("techmarket:challenge_detail", args=[challenge.pk])).content.decode()
    assert "200.00" in page and "征集中" in page  # public
    with pytest.raises(ValidationError, match="本榜限 高校、科研院所 揭榜，「某检测公司」是服务机构"):
        services.proposal_submit(
            actor=users["bureau"], challenge=challenge, institution=setup["service"], text="x"
        )
    window = client_for(None)
    window.force_login(setup["window"])
    window.post(
        reverse("techmarket:challenge_action", args=[challenge.pk, "submit"]), {"text": "伺服整定+视觉闭环"}
    )
    services.proposal_submit(
        actor=users["bureau"], challenge=challenge, institution=nbu, text="机械手重新设计"
    )
    assert challenge.proposals.count() == 2
    with pytest.raises(ValidationError, match="已提交过方案"):
        services.proposal_submit(actor=users["bureau"], challenge=challenge, institution=zju, text="again")
    late = challenge.closes_at + dt.timedelta(minutes=1)
    with pytest.raises(ValidationError, match="揭榜已于 .* 截止，不再接收方案"):
        services.proposal_submit(
            actor=users["bureau"],
            challenge=challenge,
            institution=Institution.objects.get(name="中科院宁波材料技术与工程研究所"),
            text="late",
            at=late,
        )
    # Before the closing time the review cannot start; only staff may start it.
    with pytest.raises(ValidationError, match="才截止"):
        services.challenge_review(actor=users["bureau"], challenge=challenge)
    with pytest.raises(PermissionDenied):
        services.challenge_review(actor=users["enterprise"], challenge=challenge, at=late)
    services.challenge_review(actor=users["bureau"], challenge=challenge, at=late)
    challenge.refresh_from_db()
    assert challenge.state == "评审中" and challenge.reviewed_at
    proposals = {p.institution.name: p for p in challenge.proposals.all()}
    robot = market["robot"]  # of 宁波大学: must recuse on its proposal
    with pytest.raises(ValidationError, match="周明就职于揭榜机构「宁波大学」，须回避"):
        services.proposal_score(actor=users["expert"], proposal=proposals["宁波大学"], expert=robot, score=90)
    services.proposal_score(actor=users["expert"], proposal=proposals["浙江大学"], expert=robot, score=88)
    services.proposal_score(actor=judge.user, proposal=proposals["浙江大学"], expert=judge, score=80)
    with pytest.raises(ValidationError, match="评审甲还没有评「宁波大学」的方案"):
        services.challenge_award(actor=users["bureau"], challenge=challenge)
    # The judge declares a conflict on the other one and recuses.
    reviewer = client_for(None)
    reviewer.force_login(judge.user)
    declared = reviewer.post(
        reverse("techmarket:challenge_action", args=[challenge.pk, "score"]),
        {"proposal": proposals["宁波大学"].pk, "conflict": "曾与该团队合作"},
        follow=True,
    )
    assert "已保存" in declared.content.decode(), declared.content.decode()[-3000:]
    with pytest.raises(ValidationError, match="已声明利益冲突"):
        services.proposal_score(
            actor=users["reviewer"], proposal=proposals["宁波大学"], expert=judge, score=99
        )
    client_for("bureau").post(reverse("techmarket:challenge_action", args=[challenge.pk, "award"]))
    challenge.refresh_from_db()
    assert (
        challenge.state == "已揭榜" and challenge.winner == proposals["浙江大学"] and challenge.announced_at
    )
    contract = challenge.contract
    assert (contract.kind, contract.amount, contract.seller_name, contract.buyer_enterprise) == (
        "技术开发",
        Decimal("200"),
        "浙江大学",
        challenge.demand.enterprise,
    )
    entry = AuditEntry.objects.get(action="揭榜挂帅公布结果", object_id=str(challenge.pk))
    assert entry.new["winner"] == "浙江大学" and entry.new["average"] == "84.00"
    public = (
        client_for(None).get(reverse("techmarket:challenge_detail", args=[challenge.pk])).content.decode()
    )
    assert "浙江大学" in public and "已揭榜" in public
    assert "伺服整定" not in public  # proposals are for staff and the panel
    with pytest.raises(ValidationError, match="当前榜单状态为「已揭榜」"):
        services.challenge_award(actor=users["bureau"], challenge=challenge)


def test_no_proposal_means_no_review_and_failing_needs_a_reason(setup, users):
    challenge = setup["challenge"]
    late = challenge.closes_at + dt.timedelta(minutes=1)
    with pytest.raises(ValidationError, match="没有收到方案"):
        services.challenge_review(actor=users["bureau"], challenge=challenge, at=late)
    with pytest.raises(ValidationError, match="必须说明理由"):
        services.challenge_fail(actor=users["bureau"], challenge=challenge, reason=" ")
    challenge = services.challenge_fail(actor=users["bureau"], challenge=challenge, reason="无人揭榜")
    assert challenge.state == "未揭榜"
