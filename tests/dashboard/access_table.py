from tests.access import API_STAFF_ONLY, STAFF_ONLY


def year(d):
    return None


ACCESS_TABLE = {
    "dashboard:cockpit": (None, STAFF_ONLY),
    "dashboard:cockpit_xlsx": (None, STAFF_ONLY),
    "dashboard:cockpit_pdf": (None, STAFF_ONLY),
    "api:dashboard_cockpit": (None, API_STAFF_ONLY),
}
