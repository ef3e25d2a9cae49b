from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

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


class NullCharacterMiddleware:
    """Refuses (400) a request whose path, query or form or JSON fields hold a NUL character:
    PostgreSQL cannot store or compare one, so it would otherwise end as a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._has_null(request):
            message = _("La richiesta contiene caratteri non ammessi.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message, "errors": []}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)

    @staticmethod
    def _has_null(request: HttpRequest) -> bool:
        if "\x00" in request.path:
            return True
        if any("\x00" in v for k, vs in request.GET.lists() for v in [k, *vs]):
            return True
        if request.method not in {"POST", "PUT", "PATCH"}:
            return False
        if request.content_type == "application/json":
            return b"\\u0000" in request.body or b"\x00" in request.body
        if request.content_type == "application/x-www-form-urlencoded":
            # Read from the cached body. Multipart bodies are left to the forms (Django's
            # form fields refuse NUL): parsing them here would consume the upload stream.
            fields = request.POST.lists()
            return any("\x00" in v for k, vs in fields for v in [k, *vs])
        return False
