from tests.access import EVERYONE, LOGIN

STAFF_ELSE_NOT_FOUND = [LOGIN, 200, 200, 404, 404, 404, 404]


def make_fixtures(fixtures):
    """A finished job started by the bureau user (no file)."""
    from zhuanxing.jobs.models import Job

    job = Job.objects.create(
        kind="jobs.selftest",
        label="自检",
        state=Job.State.DONE,
        created_by=fixtures["users"]["bureau"],
        result={"message": "自检完成"},
    )
    return {"job": job}


def job(f):
    return {"job_id": f["job"].pk}


ACCESS_TABLE = {
    "jobs:job_list": (None, EVERYONE),
    "jobs:job_detail": (job, STAFF_ELSE_NOT_FOUND),
    "jobs:job_status": (job, STAFF_ELSE_NOT_FOUND),
    "jobs:job_cancel": (job, [LOGIN, 405, 405, 405, 405, 405, 405]),
    # the job made no file: nobody downloads one
    "jobs:job_download": (job, [LOGIN, 404, 404, 404, 404, 404, 404]),
    # the technology market's reindex starts a job (POST only)
    "techmarket:reindex": (None, [LOGIN, 405, 405, 405, 405, 405, 405]),
}
