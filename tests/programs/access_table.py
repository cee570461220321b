from tests.access import API_EVERYONE, EVERYONE, LOGIN, OFFICIALS, STAFF_ONLY

POST_ONLY = [LOGIN, 405, 405, 405, 405, 405, 405]
APPLICATION_READERS = [LOGIN, 200, 200, 200, 200, 403, 200]  # the reviewer: assigned to it
API_APPLICATION_READERS = [401, 200, 200, 200, 200, 403, 200]


def make_fixtures(fixtures):
    """A published policy with its document; 恒达轴承's application (the enterprise user's own, in
    the town official's town) under expert review by the reviewer, with an attachment; its draft;
    and 澥浦精细化工's application (another town) on public notice with an objection."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.programs.conftest import BANK, TEST_POLICY
    from zhuanxing.programs import services

    users = fixtures["users"]
    staff = users["bureau"]
    policy = services.policy_create(
        actor=staff,
        text=TEST_POLICY,
        published=True,
        expert_clauses=["tech"],
        document=SimpleUploadedFile("原文.pdf", b"%PDF-1.4"),
    )

    def application(enterprise, actor, clause="tech", **extra):
        fields = {"equipment_investment": "1000", "project_investment": "1000"}
        return services.application_create(
            actor=actor,
            policy=policy,
            clause_id=clause,
            enterprise=enterprise,
            fields=fields,
            **BANK,
            **extra,
        )

    own = application(
        fixtures["bearings"], users["enterprise"], attachments=[SimpleUploadedFile("发票.pdf", b"%PDF")]
    )
    own = services.application_submit(actor=users["enterprise"], application=own)
    for actor in (users["town"], staff):
        own = services.application_decide(actor=actor, application=own, decision="pass")
    services.review_assign(actor=staff, application=own, reviewer=users["reviewer"])
    own_draft = application(fixtures["bearings"], users["enterprise"])
    other = application(fixtures["chemicals"], staff, clause="workshop")  # no expert review: on to the notice
    other = services.application_submit(actor=staff, application=other)
    for _step in range(2):
        other = services.application_decide(actor=staff, application=other, decision="pass")
    objection = services.objection_submit(application=other, name="张三", contact="138", text="异议")
    return {
        "policy": policy,
        "own_application": own,
        "own_draft": own_draft,
        "other_application": other,
        "attachment": own.attachments.get(),
        "public_objection": objection,
    }


def policy(f):
    return {"policy_id": f["policy"].pk}


def own(f):
    return {"application_id": f["own_application"].pk}


def other(f):
    return {"application_id": f["other_application"].pk}


ACCESS_TABLE = {
    "programs:policy_list": (None, EVERYONE),
    "programs:policy_create": (None, STAFF_ONLY),
    "programs:policy_load_shipped": (None, POST_ONLY),
    "programs:policy_detail": (policy, EVERYONE),
    "programs:policy_edit": (policy, STAFF_ONLY),
    "programs:policy_document": (policy, EVERYONE),
    "programs:policy_calculate": (policy, [LOGIN, 200, 200, 200, 200, 403, 403]),
    "programs:policy_approve": (policy, POST_ONLY),
    # staff enter paper applications (the page first asks which enterprise)
    "programs:application_create": (
        lambda f: {"policy_id": f["policy"].pk, "clause_id": "tech"},
        [LOGIN, 200, 200, 403, 200, 403, 403],
    ),
    "programs:application_list": (None, APPLICATION_READERS),
    "programs:application_detail": (own, APPLICATION_READERS),
    # a draft: its enterprise or staff edit it; the town sees it but may not; the reviewer does not see it
    "programs:application_edit": (
        lambda f: {"application_id": f["own_draft"].pk},
        [LOGIN, 200, 200, 403, 200, 403, 404],
    ),
    "programs:application_action": (lambda f: own(f) | {"action": "pass"}, POST_ONLY),
    "programs:attachment_download": (lambda f: {"attachment_id": f["attachment"].pk}, APPLICATION_READERS),
    "programs:overdue": (None, OFFICIALS),
    "programs:statistics": (None, STAFF_ONLY),
    "programs:automatic": (None, STAFF_ONLY),
    "programs:automatic_scan": (None, POST_ONLY),
    "programs:objection_decide": (lambda f: {"objection_id": f["public_objection"].pk}, POST_ONLY),
    "programs:conflicts": (None, [LOGIN, 403, 403, 403, 403, 403, 200]),
    # the public notice: no login to read it or to object
    "programs:notice_list": (None, [200] * 7),
    "programs:notice_object": (other, [405] * 7),
    "programs:notice_captcha": (None, [200] * 7),
    "api:program_policies": (None, API_EVERYONE),
    "api:program_policy": (policy, API_EVERYONE),
    "api:program_calculate": (policy, [405] * 7),  # POST only; tested with the API
    "api:program_applications": (None, API_APPLICATION_READERS),
    "api:program_application_create": (None, API_APPLICATION_READERS),  # GET of the list's path
    "api:program_application": (own, API_APPLICATION_READERS),
    "api:program_application_submit": (own, [405] * 7),
}
# Another town's application: only staff find it.
CROSS_CHECKS = {
    "programs:application_detail": (other, [LOGIN, 200, 200, 404, 404, 403, 404]),
    "api:program_application": (other, [401, 200, 200, 404, 404, 403, 404]),
}
