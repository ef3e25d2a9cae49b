"""The public guide: districts, search with list and map, service, organisation, areas."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tessere.core.areas import UserArea
from tessere.directory import maps, selectors
from tessere.directory.forms import SearchForm
from tessere.territory.models import District
from tessere.territory.selectors import public_districts

PAGE_SIZE = 20


def _district(code: str) -> District:
    return get_object_or_404(District, code=code)


def _municipality_choices(district: District) -> list[tuple[str, str]]:
    return list(district.municipalities.order_by("name").values_list("code", "name"))


def guide_index(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/guide_index.html", {"districts": public_districts()})


def _filters(form: SearchForm) -> selectors.SearchFilters:
    data = form.cleaned_data if form.is_valid() else {}
    return selectors.SearchFilters(
        q=data.get("q") or "",
        area=data.get("area") or "",
        municipality=data.get("municipality") or "",
        kind=data.get("kind") or "",
        cost=data.get("cost") or "",
        language=data.get("language") or "",
        accessibility=list(data.get("accessibility") or []),
        age=data.get("age"),
        projects=data.get("projects") or "",
    )


def guide(request: HttpRequest, code: str) -> HttpResponse:
    district = _district(code)
    form = SearchForm(request.GET or None, municipalities=_municipality_choices(district))
    filters = _filters(form)
    page_obj = selectors.search_page(district, filters, request.GET.get("page"), PAGE_SIZE)
    points: list[maps.Point] = []
    for service in page_obj.object_list:
        url = reverse("directory:service", args=[district.code, service.pk])
        for item in service.at_locations.all():
            location = item.location
            latitude = location.latitude or location.municipality.latitude
            longitude = location.longitude or location.municipality.longitude
            if latitude is not None and longitude is not None:
                points.append(maps.Point(latitude, longitude, f"{service.name} — {location}", url))
    query = urlencode(
        [
            (key, value)
            for key, values in request.GET.lists()
            if key != "page"
            for value in values
            if value
        ]
    )
    context: dict[str, Any] = {
        "district": district,
        "form": form,
        "page_obj": page_obj,
        "query": query,
        "searched": not filters.is_empty(),
        "can_manage_guide": request.user.has_perm("directory.view_staff", district),
        "map": maps.district_map(
            district, points, _("Mappa dei servizi trovati in %(name)s") % {"name": district.name}
        ),
    }
    if getattr(request, "htmx", False):
        return render(request, "directory/guide.html#results", context)
    return render(request, "directory/guide.html", context)


def _service_context(request: HttpRequest, code: str, service_id: str) -> dict[str, Any]:
    district = _district(code)
    service = selectors.public_service(district, service_id)
    if service is None:
        raise Http404(_("Servizio non trovato."))
    return {"district": district, "service": service}


def service_detail(request: HttpRequest, code: str, service_id: str) -> HttpResponse:
    return render(request, "directory/service.html", _service_context(request, code, service_id))


def service_print(request: HttpRequest, code: str, service_id: str) -> HttpResponse:
    return render(
        request, "directory/service_print.html", _service_context(request, code, service_id)
    )


def service_pdf(request: HttpRequest, code: str, service_id: str) -> HttpResponse:
    from tessere.directory.documents import service_pdf as render_pdf

    context = _service_context(request, code, service_id)
    pdf = render_pdf(request, context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="servizio-{context["service"].pk}.pdf"'
    return response


def organisation_detail(request: HttpRequest, code: str, organisation_id: str) -> HttpResponse:
    district = _district(code)
    organisation = selectors.public_organisation(district, organisation_id)
    if organisation is None:
        raise Http404(_("Ente non trovato."))
    services = (
        selectors.public_services(district)
        .filter(organisation=organisation)
        .select_related("nomenclature")
        .order_by("name")
    )
    return render(
        request,
        "directory/organisation.html",
        {"district": district, "organisation": organisation, "services": services},
    )


def areas(request: HttpRequest, code: str) -> HttpResponse:
    """The map of policies: each user area with its services and projects."""
    district = _district(code)
    services = list(
        selectors.public_services(district)
        .select_related("organisation")
        .only("id", "name", "areas", "start_date", "end_date", "organisation__name")
        .order_by("name")
    )
    rows = []
    for value, label in UserArea.choices:
        in_area = [s for s in services if value in s.area_list]
        rows.append(
            {
                "value": value,
                "label": label,
                "services": [s for s in in_area if not s.is_project],
                "projects": [s for s in in_area if s.is_project],
            }
        )
    return render(request, "directory/areas.html", {"district": district, "rows": rows})
