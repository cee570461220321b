"""Attachments are accepted by their content, not their name (issue 18 §7): HTML, SVG and
executables are refused whatever they are called, files over the limit are refused, and
objection evidence is downloaded only by the staff who decide it and the enterprise that sent it."""

from __future__ import annotations

import io
import zipfile

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhuanxing.attachments import DOCUMENTS, EVIDENCE, AttachmentField, sniff


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


PDF = b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n"
DOCX = _zip("[Content_Types].xml", "word/document.xml")
CASES = [
    ("材料.pdf", PDF, "PDF"),
    ("照片.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG 图片"),
    ("截图.png", b"\x89PNG\r\n\x1a\n\x00\x00", "PNG 图片"),
    ("说明.docx", DOCX, "Word 文档"),
    ("报表.xlsx", _zip("[Content_Types].xml", "xl/workbook.xml"), "Excel 表格"),
    ("公文.ofd", _zip("OFD.xml", "Doc_0/Document.xml"), "OFD 版式文档"),
    ("材料.pdf", b"MZ\x90\x00\x03\x00\x00\x00", None),  # an executable renamed
    ("图.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', None),
    ("说明.pdf", b"<!DOCTYPE html><html><script>", None),
    ("压缩包.docx", _zip("a.exe"), None),  # a zip that is no Office document
]


@pytest.mark.parametrize(("name", "content", "kind"), CASES)
def test_the_kind_is_read_from_the_content(name, content, kind):
    assert sniff(SimpleUploadedFile(name, content)) == kind


@pytest.mark.parametrize(("name", "content", "kind"), CASES)
def test_the_field_takes_only_accepted_kinds_and_names_the_file(name, content, kind):
    field = AttachmentField(kinds=EVIDENCE)
    upload = SimpleUploadedFile(name, content)
    if kind is None:
        with pytest.raises(forms.ValidationError, match=f"文件「{name}」的内容不是可接受的类型"):
            field.clean(upload)
    else:
        assert field.clean(upload) is upload


def test_policy_documents_take_documents_only():
    with pytest.raises(forms.ValidationError):
        AttachmentField(kinds=DOCUMENTS).clean(SimpleUploadedFile("图.png", b"\x89PNG\r\n\x1a\n\x00"))


def test_a_file_over_the_limit_is_refused_naming_its_size():
    field = AttachmentField(max_bytes=1024 * 1024)
    with pytest.raises(forms.ValidationError, match="文件「大.pdf」有 2.0 MB，超过上限 1 MB"):
        field.clean(SimpleUploadedFile("大.pdf", PDF + b"0" * 2 * 1024 * 1024))


@pytest.mark.django_db
def test_objection_evidence_is_refused_by_content_and_downloaded_by_staff(
    yearly_data, users, client_for, settings, tmp_path
):
    from tests.evaluation.fixtures import TEST_SCHEME
    from zhuanxing.evaluation import services
    from zhuanxing.evaluation.models import Objection

    settings.MEDIA_ROOT = tmp_path
    run = services.run_create(actor=users["bureau"], year=2024, scheme_text=TEST_SCHEME)
    services.run_publish(actor=users["bureau"], run=run, days=7)
    own = run.results.get(enterprise=users["enterprise"].enterprise)
    enterprise = client_for("enterprise")
    url = reverse("evaluation:objection_create", args=[own.pk])
    form = {"field": "tax", "reason": "税金少算了一笔"}
    refused = enterprise.post(
        url, form | {"attachment": SimpleUploadedFile("证明.pdf", b"MZ\x90\x00")}, follow=True
    )
    assert "内容不是可接受的类型" in refused.content.decode() and not Objection.objects.exists()
    enterprise.post(url, form | {"attachment": SimpleUploadedFile("证明.pdf", PDF)})
    objection = Objection.objects.get()
    evidence = reverse("evaluation:objection_evidence", args=[objection.pk])
    listed = client_for("bureau").get(reverse("evaluation:objection_list")).content.decode()
    assert evidence in listed
    response = client_for("bureau").get(evidence)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF
    assert enterprise.get(evidence).status_code == 200
    assert client_for("town").get(evidence).status_code == 403
