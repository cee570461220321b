from tests.access import API_EVERYONE, EVERYONE, LOGIN

UNIT_PAGES = [LOGIN, 200, 200, 403, 403, 403, 403]  # the office (admin) and 经信局's user (bureau)
OFFICE_ONLY = [LOGIN, 200, 403, 403, 403, 403, 403]
# the case: the office, 经信局 (its lead); the proposer (expert) is sent to 我的提案建议
CASE = [LOGIN, 200, 200, 404, 404, 302, 404]
DRAFT_FILE = [404, 200, 200, 404, 404, 404, 404]  # an unsigned draft: the office and the handling unit


def make_fixtures(fixtures):
    """经信局 (the bureau user a member of it) leads the seed's proposal, whose proposer is the expert
    user, with a template and an unsigned draft; another case goes to 科技局 alone; a third, answered
    and published."""
    import datetime as dt

    from zhuanxing.proposals import documents, services
    from zhuanxing.proposals.models import Unit, UnitMember

    users = fixtures["users"]
    office = users["admin"]
    economy = Unit.objects.create(name="经信局", full_name="镇海区经信局")
    science = Unit.objects.create(name="科技局")
    UnitMember.objects.create(user=users["bureau"], unit=economy, is_leader=True)

    def case(number, lead, proposer=None):
        proposal = services.proposal_register(
            actor=office,
            body="cppcc",
            term=9,
            meeting=4,
            number=number,
            title=f"第{number}号提案",
            proposer="经济界别工委",
            submitted_on=dt.date(2024, 9, 1),
            proposer_user=proposer,
        )
        return services.proposal_assign(actor=office, proposal=proposal, lead=lead, on=dt.date(2024, 9, 23))

    own = case(10, economy, users["expert"])
    other = case(11, science)
    template = services.template_upload(
        actor=office,
        unit=economy,
        name="答复",
        content=documents.build_template(letterhead="镇海区经信局", paragraphs=["{{ 正文 }}"]),
    )
    draft = services.draft_save(actor=users["bureau"], proposal=own, template=template, body="答复如下")
    answered = case(12, economy)
    signed = services.draft_save(actor=users["bureau"], proposal=answered, template=template, reply_class="A")
    services.draft_submit(actor=users["bureau"], draft=signed)
    services.draft_approve(actor=users["bureau"], draft=signed)
    services.proposal_publish(actor=office, proposal=answered, published=True)
    return {
        "proposal_own": own,
        "proposal_other": other,
        "proposal_published": answered,
        "reply_template": template,
        "reply_draft": draft,
    }


ACCESS_TABLE = {
    "proposals:overview": (None, UNIT_PAGES),
    "proposals:import": (None, OFFICE_ONLY),
    "proposals:templates": (None, UNIT_PAGES),
    "proposals:template_file": (lambda f: {"template_id": f["reply_template"].pk}, UNIT_PAGES),
    "proposals:statistics": (None, UNIT_PAGES),
    "proposals:mine": (None, EVERYONE),
    "proposals:public_list": (None, [200] * 7),
    "proposals:public_detail": (lambda f: {"proposal_id": f["proposal_published"].pk}, [200] * 7),
    "proposals:detail": (lambda f: {"proposal_id": f["proposal_own"].pk}, CASE),
    "proposals:act": (lambda f: {"proposal_id": f["proposal_own"].pk}, [LOGIN, 405, 405, 405, 405, 405, 405]),
    "proposals:draft_docx": (lambda f: {"draft_id": f["reply_draft"].pk}, DRAFT_FILE),
    "proposals:draft_pdf": (lambda f: {"draft_id": f["reply_draft"].pk}, DRAFT_FILE),
}

ACCESS_TABLE |= {
    "api:list_proposals": (None, API_EVERYONE),  # each their own (possibly none)
    "api:proposal_statistics": (None, [401, 200, 200, 403, 403, 403, 403]),
    "api:get_proposal": (
        lambda f: {"proposal_id": f["proposal_own"].pk},
        [401, 200, 200, 404, 404, 200, 404],
    ),
    "api:assign_proposal": (
        lambda f: {"proposal_id": f["proposal_own"].pk},
        [405] * 7,
    ),
    "api:record_feedback": (
        lambda f: {"proposal_id": f["proposal_own"].pk},
        [405] * 7,
    ),
}

CROSS_CHECKS = {
    # 科技局's case: 经信局's user is told it does not exist
    "proposals:detail": (
        lambda f: {"proposal_id": f["proposal_other"].pk},
        [LOGIN, 200, 404, 404, 404, 404, 404],
    ),
}
