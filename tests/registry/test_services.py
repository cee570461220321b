"""Creating and changing enterprises: bad input refused in Chinese, nothing saved, changes audited."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import uscc_for
from zhuanxing.accounts.models import AuditEntry
from zhuanxing.registry import services
from zhuanxing.registry.models import AnnualData, Enterprise, ImportBatch, LandParcel, Lease


@pytest.mark.django_db
def test_create_enterprise_is_audited(district, users):
    enterprise = services.enterprise_create(
        actor=users["bureau"],
        uscc=uscc_for(50),
        name="宁波新材料有限公司",
        town="骆驼街道",
        industry="2651",
        scale="规上",
        tags=["专精特新"],
    )
    assert enterprise.town == district["luotuo"]
    assert list(enterprise.tags.values_list("name", flat=True)) == ["专精特新"]
    entry = AuditEntry.objects.get(object_id=str(enterprise.pk))
    assert entry.actor == users["bureau"] and entry.action == "企业新增" and entry.new["uscc"] == uscc_for(50)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"uscc": "91330211MA2000050X"}, "uscc", "校验位错误"),
        ({"town": "不存在街道"}, "town", "未知的镇街「不存在街道」"),
        ({"industry": "9999"}, "industry", "未知的行业小类代码「9999」"),
        ({"industry": "34"}, "industry", "未知的行业小类代码「34」"),
    ],
)
def test_bad_enterprise_input_is_refused_and_nothing_saved(district, users, changes, field, message):
    before = Enterprise.objects.count()
    arguments = {"uscc": uscc_for(60), "name": "测试企业", "town": "luotuo", "industry": "3451"} | changes
    with pytest.raises(ValidationError) as error:
        services.enterprise_create(actor=users["bureau"], **arguments)
    assert message in " ".join(error.value.message_dict[field])
    assert Enterprise.objects.count() == before
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_duplicate_credit_code_is_refused(district, users):
    with pytest.raises(ValidationError) as error:
        services.enterprise_create(
            actor=users["bureau"], uscc=district["bearings"].uscc, name="重复", town="luotuo", industry="3451"
        )
    assert "uscc" in error.value.message_dict


@pytest.mark.django_db
def test_update_records_old_and_new_values(district, users):
    services.enterprise_update(
        actor=users["bureau"],
        enterprise=district["fasteners"],
        scale="规上",
        reason="年度入规",
        tags=["专精特新"],
    )
    entry = AuditEntry.objects.get(action="企业修改")
    assert entry.old == {"scale": "规下", "tags": []}
    assert entry.new == {"scale": "规上", "tags": ["专精特新"]}
    assert entry.reason == "年度入规"


@pytest.mark.django_db
def test_negative_land_and_lease_larger_than_parcel_are_refused(district):
    parcel = LandParcel(certificate_no="X-1", owner=district["bearings"], area_mu=Decimal("-1"))
    with pytest.raises(ValidationError) as error:
        parcel.full_clean()
    assert "不能为负数" in error.value.message_dict["area_mu"][0]
    lease = Lease(
        parcel=district["parcel"],
        tenant=district["garments"],
        area_mu=Decimal("61"),
        start=dt.date(2024, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        lease.full_clean()
    assert "超过宗地面积" in error.value.message_dict["area_mu"][0]


@pytest.mark.django_db
def test_correction_keeps_history_and_provenance(district, users):
    enterprise = district["bearings"]
    first = ImportBatch.objects.create(source=ImportBatch.Source.TAX, year=2024, file_name="税务2024.xlsx")
    services.annual_values_set(batch=first, enterprise=enterprise, year=2024, values={"tax": Decimal("1500")})
    services.annual_data_correct(
        actor=users["bureau"],
        enterprise=enterprise,
        year=2024,
        values={"tax": Decimal("1620")},
        reason="异议核实",
    )
    record = AnnualData.objects.get(enterprise=enterprise, year=2024)
    assert record.tax == Decimal("1620")
    correction = ImportBatch.objects.get(source=ImportBatch.Source.MANUAL)
    assert record.sources["tax"] == correction.pk
    changes = list(record.changes.order_by("id").values_list("old_value", "new_value", "old_batch_id"))
    assert changes == [(None, "1500", None), ("1500", "1620", first.pk)]
    assert AuditEntry.objects.get(action="年度数据更正").old == {"tax": "1500"}


@pytest.mark.django_db
def test_negative_yearly_value_is_refused_and_nothing_written(district, users):
    with pytest.raises(ValidationError) as error:
        services.annual_data_correct(
            actor=users["bureau"],
            enterprise=district["bearings"],
            year=2024,
            values={"tax": Decimal("-5")},
            reason="录入",
        )
    assert "实缴税金不能为负数：-5" in error.value.message_dict["tax"]
    assert not AnnualData.objects.exists()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_correction_without_reason_is_refused(district, users):
    with pytest.raises(ValidationError):
        services.annual_data_correct(
            actor=users["bureau"],
            enterprise=district["bearings"],
            year=2024,
            values={"tax": Decimal("5")},
            reason=" ",
        )
