"""The audit trail to 等保 level 3: chained and append-only, naming the source address; admin
changes, logins, failures, lockouts and idle logouts recorded; sessions and passwords bounded."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import RequestFactory
from django.urls import reverse

from zhuanxing.accounts import chain
from zhuanxing.accounts.audit import record_change
from zhuanxing.accounts.middleware import SESSION_SEEN
from zhuanxing.accounts.models import AuditEntry, User
from zhuanxing.accounts.passwords import CharacterKindsValidator
from zhuanxing.registry.models import ImportBatch, LandParcel

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


def _record(users, district, n=3):
    for i in range(n):
        record_change(actor=users["bureau"], action="测试", obj=district["parcel"], new={"i": i})


def test_entries_are_sealed_after_commit_in_one_unbroken_chain(
    users, district, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _record(users, district)
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert entries[0].previous_hash == chain.GENESIS
    assert all(b.previous_hash == a.entry_hash for a, b in zip(entries, entries[1:]))
    assert entries[-1].actor_name == "bureau"
    report = chain.verify()
    assert report.ok and report.checked == len(entries) and report.pending == 0


def test_a_changed_entry_breaks_the_chain_and_the_command_names_it(
    users, district, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _record(users, district)
    call_command("audit-verify")  # whole: no error
    target = AuditEntry.objects.get(seq=2)
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL refuses the change itself (next test)")
    AuditEntry.objects.filter(pk=target.pk).update(new={"i": 99})
    report = chain.verify()
    assert report.problems == [f"第 2 条（记录号 {target.pk}）内容与摘要不符，可能被改动"]
    with pytest.raises(CommandError, match="审计链核验未通过：1 处问题"):
        call_command("audit-verify")


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the append-only trigger is PostgreSQL's")
def test_postgresql_refuses_to_edit_or_delete_a_sealed_entry(
    users, district, django_capture_on_commit_callbacks
):
    from django.db import DatabaseError

    with django_capture_on_commit_callbacks(execute=True):
        _record(users, district, n=1)
    entry = AuditEntry.objects.get()
    for attempt in (
        lambda: AuditEntry.objects.filter(pk=entry.pk).update(reason="改过"),
        lambda: AuditEntry.objects.filter(pk=entry.pk).update(seq=5),
        lambda: AuditEntry.objects.filter(pk=entry.pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="审计记录"), transaction.atomic():
            attempt()
    # A removed account leaves its entries, still naming who acted.
    users["bureau"].delete()
    entry.refresh_from_db()
    assert entry.actor_id is None and entry.actor_name == "bureau" and chain.verify().ok


def test_an_admin_change_of_a_parcel_records_old_and_new(users, district):
    parcel = district["parcel"]
    before = parcel.area_mu
    request = RequestFactory().post("/admin/")
    request.user = users["admin"]
    parcel.area_mu = before * 10
    admin.site._registry[LandParcel].save_model(request, parcel, form=None, change=True)
    entry = AuditEntry.objects.get(action="后台修改土地宗地")
    assert list(entry.new) == ["area_mu"]  # only what changed
    assert Decimal(entry.old["area_mu"]) == before and Decimal(entry.new["area_mu"]) == before * 10
    admin.site._registry[LandParcel].delete_model(request, parcel)
    deleted = AuditEntry.objects.get(action="后台删除土地宗地")
    assert Decimal(deleted.old["area_mu"]) == before * 10


def test_import_batches_and_the_audit_trail_cannot_be_changed_in_the_admin(client_for):
    client = client_for("admin")
    batch = ImportBatch.objects.create(source=ImportBatch.Source.TAX, year=2024)
    assert client.post(f"/admin/registry/importbatch/{batch.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ImportBatch.objects.filter(pk=batch.pk).exists()
    entry = AuditEntry.objects.create(action="测试", object_type="x", object_id="1")
    assert client.post(f"/admin/accounts/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403


def test_a_role_change_in_the_admin_is_audited(users):
    request = RequestFactory().post("/admin/")
    request.user = users["admin"]
    town = users["town"]
    town.role = "bureau"
    admin.site._registry[User].save_model(request, town, form=None, change=True)
    entry = AuditEntry.objects.get(object_type="accounts.user", object_id=str(town.pk))
    assert entry.old == {"role": "town"} and entry.new == {"role": "bureau"}


def test_logins_and_failures_are_audited_with_the_source_address(client, users):
    client.post(LOGIN, {"username": "bureau", "password": "wrong"}, REMOTE_ADDR="10.1.2.3")
    failed = AuditEntry.objects.get(action="登录失败")
    assert failed.object_id == "bureau" and failed.source_address == "10.1.2.3"
    from tests.conftest import PASSWORD

    client.post(LOGIN, {"username": "bureau", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    login = AuditEntry.objects.get(action="登录")
    assert login.actor == users["bureau"] and login.source_address == "10.1.2.3"
    client.post("/accounts/logout/", REMOTE_ADDR="10.1.2.3")
    assert AuditEntry.objects.filter(action="退出登录", actor=users["bureau"]).exists()


def test_a_forwarded_address_is_believed_only_from_a_trusted_proxy(client, users, settings):
    settings.ZHUANXING_TRUSTED_PROXIES = frozenset({"127.0.0.1"})
    client.post(LOGIN, {"username": "x", "password": "y"}, HTTP_X_FORWARDED_FOR="1.1.1.1, 10.9.9.9")
    client.post(
        LOGIN, {"username": "x", "password": "y"}, REMOTE_ADDR="8.8.8.8", HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    addresses = list(
        AuditEntry.objects.filter(action="登录失败").order_by("id").values_list("source_address", flat=True)
    )
    assert addresses == ["10.9.9.9", "8.8.8.8"]


def test_one_password_sprayed_over_many_accounts_locks_that_address(client, users, settings):
    from tests.conftest import PASSWORD

    settings.ZHUANXING_LOGIN_MAX_FAILURES_PER_ADDRESS = 4
    for name in ("a1", "a2", "a3", "a4"):
        client.post(LOGIN, {"username": name, "password": "Spring2026"})
    response = client.post(LOGIN, {"username": "bureau", "password": PASSWORD})
    assert "登录失败次数过多" in response.content.decode() and "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="登录锁定").count() == 1
    other = client.post(LOGIN, {"username": "bureau", "password": PASSWORD}, REMOTE_ADDR="10.0.0.8")
    assert other.status_code == 302  # another address is not locked out


def test_an_idle_session_is_logged_out_and_audited(client_for, settings):
    client = client_for("bureau")
    assert client.get("/").status_code == 200
    session = client.session
    session[SESSION_SEEN] = time.time() - (settings.ZHUANXING_IDLE_LOGOUT_MINUTES * 60 + 5)
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.get(action="会话超时退出")
    assert entry.reason == "长时间未操作"
    assert not AuditEntry.objects.filter(action="退出登录").exists()


def test_an_active_session_ends_at_its_absolute_limit(client_for, settings):
    client = client_for("bureau")
    client.get("/")
    session = client.session
    session["_zx_started"] = time.time() - settings.ZHUANXING_SESSION_MAX_HOURS * 3600 - 1
    session.save()
    assert client.get("/").status_code == 302
    assert AuditEntry.objects.get(action="会话超时退出").reason == "会话超过最长时限"


@pytest.mark.parametrize(
    "password, accepted",
    [("abcdefgh12", False), ("Abcdefgh12", True), ("abcd-efgh!", False), ("abcd-efg12", True)],
)
def test_passwords_need_three_kinds_of_character(password, accepted):
    validator = CharacterKindsValidator()
    if accepted:
        validator.validate(password)
    else:
        with pytest.raises(ValidationError, match="至少 3 种"):
            validator.validate(password)


def test_one_transaction_seals_once_however_many_entries_it_writes(
    users, district, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _record(users, district, n=5)
    assert len(callbacks) == 1
    assert not AuditEntry.objects.filter(seq__isnull=True).exists()
