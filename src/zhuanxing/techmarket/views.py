"""Technology market pages. Thin: permissions from access.py, reads from selectors, writes from services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from zhuanxing.attachments import AttachmentField
from zhuanxing.jobs import services as job_services
from zhuanxing.params import int_param, year_param
from zhuanxing.registry.models import Enterprise
from zhuanxing.techmarket import access, forms, indexing, selectors, services
from zhuanxing.techmarket.models import (
    FIELD_CHOICES,
    Achievement,
    Broker,
    Challenge,
    Commission,
    CommissionRule,
    Contract,
    Demand,
    Deposit,
    Event,
    EventPair,
    Expert,
    Institution,
    Listing,
    Match,
    Proposal,
    ProposalScore,
    VocabularyLine,
)
from zhuanxing.techmarket.statistics_export import registration_xlsx, statistics_charts, statistics_xlsx
from zhuanxing.techmarket.workflows import CHALLENGE

PROFILE_MODELS = {"expert": Expert, "achievement": Achievement, "institution": Institution}
INVITE_CHOICES = 200  # the newest open demands offered in an invitation form


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error.messages)
    else:
        form.add_error(None, exc.messages)


@login_required
def home(request):
    user = request.user
    context = {
        "can_manage": access.can_manage(user),
        "can_post": access.is_staff_member(user) or access.enterprise_of(user) is not None,
        "is_expert": access.expert_of(user) is not None or access.institution_of(user) is not None,
        "reminder_count": len(selectors.reminders()) if access.can_manage(user) else 0,
        "latest": selectors.demand_list(access.demands_visible_to(user))[:10],
    }
    return render(request, "techmarket/home.html", context)


@login_required
def demand_list(request):
    filters = {key: request.GET.get(key, "").strip()[:100] for key in ("q", "field", "state")}
    demands = selectors.demand_list(access.demands_visible_to(request.user), **filters)
    page = Paginator(demands, 30).get_page(request.GET.get("page"))
    context = {"page": page, "filters": filters, "fields": FIELD_CHOICES, "states": Demand.State.choices}
    return render(request, "techmarket/demand_list.html", context)


@login_required
def demand_create(request):
    enterprise_id = access.access_post_demand(request.user)
    form = forms.DemandForm(request.POST or None)
    behalf = forms.OnBehalfForm(request.POST or None) if enterprise_id is None else None
    if request.method == "POST" and form.is_valid() and (behalf is None or behalf.is_valid()):
        enterprise = behalf.cleaned_data["enterprise"] if behalf else Enterprise.objects.get(pk=enterprise_id)
        try:
            demand = services.demand_create(actor=request.user, enterprise=enterprise, values=form.values())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"需求已发布，已为您推荐 {demand.matches.count()} 个候选")
            return redirect("techmarket:demand_detail", demand_id=demand.pk)
    return render(request, "techmarket/demand_form.html", {"form": form, "behalf": behalf})


@login_required
def demand_edit(request, demand_id: int):
    demand = access.access_demand(request.user, demand_id)
    access.access_manage_demand(request.user, demand)
    form = forms.DemandForm(request.POST or None, instance=demand)
    if request.method == "POST" and form.is_valid():
        try:
            services.demand_update(actor=request.user, demand=demand, values=form.values())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "需求已修改，推荐已更新")
            return redirect("techmarket:demand_detail", demand_id=demand.pk)
    return render(request, "techmarket/demand_form.html", {"form": form, "demand": demand})


@login_required
def demand_detail(request, demand_id: int):
    user = request.user
    demand = access.access_demand(user, demand_id)
    matches = list(selectors.demand_matches(access.matches_visible_to(user, demand)))
    context = {
        "demand": demand,
        "full": access.can_read_full(user, demand),
        "party": access.is_demand_party(user, demand),
        "can_manage": access.can_manage(user),
        "matches": matches,
        "answerable": {m.pk for m in matches if m.stage == Match.Stage.INVITED and _may_answer(user, m)},
        "decline_form": forms.DeclineForm(),
        "contacts": {m.expert_id for m in matches if m.expert_id and access.can_see_contact(user, m.expert)},
        "offers": list(access.offers_visible_to(user, demand)),
        "invited_experts": {
            m.expert_id for m in matches if m.expert_id and m.stage != Match.Stage.RECOMMENDED
        },
        "can_offer": access.expert_of(user) is not None and demand.state == Demand.State.OPEN,
        "can_claim": demand.broker_id is None
        and demand.state == Demand.State.OPEN
        and access.broker_of(user) is not None,
        "brokers": Broker.objects.filter(active=True) if access.can_manage(user) else (),
    }
    return render(request, "techmarket/demand_detail.html", context)


def _may_answer(user, match) -> bool:
    try:
        access.access_answer(user, match)
    except PermissionDenied:
        return False
    return True


@login_required
@require_POST
def demand_action(request, demand_id: int, action: str):
    demand = access.access_demand(request.user, demand_id)
    if action == "offer":
        expert = access.access_offer(request.user, demand)
        try:
            services.offer_solution(
                actor=request.user, demand=demand, expert=expert, note=request.POST.get("note", "")
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "已告知发布企业和工作人员：您能解决这个难题")
        return redirect("techmarket:demand_detail", demand_id=demand.pk)
    if action == "claim":
        broker = access.access_claim(request.user, demand)
        try:
            services.demand_set_broker(actor=request.user, demand=demand, broker=broker, claim=True)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "已认领该需求")
        return redirect("techmarket:demand_detail", demand_id=demand.pk)
    if action == "broker":
        access.access_manage(request.user)
        broker = get_object_or_404(Broker, pk=request.POST.get("broker") or 0)
        try:
            services.demand_set_broker(actor=request.user, demand=demand, broker=broker)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, f"已指派技术经纪人 {broker}")
        return redirect("techmarket:demand_detail", demand_id=demand.pk)
    access.access_manage_demand(request.user, demand)
    states = {"solve": Demand.State.SOLVED, "withdraw": Demand.State.WITHDRAWN, "renew": Demand.State.OPEN}
    try:
        if action == "refresh":
            found = services.demand_refresh(actor=request.user, demand=demand)
            messages.success(request, f"已重新推荐 {len(found)} 个候选")
        elif action in states:
            services.demand_set_state(actor=request.user, demand=demand, state=states[action])
            messages.success(request, "需求状态已更新")
        else:
            raise Http404("没有这个操作")
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("techmarket:demand_detail", demand_id=demand.pk)


@login_required
@require_POST
def match_action(request, match_id: int, action: str):
    user = request.user
    match = access.access_match(user, match_id)
    try:
        if action == "invite":
            access.access_invite(user, match)
            services.match_invite(actor=user, match=match)
            messages.success(request, f"已邀请 {match.target}")
        elif action == "accept":
            access.access_answer(user, match)
            services.match_answer(actor=user, match=match, accept=True, note=request.POST.get("note", ""))
            messages.success(request, "已接受邀请")
        elif action == "decline":
            access.access_answer(user, match)
            form = forms.DeclineForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            note = request.POST.get("note", "")
            services.match_answer(actor=user, match=match, accept=False, reason=reason, note=note)
            messages.success(request, "已婉拒邀请")
        elif action in ("negotiate", "terminate"):
            if not access.is_demand_party(user, match.demand):
                access.access_answer(user, match)
            if action == "negotiate":
                services.match_negotiate(actor=user, match=match)
            else:
                services.match_terminate(actor=user, match=match, reason=request.POST.get("note", ""))
            messages.success(request, "阶段已更新")
        else:
            raise Http404("没有这个操作")
    except ValidationError as exc:
        _errors(request, exc)
    if access.is_demand_party(user, match.demand) or action != "decline":
        return redirect("techmarket:demand_detail", demand_id=match.demand_id)
    return redirect("techmarket:invitations")


@login_required
def invitations(request):
    """What the signed-in expert (or institution window) was invited to."""
    matches = selectors.invitations_for(Match.objects.filter(access.answered_by(request.user)))
    return render(
        request, "techmarket/invitations.html", {"matches": matches, "decline_form": forms.DeclineForm()}
    )


@login_required
def profile_demands(request):
    profile = access.access_profile_demands(request.user)
    if request.method == "POST":
        services.profile_confirm(actor=request.user, profile=profile)
        messages.success(request, "档案已确认为最新")
        return redirect("techmarket:profile_demands")
    context = {"profile": profile, "results": selectors.profile_demands(profile)}
    return render(request, "techmarket/profile_demands.html", context)


@login_required
def search(request):
    access.access_browse(request.user)
    form = forms.SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {"q": "", "kind": "", "field": ""}
    results = selectors.search(q=data["q"], kind=data["kind"], field=data["field"])
    invite_demands = list(access.invitable_demands(request.user)[:INVITE_CHOICES])
    chosen = request.GET.get("demand", "")
    invite_to = next((d for d in invite_demands if str(d.pk) == chosen), None)
    context = {"form": form, "results": results, "invite_demands": invite_demands, "invite_to": invite_to}
    return render(request, "techmarket/search.html", context)


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=False):
        return target
    return fallback


@login_required
@require_POST
def invite_direct(request, kind: str, pk: int):
    """Invite an expert, achievement or institution to a demand from its profile page or search results."""
    model = PROFILE_MODELS.get(kind)
    if model is None:
        raise Http404("没有这类档案")
    target = get_object_or_404(model, pk=pk)
    fallback = reverse("techmarket:profile_detail", args=[kind, pk])
    demand_id = request.POST.get("demand", "")
    if not demand_id.isdigit():
        messages.error(request, "请选择要邀请到的需求")
        return redirect(_safe_next(request, fallback))
    demand = access.access_invite_direct(request.user, int(demand_id))
    origin = request.POST.get("origin", Match.Origin.PROFILE)
    try:
        services.invite_direct(
            actor=request.user, demand=demand, target=target, origin=origin, note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, f"已邀请 {target} 参与需求「{demand.title}」")
    return redirect(_safe_next(request, fallback))


@login_required
def profile_detail(request, kind: str, pk: int):
    access.access_browse(request.user)
    model = PROFILE_MODELS.get(kind)
    if model is None:
        raise Http404("没有这类档案")
    row = get_object_or_404(model.objects.filter(active=True), pk=pk)
    context = {
        "kind": kind,
        "row": row,
        "invite_demands": list(access.invitable_demands(request.user)[:INVITE_CHOICES]),
        "show_contact": access.can_see_contact(request.user, row)
        if kind == "expert"
        else access.can_manage(request.user),
    }
    return render(request, "techmarket/profile_detail.html", context)


@login_required
def reminders(request):
    access.access_manage(request.user)
    context = {
        "reminders": selectors.reminders(),
        "stale": selectors.stale_experts().select_related("institution")[:50],
    }
    return render(request, "techmarket/reminders.html", context)


@login_required
def contract_list(request):
    contracts = access.contracts_visible_to(request.user).select_related(
        "seller_institution", "event", "match__demand"
    )
    page = Paginator(contracts, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "techmarket/contract_list.html",
        {"page": page, "can_manage": access.can_manage(request.user)},
    )


@login_required
def contract_create(request):
    """Staff record a contract, from a match (?match=) or an event (?event=) when it came from one."""
    access.access_manage(request.user)
    match = (
        get_object_or_404(Match, pk=int_param(request.GET["match"]))
        if int_param(request.GET.get("match"))
        else None
    )
    event = (
        get_object_or_404(Event, pk=int_param(request.GET["event"]))
        if int_param(request.GET.get("event"))
        else None
    )
    initial = {}
    if match is not None:
        target = match.target
        initial = {
            "title": match.demand.title,
            "field": match.demand.field,
            "buyer_name": match.demand.enterprise.name,
            "buyer_enterprise": match.demand.enterprise,
            "buyer_region": settings.ZHUANXING_DISTRICT_NAME,
            "seller_name": target.organisation if isinstance(target, Expert) else str(target),
            "signed_on": timezone.localdate(),
        }
    form = forms.ContractForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_record(actor=request.user, contract=form.instance, match=match, event=event)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "技术合同已登记")
            return redirect("techmarket:contract_list")
    return render(request, "techmarket/contract_form.html", {"form": form, "match": match, "event": event})


@login_required
def contract_register(request, contract_id: int):
    """Staff register (认定登记) a recorded contract: number, office, date."""
    access.access_manage(request.user)
    contract = get_object_or_404(Contract, pk=contract_id)
    initial = {
        "registered_office": services.default_registration_office(),
        "registered_on": timezone.localdate(),
    }
    form = forms.RegistrationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.contract_register(
                actor=request.user,
                contract=contract,
                registration_no=data["registration_no"],
                office=data["registered_office"],
                registered_on=data["registered_on"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"合同「{contract.title}」已认定登记")
            return redirect("techmarket:registrations")
    return render(request, "techmarket/contract_register.html", {"form": form, "contract": contract})


@login_required
def registrations(request):
    """Registered contracts of a year, and their export in the layout a registering office receives."""
    access.access_statistics(request.user)
    years = selectors.statistics_years()
    year = year_param(request.GET.get("year")) or years[0]
    contracts = selectors.registered_contracts(year=year)
    if request.GET.get("format") == "xlsx":
        return registration_xlsx(year, contracts)
    context = {
        "year": year,
        "years": years,
        "contracts": contracts,
        "figures": selectors.registration_statistics(year),
        "unregistered": access.contracts_visible_to(request.user).filter(registration_no="")[:100],
        "can_manage": access.can_manage(request.user),
    }
    return render(request, "techmarket/registrations.html", context)


@login_required
def broker_list(request):
    """Staff: the registered brokers with their year's deals and commissions, and the year's rule."""
    access.access_manage(request.user)
    year = year_param(request.GET.get("year")) or timezone.localdate().year
    context = {
        "year": year,
        "rows": selectors.broker_statistics(year),
        "rule": CommissionRule.objects.filter(year=year).first(),
        "commissions": Commission.objects.filter(year=year).select_related("broker", "contract", "rule"),
    }
    return render(request, "techmarket/broker_list.html", context)


@login_required
def broker_detail(request, broker_id: int):
    broker = access.access_broker(request.user, broker_id)
    context = {"broker": broker, **selectors.broker_pipeline(broker)}
    return render(request, "techmarket/broker_detail.html", context)


@login_required
@require_POST
def commission_action(request, commission_id: int, action: str):
    access.access_manage(request.user)
    commission = get_object_or_404(Commission, pk=commission_id)
    steps = {
        "approve": lambda: services.commission_approve(actor=request.user, commission=commission),
        "pay": lambda: services.commission_pay(actor=request.user, commission=commission),
        "reject": lambda: services.commission_reject(
            actor=request.user, commission=commission, reason=request.POST.get("reason", "")
        ),
    }
    if action not in steps:
        raise Http404("没有这个操作")
    try:
        steps[action]()
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, "佣金状态已更新")
    return redirect(f"{reverse('techmarket:broker_list')}?year={commission.year}")


def lot_list(request):
    """Public: the lots listed now and the results of the closed ones."""
    lots = Listing.objects.select_related("achievement", "leader", "contract")
    context = {
        "open_lots": lots.filter(state=Listing.State.OPEN).order_by("ends_at"),
        "closed_lots": lots.exclude(state=Listing.State.OPEN).order_by("-closed_at")[:50],
        "can_list": request.user.is_authenticated and access.listable_achievements(request.user).exists(),
    }
    return render(request, "techmarket/lot_list.html", context)


def lot_detail(request, listing_id: int):
    """Public: a lot, its price and end; a bid form for enterprises, deposits and closing for staff."""
    listing = get_object_or_404(
        Listing.objects.select_related("achievement__institution", "leader", "contract"), pk=listing_id
    )
    user = request.user
    enterprise_id = access.enterprise_of(user) if user.is_authenticated else None
    context = {
        "lot": listing,
        "minimum": services.minimum_bid(listing),
        "bid_count": listing.bids.count(),
        "can_bid": enterprise_id is not None
        and listing.state == Listing.State.OPEN
        and enterprise_id != listing.seller_id,
        "has_deposit": enterprise_id is not None
        and listing.deposits.filter(enterprise_id=enterprise_id, state=Deposit.State.PAID).exists(),
        "can_manage": user.is_authenticated and access.can_manage(user),
        "deposits": listing.deposits.select_related("enterprise")
        if user.is_authenticated and access.can_manage(user)
        else (),
        "now": timezone.now(),
    }
    return render(request, "techmarket/lot_detail.html", context)


def lot_bids(request, listing_id: int):
    """Public: the bid log with its hash chain and the result of checking it."""
    listing = get_object_or_404(Listing.objects.select_related("achievement"), pk=listing_id)
    context = {
        "lot": listing,
        "bids": listing.bids.select_related("enterprise").order_by("seq"),
        "problems": services.bid_chain_problems(listing),
    }
    return render(request, "techmarket/lot_bids.html", context)


@login_required
def lot_create(request):
    """An enterprise lists an achievement of its R&D centre (staff any achievement) for sale."""
    achievements = access.listable_achievements(request.user)
    form = forms.ListingForm(request.POST or None, achievements=achievements)
    if not achievements.exists():
        raise PermissionDenied("没有可挂牌的成果：只能挂牌本企业研发中心的成果")
    if request.method == "POST" and form.is_valid():
        listing = form.instance
        access.access_list_achievement(request.user, listing.achievement)
        enterprise_id = access.enterprise_of(request.user)
        institution = listing.achievement.institution
        if enterprise_id is not None:
            listing.seller = Enterprise.objects.get(pk=enterprise_id)
            listing.seller_name = listing.seller.name
            listing.seller_region = settings.ZHUANXING_DISTRICT_NAME
        else:
            listing.seller = institution.enterprise if institution else None
            listing.seller_name = str(institution or listing.achievement)
            listing.seller_region = institution.region if institution else settings.ZHUANXING_DISTRICT_NAME
        try:
            services.listing_create(actor=request.user, listing=listing)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "成果已挂牌")
            return redirect("techmarket:lot_detail", listing_id=listing.pk)
    return render(request, "techmarket/lot_form.html", {"form": form})


@login_required
@require_POST
def lot_action(request, listing_id: int, action: str):
    listing = get_object_or_404(Listing, pk=listing_id)
    user = request.user
    try:
        if action == "bid":
            enterprise = access.access_bid(user)
            amount = forms.parse_amount(request.POST.get("amount", ""), label="出价")
            services.bid_place(actor=user, listing=listing, enterprise=enterprise, amount=amount)
            messages.success(request, f"出价 {amount} 万元已记录")
        elif action == "deposit":
            access.access_manage(user)
            enterprise = get_object_or_404(Enterprise, uscc=request.POST.get("uscc", "").strip().upper())
            amount = forms.parse_amount(request.POST.get("amount", ""), label="保证金")
            services.deposit_record(actor=user, listing=listing, enterprise=enterprise, amount=amount)
            messages.success(request, f"已登记 {enterprise.name} 的保证金")
        elif action == "close":
            access.access_manage(user)
            services.listing_close(actor=user, listing=listing)
            messages.success(request, "挂牌已结束")
        elif action == "refund":
            access.access_manage(user)
            deposit = get_object_or_404(Deposit, pk=request.POST.get("deposit") or 0, listing=listing)
            services.deposit_refund(actor=user, deposit=deposit)
            messages.success(request, "保证金已退还")
        else:
            raise Http404("没有这个操作")
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("techmarket:lot_detail", listing_id=listing.pk)


def challenge_list(request):
    """Public: the 揭榜挂帅 challenges open now and the announced results."""
    challenges = Challenge.objects.select_related("demand__enterprise", "winner__institution")
    context = {
        "open": challenges.filter(state=Challenge.State.OPEN).order_by("closes_at"),
        "closed": challenges.exclude(state=Challenge.State.OPEN).order_by("-state_since")[:50],
    }
    return render(request, "techmarket/challenge_list.html", context)


def challenge_detail(request, challenge_id: int):
    """Public: the challenge and, once announced, the winner. Solvers submit here; the panel scores here."""
    challenge = get_object_or_404(
        Challenge.objects.select_related("demand__enterprise", "winner__institution", "contract"),
        pk=challenge_id,
    )
    user = request.user
    signed_in = user.is_authenticated
    solver = access.solver_of(user) if signed_in else None
    member = access.panel_member(user, challenge) if signed_in else None
    see_all = signed_in and access.can_see_proposals(user, challenge)
    context = {
        "challenge": challenge,
        "demand": challenge.demand,
        "solver": solver,
        "can_submit": solver is not None and challenge.state == Challenge.State.OPEN,
        "submitted": solver is not None and challenge.proposals.filter(institution=solver).exists(),
        "member": member,
        "ranking": services.proposal_ranking(challenge) if see_all else [],
        "mine": {
            s.proposal_id: s
            for s in ProposalScore.objects.filter(expert=member, proposal__challenge=challenge)
        }
        if member
        else {},
        "actions": CHALLENGE.available(user, challenge) if signed_in else [],
        "panel": challenge.panel.all() if see_all else [],
    }
    return render(request, "techmarket/challenge_detail.html", context)


@login_required
def challenge_publish(request, demand_id: int):
    demand = access.access_demand(request.user, demand_id)
    access.access_publish_challenge(request.user, demand)
    form = forms.ChallengeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            challenge = services.challenge_publish(
                actor=request.user,
                demand=demand,
                prize=data["prize"],
                closes_at=data["closes_at"],
                panel=list(data["panel"]),
                eligible_kinds=data["eligible_kinds"],
                eligible_region=data["eligible_region"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "已发榜")
            return redirect("techmarket:challenge_detail", challenge_id=challenge.pk)
    return render(request, "techmarket/challenge_form.html", {"form": form, "demand": demand})


@login_required
@require_POST
def challenge_action(request, challenge_id: int, action: str):
    challenge = get_object_or_404(Challenge, pk=challenge_id)
    user = request.user
    try:
        if action == "submit":
            institution = access.access_submit_proposal(user)
            services.proposal_submit(
                actor=user,
                challenge=challenge,
                institution=institution,
                text=request.POST.get("text", ""),
                attachment=AttachmentField(required=False).clean(request.FILES.get("attachment")),
            )
            messages.success(request, "方案已提交")
        elif action == "score":
            expert = access.access_score(user, challenge)
            proposal = get_object_or_404(Proposal, pk=request.POST.get("proposal") or 0, challenge=challenge)
            raw = request.POST.get("score", "").strip()
            if not request.POST.get("conflict", "").strip() and not raw.isdigit():
                raise ValidationError(f"评分「{raw}」应为 0 到 100 的整数")
            services.proposal_score(
                actor=user,
                proposal=proposal,
                expert=expert,
                score=int(raw) if raw.isdigit() else None,
                comment=request.POST.get("comment", ""),
                conflict=request.POST.get("conflict", ""),
            )
            messages.success(request, "已保存")
        elif action == "review":
            services.challenge_review(actor=user, challenge=challenge)
            messages.success(request, "已截止征集，开始评审")
        elif action == "award":
            services.challenge_award(actor=user, challenge=challenge)
            messages.success(request, "揭榜结果已公布，奖励已转为技术合同")
        elif action == "fail":
            services.challenge_fail(actor=user, challenge=challenge, reason=request.POST.get("reason", ""))
            messages.success(request, "已标记为无人揭榜")
        else:
            raise Http404("没有这个操作")
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("techmarket:challenge_detail", challenge_id=challenge.pk)


@login_required
def event_list(request):
    access.access_browse(request.user)
    events = Event.objects.select_related("partner")
    return render(
        request,
        "techmarket/event_list.html",
        {"events": events, "can_manage": access.can_manage(request.user)},
    )


@login_required
def event_create(request):
    access.access_manage(request.user)
    form = forms.EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_save(actor=request.user, event=form.instance)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return redirect("techmarket:event_detail", event_id=event.pk)
    return render(request, "techmarket/event_form.html", {"form": form})


@login_required
def event_detail(request, event_id: int):
    event = access.access_event(request.user, event_id)
    can_manage = access.can_manage(request.user)
    context = {
        "event": event,
        "can_manage": can_manage,
        "registrations": event.registrations.select_related("enterprise", "expert") if can_manage else None,
        "pairs": access.pairs_visible_to(request.user, event),
        "outcomes": EventPair.Outcome.choices,
        "contracts": event.contracts.all() if can_manage else None,
    }
    return render(request, "techmarket/event_detail.html", context)


@login_required
@require_POST
def event_action(request, event_id: int, action: str):
    event = access.access_event(request.user, event_id)
    try:
        if action == "register":
            enterprise_id, expert = access.access_register(request.user)
            enterprise = Enterprise.objects.get(pk=enterprise_id) if enterprise_id else None
            services.event_register(
                actor=request.user, event=event, enterprise=enterprise, expert=None if enterprise else expert
            )
            messages.success(request, "报名成功")
        elif action == "prematch":
            access.access_manage(request.user)
            pairs = services.event_prematch(actor=request.user, event=event)
            messages.success(request, f"已预匹配 {len(pairs)} 对")
        else:
            raise Http404("没有这个操作")
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("techmarket:event_detail", event_id=event.pk)


@login_required
@require_POST
def pair_outcome(request, pair_id: int):
    pair = access.access_pair(request.user, pair_id)
    try:
        services.event_pair_outcome(actor=request.user, pair=pair, outcome=request.POST.get("outcome", ""))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("techmarket:event_detail", event_id=pair.event_id)


@login_required
def consultation_list(request):
    consultations = access.consultations_visible_to(request.user)
    is_enterprise = access.enterprise_of(request.user) is not None
    form = forms.ConsultationForm(request.POST or None) if is_enterprise else None
    if request.method == "POST":
        enterprise_id = access.access_request_consultation(request.user)
        if form.is_valid():
            try:
                consultation = services.consultation_request(
                    actor=request.user,
                    enterprise=Enterprise.objects.get(pk=enterprise_id),
                    areas=form.cleaned_data["areas"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, "诊断申请已提交")
                return redirect("techmarket:consultation_detail", consultation_id=consultation.pk)
    return render(
        request, "techmarket/consultation_list.html", {"consultations": consultations, "form": form}
    )


@login_required
def consultation_detail(request, consultation_id: int):
    consultation = access.access_consultation(request.user, consultation_id)
    can_manage = access.can_manage(request.user)
    context = {
        "consultation": consultation,
        "can_manage": can_manage,
        "can_rate": access.enterprise_of(request.user) == consultation.enterprise_id,
        "assign_form": forms.AssignForm(initial={"experts": consultation.experts.all()}),
        "visit_form": forms.VisitForm(),
        "report_form": forms.ReportForm(
            initial={"report": consultation.report, "problems": "\n".join(consultation.problems)}
        ),
        "rate_form": forms.RateForm(),
        "field_choices": FIELD_CHOICES,
        "converted": set(consultation.demands.values_list("title", flat=True)),
    }
    return render(request, "techmarket/consultation_detail.html", context)


@login_required
@require_POST
def consultation_action(request, consultation_id: int, action: str):
    user = request.user
    consultation = access.access_consultation(user, consultation_id)
    forms_by_action = {
        "assign": forms.AssignForm,
        "visit": forms.VisitForm,
        "report": forms.ReportForm,
        "demand": forms.ToDemandForm,
        "rate": forms.RateForm,
    }
    if action not in forms_by_action:
        raise Http404("没有这个操作")
    if action == "rate":
        access.access_rate(user, consultation)
    else:
        access.access_manage(user)
    form = forms_by_action[action](request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("techmarket:consultation_detail", consultation_id=consultation.pk)
    data = form.cleaned_data
    try:
        if action == "assign":
            services.consultation_assign(actor=user, consultation=consultation, experts=list(data["experts"]))
        elif action == "visit":
            services.consultation_visit(actor=user, consultation=consultation, **data)
        elif action == "report":
            services.consultation_report(
                actor=user,
                consultation=consultation,
                report=data["report"],
                problems=data["problems"].splitlines(),
            )
        elif action == "demand":
            demand = services.consultation_problem_to_demand(
                actor=user, consultation=consultation, problem_index=data["problem"], field=data["field"]
            )
            messages.success(request, "已转为技术需求")
            return redirect("techmarket:demand_detail", demand_id=demand.pk)
        else:
            services.consultation_rate(
                actor=user, consultation=consultation, rating=data["rating"], comment=data["comment"]
            )
        messages.success(request, "已保存")
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("techmarket:consultation_detail", consultation_id=consultation.pk)


@login_required
def statistics(request):
    access.access_statistics(request.user)
    years = selectors.statistics_years()
    year = year_param(request.GET.get("year")) or years[0]
    field = request.GET.get("field", "") if request.GET.get("field", "") in dict(FIELD_CHOICES) else ""
    figures = selectors.statistics_for(year, field=field)
    if request.GET.get("format") == "xlsx":
        return statistics_xlsx(figures)
    context = {
        "figures": figures,
        "years": years,
        "fields": FIELD_CHOICES,
        "charts": statistics_charts(figures),
    }
    return render(request, "techmarket/statistics.html", context)


@login_required
def vocabulary(request):
    access.access_manage(request.user)
    form = forms.VocabularyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.vocabulary_add(
                actor=request.user, kind=form.cleaned_data["kind"], line=form.cleaned_data["line"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "已添加；运行 zhuanxing techmarket-reindex 后对已有档案生效")
            return redirect("techmarket:vocabulary")
    context = {
        "form": form,
        "lines": VocabularyLine.objects.select_related("added_by"),
        "status": indexing.status(),
    }
    return render(request, "techmarket/vocabulary.html", context)


@login_required
@require_POST
def reindex(request):
    """Rebuild the matching index (and expire demands past their date) as a background job."""
    access.access_manage(request.user)
    job = job_services.job_start(
        actor=request.user, kind="techmarket.reindex", label="重建科技大市场匹配索引"
    )
    return redirect("jobs:job_detail", job_id=job.pk)


@login_required
@require_POST
def vocabulary_remove(request, entry_id: int):
    access.access_manage(request.user)
    services.vocabulary_remove(actor=request.user, entry=get_object_or_404(VocabularyLine, pk=entry_id))
    messages.success(request, "已删除；运行 zhuanxing techmarket-reindex 后生效")
    return redirect("techmarket:vocabulary")
