"""Warnings computed from the records after an import, listed per town, moved along with audit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhuanxing.accounts.models import AuditEntry
from zhuanxing.dashboard import services
from zhuanxing.dashboard.models import EnterpriseWarning
from zhuanxing.registry.models import AnnualData

pytestmark = pytest.mark.django_db
State = EnterpriseWarning.State


def test_a_tax_jump_is_found_and_computing_again_adds_nothing(district):
    AnnualData.objects.create(enterprise=district["bearings"], year=2023, tax=Decimal(10))
    AnnualData.objects.create(enterprise=district["bearings"], year=2024, tax=Decimal(80))
    AnnualData.objects.create(enterprise=district["chemicals"], year=2023, tax=Decimal(100))
    AnnualData.objects.create(enterprise=district["chemicals"], year=2024, tax=Decimal(90))
    assert services.warnings_compute(years=[2024]) >= 1
    found = set(EnterpriseWarning.objects.values_list("enterprise__name", "year", "rule"))
    assert ("宁波恒达轴承有限公司", 2024, "tax-jump") in found
    assert not any(name == "宁波澥浦精细化工有限公司" and rule == "tax-jump" for name, _y, rule in found)
    assert services.warnings_compute(years=[2024]) == 0


def test_moves_need_a_note_to_verify_and_are_audited(district, users):
    warning = EnterpriseWarning.objects.create(
        enterprise=district["bearings"], year=2024, rule="x", label="测试"
    )
    with pytest.raises(Exception, match="核实说明"):
        services.warning_move(actor=users["bureau"], warning=warning, to=State.VERIFIED)
    services.warning_move(
        actor=users["bureau"], warning=warning, to=State.VERIFIED, note="已电话核实，税款延期缴纳"
    )
    with pytest.raises(Exception, match="不能改为"):
        services.warning_move(actor=users["bureau"], warning=warning, to=State.NEW)
    services.warning_move(actor=users["bureau"], warning=warning, to=State.HANDLED)
    entries = AuditEntry.objects.filter(action="预警处理").order_by("pk")
    assert [e.new["state"] for e in entries] == ["已核实", "已处理"] and entries[0].old["state"] == "新"


def test_town_official_sees_and_moves_only_its_towns_warnings(client_for, district):
    own = EnterpriseWarning.objects.create(
        enterprise=district["bearings"], year=2024, rule="x", label="本镇预警"
    )
    other = EnterpriseWarning.objects.create(
        enterprise=district["chemicals"], year=2024, rule="x", label="他镇预警"
    )
    html = client_for("town").get("/warnings/").content.decode()
    assert "本镇预警" in html and "他镇预警" not in html
    assert client_for("town").post(f"/warnings/{other.pk}/move/", {"to": "误报"}).status_code == 404
    client_for("town").post(f"/warnings/{own.pk}/move/", {"to": "误报"})
    own.refresh_from_db()
    assert own.state == "误报"
    dossier = client_for("bureau").get(f"/dossier/{district['chemicals'].pk}/").content.decode()
    assert "他镇预警" in dossier


def test_an_import_computes_the_warnings_when_it_commits(
    tmp_path, district, users, settings, django_capture_on_commit_callbacks
):
    from tests.imports.conftest import TAX_HEADER
    from tests.imports.files import xlsx
    from zhuanxing.imports.services import batch_apply

    settings.MEDIA_ROOT = tmp_path / "media"
    AnnualData.objects.create(enterprise=district["bearings"], year=2023, tax=Decimal(10))
    path = xlsx(tmp_path / "税务2024.xlsx", TAX_HEADER, [[district["bearings"].uscc, "", 90, 1]])
    with django_capture_on_commit_callbacks(execute=True):
        batch_apply(actor=users["bureau"], source="tax", path=path, file_name=path.name, year=2024)
    assert EnterpriseWarning.objects.filter(
        enterprise=district["bearings"], year=2024, rule="tax-jump"
    ).exists()


def test_a_rollback_computes_the_warnings_of_the_restored_figures(
    tmp_path, district, users, settings, django_capture_on_commit_callbacks
):
    from tests.imports.conftest import TAX_HEADER
    from tests.imports.files import xlsx
    from zhuanxing.imports.services import batch_apply, batch_rollback

    settings.MEDIA_ROOT = tmp_path / "media"
    AnnualData.objects.create(enterprise=district["bearings"], year=2023, tax=Decimal(10))
    AnnualData.objects.create(enterprise=district["bearings"], year=2024, tax=Decimal(90))
    path = xlsx(tmp_path / "税务2024.xlsx", TAX_HEADER, [[district["bearings"].uscc, "", 11, 1]])
    with django_capture_on_commit_callbacks(execute=True):
        batch, _preview = batch_apply(
            actor=users["bureau"], source="tax", path=path, file_name=path.name, year=2024
        )
    jump = EnterpriseWarning.objects.filter(enterprise=district["bearings"], year=2024, rule="tax-jump")
    assert not jump.exists()  # 10 → 11 is no jump
    with django_capture_on_commit_callbacks(execute=True):
        batch_rollback(actor=users["bureau"], batch=batch, reason="文件有误")
    assert AnnualData.objects.get(enterprise=district["bearings"], year=2024).tax == Decimal(90)
    assert jump.exists()  # 10 → 90 again, found without anyone computing by hand


def test_a_bad_rule_file_is_refused_and_the_previous_rules_stay(client_for, district):
    from zhuanxing.dashboard.services import active_rules

    client = client_for("bureau")
    before = [rule.id for rule in active_rules().rules]
    bad = 'district: 镇海区\nrules:\n  - {id: a, label: 测试, when: "taxx > 1", params: {k: 高}}\n'
    html = client.post("/warnings/rules/", {"text": bad}).content.decode()
    assert "rules[0].when：未知的列「taxx」" in html and "rules[0].params.k：应为数值，实际为「高」" in html
    assert [rule.id for rule in active_rules().rules] == before
    good = 'district: 镇海区\nrules:\n  - {id: big-tax, label: 税金过亿, when: "tax > limit", params: {limit: 10000}}\n'
    assert client.post("/warnings/rules/", {"text": good}).status_code == 302
    assert [rule.id for rule in active_rules().rules] == ["big-tax"]
    assert AuditEntry.objects.filter(action="预警规则修改").count() == 1
