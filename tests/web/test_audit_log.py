"""The audit log page: readable changes, filters with Chinese messages, xlsx export, bounded queries."""

from __future__ import annotations

import datetime as dt
import io

import polars as pl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhuanxing.accounts.audit import record_change
from zhuanxing.accounts.models import AuditEntry

URL = reverse("web:audit_log")


@pytest.fixture
def entries(district, users):
    fasteners = district["fasteners"]
    first = record_change(
        actor=users["bureau"],
        action="用户修改",
        obj=users["town"],
        old={"role": "town", "is_active": True, "display_name": ""},
        new={"role": "bureau", "is_active": False, "display_name": "王工"},
        reason="调岗",
    )
    # Ten days older: written as such (the trail is append-only, so no entry is backdated later).
    second = AuditEntry.objects.create(
        at=first.at - dt.timedelta(days=10),
        actor=users["admin"],
        actor_name="admin",
        action="企业新增",
        object_type=fasteners._meta.label_lower,
        object_id=str(fasteners.pk),
        object_repr=str(fasteners),
        new={"name": fasteners.name},
    )
    return first, second


def test_changes_show_field_labels_and_choice_labels(client_for, entries):
    html = client_for("bureau").get(URL).content.decode()
    assert "角色</span>：镇街工作人员 → 经信局工作人员" in html
    assert "姓名</span>：— → 王工" in html
    assert "：是 → 否" in html
    assert "'role'" not in html and "display_name" not in html
    assert "用户修改" in html and "企业新增" in html


def test_filters_by_who_kind_record_and_dates(client_for, entries, users, district):
    client = client_for("bureau")
    by_admin = client.get(URL, {"actor": users["admin"].pk}).content.decode()
    assert "企业新增" in by_admin and "用户修改" not in by_admin
    kind = client.get(URL, {"type": "accounts.user"}).content.decode()
    assert "用户修改" in kind and "企业新增" not in kind
    record = client.get(
        URL, {"object_id": district["fasteners"].pk, "type": "registry.enterprise"}
    ).content.decode()
    assert "企业新增" in record and "用户修改" not in record
    today = entries[0].at.date()
    recent = client.get(URL, {"date_from": today - dt.timedelta(days=1), "date_to": today}).content.decode()
    assert "用户修改" in recent and "企业新增" not in recent


@pytest.mark.parametrize(
    "params, message",
    [
        ({"date_from": "2026-13-40"}, "有效的日期"),
        ({"date_from": "2026-05-02", "date_to": "2026-05-01"}, "截止日期不能早于起始日期"),
        ({"actor": "abc"}, "选择一个有效的选项"),
        ({"type": "no.such"}, "选择一个有效的选项"),
    ],
)
def test_bad_filter_values_answer_in_chinese(client_for, entries, params, message):
    response = client_for("bureau").get(URL, params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_export_is_the_filtered_list_as_xlsx(client_for, entries, users):
    response = client_for("bureau").get(URL, {"actor": users["bureau"].pk, "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = pl.read_excel(io.BytesIO(response.content))
    assert sheet.columns[:5] == ["链序号", "时间", "操作人", "来源地址", "操作"]
    sheet = sheet.filter(pl.col("操作") != "登录")  # the test client's own login is in the trail too
    assert set(sheet["操作"]) == {"用户修改"}
    changes = {(row["字段"], row["原值"], row["新值"]) for row in sheet.iter_rows(named=True)}
    assert changes == {
        ("角色", "镇街工作人员", "经信局工作人员"),
        ("有效", "是", "否"),
        ("姓名", "—", "王工"),
    }


def test_list_query_count_does_not_grow_with_entries(client_for, entries, district, users):
    client = client_for("bureau")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    few = queries()
    for n in range(30):
        record_change(
            actor=users["town"], action="企业修改", obj=district["garments"], new={"address": f"路{n}"}
        )
    assert queries() == few
