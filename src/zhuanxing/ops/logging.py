"""One log line per request: method, path, status, milliseconds, user; JSON when asked
(``ZHUANXING_LOG_JSON=1``), for a log collector."""

from __future__ import annotations

import json
import logging
import time

from django.conf import settings

logger = logging.getLogger("zhuanxing.requests")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        if logger.isEnabledFor(logging.INFO):
            logger.info(format_line(request, response.status_code, (time.perf_counter() - started) * 1000))
        return response


def format_line(request, status: int, ms: float) -> str:
    user = getattr(request, "user", None)
    username = user.get_username() if user is not None and user.is_authenticated else "-"
    fields = {
        "method": request.method,
        "path": request.get_full_path()[:500],
        "status": status,
        "ms": round(ms, 1),
        "user": username,
        "ip": request.META.get("REMOTE_ADDR", ""),
    }
    if settings.ZHUANXING_LOG_JSON:
        return json.dumps(fields, ensure_ascii=False)
    return "{method} {path} {status} {ms:.1f}ms user={user} ip={ip}".format(**fields)
