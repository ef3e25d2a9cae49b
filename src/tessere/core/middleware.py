from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from tessere.core.scoping import current_district


class CurrentDistrictMiddleware:
    """Sets ``request.district``: the district the logged-in user is working in (or None)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.district = SimpleLazyObject(lambda: current_district(request))  # type: ignore[attr-defined]
        return self.get_response(request)


class ItalianFirstLocaleMiddleware(LocaleMiddleware):
    """Italian unless the user chose another language (the language cookie): the browser's
    Accept-Language is not followed, so every page opens in Italian first."""

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
