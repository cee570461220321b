"""The message centre: messages from workflow transitions (one listener), unread count, mark
read, deadline reminders, e-mail off by default and pluggable senders."""

import datetime as dt

import pytest
from django.core import mail

from tests.programs.conftest import submitted
from zhuanxing.notices import services
from zhuanxing.notices.models import Notice
from zhuanxing.programs import services as programs

pytestmark = pytest.mark.django_db
SENT = []


def recording_sender(notices):
    SENT.extend(n.title for n in notices)


def test_a_status_change_of_an_application_reaches_the_enterprise(
    users, policy, django_capture_on_commit_callbacks
):
    application = submitted(users, policy)
    assert not Notice.objects.filter(recipient=users["enterprise"]).exists()  # its own step: no message
    with django_capture_on_commit_callbacks(execute=True):
        programs.application_decide(
            actor=users["town"], application=application, decision="return", reason="缺发票"
        )
    notice = Notice.objects.get(recipient=users["enterprise"])
    assert notice.kind == Notice.Kind.STATUS and "退回补正" in notice.title and notice.body == "缺发票"
    assert notice.url == f"/programs/applications/{application.pk}/"
    assert not Notice.objects.filter(recipient=users["town"]).exists()  # not the one who acted
    assert len(mail.outbox) == 0  # e-mail is off by default


def test_unread_count_in_the_header_and_mark_read(users, policy, client_for):
    application = submitted(users, policy)
    programs.application_decide(
        actor=users["town"], application=application, decision="reject", reason="重复申报"
    )
    client = client_for("enterprise")
    assert 'hx-get="/notices/badge/"' in client.get("/").content.decode()  # loaded after the page
    badge = client.get("/notices/badge/").content.decode()
    assert '<span class="count">1</span>' in badge
    assert client.get("/api/notices/").json()["unread"] == 1
    page = client.get("/notices/").content.decode()
    assert "不予支持" in page and "重复申报" in page
    notice = Notice.objects.get()
    assert client.post("/notices/read/", {"id": notice.pk}).status_code == 302
    assert client.get("/api/notices/").json()["unread"] == 0
    assert '<span class="count">' not in client.get("/notices/badge/").content.decode()


def test_nobody_reads_or_marks_another_users_messages(users, policy, client_for):
    application = submitted(users, policy)
    programs.application_decide(actor=users["town"], application=application, decision="reject", reason="x")
    notice = Notice.objects.get()
    other = client_for("town")
    assert other.get("/api/notices/").json() == {"unread": 0, "items": []}
    other.post("/notices/read/", {"id": notice.pk})
    notice.refresh_from_db()
    assert notice.read_at is None
    marked = client_for("enterprise").post("/api/notices/read", {}, content_type="application/json")
    assert marked.json() == {"marked": 1}


def test_an_invitation_reaches_the_expert(users, district):
    from zhuanxing.techmarket.models import Demand, Expert, Match
    from zhuanxing.techmarket.services import match_invite

    expert = Expert.objects.create(name="王工", user=users["expert"])
    demand = Demand.objects.create(
        enterprise=district["bearings"],
        title="热处理变形",
        problem="变形超差",
        field="装备制造",
        valid_until=dt.date.today() + dt.timedelta(days=90),
    )
    match = Match.objects.create(demand=demand, expert=expert, candidate=f"expert:{expert.pk}")
    match_invite(actor=users["enterprise"], match=match)
    notice = Notice.objects.get(recipient=users["expert"])
    assert notice.kind == Notice.Kind.INVITATION and notice.url == "/techmarket/invitations/"


def test_deadline_reminders_once_a_day(users, policy):
    application = submitted(users, policy)
    day = application.deadline - dt.timedelta(days=1)
    assert services.deadlines_notify(today=day) >= 1
    reminder = Notice.objects.filter(recipient=users["town"], kind=Notice.Kind.DEADLINE).get()
    assert "期限临近" in reminder.title and reminder.url == f"/programs/applications/{application.pk}/"
    before = Notice.objects.count()
    services.deadlines_notify(today=day)
    assert Notice.objects.count() == before


def test_email_when_configured_and_a_pluggable_sender(users, settings, django_capture_on_commit_callbacks):
    settings.ZHUANXING_NOTICE_EMAIL = True
    settings.ZHUANXING_NOTICE_SENDERS = [
        "zhuanxing.notices.senders.email",
        "tests.notices.test_notices.recording_sender",
    ]
    users["enterprise"].email = "firm@example.com"
    users["enterprise"].save()
    SENT.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_send(
            recipients=[users["enterprise"], users["expert"]], kind="status", title="测试消息"
        )
    assert [m.to for m in mail.outbox] == [["firm@example.com"]] and "测试消息" in mail.outbox[0].subject
    assert SENT == ["测试消息", "测试消息"]


def test_a_failing_sender_does_not_lose_the_message(users, settings, django_capture_on_commit_callbacks):
    settings.ZHUANXING_NOTICE_SENDERS = ["tests.notices.test_notices.no_such_sender"]
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_send(recipients=[users["town"]], kind="status", title="仍然保存")
    assert Notice.objects.filter(title="仍然保存").exists()
