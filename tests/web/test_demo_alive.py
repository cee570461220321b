"""A demo built on a given day is alive on that day: open demands still valid, reminders measured
in days, the newest evaluation on public notice, and something to do for every demo role."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from zhuanxing.accounts.demo import DEMO_USERS
from zhuanxing.accounts.models import User
from zhuanxing.evaluation.models import EvaluationRun
from zhuanxing.techmarket.models import Demand
from zhuanxing.web import todos

# The services stamp what they record with the real clock, so the demo is built for the real today
# (as ``make demo`` does), passed explicitly as the option the command offers.
BUILT_ON = timezone.localdate()
LONGEST_WAIT_DAYS = 62  # a payment two months after approval is the slowest step the demo shows


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    # the build records its day under VAR_DIR: a scratch one, not the developer's var/
    with django_db_blocker.unblock(), override_settings(VAR_DIR=tmp_path_factory.mktemp("var")):
        call_command("demo-data", enterprises=150, seed=1, today=BUILT_ON)
        yield
        # the other tests start from migrated tables: empty them and put the reference data back
        importlib.import_module("zhuanxing.web.management.commands.demo-data").empty_database()


pytestmark = pytest.mark.django_db


def test_no_demand_past_its_date_is_still_open(demo):
    open_demands = Demand.objects.filter(state=Demand.State.OPEN)
    assert open_demands.count() > 50
    assert not open_demands.filter(valid_until__lt=BUILT_ON).exists()
    assert Demand.objects.filter(state=Demand.State.EXPIRED).exists()


def test_reminders_wait_days_not_years(demo):
    """Waiting days as the home page shows them; an overdue item (past its deadline) may wait longer."""
    waits = {
        (item.title, (BUILT_ON - item.oldest).days)
        for user in User.objects.filter(username__in=[row[0] for row in DEMO_USERS])
        for item in todos.todos_for(user, None, BUILT_ON)
        if item.oldest and not (item.due and item.due < BUILT_ON)
    }
    assert waits
    assert sorted(w for w in waits if not 0 <= w[1] <= LONGEST_WAIT_DAYS) == []


def test_newest_evaluation_is_on_notice_ending_days_ahead(demo):
    newest = EvaluationRun.objects.order_by("-year", "-pk").first()
    assert newest.state == EvaluationRun.State.PUBLISHED
    assert BUILT_ON < newest.publish_until <= BUILT_ON + dt.timedelta(days=14)


def test_techmarket_statistics_open_on_a_year_with_data(demo, client):
    client.force_login(User.objects.get(username="kjj"))
    page = client.get("/techmarket/statistics/")
    assert page.status_code == 200
    assert Demand.objects.filter(created_at__year=page.context["figures"]["year"]).exists()


@pytest.mark.parametrize("username", [row[0] for row in DEMO_USERS])
def test_every_demo_role_has_something_to_do(demo, username):
    user = User.objects.get(username=username)
    assert todos.todos_for(user, None, BUILT_ON), f"{username} has nothing to do"


def test_the_demo_expert_is_recommended_for_a_demand_in_his_field(demo):
    expert = User.objects.get(username="zhuanjia").expert_profile
    recommended = Demand.objects.filter(field__in=expert.fields, matches__candidate=f"expert:{expert.pk}")
    assert recommended.filter(state=Demand.State.OPEN).exists()
