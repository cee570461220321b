"""Request-wide pieces of the audit and session rules (等保 level 3)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect

from zhuanxing.accounts import throttle
from zhuanxing.accounts.audit import record_change, request_address

SESSION_STARTED = "_zx_started"
SESSION_SEEN = "_zx_seen"


def start_session_clock(session) -> None:
    """At login, so that the requests after it need not write the session."""
    session[SESSION_STARTED] = session[SESSION_SEEN] = time.time()


class AuditAddressMiddleware:
    """Every audit entry written while serving a request names the request's source address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_address.set(throttle.client_address(request))
        try:
            return self.get_response(request)
        finally:
            request_address.reset(token)


class SessionLimitsMiddleware:
    """Log a signed-in user out after ``ZHUANXING_IDLE_LOGOUT_MINUTES`` without a request, or
    ``ZHUANXING_SESSION_MAX_HOURS`` after signing in, whichever comes first; audited."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(SESSION_STARTED, now)
            seen = request.session.get(SESSION_SEEN, now)
            idle = now - seen > settings.ZHUANXING_IDLE_LOGOUT_MINUTES * 60
            too_old = now - started > settings.ZHUANXING_SESSION_MAX_HOURS * 3600
            if idle or too_old:
                record_change(
                    actor=user,
                    action="会话超时退出",
                    obj=user,
                    reason="长时间未操作" if idle else "会话超过最长时限",
                )
                request.session["_zx_timed_out"] = True  # the logout signal then records nothing more
                logout(request)
                messages.info(request, "您已较长时间未操作或登录已超过时限，请重新登录。")
                return redirect(settings.LOGIN_URL)
            # Written at most once a minute, so a busy page does not save the session on each request.
            if now - seen >= 60 or SESSION_SEEN not in request.session:
                request.session[SESSION_SEEN] = now
        return self.get_response(request)
