from tests.access import API_STAFF_ONLY, LOGIN, STAFF_ONLY

ACCESS_TABLE = {
    "dashboard:cockpit": (None, STAFF_ONLY),
    "dashboard:cockpit_xlsx": (None, STAFF_ONLY),
    "dashboard:cockpit_pdf": (None, STAFF_ONLY),
    "api:dashboard_cockpit": (None, API_STAFF_ONLY),
}


def own_dossier(d):
    return {"enterprise_id": d["bearings"].pk}


def other_town_dossier(d):
    return {"enterprise_id": d["chemicals"].pk}


# the town official works in 骆驼街道 (恒达轴承's town), the enterprise user for 恒达轴承
ACCESS_TABLE |= {
    "dashboard:dossier": (own_dossier, [LOGIN, 200, 200, 200, 200, 403, 403]),
    "api:dashboard_dossier": (own_dossier, [401, 200, 200, 200, 200, 403, 403]),
}
CROSS_CHECKS = {
    "dashboard:dossier": (other_town_dossier, [LOGIN, 200, 200, 404, 404, 403, 403]),
    "api:dashboard_dossier": (other_town_dossier, [401, 200, 200, 404, 404, 403, 403]),
}


def make_fixtures(fixtures):
    from zhuanxing.dashboard.models import EnterpriseWarning

    return {
        "warning_own_town": EnterpriseWarning.objects.create(
            enterprise=fixtures["bearings"], year=2024, rule="d-two-years", label="连续两年D类"
        )
    }


def own_town_warning(d):
    return {"warning_id": d["warning_own_town"].pk}


ACCESS_TABLE |= {
    "dashboard:warning_list": (None, [LOGIN, 200, 200, 200, 403, 403, 403]),
    "dashboard:warning_move": (own_town_warning, [LOGIN, 405, 405, 405, 405, 405, 405]),
}

ACCESS_TABLE |= {"dashboard:warning_rules": (None, STAFF_ONLY)}
