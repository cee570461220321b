from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from zhuanxing.accounts.access import access_staff
from zhuanxing.accounts.models import AuditEntry
from zhuanxing.web import charts, selectors


@login_required
def home(request):
    return render(request, "web/home.html", {"figures": selectors.home_figures(request.user)})


@login_required
def audit_log(request):
    access_staff(request.user)
    entries = AuditEntry.objects.select_related("actor")
    object_type = request.GET.get("type", "")
    if object_type:
        entries = entries.filter(object_type=object_type)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "web/audit_log.html", {"page": page, "object_type": object_type})


@cache_control(max_age=86400, public=True)
def plotly_js(request):
    """plotly.js from the installed plotly package, so charts work without the internet."""
    return HttpResponse(charts.plotly_js(), content_type="application/javascript; charset=utf-8")
