"""Chinese first: the language is the one the user chose (cookie), else the site default.

Django's LocaleMiddleware would follow the browser's Accept-Language, which turns the
interface English for any browser set to English; a district platform speaks Chinese
unless the user picks English with the selector.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


class ChineseFirstLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class RejectNulMiddleware:
    """A NUL character in any query parameter, form field or JSON text is refused with a
    400 before any view runs: PostgreSQL cannot store or compare it, so every text filter
    would otherwise answer with a server error. The API gets its one error shape; pages
    get a short Chinese page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        field = self._nul_field(request)
        if field is not None:
            return self._refuse(request, field)
        return self.get_response(request)

    @staticmethod
    def _nul_field(request) -> str | None:
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in v for v in values):
                return name.replace("\x00", "")
        if "\x00" in request.path:
            return "path"
        content_type = request.META.get("CONTENT_TYPE", "")
        if request.method in ("POST", "PUT", "PATCH"):
            if content_type.startswith("application/json"):
                body = request.body
                if b"\x00" in body or b"\\u0000" in body:
                    return "body"
            elif content_type.startswith("application/x-www-form-urlencoded"):
                for name, values in request.POST.lists():
                    if "\x00" in name or any("\x00" in v for v in values):
                        return name.replace("\x00", "")
        return None

    @staticmethod
    def _refuse(request, field: str):
        from django.http import HttpResponseBadRequest, JsonResponse
        from django.template.loader import render_to_string

        message = f"参数 {field} 含有非法字符（NUL），请删除后重试"
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "errors": {field: ["含有非法字符（NUL）"]}}, status=400)
        return HttpResponseBadRequest(render_to_string("400.html", {"message": message}, request=request))


class PermissionsPolicyMiddleware:
    """Every answer denies the browser features the platform never uses (camera,
    microphone, location, payment…), from ``settings.PERMISSIONS_POLICY``."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.policy)
        return response
