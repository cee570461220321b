"""Shared vocabulary for the per-app URL access tables (``tests/<app>/access_table.py``).

Each app's table maps a URL name to ``(kwargs builder or None, expected per role)``,
the roles in the order of ROLES. An expected value is an HTTP status, or LOGIN for a
redirect to the login page. ``tests/test_url_permissions.py`` merges every table and
walks every named URL for every role.
"""

ROLES = ["anon", "admin", "bureau", "town", "enterprise", "expert", "reviewer"]
LOGIN = "login"

EVERYONE = [LOGIN, 200, 200, 200, 200, 200, 200]
STAFF_ONLY = [LOGIN, 200, 200, 403, 403, 403, 403]
OFFICIALS = [LOGIN, 200, 200, 200, 403, 403, 403]
API_STAFF_ONLY = [401, 200, 200, 403, 403, 403, 403]
API_EVERYONE = [401, 200, 200, 200, 200, 200, 200]
