from urllib.parse import urlencode

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from zhuanxing.accounts.access import access_staff
from zhuanxing.registry import access as registry_access
from zhuanxing.web import audit_log as audit_log_
from zhuanxing.web import search as search_
from zhuanxing.web import selectors, todos
from zhuanxing.web.exports import xlsx_response


@login_required
def home(request):
    user = request.user
    today = timezone.localdate()
    groups: dict[str, list[dict]] = {}
    for item in todos.todos_for(user, request, today):
        app_label = item.kind.split(".", 1)[0]
        group = (
            apps.get_app_config(app_label).verbose_name if apps.is_installed(f"zhuanxing.{app_label}") else ""
        )
        groups.setdefault(str(group), []).append(
            {
                **item.as_dict(),
                "oldest": item.oldest,
                "due": item.due,
                "waiting_days": (today - item.oldest).days if item.oldest else None,
                "overdue": bool(item.due and item.due < today),
            }
        )
    context = {
        "todo_groups": list(groups.items()),
        "figures": selectors.home_figures(user) if registry_access.may_read_registry(user) else None,
    }
    return render(request, "web/home.html", context)


@login_required
def search(request):
    # the header box sends ``keyword`` (a page's own filter box is often ``q``); the page's form ``q``
    q = search_.clean_query(request.GET.get("q") or request.GET.get("keyword"))
    hits = search_.search(request.user, q)
    groups: dict[str, list] = {}
    for hit in hits:
        groups.setdefault(hit.kind_label, []).append(hit)
    context = {"q": q, "search_q": q, "groups": list(groups.items()), "count": len(hits)}
    return render(request, "web/search.html", context)


@login_required
def audit_log(request):
    access_staff(request.user)
    form = audit_log_.AuditFilterForm(request.GET or None)
    entries = audit_log_.filtered_entries(form)
    if request.GET.get("format") == "xlsx":
        return xlsx_response("审计记录.xlsx", audit_log_.EXPORT_HEADERS, audit_log_.export_rows(entries))
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    rows = [
        {
            "entry": entry,
            "actor": audit_log_.actor_name(entry),
            "type": audit_log_.type_label(entry.object_type),
            "changes": audit_log_.field_changes(entry),
        }
        for entry in page
    ]
    filters = {k: v for k, v in request.GET.items() if k in form.fields and v}
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "querystring_base": urlencode(filters) + "&" if filters else "",
    }
    return render(request, "web/audit_log.html", context)
