"""The directory in Tessere's own API (/api/v1/directory/): the guide's search, as JSON.

The exchange format is HSDS at /api/hsds/; this router serves the guide's own shape, with the
same filters as the public page, for the other rooms and for clients of the guide.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from tessere.api.pagination import MAX_PAGE
from tessere.core import errors
from tessere.directory import selectors, services
from tessere.directory.models import Service
from tessere.territory.models import District

router = Router(tags=["directory"])

PAGE_SIZE = 20


class ServiceOut(Schema):
    id: str
    name: str
    organisation_id: str
    organisation: str
    description: str
    areas: list[str]
    nomenclature_code: str
    status: str
    cost_kind: str
    cost_amount: float | None
    languages: list[str]
    accessibility: list[str]
    min_age: int | None
    max_age: int | None
    is_project: bool
    start_date: datetime.date | None
    end_date: datetime.date | None
    municipalities: list[str]
    verified_at: datetime.datetime | None
    is_example: bool
    version: int


class ServicePage(Schema):
    count: int
    page: int
    pages: int
    results: list[ServiceOut]


class SearchIn(Schema):
    q: str = ""
    area: str = ""
    municipality: str = ""
    kind: str = ""
    cost: str = ""
    language: str = ""
    accessibility: list[str] = []
    age: int | None = None
    projects: str = ""
    page: int = Field(1, ge=1, le=MAX_PAGE)


def _out(service: Any) -> dict[str, Any]:
    return {
        "id": str(service.pk),
        "name": service.name,
        "organisation_id": str(service.organisation_id),
        "organisation": service.organisation.name,
        "description": service.description,
        "areas": service.area_list,
        "nomenclature_code": service.nomenclature.code if service.nomenclature else "",
        "status": service.status,
        "cost_kind": service.cost_kind,
        "cost_amount": float(service.cost_amount) if service.cost_amount is not None else None,
        "languages": service.language_list,
        "accessibility": service.accessibility_list,
        "min_age": service.min_age,
        "max_age": service.max_age,
        "is_project": service.is_project,
        "start_date": service.start_date,
        "end_date": service.end_date,
        "municipalities": [i.location.municipality.code for i in service.at_locations.all()],
        "verified_at": service.verified_at,
        "is_example": service.is_example,
        "version": service.version,
    }


@router.get(
    "/{code}/services", response=ServicePage, summary="Cerca nella guida ai servizi di un ambito"
)
def search_services(request: HttpRequest, code: str, params: Query[SearchIn]) -> dict[str, Any]:
    district = District.objects.filter(code=code).first()
    if district is None:
        raise Http404("Ambito non trovato")
    filters = selectors.SearchFilters(
        q=params.q,
        area=params.area,
        municipality=params.municipality,
        kind=params.kind,
        cost=params.cost,
        language=params.language,
        accessibility=params.accessibility,
        age=params.age,
        projects=params.projects,
    )
    found = selectors.search_page(district, filters, params.page, PAGE_SIZE)
    return {
        "count": found.paginator.count,
        "page": found.number,
        "pages": found.paginator.num_pages,
        "results": [_out(s) for s in found.object_list],
    }


class ErrorOut(Schema):
    detail: str
    errors: list[str] = []


class ServicePatch(Schema):
    """The fields to change, and the ``version`` the client read (optimistic locking)."""

    version: int
    name: str | None = None
    status: str | None = None
    description: str | None = None
    eligibility: str | None = None
    min_age: int | None = None
    max_age: int | None = None
    access_steps: str | None = None
    required_documents: str | None = None
    cost_kind: str | None = None
    cost_amount: float | None = None
    cost_description: str | None = None
    accessibility_notes: str | None = None
    capacity: int | None = None
    email: str | None = None
    phone: str | None = None
    url: str | None = None


@router.patch(
    "/services/{service_id}",
    response={200: ServiceOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=django_auth,
    summary="Modifica un servizio (con la versione letta: 409 se nel frattempo è cambiato)",
)
def patch_service(request: HttpRequest, service_id: uuid.UUID, payload: ServicePatch) -> Any:
    service = Service.objects.select_related("organisation", "district").filter(pk=service_id)
    found = service.first()
    if found is None or not request.user.has_perm("directory.view_staff", found.district):
        return Status(404, {"detail": _("Servizio non trovato.")})
    values = payload.dict(exclude_unset=True)
    version = values.pop("version")
    try:
        services.update_service(
            actor=request.user,  # type: ignore[arg-type]
            service=found,
            expected_version=version,
            **values,
        )
    except errors.DomainError as error:
        return Status(error.status_code, {"detail": error.message, "errors": error.details})
    saved = selectors._with_locations(Service.objects.filter(pk=found.pk)).get()
    return _out(saved)
