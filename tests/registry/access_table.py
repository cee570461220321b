from tests.access import LOGIN, STAFF_ONLY

REGISTRY_READERS = [LOGIN, 200, 200, 200, 200, 403, 403]
API_REGISTRY_READERS = [401, 200, 200, 200, 200, 403, 403]


def own_enterprise(d):
    return {"uscc": d["bearings"].uscc}


def other_town_enterprise(d):
    return {"uscc": d["chemicals"].uscc}


ACCESS_TABLE = {
    "registry:enterprise_list": (None, REGISTRY_READERS),
    "registry:enterprise_create": (None, STAFF_ONLY),
    "registry:enterprise_suggest": (None, REGISTRY_READERS),
    "registry:enterprise_detail": (own_enterprise, REGISTRY_READERS),
    "registry:enterprise_edit": (own_enterprise, STAFF_ONLY),
    "api:list_towns": (None, API_REGISTRY_READERS),
    "api:list_clusters": (None, API_REGISTRY_READERS),
    "api:list_enterprises": (None, API_REGISTRY_READERS),
    # same path as the list: GET lists; the POST that creates is tested with the API
    "api:create_enterprise": (None, API_REGISTRY_READERS),
    "api:get_enterprise": (own_enterprise, API_REGISTRY_READERS),
    "api:update_enterprise": (
        own_enterprise,
        API_REGISTRY_READERS,
    ),  # GET of the detail path; PATCH is staff-only
}
# Another town's enterprise: only staff see it; others get 404 so they cannot probe codes.
CROSS_CHECKS = {
    "registry:enterprise_detail": (other_town_enterprise, [LOGIN, 200, 200, 404, 404, 403, 403]),
    "api:get_enterprise": (other_town_enterprise, [401, 200, 200, 404, 404, 403, 403]),
}
