"""技术合同认定登记: registering, the duplicate number refused, statistics by type, flow and year, and the
register's xlsx in the office's layout."""

import datetime as dt
import io
from decimal import Decimal

import polars as pl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhuanxing.accounts.models import AuditEntry
from zhuanxing.techmarket import selectors, services
from zhuanxing.techmarket.models import Contract
from zhuanxing.techmarket.statistics_export import REGISTRATION_COLUMNS

pytestmark = pytest.mark.django_db


def contract(**extra) -> Contract:
    values = {
        "kind": "技术开发",
        "title": "送料机械手改造",
        "field": "装备制造",
        "amount": Decimal("120"),
        "tech_amount": Decimal("100"),
        "seller_name": "宁波大学",
        "seller_region": "宁波市",
        "buyer_name": "宁波恒达轴承有限公司",
        "buyer_region": "宁波市镇海区",
        "signed_on": dt.date(2025, 3, 1),
    }
    return Contract(**(values | extra))


def test_register_a_contract_and_refuse_its_number_twice(users):
    first = services.contract_record(actor=users["bureau"], contract=contract())
    assert not first.registered
    services.contract_register(
        actor=users["bureau"],
        contract=first,
        registration_no="3302112025000001",
        office="镇海区技术合同认定登记点",
        registered_on=dt.date(2025, 3, 5),
    )
    first.refresh_from_db()
    assert (first.registration_no, first.registered_office, first.registered_on) == (
        "3302112025000001",
        "镇海区技术合同认定登记点",
        dt.date(2025, 3, 5),
    )
    entry = AuditEntry.objects.get(action="技术合同认定登记", object_id=str(first.pk))
    assert entry.old["registration_no"] == "" and entry.new["registration_no"] == "3302112025000001"

    second = services.contract_record(actor=users["bureau"], contract=contract(title="视觉检测"))
    with pytest.raises(ValidationError, match="登记编号「3302112025000001」已用于合同「送料机械手改造」"):
        services.contract_register(
            actor=users["bureau"],
            contract=second,
            registration_no="3302112025000001",
            office="镇海区技术合同认定登记点",
            registered_on=dt.date(2025, 3, 6),
        )
    second.refresh_from_db()
    assert second.registration_no == "" and second.registered_on is None
    with pytest.raises(ValidationError, match="一个登记编号只能登记一份合同"):
        services.contract_record(
            actor=users["bureau"], contract=contract(title="第三份", registration_no="3302112025000001")
        )
    assert Contract.objects.count() == 2
    with pytest.raises(ValidationError, match="已登记"):
        services.contract_register(
            actor=users["bureau"],
            contract=first,
            registration_no="X2",
            office="o",
            registered_on=dt.date.today(),
        )
    with pytest.raises(ValidationError, match="登记日期不能早于签订日期"):
        services.contract_register(
            actor=users["bureau"],
            contract=second,
            registration_no="3302112025000002",
            office="镇海区技术合同认定登记点",
            registered_on=dt.date(2025, 2, 1),
        )


def test_registration_statistics_by_type_flow_and_year(users):
    rows = [
        ("A1", "技术开发", "100", "80", "宁波市", "宁波市镇海区", dt.date(2025, 3, 5)),  # 吸纳
        ("A2", "技术转让", "50", "50", "宁波市镇海区", "杭州市", dt.date(2025, 4, 5)),  # 输出
        ("A3", "技术开发", "30", "20", "宁波市", "宁波市镇海区", dt.date(2025, 6, 5)),  # 吸纳
        ("B1", "技术服务", "10", "10", "宁波市", "宁波市镇海区", dt.date(2024, 6, 5)),
    ]
    for number, kind, amount, tech, seller, buyer, on in rows:
        services.contract_record(
            actor=users["bureau"],
            contract=contract(
                kind=kind,
                title=number,
                amount=Decimal(amount),
                tech_amount=Decimal(tech),
                seller_region=seller,
                buyer_region=buyer,
                signed_on=on - dt.timedelta(days=3),
                registration_no=number,
                registered_office="镇海区技术合同认定登记点",
                registered_on=on,
            ),
        )
    services.contract_record(actor=users["bureau"], contract=contract(title="未登记"))
    figures = selectors.registration_statistics(2025)
    kinds = {r["name"]: (r["count"], r["tech_amount"]) for r in figures["by_kind"]}
    assert kinds == {
        "技术开发": (2, Decimal("100")),
        "技术转让": (1, Decimal("50")),
        "技术许可": (0, Decimal("0")),
        "技术咨询": (0, Decimal("0")),
        "技术服务": (0, Decimal("0")),
    }
    flows = {r["name"]: (r["count"], r["amount"]) for r in figures["by_flow"]}
    assert flows["吸纳"] == (2, Decimal("130")) and flows["输出"] == (1, Decimal("50"))
    assert figures["total"] == {"count": 3, "amount": Decimal("180"), "tech_amount": Decimal("150")}
    assert [(r["year"], r["count"]) for r in figures["per_year"]] == [(2024, 1), (2025, 3)]


def test_registration_page_and_register_xlsx(users, client_for):
    services.contract_record(
        actor=users["bureau"],
        contract=contract(
            registration_no="A1", registered_office="镇海区登记点", registered_on=dt.date(2025, 3, 5)
        ),
    )
    pending = services.contract_record(actor=users["bureau"], contract=contract(title="待登记项目"))
    client = client_for("bureau")
    page = client.get(reverse("techmarket:registrations"), {"year": 2025}).content.decode()
    assert 'id="registered-count">1<' in page and "待登记项目" in page
    response = client.get(reverse("techmarket:registrations"), {"year": 2025, "format": "xlsx"})
    frame = pl.read_excel(io.BytesIO(response.content))
    assert frame.columns == REGISTRATION_COLUMNS and frame.height == 1
    row = frame.row(0, named=True)
    assert (row["登记编号"], row["合同类型"], row["输出/吸纳"], row["技术交易额（万元）"]) == (
        "A1",
        "技术开发",
        "吸纳",
        100,
    )
    # Register the pending one through the page.
    client.post(
        reverse("techmarket:contract_register", args=[pending.pk]),
        {"registration_no": "A2", "registered_office": "镇海区登记点", "registered_on": "2025-03-09"},
    )
    pending.refresh_from_db()
    assert pending.registration_no == "A2"
    duplicate = client.post(
        reverse(
            "techmarket:contract_register",
            args=[services.contract_record(actor=users["bureau"], contract=contract(title="三")).pk],
        ),
        {"registration_no": "A2", "registered_office": "镇海区登记点", "registered_on": "2025-03-09"},
    )
    assert "已用于合同" in duplicate.content.decode()
