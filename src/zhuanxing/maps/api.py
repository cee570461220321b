"""Map JSON API: the parcels of a year as GeoJSON (the contract), same access as the page."""

from __future__ import annotations

from django.http import HttpResponse
from ninja import Query, Router, Schema

from zhuanxing.maps import access, selectors

router = Router(tags=["亩均地图 map"])


class ParcelFilters(Schema):
    year: int | None = None
    town: int | None = None
    run: int | None = None


@router.get(
    "/parcels",
    url_name="map_parcels",
    summary="宗地 GeoJSON（经纬度）：权证号、企业、登记面积、图形面积、等级、亩均税收",
)
def parcels(request, filters: Query[ParcelFilters]):
    """A FeatureCollection in lon/lat. Each feature's properties are exactly ``certificate_no``,
    ``enterprise`` (credit code), ``declared_mu``, ``drawn_mu``, ``class`` (the year's latest
    published or final run, else null) and ``tax_per_mu`` (万元/亩). A town official gets its
    town only. An unknown year or run answers 404 with a message."""
    town_ids = access.visible_town_ids(request.user, filters.town)
    year = filters.year if filters.year is not None else selectors.default_year()
    selectors.require_year(year)
    rows, _run = selectors.parcel_rows(selectors.View(year=year, town_ids=town_ids, run_id=filters.run))
    return HttpResponse(selectors.feature_collection_text(rows), content_type="application/json")
