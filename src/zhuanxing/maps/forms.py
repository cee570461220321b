from __future__ import annotations

from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from zhuanxing.maps import geometry as geo

ACCEPTED = (".geojson", ".json", ".zip", ".xlsx", ".xls", ".csv")
MAX_UPLOAD = 100 * 1024 * 1024


class ShapeUploadForm(forms.Form):
    file = forms.FileField(label=_("宗地图形文件（GeoJSON、压缩的 Shapefile 或带 WKT 列的表格）"))
    crs = forms.CharField(
        label=_("坐标系（留空为经纬度 EPSG:4490）"),
        required=False,
        max_length=40,
        help_text=_("投影坐标请填 EPSG 代码，如 EPSG:4549（CGCS2000 3度带 中央经线120°E）"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ",".join(ACCEPTED)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in ACCEPTED:
            raise forms.ValidationError("请上传 .geojson、.json、.zip（Shapefile）、.xlsx、.xls 或 .csv 文件")
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError("文件超过 100 MB")
        return upload

    def clean_crs(self):
        value = self.cleaned_data["crs"].strip()
        if value:
            try:
                geo.parse_crs(value)
            except ValueError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return value
