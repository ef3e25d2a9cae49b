from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from tessere.core.scoping import current_district


class CurrentDistrictMiddleware:
    """Sets ``request.district``: the district the logged-in user is working in (or None)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.district = SimpleLazyObject(lambda: current_district(request))  # type: ignore[attr-defined]
        return self.get_response(request)
