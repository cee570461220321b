"""The pages and the API: upload → preview → confirm, rollback, and .xlsx exports."""

import io
import zipfile
from decimal import Decimal

import polars as pl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.imports.conftest import TAX_HEADER
from tests.imports.files import xlsx
from zhuanxing.registry.models import AnnualData, Enterprise, ImportBatch
from zhuanxing.web.exports import xlsx_bytes

pytestmark = pytest.mark.django_db


def upload(client, path, source="tax", year=2024):
    data = {"source": source, "year": year, "file": SimpleUploadedFile(path.name, path.read_bytes())}
    return client.post(reverse("imports:home"), data)


def test_upload_preview_confirm(tmp_path, client_for, district, media_root):
    client = client_for("bureau")
    path = xlsx(tmp_path / "税务.xlsx", TAX_HEADER, [[district["bearings"].uscc, "", 1500, 120]])
    response = upload(client, path)
    assert response.status_code == 302
    preview_url = response["Location"]
    page = client.get(preview_url).content.decode()
    assert "检查通过" in page and "实缴税金（万元）：— → 1500" in page
    assert not AnnualData.objects.exists()
    assert len(list((media_root / "imports").iterdir())) == 1  # kept on the server, by hash
    response = client.post(preview_url)
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("imports:batch_detail", args=[batch.pk])
    assert AnnualData.objects.get().tax == Decimal("1500")
    assert client.get(preview_url).status_code == 404  # the upload is used up
    detail = client.get(
        reverse("registry:enterprise_detail", args=[district["bearings"].uscc])
    ).content.decode()
    assert "税务 · 税务.xlsx" in detail
    file = client.get(reverse("imports:batch_file", args=[batch.pk]))
    assert b"".join(file.streaming_content) == path.read_bytes()


def test_the_batch_page_names_changed_fields_and_formats_their_values(tmp_path, client_for, district):
    client = client_for("bureau")
    for n, tax in enumerate([1500, "16881.85"]):
        path = xlsx(tmp_path / f"税务{n}.xlsx", TAX_HEADER, [[district["bearings"].uscc, "", tax, 120]])
        client.post(upload(client, path)["Location"])
    page = client.get(reverse("imports:batch_detail", args=[ImportBatch.objects.latest("pk").pk])).content
    page = page.decode()
    assert "<td>实缴税金</td>" in page and "<td>tax</td>" not in page
    assert "1,500.00" in page and "16,881.85" in page


def test_problems_are_listed_and_confirm_is_refused(tmp_path, client_for, district):
    client = client_for("bureau")
    path = xlsx(tmp_path / "tax.xlsx", TAX_HEADER, [[district["bearings"].uscc, "", "abc", 120]])
    preview_url = upload(client, path)["Location"]
    page = client.get(preview_url).content.decode()
    assert "发现 1 个问题，未导入任何数据" in page and "应为数字" in page and "确认导入" not in page
    response = client.post(preview_url)
    assert response.status_code == 422 and not ImportBatch.objects.exists()


def test_another_session_cannot_confirm_an_upload(tmp_path, client_for, district):
    path = xlsx(tmp_path / "tax.xlsx", TAX_HEADER, [[district["bearings"].uscc, "", 1500, 120]])
    preview_url = upload(client_for("bureau"), path)["Location"]
    assert client_for("admin").post(preview_url).status_code == 404
    assert not ImportBatch.objects.exists()


def test_rollback_page(tmp_path, client_for, district):
    client = client_for("bureau")
    path = xlsx(tmp_path / "tax.xlsx", TAX_HEADER, [[district["bearings"].uscc, "", 1500, 120]])
    client.post(upload(client, path)["Location"])
    batch = ImportBatch.objects.get()
    url = reverse("imports:batch_rollback", args=[batch.pk])
    client.post(url, {"reason": "报错了"})
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.ROLLED_BACK and not AnnualData.objects.exists()
    assert client_for("town").post(url, {"reason": "x"}).status_code == 403


def test_template_download(client_for):
    response = client_for("bureau").get(reverse("imports:template", args=["power"]))
    assert pl.read_excel(io.BytesIO(response.content)).columns == [
        "统一社会信用代码",
        "电表户号",
        "用电量（万千瓦时）",
    ]


def cell_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "=cmd|' /C calc'!A0"]
)
def test_exports_write_formula_like_text_as_literal_text(text):
    content = xlsx_bytes({"数据": (["名称", "数值"], [[text, 1.5]])})
    sheet = cell_xml(content)
    assert "<f>" not in sheet  # no formula cell
    assert pl.read_excel(io.BytesIO(content)).row(0) == (text, 1.5)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert 'quotePrefix="1"' in archive.read("xl/styles.xml").decode()


def test_enterprise_list_exports_the_whole_filtered_list(client_for, district):
    Enterprise.objects.filter(pk=district["garments"].pk).update(name="=1+1 宁波庄市制衣有限公司")
    response = client_for("town").get(reverse("registry:enterprise_list"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    frame = pl.read_excel(io.BytesIO(response.content))
    assert sorted(frame.get_column("企业名称").to_list()) == [
        "宁波恒达轴承有限公司",
        "宁波骆驼紧固件厂",
    ]  # the town's own
    staff = pl.read_excel(
        io.BytesIO(
            client_for("bureau")
            .get(reverse("registry:enterprise_list"), {"format": "xlsx", "town": "xiepu"})
            .content
        )
    )
    assert sorted(staff.get_column("企业名称").to_list()) == [
        "=1+1 宁波庄市制衣有限公司",
        "宁波澥浦精细化工有限公司",
    ]


def test_batch_list_export(tmp_path, client_for, district):
    client = client_for("bureau")
    path = xlsx(tmp_path / "tax.xlsx", TAX_HEADER, [[district["bearings"].uscc, "", 1500, 120]])
    client.post(upload(client, path)["Location"])
    frame = pl.read_excel(io.BytesIO(client.get(reverse("imports:home"), {"format": "xlsx"}).content))
    assert frame.select("数据来源", "文件名", "新增").row(0) == ("税务", "tax.xlsx", 1)


def test_api_check_apply_and_rollback(tmp_path, client_for, district):
    client = client_for("bureau")
    bad = xlsx(tmp_path / "bad.xlsx", TAX_HEADER, [[district["bearings"].uscc, "", "abc", 120]])
    result = client.post(
        "/api/imports/tax/check", {"year": 2024, "file": SimpleUploadedFile("bad.xlsx", bad.read_bytes())}
    ).json()
    assert result["ok"] is False
    assert result["problems"] == [
        {
            "row": 2,
            "column": "实缴税金（万元）",
            "value": "abc",
            "reason": "应为数字",
            "message": "第2行，「实缴税金（万元）」列，值「abc」：应为数字",
        }
    ]
    refused = client.post(
        "/api/imports/tax/apply", {"year": 2024, "file": SimpleUploadedFile("bad.xlsx", bad.read_bytes())}
    )
    assert refused.status_code == 422 and "应为数字" in refused.json()["detail"]
    good = xlsx(tmp_path / "good.xlsx", TAX_HEADER, [[district["bearings"].uscc, "", 1500, 120]])
    checked = client.post(
        "/api/imports/tax/check", {"year": 2024, "file": SimpleUploadedFile("good.xlsx", good.read_bytes())}
    ).json()
    assert checked["ok"] and checked["counts"] == {"new": 1, "changed": 0, "unchanged": 0}
    applied = client.post(
        "/api/imports/tax/apply", {"year": 2024, "file": SimpleUploadedFile("good.xlsx", good.read_bytes())}
    )
    assert applied.status_code == 201
    batch_id = applied.json()["batch"]["id"]
    assert client.get("/api/imports/batches").json()["items"][0]["id"] == batch_id
    rolled = client.post(
        f"/api/imports/batches/{batch_id}/rollback", {"reason": "测试"}, content_type="application/json"
    )
    assert rolled.json()["state"] == "rolled_back" and not AnnualData.objects.exists()
    town = client_for("town").post(
        "/api/imports/tax/check", {"year": 2024, "file": SimpleUploadedFile("good.xlsx", good.read_bytes())}
    )
    assert town.status_code == 403


def test_the_api_keeps_the_pages_size_and_type_limits(client_for, district, monkeypatch):
    from zhuanxing.imports import forms

    client = client_for("bureau")
    wrong = client.post(
        "/api/imports/tax/check", {"year": 2024, "file": SimpleUploadedFile("税务.exe", b"MZ")}
    )
    assert wrong.status_code == 422
    assert wrong.json()["detail"] == "文件「税务.exe」不是 .xlsx、.xls 或 .csv 文件"
    monkeypatch.setattr(forms, "MAX_UPLOAD", 1024 * 1024)
    big = SimpleUploadedFile("税务.csv", b"a,b\n" + b"1,2\n" * 600_000)
    refused = client.post("/api/imports/tax/apply", {"year": 2024, "file": big})
    assert refused.status_code == 422 and "有 2.3 MB，超过上限" in refused.json()["detail"]
