from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhuanxing.notices import access, services
from zhuanxing.params import int_param


@login_required
def notice_list(request):
    notices = access.notices_of(request.user)
    only_unread = request.GET.get("unread") == "1"
    if only_unread:
        notices = notices.filter(read_at__isnull=True)
    page = Paginator(notices, 30).get_page(request.GET.get("page"))
    return render(request, "notices/list.html", {"page": page, "only_unread": only_unread})


@login_required
def badge(request):
    """The unread count for the header, loaded by htmx after the page (no query on every page)."""
    unread = access.notices_of(request.user).filter(read_at__isnull=True).count()
    return render(request, "notices/badge.html", {"unread": unread})


@login_required
@require_POST
def mark_read(request):
    ids = [n for i in request.POST.getlist("id") if (n := int_param(i)) is not None]
    changed = services.notices_mark_read(actor=request.user, ids=ids or None)
    messages.success(request, f"已标记 {changed} 条消息为已读")
    return redirect("notices:list")
