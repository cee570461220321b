"""一企一档: everything the district knows about one enterprise, section by section.

``dossier(enterprise)`` reads each app's records of the enterprise with a fixed number of queries
(whatever the number of years or records). Who may read it is decided in ``access.py`` (the
registry's visibility: staff all, a town official its town's, an enterprise user its own), and
every section here is the enterprise's own records, so a reader who may see the enterprise may
see its sections; personal talent records are not part of it.
"""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from zhuanxing.campaigns.models import AutomationProject, CommerceConversion, ExitAction, Recognition
from zhuanxing.evaluation.selectors import histories
from zhuanxing.programs.models import Application
from zhuanxing.registry import selectors as registry_selectors
from zhuanxing.registry.models import Enterprise, Industry
from zhuanxing.techmarket.models import Contract, Demand, Match


def _float(value) -> float | None:
    return None if value is None else float(value)


def _industry_path(industry: Industry) -> list[dict]:
    """The class and its group, division and section, each with its GB/T 4754 name."""
    path, node = [], industry
    while node is not None:
        path.append({"code": node.code, "name": node.name, "level": node.get_level_display()})
        node = node.parent
    return path


def dossier(enterprise: Enterprise) -> dict:
    industry = Industry.objects.select_related("parent__parent__parent").get(pk=enterprise.industry_id)
    registry = {
        "id": enterprise.pk,
        "uscc": enterprise.uscc,
        "name": enterprise.name,
        "town": enterprise.town.name,
        "industry_code": industry.code,
        "industry_name": industry.name,
        "industry_path": _industry_path(industry),
        "scale": enterprise.scale,
        "status": enterprise.get_status_display(),
        "founded": enterprise.founded,
        "address": enterprise.address,
        "tags": [tag.name for tag in enterprise.tags.all()],
    }
    parcels = [
        {"certificate_no": p.certificate_no, "area_mu": _float(p.area_mu), "use": p.use}
        for p in enterprise.parcels.all()
    ]
    leases_in = [
        {
            "parcel": lease.parcel.certificate_no,
            "owner": lease.parcel.owner.name,
            "area_mu": _float(lease.area_mu),
        }
        for lease in enterprise.leases_in.select_related("parcel__owner")
    ]
    years = [
        {
            "year": row["year"],
            "values": [
                {
                    "field": v["field"],
                    "label": v["label"],
                    "unit": v["unit"],
                    "value": _float(v["value"]),
                    "source": (v["batch"].get_source_display() if v["batch"] else None),
                }
                for v in row["values"]
                if v["value"] is not None
            ],
        }
        for row in registry_selectors.annual_rows_with_provenance(enterprise)
    ]
    evaluations = []
    for result in histories([enterprise.pk]).get(enterprise.pk, []):
        inputs = result.inputs or {}
        land, tax = inputs.get("land_mu"), inputs.get("tax")
        evaluations.append(
            {
                "year": result.run.year,
                "class": result.final_class,
                "total": result.total,
                "rank": result.rank,
                "tax_per_mu": round(tax / land, 2) if tax is not None and land else None,
                "report_card": reverse("evaluation:report_card", kwargs={"result_id": result.pk}),
            }
        )
    evaluations.sort(key=lambda row: row["year"])
    transitions = [
        {"from_year": a["year"], "to_year": b["year"], "from": a["class"], "to": b["class"]}
        for a, b in zip(evaluations, evaluations[1:], strict=False)
        if a["class"] != b["class"]
    ]
    recognitions = [
        {
            "kind": r.kind.name,
            "level": r.level.name,
            "tier": r.level.tier,
            "year": r.year,
            "document_no": r.document_no,
            "status": r.get_status_display(),
        }
        for r in Recognition.objects.filter(enterprise=enterprise)
        .select_related("kind", "level")
        .order_by("-year")
    ]
    applications = [
        {
            "number": a.number,
            "policy": a.policy.name,
            "clause": a.clause_label,
            "state": a.get_state_display(),
            "computed": _float(a.computed),
            "approved": _float(a.approved),
            "paid": _float(a.paid),
            "url": reverse("programs:application_detail", kwargs={"application_id": a.pk}),
        }
        for a in Application.objects.filter(enterprise=enterprise)
        .select_related("policy")
        .order_by("-created_at")
    ]
    demands = list(Demand.objects.filter(enterprise=enterprise).order_by("-created_at"))
    matches = Match.objects.filter(demand__in=demands, invited_at__isnull=False)
    invitations = [
        {
            "demand": m.demand.title,
            "candidate": m.candidate,
            "stage": m.get_stage_display(),
            "invited_at": m.invited_at,
        }
        for m in matches.select_related("demand").order_by("-invited_at")
    ]
    contracts = [
        {
            "title": c.title,
            "kind": c.kind,
            "seller": c.seller_name,
            "signed_on": c.signed_on,
            "amount": _float(c.amount),
            "tech_amount": _float(c.tech_amount),
        }
        for c in Contract.objects.filter(buyer_enterprise=enterprise).order_by("-signed_on")
    ]
    campaigns = {
        "automation": [
            {
                "name": p.name,
                "year": p.year,
                "investment": _float(p.investment),
                "jobs_reduced": p.jobs_reduced,
                "status": p.get_status_display(),
            }
            for p in AutomationProject.objects.filter(enterprise=enterprise).order_by("-year")
        ],
        "exit_actions": [
            {"action": e.get_action_display(), "year": e.year, "date": e.date, "note": e.note}
            for e in ExitAction.objects.filter(enterprise=enterprise).order_by("-year")
        ],
        "commerce": [
            {
                "name": c.name,
                "year": c.year,
                "new_use": c.get_new_use_display(),
                "status": c.get_status_display(),
            }
            for c in CommerceConversion.objects.filter(enterprise=enterprise).order_by("-year")
        ],
    }
    return {
        "registry": registry,
        "land": {
            "parcels": parcels,
            "leases_in": leases_in,
            "total_mu": float(sum((Decimal(str(p["area_mu"])) for p in parcels), Decimal(0))),
        },
        "years": years,
        "evaluations": evaluations,
        "class_transitions": transitions,
        "recognitions": recognitions,
        "applications": applications,
        "demands": [
            {
                "title": d.title,
                "state": d.state,
                "created_at": d.created_at,
                "url": reverse("techmarket:demand_detail", kwargs={"demand_id": d.pk}),
            }
            for d in demands
        ],
        "invitations": invitations,
        "contracts": contracts,
        "campaigns": campaigns,
        "warnings": [],
    }
