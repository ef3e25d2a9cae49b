"""Tessere's URLs plus ``/bench/one-row``: the ceiling a bare Django view reaches on this
machine (whole middleware stack, one indexed read of one row, a tiny response)."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from tessere.territory.models import District


def one_row(request: HttpRequest) -> HttpResponse:
    district = District.objects.filter(code=request.GET.get("code", "cremona")).first()
    return HttpResponse(district.name if district else "-", content_type="text/plain")


urlpatterns = [
    path("bench/one-row", one_row),
    path("", include("tessere.urls")),
]
