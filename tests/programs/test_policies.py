"""The policy library: uploads checked whole with key paths, the facts catalogue, the shipped
policies, edits audited, the rules frozen once applications are in."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.programs.conftest import TEST_POLICY, submitted
from zhuanxing.accounts.models import AuditEntry
from zhuanxing.awards import shipped_policies
from zhuanxing.programs import services
from zhuanxing.programs.models import Policy

pytestmark = pytest.mark.django_db


def create(users, text, **options):
    return services.policy_create(actor=users["bureau"], text=text, **options)


def test_a_policy_file_with_mistakes_is_refused_with_every_key_path(users):
    broken = TEST_POLICY.replace("rate: 0.06", "rate: 6").replace("type: bands", "type: tiers")
    with pytest.raises(ValidationError) as error:
        create(users, broken)
    messages = error.value.message_dict["text"]
    assert "clauses[0].award.rate：比例应在 0 到 1 之间（6% 写作 0.06），实际为 6" in messages
    assert any(m.startswith("clauses[1].award.type：未知的奖励类型「tiers」") for m in messages)
    assert not Policy.objects.exists() and not AuditEntry.objects.exists()


def test_facts_the_platform_cannot_supply_are_refused(users):
    text = TEST_POLICY.replace(
        "  sales: {label: 销售收入, type: number, unit: 万元}",
        "  sales: {label: 销售收入, type: text}\n  profit: {label: 利润, type: number}",
    ).replace("rd < 0.02 * sales", "rd < 100")
    with pytest.raises(ValidationError) as error:
        create(users, text)
    assert error.value.message_dict["text"] == [
        "facts.sales.type：平台提供的「销售收入」为 number，不是 text",
        "facts.profit：平台不能提供此事实（可用的事实见“事实目录”）",
    ]


def test_upload_through_the_page_shows_the_key_paths(client_for, users):
    page = client_for("bureau").post(
        "/programs/policies/new/",
        {"policy_file": SimpleUploadedFile("p.yaml", b"id: x\nclauses: []\n"), "payment_plan": "30,70"},
    )
    assert page.status_code == 200
    assert "clauses：应为至少含一个条款的列表" in page.content.decode()


def test_create_from_the_page_and_the_budget_from_the_file(client_for, users, figures):
    page = client_for("bureau").post(
        "/programs/policies/new/",
        {"text": TEST_POLICY, "payment_plan": "40,60", "published": "on", "opens_on": "2024-01-01"},
    )
    policy = Policy.objects.get()
    assert page.status_code == 302 and page["Location"] == f"/programs/policies/{policy.pk}/"
    assert (policy.code, policy.year, policy.budget, policy.payment_plan) == (
        "test-policy-2024",
        2024,
        Decimal(100),
        [40, 60],
    )
    entry = AuditEntry.objects.get(object_type="programs.policy")
    assert entry.action == "政策新增" and entry.new["code"] == "test-policy-2024"


def test_payment_plan_must_add_up_to_100(users, figures):
    with pytest.raises(ValidationError) as error:
        create(users, TEST_POLICY, payment_plan=[30, 60])
    assert "合计 100" in error.value.message_dict["payment_plan"][0]


@pytest.mark.parametrize("name", sorted(shipped_policies()))
def test_every_shipped_policy_loads(users, name):
    policy = services.policy_load_shipped(actor=users["bureau"], name=name)
    assert policy.code == name and not policy.published and policy.year == 2024


def test_a_policy_is_loaded_once(users, figures):
    create(users, TEST_POLICY)
    with pytest.raises(ValidationError, match="已存在"):
        create(users, TEST_POLICY)


def test_edits_are_audited_and_the_rules_freeze_once_applications_are_submitted(users, policy):
    changed = TEST_POLICY.replace("rate: 0.06", "rate: 0.07")
    services.policy_update(actor=users["bureau"], policy=policy, text=changed, reason="更正费率")
    entry = AuditEntry.objects.filter(action="政策修改").get()
    assert entry.reason == "更正费率" and set(entry.new) == {"rules"}
    submitted(users, Policy.objects.get())
    with pytest.raises(ValidationError, match="不能再修改计算规则"):
        services.policy_update(actor=users["bureau"], policy=policy, text=TEST_POLICY)
    # the period, the budget and the rest still change
    services.policy_update(actor=users["bureau"], policy=policy, budget=Decimal(500), expert_clauses=["tech"])
    policy.refresh_from_db()
    assert policy.budget == Decimal(500) and policy.expert_clauses == ["tech"]
    with pytest.raises(ValidationError, match="没有这些条款：nope"):
        services.policy_update(actor=users["bureau"], policy=policy, expert_clauses=["nope"])


def test_enterprises_see_published_policies_only(client_for, users, figures):
    hidden = create(users, TEST_POLICY)
    assert client_for("enterprise").get(f"/programs/policies/{hidden.pk}/").status_code == 404
    assert "测试政策" not in client_for("enterprise").get("/programs/policies/").content.decode()
    services.policy_update(actor=users["bureau"], policy=hidden, published=True)
    page = client_for("enterprise").get(f"/programs/policies/{hidden.pk}/").content.decode()
    assert "按设备投资额的 6% 计算。" in page and "申报此条款" in page
    assert "无需申报" in page  # the 免申即享 clause


def test_policy_document_is_served_to_readers(client_for, users, figures):
    document = SimpleUploadedFile("政策原文.pdf", b"%PDF-1.4 test")
    policy = create(users, TEST_POLICY, document=document, published=True)
    response = client_for("enterprise").get(f"/programs/policies/{policy.pk}/document/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 test"
