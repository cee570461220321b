"""What an uploaded attachment may be, decided by its content, never by its name.

One policy for every place people attach files (objection evidence, application attachments,
policy documents, proposals): PDF, images, Office and OFD documents, within a size limit.
HTML, SVG, scripts and executables are refused whatever they are called: a browser would run
them when staff open the file. Attachments are served only by permission-checked views as
downloads (``Content-Disposition: attachment``)."""

from __future__ import annotations

import zipfile

from django import forms

MAX_BYTES = 20 * 1024 * 1024

# The kinds by their first bytes; Office's zip formats are told apart by their parts below.
_SIGNATURES = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF87a", "GIF 图片"),
    (b"GIF89a", "GIF 图片"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Office 97–2003 文档"),
)
_OFFICE_PARTS = (("word/", "Word 文档"), ("xl/", "Excel 表格"), ("ppt/", "PowerPoint 演示文稿"))
DOCUMENTS = frozenset({"PDF", "Word 文档", "Office 97–2003 文档", "OFD 版式文档"})
EVIDENCE = DOCUMENTS | {"PNG 图片", "JPEG 图片", "GIF 图片", "Excel 表格", "PowerPoint 演示文稿"}


def sniff(upload) -> str | None:
    """The kind of the uploaded file from its content, or None when it is none we accept."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
        if "OFD.xml" in names:
            return "OFD 版式文档"
        if "[Content_Types].xml" in names:
            for prefix, kind in _OFFICE_PARTS:
                if any(name.startswith(prefix) for name in names):
                    return kind
    return None


class AttachmentField(forms.FileField):
    """A file field that accepts only ``kinds`` (as ``sniff`` names them) up to ``max_bytes``."""

    def __init__(self, *args, kinds=EVIDENCE, max_bytes: int = MAX_BYTES, **kwargs):
        self.kinds, self.max_bytes = kinds, max_bytes
        kwargs.setdefault(
            "help_text", f"可上传 {'、'.join(sorted(kinds))}，单个不超过 {max_bytes // 1024 // 1024} MB"
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload or not hasattr(upload, "read"):
            return upload
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                f"文件「{upload.name}」有 {upload.size / 1024 / 1024:.1f} MB，超过上限 {self.max_bytes // 1024 // 1024} MB"
            )
        kind = sniff(upload)
        if kind not in self.kinds:
            raise forms.ValidationError(
                f"文件「{upload.name}」的内容不是可接受的类型（可上传 {'、'.join(sorted(self.kinds))}；"
                "网页、SVG、脚本和可执行文件一律不收）"
            )
        return upload
