from __future__ import annotations

from pathlib import Path

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhuanxing.imports.sources import SOURCES
from zhuanxing.imports.validate import FIRST_YEAR, LAST_YEAR

ACCEPTED = (".xlsx", ".xls", ".csv")
MAX_UPLOAD = 50 * 1024 * 1024


def upload_problem(upload) -> str | None:
    """Why an uploaded department file is refused before it is stored or read, or None: the one
    rule for the page, the API and (through ``check_file``) the command line."""
    if Path(upload.name).suffix.lower() not in ACCEPTED:
        return f"文件「{Path(upload.name).name}」不是 .xlsx、.xls 或 .csv 文件"
    if upload.size > MAX_UPLOAD:
        return f"文件「{Path(upload.name).name}」有 {upload.size / 1024 / 1024:.1f} MB，超过上限 {MAX_UPLOAD // 1024 // 1024} MB"
    return None


class UploadForm(forms.Form):
    source = forms.ChoiceField(
        label=_("数据来源"), choices=[(s.id, f"{s.label}（{s.department}）") for s in SOURCES.values()]
    )
    year = forms.IntegerField(label=_("年度"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    file = forms.FileField(label=_("文件（.xlsx、.xls 或 .csv）"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year - 1
        self.fields["file"].widget.attrs["accept"] = ",".join(ACCEPTED)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        problem = upload_problem(upload)
        if problem:
            raise forms.ValidationError(problem)
        return upload


class RollbackForm(forms.Form):
    reason = forms.CharField(label=_("回滚原因"), max_length=500)
