"""Round trips for every source, re-import idempotence, provenance and rollback."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import uscc_for
from tests.imports.conftest import STATS_HEADER, TAX_HEADER
from tests.imports.files import xlsx
from zhuanxing.accounts.models import AuditEntry
from zhuanxing.imports.services import batch_apply, batch_rollback
from zhuanxing.registry.models import AnnualData, AnnualDataChange, Enterprise, ImportBatch, LandParcel, Lease
from zhuanxing.registry.selectors import evaluated_land_mu

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def apply(users, source, path, year=2024):
    return batch_apply(actor=users["bureau"], source=source, path=path, file_name=path.name, year=year)


def annual(enterprise, year=2024):
    return AnnualData.objects.get(enterprise=enterprise, year=year)


def test_tax_round_trip_remembers_its_batch(tmp_path, district, users, codes):
    path = xlsx(
        tmp_path / "税务2024.xlsx",
        TAX_HEADER,
        [[codes["bearings"], "", "1,500.5", 120], [codes["chemicals"], "", 300, None]],
    )
    batch, preview = apply(users, "tax", path)
    assert preview.counts == {"new": 2, "changed": 0, "unchanged": 0}
    assert batch.summary == {"rows": 2, "new": 2, "changed": 0, "unchanged": 0, "values": 3, "formulas": 0}
    assert (
        batch.file_name == "税务2024.xlsx"
        and len(batch.file_sha256) == 64
        and batch.created_by == users["bureau"]
    )
    bearings = annual(district["bearings"])
    assert (bearings.tax, bearings.social_insurance) == (Decimal("1500.5"), Decimal("120"))
    assert bearings.sources == {"tax": batch.pk, "social_insurance": batch.pk}
    chemicals = annual(district["chemicals"])
    assert chemicals.social_insurance is None and chemicals.sources == {"tax": batch.pk}
    entry = AuditEntry.objects.get(action="数据导入")
    assert entry.actor == users["bureau"] and entry.new["new"] == 2


def test_reimporting_the_same_file_changes_nothing(tmp_path, district, users, codes):
    path = xlsx(tmp_path / "tax.xlsx", TAX_HEADER, [[codes["bearings"], "", 1500.5, 120]])
    first, _ = apply(users, "tax", path)
    changes = AnnualDataChange.objects.count()
    again, preview = apply(users, "tax", path)
    assert again is None and preview.counts == {"new": 0, "changed": 0, "unchanged": 1}
    assert ImportBatch.objects.count() == 1 and AnnualDataChange.objects.count() == changes
    assert annual(district["bearings"]).sources == {"tax": first.pk, "social_insurance": first.pk}


def test_a_changed_value_keeps_its_history(tmp_path, district, users, codes):
    first, _ = apply(
        users, "tax", xlsx(tmp_path / "a.xlsx", TAX_HEADER, [[codes["bearings"], "", 1500, 120]])
    )
    second, preview = apply(
        users, "tax", xlsx(tmp_path / "b.xlsx", TAX_HEADER, [[codes["bearings"], "", 1600, 120]])
    )
    assert preview.counts == {"new": 0, "changed": 1, "unchanged": 0}
    [row] = preview.samples["changed"]
    assert [(f.field, f.old, f.new) for f in row.fields] == [("tax", "1500", "1600")]
    record = annual(district["bearings"])
    assert record.tax == Decimal("1600") and record.sources == {
        "tax": second.pk,
        "social_insurance": first.pk,
    }
    [change] = AnnualDataChange.objects.filter(batch=second)
    assert (change.field, change.old_value, change.new_value, change.old_batch) == (
        "tax",
        "1500",
        "1600",
        first,
    )


def test_empty_cells_leave_stored_values_alone(tmp_path, district, users, codes):
    apply(users, "tax", xlsx(tmp_path / "a.xlsx", TAX_HEADER, [[codes["bearings"], "", 1500, 120]]))
    _, preview = apply(
        users, "tax", xlsx(tmp_path / "b.xlsx", TAX_HEADER, [[codes["bearings"], "", None, 130]])
    )
    record = annual(district["bearings"])
    assert (record.tax, record.social_insurance) == (Decimal("1500"), Decimal("130"))


def test_stats_updates_the_scale_and_rollback_restores_it(tmp_path, district, users, codes):
    row = [codes["fasteners"], "宁波骆驼紧固件厂", "规上", 25000, 24000, 23000, 5000, 180, 300, 900]
    batch, preview = apply(users, "stats", xlsx(tmp_path / "stats.xlsx", STATS_HEADER, [row]))
    assert preview.counts["changed"] == 1  # the scale changed
    district["fasteners"].refresh_from_db()
    assert district["fasteners"].scale == "规上"
    record = annual(district["fasteners"])
    assert (record.output_value, record.employees, record.energy_tce) == (
        Decimal("25000"),
        180,
        Decimal("900"),
    )
    batch_rollback(actor=users["bureau"], batch=batch, reason="测试")
    district["fasteners"].refresh_from_db()
    assert district["fasteners"].scale == "规下"
    assert not AnnualData.objects.filter(year=2024).exists()
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.ROLLED_BACK


def test_power_sums_the_meters_of_an_enterprise(tmp_path, district, users, codes):
    header = ["电表户号", "用电量（万千瓦时）", "统一社会信用代码"]
    rows = [
        ["A-1", 100, codes["bearings"]],
        ["A-2", 50.25, codes["bearings"]],
        ["B-1", 7, codes["chemicals"]],
    ]
    batch, preview = apply(users, "power", xlsx(tmp_path / "power.xlsx", header, rows))
    assert annual(district["bearings"]).electricity == Decimal("150.25")
    assert annual(district["chemicals"]).electricity == Decimal("7")
    assert sorted(r.rows for r in preview.samples["new"]) == [[2, 3], [4]]


def test_env_stores_the_pollutant_total(tmp_path, district, users, codes):
    header = ["统一社会信用代码", "COD（吨）", "氨氮（吨）", "SO2（吨）", "NOx（吨）", "排污权（吨）"]
    apply(users, "env", xlsx(tmp_path / "env.xlsx", header, [[codes["chemicals"], 1.5, 0.25, 2, None, 10]]))
    record = annual(district["chemicals"])
    assert (record.cod, record.ammonia, record.so2, record.nox) == (
        Decimal("1.5"),
        Decimal("0.25"),
        Decimal("2"),
        None,
    )
    assert record.emissions == Decimal("3.75") and record.emission_rights == Decimal("10")


def test_xls_round_trip(district, users):
    batch, _ = apply(users, "tax", DATA / "tax-2024.xls")
    assert annual(district["bearings"]).tax == Decimal("1500.5")
    assert annual(district["chemicals"]).social_insurance == Decimal("45")


LAND_HEADER = [
    "统一社会信用代码",
    "企业名称",
    "不动产权证号",
    "土地面积（㎡）",
    "用途",
    "出租给",
    "出租面积（㎡）",
]


def test_land_in_square_metres_with_leases_and_rollback(tmp_path, district, users, codes):
    new_certificate = "浙(2024)镇海区不动产权第0000100号"
    rows = [
        [codes["garments"], "", new_certificate, 20000, "工业用地", codes["fasteners"], 2000],
        [codes["garments"], "", new_certificate, 20000, "工业用地", codes["chemicals"], 1000],
        [codes["bearings"], "", "浙(2010)镇海区不动产权第0000001号", 40000, None, None, None],
    ]
    batch, preview = apply(users, "land", xlsx(tmp_path / "land.xlsx", LAND_HEADER, rows))
    assert preview.counts == {"new": 2, "changed": 0, "unchanged": 1}  # 40000 ㎡ is the 60 亩 stored
    parcel = LandParcel.objects.get(certificate_no=new_certificate)
    assert parcel.owner == district["garments"] and parcel.area_mu == Decimal("30.0000")
    assert district["parcel"].__class__.objects.get(pk=district["parcel"].pk).area_mu == Decimal("60.0000")
    leases = Lease.objects.filter(parcel=parcel).order_by("area_mu")
    assert [(lease.tenant, lease.area_mu, lease.start, lease.end) for lease in leases] == [
        (district["chemicals"], Decimal("1.5000"), dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        (district["fasteners"], Decimal("3.0000"), dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    ]
    assert evaluated_land_mu(2024)[district["garments"].pk] == Decimal("25.5")
    again, _ = apply(users, "land", xlsx(tmp_path / "land2.xlsx", LAND_HEADER, rows))
    assert again is None
    batch_rollback(actor=users["bureau"], batch=batch)
    assert not LandParcel.objects.filter(certificate_no=new_certificate).exists()
    assert Lease.objects.count() == 1


def test_a_lease_spanning_years_cannot_be_resized_by_a_yearly_file(tmp_path, district, users, codes):
    header = ["统一社会信用代码", "不动产权证号", "土地面积（亩）", "用途", "出租给", "出租面积（亩）"]
    certificate = district["parcel"].certificate_no
    path = xlsx(
        tmp_path / "land.xlsx",
        header,
        [[codes["bearings"], certificate, 60, "工业用地", codes["fasteners"], 9]],
    )
    from zhuanxing.imports.validate import check_file

    [problem] = check_file("land", path, year=2024).problems
    assert problem.row == 2 and problem.column == "出租面积（亩）" and "跨越多个年度" in problem.reason
    same = xlsx(
        tmp_path / "same.xlsx",
        header,
        [[codes["bearings"], certificate, 60, "工业用地", codes["fasteners"], 8]],
    )
    assert check_file("land", same, year=2024).ok


REGISTRY_HEADER = ["统一社会信用代码", "企业名称", "所属镇街", "行业代码", "规模", "成立日期", "标签"]


def test_registry_creates_and_updates_enterprises_and_rolls_back(tmp_path, district, users, codes):
    rows = [
        [
            uscc_for(70),
            "宁波新材料科技有限公司",
            "澥浦镇",
            "2651",
            "规上",
            "2020年3月1日",
            "专精特新、高新技术企业",
        ],
        [codes["garments"], None, "luotuo", None, None, None, "外资企业"],
        [codes["bearings"], "宁波恒达轴承有限公司", None, None, None, None, None],
    ]
    batch, preview = apply(users, "registry", xlsx(tmp_path / "registry.xlsx", REGISTRY_HEADER, rows))
    assert preview.counts == {"new": 1, "changed": 1, "unchanged": 1}
    created = Enterprise.objects.get(uscc=uscc_for(70))
    assert (created.town, created.industry_id, created.scale, created.founded) == (
        district["xiepu"],
        "2651",
        "规上",
        dt.date(2020, 3, 1),
    )
    assert sorted(created.tags.values_list("name", flat=True)) == ["专精特新", "高新技术企业"]
    garments = Enterprise.objects.get(pk=district["garments"].pk)
    assert garments.town == district["luotuo"] and list(garments.tags.values_list("name", flat=True)) == [
        "外资企业"
    ]
    batch_rollback(actor=users["bureau"], batch=batch)
    assert not Enterprise.objects.filter(uscc=uscc_for(70)).exists()
    garments.refresh_from_db()
    assert garments.town == district["xiepu"] and not garments.tags.exists()


def test_rollback_restores_the_previous_batch_and_is_refused_under_a_later_one(
    tmp_path, district, users, codes
):
    first, _ = apply(
        users, "tax", xlsx(tmp_path / "a.xlsx", TAX_HEADER, [[codes["bearings"], "", 1500, 120]])
    )
    second, _ = apply(
        users, "tax", xlsx(tmp_path / "b.xlsx", TAX_HEADER, [[codes["bearings"], "", 1600, 120]])
    )
    with pytest.raises(ValidationError) as refused:
        batch_rollback(actor=users["bureau"], batch=first)
    assert (
        f"批次#{second.pk}" in refused.value.messages[0]
        and "宁波恒达轴承有限公司的实缴税金" in refused.value.messages[0]
    )
    assert annual(district["bearings"]).tax == Decimal("1600")
    batch_rollback(actor=users["bureau"], batch=second, reason="报错了")
    record = annual(district["bearings"])
    assert record.tax == Decimal("1500") and record.sources == {"tax": first.pk, "social_insurance": first.pk}
    batch_rollback(actor=users["bureau"], batch=first)
    assert not AnnualData.objects.filter(year=2024).exists()
    assert AuditEntry.objects.filter(action="导入批次回滚").count() == 2
    with pytest.raises(ValidationError):
        batch_rollback(actor=users["bureau"], batch=first)


def test_a_later_batch_can_be_rolled_back_and_then_reimported(tmp_path, district, users, codes):
    path = xlsx(tmp_path / "a.xlsx", TAX_HEADER, [[codes["bearings"], "", 1500, 120]])
    first, _ = apply(users, "tax", path)
    batch_rollback(actor=users["bureau"], batch=first)
    again, preview = apply(users, "tax", path)
    assert again is not None and preview.counts["new"] == 1
    assert annual(district["bearings"]).sources == {"tax": again.pk, "social_insurance": again.pk}
