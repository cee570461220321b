"""Synthetic 政策兑现 records for the demo district, deterministic by seed.

The shipped policies are loaded and published with a budget; a demo 免申即享 policy (clearly
marked 演示, its rules invented) rewards 高新技术企业 with a high R&D share, 专精特新 firms and
工程（技术）中心 promotions. About three dozen applications of 规上 enterprises go through the
same services as the pages, to every state of the workflow, with dates spread over the last
three months; three enterprises are registered at a higher engineering-centre level, and the
免申即享 scan proposes awards from the data and from those promotions. All enterprises and
figures are the demo registry's synthetic ones.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from zhuanxing import awards
from zhuanxing.accounts.models import Role, User
from zhuanxing.awards.policy import LevelDifference
from zhuanxing.campaigns import services as campaign_services
from zhuanxing.campaigns.models import Recognition, RecognitionKind
from zhuanxing.programs import adapters, services
from zhuanxing.programs.models import Application, Policy
from zhuanxing.registry.demo import demo_now, demo_today
from zhuanxing.registry.models import Enterprise

DEMO_POLICY = """\
# 演示用：规则为虚构，仅用于展示“免申即享”，不代表任何真实政策。
id: demo-automatic-2024
name: （演示）惠企政策“免申即享”清单
department: 区经信局
year: 2024
budget: 1000
facts:
  high_tech: {label: 高新技术企业, type: boolean}
  specialised: {label: 专精特新, type: boolean}
  rd: {label: 研发经费, type: number}
  revenue: {label: 主营业务收入, type: number}
clauses:
  - id: high-tech-rd
    label: 高新技术企业研发投入奖励
    description: 高新技术企业上年度研发经费占主营业务收入 3% 以上的，无需申报，给予定额奖励。
    automatic: true
    eligible: "high_tech AND rd >= 0.03 * revenue"
    award: {type: fixed, amount: 20}
  - id: specialised
    label: 专精特新企业奖励
    automatic: true
    eligible: specialised
    award: {type: fixed, amount: 10}
  - id: engineering-centre
    label: 工程（技术）中心认定奖励
    description: 企业新认定或升级为更高级别工程（技术）中心的，按级别差额给予奖励，无需申报。
    automatic: true
    fields:
      - {id: new_level, label: 认定级别, required: true}
      - {id: previous_level, label: 原有级别}
    award:
      type: level_difference
      level: new_level
      previous: previous_level
      amounts: {区级: 5, 市级: 10, 省级: 50, 国家级: 200}
"""
SHIPPED = {
    # name, budget (万元), clauses reviewed by experts
    "zhenhai-manufacturing-2023": (Decimal(5000), ["city-smart-factory"]),
    "zhenhai-manufacturing-2024": (Decimal(3000), ["tech-renovation"]),
}
# the state each application is taken to, and how many
TARGETS = [
    (Application.State.DRAFT, 3),
    (Application.State.SUBMITTED, 4),
    (Application.State.BUREAU_REVIEW, 4),
    (Application.State.EXPERT_REVIEW, 3),
    (Application.State.NOTICE, 4),
    (Application.State.APPROVED, 3),
    (Application.State.PAYING, 3),
    (Application.State.PAID, 4),
    (Application.State.RETURNED, 2),
    (Application.State.REJECTED, 2),
]
ORDER = [
    Application.State.SUBMITTED,
    Application.State.BUREAU_REVIEW,
    Application.State.EXPERT_REVIEW,
    Application.State.NOTICE,
    Application.State.APPROVED,
    Application.State.PAYING,
    Application.State.PAID,
]
PROJECTS = [
    "数控加工中心购置",
    "智能仓储改造",
    "生产线自动化升级",
    "节能电机替换",
    "数字化车间建设",
    "MES系统上线",
]


def _fields(rng: random.Random, clause: awards.Clause) -> dict:
    award = clause.award
    if isinstance(award, LevelDifference):
        levels = list(award.amounts)
        new = rng.randrange(1, len(levels))
        return {award.level: levels[new], award.previous: levels[new - 1] if rng.random() < 0.5 else None}
    low, high = (40, 400) if clause.id == "green-renovation" else (150, 6000)
    return {clause.fields[0].id: str(rng.randrange(low, high, 10))}


class _Builder:
    def __init__(self, seed: int):
        self.rng = random.Random(seed * 7933 + 29)
        self.now = demo_now()
        self.today = demo_today()
        users = {
            u.username: u for u in User.objects.filter(username__in=["jxj", "luotuo", "qiye", "pingshen"])
        }
        self.staff = users.get("jxj") or User.objects.filter(role=Role.ADMIN).first()
        self.town_user, self.reviewer = users.get("luotuo"), users.get("pingshen")
        self.firm_user = users.get("qiye")
        self.firms = list(
            Enterprise.objects.filter(scale=Enterprise.Scale.ABOVE, status=Enterprise.Status.OPERATING)
            .select_related("town")
            .order_by("uscc")
        )

    def at(self, days_ago: float) -> dt.datetime:
        return self.now - dt.timedelta(days=days_ago)

    def policies(self) -> list[Policy]:
        loaded = []
        for name, (budget, expert) in SHIPPED.items():
            expert = expert if self.reviewer is not None else []
            loaded.append(
                services.policy_load_shipped(
                    actor=self.staff,
                    name=name,
                    opens_on=self.today - dt.timedelta(days=120),
                    closes_on=self.today + dt.timedelta(days=60),
                    budget=budget,
                    published=True,
                    expert_clauses=expert,
                )
            )
        services.policy_create(actor=self.staff, text=DEMO_POLICY, published=True)
        return loaded

    def reviewers(self) -> None:
        """The reviewer's institution, and a conflict declared with one applicant under expert review:
        its open review is recused, and the reviewer can no longer be assigned to it."""
        services.reviewer_profile_set(actor=self.reviewer, institution="宁波大学机械工程与力学学院（演示）")
        reviewed = (
            Application.objects.filter(state=Application.State.EXPERT_REVIEW).order_by("number").first()
        )
        if reviewed is not None:
            services.conflict_declare(
                actor=self.reviewer,
                enterprise=reviewed.enterprise,
                relation="relative",
                note="近亲属在该企业任职（演示）",
            )

    def applications(self, policies: list[Policy]) -> int:
        """Applications to fill ``TARGETS``: the demo login's enterprise first (one paid, one
        draft), then the 规上 enterprises in a shuffled order, round again if need be. An
        enterprise the R&D veto rules out becomes a 不予支持 or a draft, as real ones would."""
        clauses = [
            (policy, clause)
            for policy in policies
            for clause in adapters.rules_of(policy).clauses
            if not clause.automatic
        ]
        reviewed = [(p, c) for p, c in clauses if c.id in p.expert_clauses]
        remaining = [state for state, count in TARGETS for _ in range(count)]
        queue = [(firm, None) for firm in self.rng.sample(self.firms, len(self.firms))]
        own = self.firm_user.enterprise if self.firm_user else None
        if own in self.firms:
            queue = [(own, Application.State.PAID), (own, Application.State.DRAFT), *queue]
        # one application waits for the demo town official's 初审, so that login has a to-do
        if self.town_user is not None:
            local = next((f for f, _ in queue if f.town_id == self.town_user.town_id and f != own), None)
            if local is not None:
                queue = [(local, Application.State.SUBMITTED), *queue]
        made = 0
        for firm, wanted in itertools.islice(itertools.cycle(queue), 4 * len(remaining)):
            if not remaining:
                break
            target = wanted if wanted in remaining else remaining[0]
            policy, clause = self.rng.choice(
                reviewed if target == Application.State.EXPERT_REVIEW else clauses
            )
            reached = self._one(policy, clause, firm, target, remaining)
            if reached in remaining:
                remaining.remove(reached)
            made += reached is not None
        return made

    def _one(
        self, policy: Policy, clause: awards.Clause, firm: Enterprise, target: str, remaining: list[str]
    ) -> str | None:
        """Take one application to ``target`` through the services, each step on its own date;
        the state it reached, or None when it was not kept."""
        rng = self.rng
        own = self.firm_user is not None and firm == self.firm_user.enterprise
        applicant = self.firm_user if own else self.staff  # staff enter the others' paper applications
        start = rng.uniform(50, 80) if target in ORDER[3:] else rng.uniform(8, 30)
        application = services.application_create(
            actor=applicant,
            policy=policy,
            clause_id=clause.id,
            enterprise=firm,
            fields=_fields(rng, clause),
            project_name=rng.choice(PROJECTS),
            bank_account_name=firm.name,
            bank_name="中国工商银行宁波镇海支行",
            bank_account=f"3901{rng.randrange(10**14, 10**15)}",
            now=self.at(start),
        )
        if application.computed == 0 and target != Application.State.DRAFT:
            if Application.State.REJECTED not in remaining:
                application.delete()  # nothing to take further
                return None
            target = Application.State.REJECTED
        if target == Application.State.DRAFT:
            return target
        application = services.application_submit(
            actor=applicant, application=application, now=self.at(start - 1)
        )
        town = self.town_user if self.town_user and firm.town_id == self.town_user.town_id else self.staff
        if target in (Application.State.RETURNED, Application.State.REJECTED):
            decision, reason = (
                ("return", "请补充设备购置发票复印件")
                if target == Application.State.RETURNED
                else ("reject", application.computed_reasons or "项目不符合产业导向")
            )
            services.application_decide(
                actor=town, application=application, decision=decision, reason=reason, now=self.at(start - 3)
            )
            return target
        return self._advance(application, town, target, start)

    def _advance(self, application: Application, town: User, target: str, start: float) -> str:
        """Step by step towards ``target``; the state reached (a 核定 that comes to 0, beaten by
        another application of the enterprise or by the budget, stays on notice)."""
        # days ago of each step; a notice still running today opened yesterday
        when = {"town": start - 3, "bureau": start - 8, "expert": start - 10, "approve": start - 20}
        when |= {"pay": start - 30, "pay_last": start - 45}
        if target == Application.State.NOTICE:
            when |= (
                {"bureau": 2, "expert": 1}
                if application.clause_id in application.policy.expert_clauses
                else {"bureau": 1}
            )
        State = Application.State
        while application.state != target:
            state = application.state
            if state == State.SUBMITTED:
                services.application_decide(
                    actor=town, application=application, decision="pass", now=self.at(when["town"])
                )
            elif state == State.BUREAU_REVIEW:
                services.application_decide(
                    actor=self.staff, application=application, decision="pass", now=self.at(when["bureau"])
                )
            elif state == State.EXPERT_REVIEW:
                services.review_submit(
                    actor=self.reviewer,
                    application=application,
                    opinion="support",
                    comment="技术方案可行，投资真实（演示）",
                    now=self.at(when["expert"]),
                )
                services.application_decide(
                    actor=self.staff, application=application, decision="pass", now=self.at(when["expert"])
                )
            elif state == State.NOTICE:
                try:
                    services.application_approve(
                        actor=self.staff, application=application, now=self.at(when["approve"])
                    )
                except ValidationError:
                    return state
            else:
                last = state == State.PAYING
                services.payment_record(
                    actor=self.staff,
                    application=application,
                    stage=2 if last else 1,
                    now=self.at(when["pay_last" if last else "pay"]),
                )
            application.refresh_from_db()
            if application.state == State.EXPERT_REVIEW and not application.reviews.exists():
                services.review_assign(actor=self.staff, application=application, reviewer=self.reviewer)
        return target

    def promotions(self) -> int:
        """Three enterprises registered at the next engineering-centre level in 2024."""
        kind = RecognitionKind.objects.filter(code="engineering-centre").first()
        if kind is None:
            return 0
        kind.policy_id, kind.clause_id = "demo-automatic-2024", "engineering-centre"
        kind.save(update_fields=["policy_id", "clause_id"])
        levels = list(kind.levels.order_by("rank"))
        held = {}
        for recognition in Recognition.objects.filter(kind=kind, enterprise__isnull=False).select_related(
            "level"
        ):
            rank = held.get(recognition.enterprise_id, -1)
            held[recognition.enterprise_id] = max(rank, recognition.level.rank)
        made = 0
        for firm in self.rng.sample(self.firms, min(len(self.firms), 12)):
            higher = [lv for lv in levels if lv.rank > held.get(firm.pk, -1)]
            if not higher or made == 3:
                continue
            campaign_services.recognition_register(
                actor=self.staff,
                kind=kind,
                level=higher[0],
                year=2024,
                enterprise=firm,
                document_no=f"甬经信技〔2024〕{self.rng.randint(5, 99)}号",
            )
            made += 1
        return made

    def automatic(self) -> int:
        found = services.automatic_propose(actor=self.staff, now=self.at(10))
        proposals = sorted(found.proposed, key=lambda a: a.number)
        confirmed = proposals[: len(proposals) // 3]
        if confirmed:
            policy = confirmed[0].policy
            services.applications_approve(
                actor=self.staff, policy=policy, applications=confirmed, now=self.at(8)
            )
        for application in confirmed[:3]:
            application.refresh_from_db()
            if application.state == Application.State.CONFIRMING:
                services.bank_confirm(
                    actor=self.staff,
                    application=application,
                    bank_account_name=application.enterprise.name,
                    bank_name="宁波银行镇海支行",
                    bank_account=f"5101{self.rng.randrange(10**12, 10**13)}",
                    now=self.at(6),
                )
        return len(found.proposed)


@transaction.atomic
def build(*, seed: int, stdout) -> None:
    builder = _Builder(seed)
    if not builder.firms or builder.staff is None:
        stdout.write("没有规上企业或工作人员账号，跳过政策兑现演示数据。")
        return
    policies = builder.policies()
    made = builder.applications(policies)
    if builder.reviewer is not None:
        builder.reviewers()
    promoted = builder.promotions()
    proposed = builder.automatic()
    stdout.write(
        f"已载入政策 {Policy.objects.count()} 项，生成申报 {made} 件、认定晋升 {promoted} 项、"
        f"免申即享建议 {proposed} 条。"
    )
