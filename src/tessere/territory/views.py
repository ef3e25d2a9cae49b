"""Public pages of the territory: the districts and their municipalities."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from tessere.territory import selectors


def district_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "territory/district_list.html", {"districts": selectors.public_districts()}
    )


def district_detail(request: HttpRequest, code: str) -> HttpResponse:
    district = get_object_or_404(selectors.public_districts(), code=code)
    population = selectors.district_population(district)
    return render(
        request,
        "territory/district_detail.html",
        {"district": district, "population": population},
    )
