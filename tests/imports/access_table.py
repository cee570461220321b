from tests.access import API_STAFF_ONLY, LOGIN, STAFF_ONLY

# a missing object (no such pending upload, no kept file) is 404 for staff, 403 for the others
STAFF_NOT_FOUND = [LOGIN, 404, 404, 403, 403, 403, 403]
STAFF_POST_ONLY = [LOGIN, 405, 405, 403, 403, 403, 403]
API_POST_ONLY = [405] * 7


def make_fixtures(fixtures):
    from zhuanxing.registry.models import ImportBatch

    batch = ImportBatch.objects.create(
        source=ImportBatch.Source.STATS, year=2024, file_name="统计2024.xlsx", file_sha256="0" * 64
    )
    return {"import_batch": batch}


def batch(d):
    return {"pk": d["import_batch"].pk}


ACCESS_TABLE = {
    "imports:home": (None, STAFF_ONLY),
    "imports:template": (lambda d: {"source": "stats"}, STAFF_ONLY),
    "imports:upload": (lambda d: {"sha256": "0" * 64}, STAFF_NOT_FOUND),
    "imports:batch_detail": (batch, STAFF_ONLY),
    "imports:batch_rollback": (batch, STAFF_POST_ONLY),
    "imports:batch_file": (batch, STAFF_NOT_FOUND),
    "api:list_import_sources": (None, API_STAFF_ONLY),
    "api:check_import": (lambda d: {"source": "stats"}, API_POST_ONLY),
    "api:apply_import": (lambda d: {"source": "stats"}, API_POST_ONLY),
    "api:list_import_batches": (None, API_STAFF_ONLY),
    "api:get_import_batch": (batch, API_STAFF_ONLY),
    "api:rollback_import_batch": (batch, API_POST_ONLY),
}
