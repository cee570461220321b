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
