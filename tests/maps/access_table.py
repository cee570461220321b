from tests.access import LOGIN, STAFF_ONLY

# staff and town officials (the access fixtures hold yearly data, so the latest year answers)

MAP_PAGE = [LOGIN, 200, 200, 200, 403, 403, 403]
MAP_API = [401, 200, 200, 200, 403, 403, 403]

ACCESS_TABLE = {
    "api:map_parcels": (None, MAP_API),
    "maps:map": (None, MAP_PAGE),
    "maps:data": (None, [LOGIN, 200, 200, 200, 403, 403, 403]),
    "maps:export_geojson": (None, MAP_PAGE),
    "maps:export_xlsx": (None, MAP_PAGE),
    "maps:shape_import": (None, STAFF_ONLY),
    # an upload that is not this session's: 404 for staff, 403 for the others
    "maps:shape_preview": (lambda d: {"sha256": "0" * 64}, [LOGIN, 404, 404, 403, 403, 403, 403]),
}
