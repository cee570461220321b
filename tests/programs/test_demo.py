"""The demo's 政策兑现 records: every state of the workflow, proposals from data and promotions,
the same for the same seed."""

import io
from collections import Counter

import pytest

from zhuanxing.accounts.models import User
from zhuanxing.campaigns.models import LevelPromotion
from zhuanxing.programs.models import Application, Payment, Policy
from zhuanxing.registry.models import Enterprise, LandParcel, Lease

pytestmark = pytest.mark.django_db


def build(seed: int) -> str:
    """The registry, the logins, the campaigns and then this app's demo (what ``demo-data`` runs before us)."""
    from zhuanxing.accounts import demo as accounts_demo
    from zhuanxing.campaigns import demo as campaigns_demo
    from zhuanxing.programs import demo
    from zhuanxing.registry.demo import build_demo_registry

    out = io.StringIO()
    build_demo_registry(enterprises=150, seed=seed)
    for builder in (accounts_demo, campaigns_demo, demo):
        builder.build(seed=seed, stdout=out)
    return out.getvalue()


def fingerprint():
    rows = Application.objects.values_list(
        "enterprise__uscc",
        "policy__code",
        "clause_id",
        "channel",
        "state",
        "fields",
        "computed",
        "approved",
        "paid",
    )
    return sorted(repr(row) for row in rows)  # ids and numbers differ from one build to the next


def wipe():
    for model in (Payment, Application, Policy, LevelPromotion):
        model.objects.all().delete()
    User.objects.all().delete()
    Lease.objects.all().delete()
    LandParcel.objects.all().delete()
    Enterprise.objects.all().delete()


def test_demo_records_in_every_state_and_deterministic():
    assert "已载入政策 3 项" in build(3)
    states = Counter(Application.objects.filter(channel="applied").values_list("state", flat=True))
    assert set(states) == {s for s in Application.State.values if s not in ("proposed", "confirming")}
    automatic = Counter(Application.objects.filter(channel="automatic").values_list("state", flat=True))
    assert automatic["proposed"] and automatic["approved"]
    assert LevelPromotion.objects.filter(state=LevelPromotion.State.AWARDED).exists()
    own = User.objects.get(username="qiye").enterprise
    assert Application.objects.filter(enterprise=own, state="paid").exists()
    # the demo town official finds an application waiting for 初审 on the home page
    from zhuanxing.web.todos import todos_for

    town = User.objects.get(username="luotuo")
    assert any(t.kind == "programs.application.pass.submitted" for t in todos_for(town))
    first = fingerprint()
    wipe()
    build(3)
    assert fingerprint() == first
