from decimal import Decimal

from tests.access import API_STAFF_ONLY, LOGIN, STAFF_ONLY

READERS = [LOGIN, 200, 200, 200, 200, 403, 403]
KEEPERS = [LOGIN, 200, 200, 200, 403, 403, 403]
API_READERS = [401, 200, 200, 200, 200, 403, 403]
POST_ONLY = [LOGIN, 405, 405, 405, 405, 405, 405]


def make_fixtures(fixtures):
    """A 机器换人 project of an enterprise in the town official's town (the enterprise user's own)
    and one in another town."""
    from zhuanxing.campaigns.models import AutomationProject

    def project(enterprise):
        return AutomationProject.objects.create(
            enterprise=enterprise,
            name="机器人上下料改造",
            year=2025,
            investment=Decimal(300),
            staff_before=30,
            staff_after=24,
        )

    return {"project_own": project(fixtures["bearings"]), "project_other": project(fixtures["chemicals"])}


def automation(d):
    return {"kind": "automation"}


def own_project(d):
    return {"kind": "automation", "pk": d["project_own"].pk}


def other_project(d):
    return {"kind": "automation", "pk": d["project_other"].pk}


def own_project_api(d):
    return {"kind": "automation", "record_id": d["project_own"].pk}


def other_project_api(d):
    return {"kind": "automation", "record_id": d["project_other"].pk}


ACCESS_TABLE = {
    "campaigns:index": (None, READERS),
    "campaigns:progress": (None, STAFF_ONLY),
    "campaigns:record_list": (automation, READERS),
    "campaigns:record_create": (automation, KEEPERS),
    "campaigns:record_export": (automation, READERS),
    "campaigns:record_template": (automation, KEEPERS),
    "campaigns:record_import": (automation, KEEPERS),
    "campaigns:record_import_confirm": (automation, POST_ONLY),
    "campaigns:record_edit": (own_project, KEEPERS),
    "campaigns:record_delete": (own_project, POST_ONLY),
    "api:campaign_summary": (None, API_STAFF_ONLY),
    "api:list_level_promotions": (None, API_STAFF_ONLY),
    "api:list_campaign_records": (automation, API_READERS),
    # same path as the list: GET lists; the POST that creates is tested with the API
    "api:create_campaign_record": (automation, API_READERS),
    "api:get_campaign_record": (own_project_api, API_READERS),
    # same path as the record: GET reads; the PATCH is tested with the API
    "api:update_campaign_record": (own_project_api, API_READERS),
}
# Another town's record: a town official and the enterprise user get 404 (they may not know it
# exists); the talent list names people and is for staff only.
CROSS_CHECKS = {
    "campaigns:record_edit": (other_project, [LOGIN, 200, 200, 404, 404, 403, 403]),
    "api:get_campaign_record": (other_project_api, [401, 200, 200, 404, 404, 403, 403]),
    "campaigns:record_list": (lambda d: {"kind": "talent"}, STAFF_ONLY),
    "api:list_campaign_records": (lambda d: {"kind": "talent"}, API_STAFF_ONLY),
}
