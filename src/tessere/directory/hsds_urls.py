"""HSDS 3.0 read API (Open Referral) at /api/hsds/: published services only, all districts.

Plain Django views returning the spec's objects and its ``Page`` envelope, or, with
``format=ndjson``, every result as newline-delimited JSON streamed without pagination. An extra
``district`` query parameter (a district code) narrows every list to one district.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import ExpressionWrapper, F, FloatField, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import path
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tessere.directory import hsds, text
from tessere.directory.models import (
    Location,
    Organisation,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from tessere.directory.selectors import _with_locations, locations_prefetch

app_name = "hsds"

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
#: Rows read per query when streaming ``format=ndjson`` (prefetches run once per batch).
STREAM_CHUNK = 500
#: The largest ``proximity`` accepted, in metres.
MAX_PROXIMITY = 200_000
NDJSON = "application/x-ndjson; charset=utf-8"


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"detail": message}, status=status)


def _int(request: HttpRequest, name: str, default: int) -> int:
    raw = request.GET.get(name, "")
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as error:
        raise ValidationError(
            _("Il parametro %(name)s deve essere un intero.") % {"name": name}
        ) from error
    if value < 1:
        raise ValidationError(_("Il parametro %(name)s deve essere almeno 1.") % {"name": name})
    return value


def _bool(request: HttpRequest, name: str) -> bool:
    return request.GET.get(name, "").lower() in {"1", "true", "yes"}


def _format(request: HttpRequest) -> str:
    value = request.GET.get("format", "") or "json"
    if value not in {"json", "ndjson"}:
        raise ValidationError(
            _("Il parametro format vale «json» o «ndjson», non «%(value)s».") % {"value": value}
        )
    return value


def _stream(qs: QuerySet[Any], render: Any) -> StreamingHttpResponse:
    """Every result, one JSON object per line, read in batches (no count, no pages)."""

    def lines() -> Iterator[str]:
        for item in qs.iterator(chunk_size=STREAM_CHUNK):
            yield json.dumps(render(item), ensure_ascii=False) + "\n"

    return StreamingHttpResponse(lines(), content_type=NDJSON)


def _page(request: HttpRequest, qs: QuerySet[Any], render: Any) -> Any:
    try:
        if _format(request) == "ndjson":
            return _stream(qs, render)
        number = _int(request, "page", 1)
        size = min(_int(request, "per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)
    except ValidationError as error:
        return _error(error.messages[0])
    total = qs.count()
    pages = max(1, math.ceil(total / size))
    # A page past the last is empty: never sliced (a huge offset overflows the database).
    items = list(qs[(number - 1) * size : number * size]) if number <= pages else []
    return JsonResponse(
        {
            "total_items": total,
            "total_pages": pages,
            "page_number": number,
            "size": len(items),
            "first_page": number == 1,
            "last_page": number >= pages,
            "empty": total == 0,
            "contents": [render(item) for item in items],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _published(request: HttpRequest) -> QuerySet[Service]:
    qs = Service.objects.filter(is_published=True)
    district = request.GET.get("district", "")
    if district:
        qs = qs.filter(district__code=district)
    return qs


def _filter_services(request: HttpRequest, qs: QuerySet[Any], prefix: str = "") -> Any:
    search = request.GET.get("search", "")
    if search:
        for s in text.stems(search):
            qs = qs.filter(**{f"{prefix}search_stems__contains": f" {s}"})
    term = request.GET.get("taxonomy_term_id", "")
    if term:
        found = (
            TaxonomyTerm.objects.filter(pk=term).select_related("taxonomy").first()
            if _uuid(term)
            else None
        )
        if found is None:
            return qs.none()
        qs = _by_term(qs, found, prefix)
    tax = request.GET.get("taxonomy_id", "")
    if tax:
        found_tax = Taxonomy.objects.filter(pk=tax).first() if _uuid(tax) else None
        if found_tax is None:
            return qs.none()
        if found_tax.key == "aree-utenza":
            qs = qs.exclude(**{f"{prefix}areas": ""})
        else:
            qs = qs.filter(**{f"{prefix}nomenclature__taxonomy": found_tax})
    organisation = request.GET.get("organization_id", "")
    if organisation:
        if not _uuid(organisation):
            return qs.none()
        qs = qs.filter(**{f"{prefix}organisation_id": organisation})
    modified = request.GET.get("modified_after", "")
    if modified:
        when = parse_datetime(modified)
        if when is None:
            raise ValidationError(_("modified_after deve essere una data e ora ISO 8601."))
        qs = qs.filter(**{f"{prefix}updated_at__gte": when})
    return qs


def _by_term(qs: Any, found: TaxonomyTerm, prefix: str) -> Any:
    if found.taxonomy.key == "aree-utenza":
        return qs.filter(**{f"{prefix}areas__contains": f"|{found.code}|"})
    return qs.filter(
        Q(**{f"{prefix}nomenclature": found}) | Q(**{f"{prefix}nomenclature__parent": found})
    )


def _uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@require_GET
def index(request: HttpRequest) -> JsonResponse:
    return JsonResponse(hsds.root(request.build_absolute_uri("/api/hsds/")))


@require_GET
def openapi(request: HttpRequest) -> HttpResponse:
    """The HSDS 3.0 OpenAPI description the index points to (the standard's own file)."""
    path = Path(__file__).parent / "schemas" / "openapi.json"
    return HttpResponse(path.read_bytes(), content_type="application/json")


@require_GET
def services(request: HttpRequest) -> Any:
    try:
        qs = _filter_services(request, _published(request))
    except ValidationError as error:
        return _error(error.messages[0])
    full = _bool(request, "full")
    if _bool(request, "minimal"):
        return _page(
            request,
            qs.order_by("name", "id").only("id", "updated_at", "name", "status"),
            lambda s: {
                "id": str(s.pk),
                "name": s.name,
                "status": hsds.STATUS_TO_HSDS[s.status],
                "last_modified": s.updated_at.isoformat() if s.updated_at else None,
            },
        )
    qs = _with_locations(qs) if full else qs.select_related("organisation")
    return _page(request, qs.order_by("name", "id"), lambda s: hsds.service(s, full=full))


@require_GET
def service_detail(request: HttpRequest, id: str) -> JsonResponse:
    found = _with_locations(_published(request)).filter(pk=id).first() if _uuid(id) else None
    if found is None:
        return _error(_("Servizio non trovato."), 404)
    return JsonResponse(hsds.service(found), json_dumps_params={"ensure_ascii": False})


def _organisations(request: HttpRequest) -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(services__in=_published(request)).distinct()
    search = request.GET.get("search", "")
    if search:
        qs = qs.filter(name__icontains=search)
    return qs.order_by("name", "id")


@require_GET
def organizations(request: HttpRequest) -> Any:
    """``full``: each organisation with its services (one-to-one fields); ``full_service``:
    with its fully nested services. Published services only, in a fixed number of queries."""
    qs = _organisations(request)
    if _bool(request, "full_service"):
        nested = _with_locations(_published(request)).order_by("name", "id")
        qs = qs.prefetch_related(Prefetch("services", queryset=nested, to_attr="published"))
        return _page(
            request,
            qs,
            lambda o: hsds.organisation(o, services=[hsds.service(s) for s in o.published]),
        )
    if _bool(request, "full"):
        simple = (
            _published(request)
            .select_related("organisation", "nomenclature")
            .order_by("name", "id")
        )
        qs = qs.prefetch_related(Prefetch("services", queryset=simple, to_attr="published"))
        return _page(
            request,
            qs,
            lambda o: hsds.organisation(
                o, services=[hsds.service(s, full=False) for s in o.published]
            ),
        )
    return _page(request, qs, hsds.organisation)


@require_GET
def organization_detail(request: HttpRequest, id: str) -> JsonResponse:
    found = _organisations(request).filter(pk=id).first() if _uuid(id) else None
    if found is None:
        return _error(_("Ente non trovato."), 404)
    published = _published(request).filter(organisation=found)
    if _bool(request, "full_service"):
        nested = [hsds.service(s) for s in _with_locations(published).order_by("name")]
    else:
        nested = [
            hsds.service(s, full=False)
            for s in published.select_related("organisation").order_by("name")
        ]
    return JsonResponse(
        hsds.organisation(found, services=nested), json_dumps_params={"ensure_ascii": False}
    )


POSTCODE = re.compile(r"^\d{5}$")
METRES_PER_DEGREE = 111_320.0


def _centroid(postcode: str) -> tuple[float, float] | None:
    """The centroid of a CAP: the mean point of the directory's located places with it."""
    points = [
        (float(lat), float(lon))
        for lat, lon in Location.objects.filter(
            postal_code=postcode, latitude__isnull=False, longitude__isnull=False
        ).values_list("latitude", "longitude")
        if lat is not None and lon is not None
    ]
    if not points:
        return None
    return (
        sum(p[0] for p in points) / len(points),
        sum(p[1] for p in points) / len(points),
    )


def _near(qs: Any, postcode: str, metres: float) -> Any:
    """Places within ``metres`` of the CAP's centroid, nearest first (an equirectangular
    distance, exact enough at the scale of a district, in plain SQL on every database)."""
    centre = _centroid(postcode)
    if centre is None:
        return qs.none()
    lat, lon = centre
    per_lon = METRES_PER_DEGREE * math.cos(math.radians(lat))
    dy = (F("location__latitude") - lat) * METRES_PER_DEGREE
    dx = (F("location__longitude") - lon) * per_lon
    return (
        qs.filter(location__latitude__isnull=False, location__longitude__isnull=False)
        .annotate(distance2=ExpressionWrapper(dx * dx + dy * dy, output_field=FloatField()))
        .filter(distance2__lte=metres * metres)
        .order_by("distance2", "service__name", "id")
    )


def _service_at_locations(request: HttpRequest) -> Any:
    qs = ServiceAtLocation.objects.filter(service__in=_published(request))
    qs = _filter_services(request, qs, prefix="service__")
    postcode = request.GET.get("postcode", "").strip()
    proximity = request.GET.get("proximity", "").strip()
    if postcode and not POSTCODE.match(postcode):
        raise ValidationError(_("Il parametro postcode deve essere un CAP di 5 cifre."))
    if proximity:
        if not postcode:
            raise ValidationError(_("Il parametro proximity richiede anche postcode."))
        try:
            metres = float(proximity)
        except ValueError as error:
            raise ValidationError(_("Il parametro proximity è una distanza in metri.")) from error
        if not 0 < metres <= MAX_PROXIMITY:
            raise ValidationError(
                _("Il parametro proximity deve essere tra 1 e %(max)s metri.")
                % {"max": MAX_PROXIMITY}
            )
        qs = _near(qs, postcode, metres)
    elif postcode:
        qs = qs.filter(location__postal_code=postcode)
    qs = qs.select_related(
        "service__organisation", "service__nomenclature", "location__municipality__province"
    ).prefetch_related("schedules")
    if _bool(request, "full"):
        qs = qs.prefetch_related(locations_prefetch("service__at_locations"))
    return qs if qs.query.order_by else qs.order_by("service__name", "id")


@require_GET
def service_at_locations(request: HttpRequest) -> Any:
    """``full``: the service fully nested; ``postcode`` and ``proximity`` (metres from the
    CAP's centroid) narrow by place."""
    try:
        qs = _service_at_locations(request)
    except ValidationError as error:
        return _error(error.messages[0])
    full = _bool(request, "full")
    return _page(
        request,
        qs,
        lambda i: hsds.service_at_location(i, with_service=hsds.service(i.service, full=full)),
    )


@require_GET
def service_at_location_detail(request: HttpRequest, id: str) -> JsonResponse:
    found = _service_at_locations(request).filter(pk=id).first() if _uuid(id) else None
    if found is None:
        return _error(_("Servizio in sede non trovato."), 404)
    return JsonResponse(
        hsds.service_at_location(found, with_service=hsds.service(found.service, full=False)),
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def taxonomies(request: HttpRequest) -> Any:
    qs = Taxonomy.objects.order_by("name", "id")
    search = request.GET.get("search", "")
    if search:
        qs = qs.filter(name__icontains=search)
    return _page(request, qs, hsds.taxonomy)


@require_GET
def taxonomy_detail(request: HttpRequest, id: str) -> JsonResponse:
    found = Taxonomy.objects.filter(pk=id).first() if _uuid(id) else None
    if found is None:
        return _error(_("Classificazione non trovata."), 404)
    return JsonResponse(hsds.taxonomy(found), json_dumps_params={"ensure_ascii": False})


@require_GET
def taxonomy_terms(request: HttpRequest) -> Any:
    qs = TaxonomyTerm.objects.select_related("taxonomy").order_by("taxonomy__name", "code", "id")
    search = request.GET.get("search", "")
    if search:
        qs = qs.filter(name__icontains=search)
    tax = request.GET.get("taxonomy_id", "")
    if tax:
        qs = qs.filter(taxonomy_id=tax) if _uuid(tax) else qs.none()
    parent = request.GET.get("parent_id", "")
    if parent:
        qs = qs.filter(**{"parent_id": parent}) if _uuid(parent) else qs.none()
    if _bool(request, "top_only"):
        qs = qs.filter(children__isnull=True)
    return _page(request, qs, hsds.term)


@require_GET
def taxonomy_term_detail(request: HttpRequest, id: str) -> JsonResponse:
    found = (
        TaxonomyTerm.objects.select_related("taxonomy").filter(pk=id).first() if _uuid(id) else None
    )
    if found is None:
        return _error(_("Voce non trovata."), 404)
    return JsonResponse(hsds.term(found), json_dumps_params={"ensure_ascii": False})


urlpatterns = [
    path("", index, name="index"),
    path("openapi.json", openapi, name="openapi"),
    path("services", services, name="services"),
    path("services/<str:id>", service_detail, name="service"),
    path("organizations", organizations, name="organizations"),
    path("organizations/<str:id>", organization_detail, name="organization"),
    path("service_at_locations", service_at_locations, name="service_at_locations"),
    path("service_at_locations/<str:id>", service_at_location_detail, name="service_at_location"),
    path("taxonomies", taxonomies, name="taxonomies"),
    path("taxonomies/<str:id>", taxonomy_detail, name="taxonomy"),
    path("taxonomy_terms", taxonomy_terms, name="taxonomy_terms"),
    path("taxonomy_terms/<str:id>", taxonomy_term_detail, name="taxonomy_term"),
]
