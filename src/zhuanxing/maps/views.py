"""The 亩均地图 pages. Thin: access.py decides, selectors read."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from zhuanxing.maps import access, selectors
from zhuanxing.registry.models import IndustryCluster, Town
from zhuanxing.web.exports import file_response, xlsx_response

CLASSES = ("A", "B", "C", "D", "无")
LAYERS = [
    ("class", "按评价等级"),
    ("tax", "按亩均税收"),
    ("va", "按亩均增加值"),
    ("low", "低效用地"),
    ("leased", "出租土地"),
    ("towns", "镇街对比"),
]
EXPORT_HEADERS = [
    "不动产权证号",
    "统一社会信用代码",
    "企业名称",
    "镇街",
    "登记面积（亩）",
    "图形面积（亩）",
    "评价等级",
    "亩均税收（万元/亩）",
    "亩均增加值（万元/亩）",
    "出租面积（亩）",
    "中心经度",
    "中心纬度",
    "面积核对",
]


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError as exc:
        raise Http404(f"参数「{value}」不是整数") from exc


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _view(request) -> tuple[selectors.View, float | None, int]:
    """The view the request asks for, within what the user may see. Http404 with a message
    for an unknown year, run or cluster."""
    town_ids = access.visible_town_ids(request.user, _int(request.GET.get("town")))
    year = _int(request.GET.get("year")) or selectors.default_year()
    selectors.require_year(year)
    cluster = None
    if request.GET.get("cluster"):
        cluster = IndustryCluster.objects.filter(code=request.GET["cluster"]).first()
        if cluster is None:
            raise Http404(f"没有代码为「{request.GET['cluster']}」的产业集群")
    classes = tuple(c for c in request.GET.getlist("class") if c in CLASSES)
    bbox = None
    if request.GET.get("bbox"):
        try:
            parts = [float(v) for v in request.GET["bbox"].split(",")]
        except ValueError as exc:
            raise Http404("bbox 应为 最小经度,最小纬度,最大经度,最大纬度") from exc
        if len(parts) == 4:
            bbox = tuple(parts)
    run_id = _int(request.GET.get("run"))
    selectors.map_run(year, run_id)  # an unknown run: 404 with its message
    view = selectors.View(
        year=year, town_ids=town_ids, bbox=bbox, cluster=cluster, classes=classes, run_id=run_id
    )
    return view, _float(request.GET.get("threshold")), _int(request.GET.get("zoom")) or 12


@login_required
def map_page(request):
    access.access_map(request.user)
    years = selectors.map_years()
    problem = ""
    try:
        year = _int(request.GET.get("year")) or selectors.default_year()
        selectors.require_year(year)
        run = selectors.map_run(year, _int(request.GET.get("run")))
    except Http404 as exc:
        problem, year, run = str(exc), None, None
    towns_visible = access.visible_town_ids(request.user)
    towns = Town.objects.all() if towns_visible is None else Town.objects.filter(pk__in=towns_visible)
    config = {
        "dataUrl": reverse("maps:data"),
        "enterpriseUrl": reverse("registry:enterprise_detail", kwargs={"uscc": "USCC"}),
        "tiles": settings.ZHUANXING_MAP_TILES,
        "attribution": settings.ZHUANXING_MAP_TILES_ATTRIBUTION,
        "shapesFromZoom": selectors.SHAPES_FROM_ZOOM,
    }
    return render(
        request,
        "maps/map.html",
        {
            "problem": problem,
            "year": year,
            "years": years,
            "run": run,
            "towns": towns,
            "all_towns": access.can_see_all_towns(request.user),
            "can_import": access.can_see_all_towns(request.user),
            "clusters": IndustryCluster.objects.all(),
            "classes": CLASSES,
            "layers": LAYERS,
            "selected": {
                "town": request.GET.get("town", ""),
                "cluster": request.GET.get("cluster", ""),
                "classes": request.GET.getlist("class"),
                "layer": request.GET.get("layer", "class"),
                "threshold": request.GET.get("threshold", ""),
            },
            "boundaries": selectors.towns_with_boundaries(towns_visible),
            "config": config,
        },
    )


@login_required
def map_data(request):
    """JSON for the page: the view's shapes or cells, and the towns' totals."""
    try:
        view, threshold, zoom = _view(request)
    except Http404 as exc:
        return JsonResponse({"detail": str(exc), "errors": {}}, status=404)
    except PermissionDenied as exc:
        return JsonResponse({"detail": str(exc) or "没有权限", "errors": {}}, status=403)
    return JsonResponse(
        selectors.view_data(view, zoom, threshold),
        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
    )


def _export_rows(request):
    view, threshold, _zoom = _view(request)
    rows, run = selectors.parcel_rows(view)
    towns = dict(Town.objects.values_list("pk", "name"))
    layer = request.GET.get("layer", "")
    if layer == "low":
        rows = [r for r in rows if selectors.is_low(r, threshold)]
    elif layer == "leased":
        rows = [r for r in rows if r["leased_mu"]]
    return rows, towns


@login_required
def export_geojson(request):
    rows, _towns = _export_rows(request)
    body = selectors.feature_collection_text(rows)
    return file_response(body.encode(), "亩均地图宗地.geojson", "application/geo+json")


@login_required
def export_xlsx(request):
    rows, towns = _export_rows(request)
    return xlsx_response(
        "亩均地图宗地.xlsx",
        EXPORT_HEADERS,
        (
            [
                r["certificate_no"],
                r["owner__uscc"],
                r["owner__name"],
                towns.get(r["shown_town_id"], ""),
                float(r["area_mu"]),
                None if r["drawn_mu"] is None else float(r["drawn_mu"]),
                r["class"] or "",
                r["tax_per_mu"],
                r["va_per_mu"],
                r["leased_mu"] or None,
                r["centroid_lon"],
                r["centroid_lat"],
                r["area_warning"],
            ]
            for r in rows
        ),
        sheet="宗地",
    )


@login_required
def shape_import(request):
    """Upload a parcel-shape file; it is kept under MEDIA_ROOT/imports/ and checked on the next page."""
    from django.shortcuts import redirect

    from zhuanxing.imports.services import store_upload
    from zhuanxing.maps.forms import ShapeUploadForm

    access.access_shape_import(request.user)
    form = ShapeUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        sha256, path = store_upload(upload)
        uploads = request.session.get(access.UPLOAD_SESSION_KEY, {})
        uploads[sha256] = {"file_name": upload.name, "suffix": path.suffix, "crs": form.cleaned_data["crs"]}
        request.session[access.UPLOAD_SESSION_KEY] = uploads
        return redirect("maps:shape_preview", sha256=sha256)
    return render(request, "maps/import.html", {"form": form})


@login_required
def shape_preview(request, sha256: str):
    """Check → preview (problems, area warnings, counts) → confirm: all shapes or none."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from zhuanxing.imports.services import upload_path
    from zhuanxing.maps.check import check_shapes
    from zhuanxing.maps.services import ShapesRefused, parcel_shapes_apply

    upload = access.access_shape_upload(request, sha256)
    path = upload_path(sha256, upload["suffix"])
    if not path.exists():
        raise Http404("上传的文件已不在服务器上，请重新上传")
    context = {"upload": upload, "sha256": sha256}
    if request.method == "POST":
        try:
            batch, checked = parcel_shapes_apply(
                actor=request.user, path=path, file_name=upload["file_name"], crs=upload["crs"] or None
            )
        except ShapesRefused as refused:
            return render(
                request, "maps/import_preview.html", context | {"checked": refused.checked}, status=422
            )
        uploads = request.session.get(access.UPLOAD_SESSION_KEY, {})
        uploads.pop(sha256, None)
        request.session[access.UPLOAD_SESSION_KEY] = uploads
        if batch is None:
            messages.info(request, "文件中的宗地界线与现有的一致，没有需要导入的变更，未记录新的批次。")
        else:
            messages.success(
                request,
                f"已导入宗地图形：批次 #{batch.pk}（改变 {batch.summary['changed']} 宗，面积警告 {batch.summary['warnings']} 宗）",
            )
        return redirect("maps:map")
    checked = check_shapes(path, crs=upload["crs"] or None)
    return render(request, "maps/import_preview.html", context | {"checked": checked})
