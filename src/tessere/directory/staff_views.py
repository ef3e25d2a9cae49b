"""Staff pages: the district's directory, editing, publishing, verification, exchange."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tessere.core.errors import DomainError
from tessere.core.models import User
from tessere.core.scoping import current_district
from tessere.directory import selectors, services
from tessere.directory.forms import OrganisationForm, ServiceForm
from tessere.directory.models import Service, split_key
from tessere.territory.models import District

PAGE_SIZE = 50


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _district(request: HttpRequest, perm: str = "directory.view_staff") -> District:
    district = current_district(request)
    if district is None or not request.user.has_perm(perm, district):
        raise PermissionDenied
    return district


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    district = _district(request)
    qs = selectors.staff_services(request.user, district).order_by("name")
    page_obj = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    cutoff = selectors.verification_cutoff()
    rows = [
        {
            "service": s,
            "stale": s.verified_at is None or s.verified_at < cutoff,
            "can_edit": request.user.has_perm("directory.change_service", s),
        }
        for s in page_obj.object_list
    ]
    return render(
        request,
        "directory/manage.html",
        {
            "district": district,
            "rows": rows,
            "page_obj": page_obj,
            "query": "",
            "can_manage": request.user.has_perm("directory.manage", district),
            "can_contribute": request.user.has_perm("directory.contribute", district),
            "organisations": [
                o
                for o in selectors.staff_organisations(request.user, district).order_by("name")
                if request.user.has_perm("directory.change_organisation", o)
            ],
        },
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    district = _district(request, "directory.contribute")
    qs = selectors.verification_queue(request.user, district)
    page_obj = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/queue.html",
        {
            "district": district,
            "page_obj": page_obj,
            "query": "",
            "months": selectors.verify_months(),
        },
    )


def _initial(service: Service) -> dict[str, Any]:
    data: dict[str, Any] = {
        name: getattr(service, name) for name in services.SERVICE_FIELDS - {"is_example"}
    }
    data["organisation"] = str(service.organisation_id)
    data["version"] = service.version
    data["nomenclature"] = service.nomenclature_id
    for name in ("areas", "languages", "accessibility"):
        data[name] = split_key(getattr(service, name))
    items = list(service.at_locations.all())
    if items:
        location = items[0].location
        data.update(
            location_name=location.name,
            location_address=location.address,
            location_municipality=location.municipality.code,
            location_latitude=location.latitude,
            location_longitude=location.longitude,
            location_hours="\n".join(
                f"{s.get_weekday_display()} {s.opens_at:%H:%M}-{s.closes_at:%H:%M}"
                for s in items[0].schedules.all()
            ),
        )
    return data


def _save_service(
    request: HttpRequest, district: District, form: ServiceForm, service: Service | None
) -> Service:
    data = dict(form.cleaned_data)
    expected_version = data.pop("version", None)
    location = {k: data.pop(k) for k in list(data) if k.startswith("location_")}
    organisation = selectors.staff_organisations(request.user, district).get(
        pk=data.pop("organisation")
    )
    values = {k: v for k, v in data.items() if k in services.SERVICE_FIELDS}
    values["organisation"] = organisation
    hours = services.parse_hours(location["location_hours"] or "")
    from django.db import transaction

    with transaction.atomic():
        if service is None:
            values.pop("organisation")
            service = services.create_service(
                actor=_actor(request), organisation=organisation, **values
            )
        else:
            if expected_version is None:
                raise DomainError(_("Manca la versione del servizio: ricarica la pagina."))
            service = services.update_service(
                actor=_actor(request),
                service=service,
                expected_version=expected_version,
                **values,
            )
        if location["location_address"] and location["location_municipality"]:
            services.set_locations(
                actor=_actor(request),
                service=service,
                locations=[
                    services.LocationData(
                        name=location["location_name"] or location["location_address"],
                        address=location["location_address"],
                        municipality_code=location["location_municipality"],
                        latitude=location["location_latitude"],
                        longitude=location["location_longitude"],
                        hours=hours,
                    )
                ],
            )
    return service


def _service_form(
    request: HttpRequest, district: District, service: Service | None
) -> HttpResponse:
    organisations = [
        (str(pk), name)
        for pk, name in selectors.staff_organisations(request.user, district).values_list(
            "pk", "name"
        )
    ]
    municipalities = list(district.municipalities.order_by("name").values_list("code", "name"))
    kwargs = {"organisations": organisations, "municipalities": municipalities}
    conflict = False
    if request.method == "POST":
        form = ServiceForm(request.POST, **kwargs)
        status = 400
        if form.is_valid():
            try:
                saved = _save_service(request, district, form, service)
            except services.StaleRecord as error:
                form.add_error(None, error.message)
                conflict, status = True, 409
            except DomainError as error:
                form.add_error(None, error.message)
                for detail in error.details:
                    form.add_error(None, detail)
            else:
                messages.success(request, _("Servizio salvato."))
                return redirect("directory:manage_edit", saved.pk)
    else:
        initial = _initial(service) if service else {"languages": ["it"]}
        form = ServiceForm(initial=initial, **kwargs)
        status = 200
    return render(
        request,
        "directory/service_form.html",
        {"district": district, "form": form, "service": service, "conflict": conflict},
        status=status,
    )


@login_required
def service_new(request: HttpRequest) -> HttpResponse:
    district = _district(request, "directory.contribute")
    return _service_form(request, district, None)


def _staff_service(request: HttpRequest, district: District, service_id: Any) -> Service:
    service = selectors.staff_service(request.user, district, service_id)
    if service is None:
        raise Http404(_("Servizio non trovato."))
    return service


@login_required
def service_edit(request: HttpRequest, service_id: str) -> HttpResponse:
    district = _district(request, "directory.contribute")
    service = _staff_service(request, district, service_id)
    if not request.user.has_perm("directory.change_service", service):
        raise PermissionDenied
    return _service_form(request, district, service)


@require_POST
@login_required
def service_publish(request: HttpRequest, service_id: str) -> HttpResponse:
    district = _district(request, "directory.manage")
    service = _staff_service(request, district, service_id)
    publish = request.POST.get("publish") == "1"
    services.set_published(actor=_actor(request), service=service, published=publish)
    messages.success(
        request, _("Servizio pubblicato.") if publish else _("Servizio ritirato dalla guida.")
    )
    return redirect(request.POST.get("next") or "directory:manage")


@require_POST
@login_required
def service_verify(request: HttpRequest, service_id: str) -> HttpResponse:
    district = _district(request, "directory.contribute")
    service = _staff_service(request, district, service_id)
    try:
        services.mark_verified(actor=_actor(request), service=service)
    except DomainError as error:
        raise PermissionDenied(error.message) from error
    messages.success(request, _("Verifica registrata: i dati sono confermati."))
    return redirect("directory:manage_queue")


@login_required
def organisation_new(request: HttpRequest) -> HttpResponse:
    district = _district(request, "directory.manage")
    status = 200
    if request.method == "POST":
        form = OrganisationForm(request.POST)
        if form.is_valid():
            values = dict(form.cleaned_data)
            values.pop("version", None)
            try:
                services.create_organisation(actor=_actor(request), district=district, **values)
            except DomainError as error:
                for detail in error.details or [error.message]:
                    form.add_error(None, detail)
            else:
                messages.success(request, _("Ente aggiunto."))
                return redirect("directory:manage")
        status = 400
    else:
        form = OrganisationForm()
    return render(
        request,
        "directory/organisation_form.html",
        {"district": district, "form": form, "organisation": None},
        status=status,
    )


@login_required
def organisation_edit(request: HttpRequest, organisation_id: str) -> HttpResponse:
    district = _district(request, "directory.contribute")
    organisation = (
        selectors.staff_organisations(request.user, district).filter(pk=organisation_id).first()
    )
    if organisation is None or not request.user.has_perm(
        "directory.change_organisation", organisation
    ):
        raise PermissionDenied
    status = 200
    conflict = False
    if request.method == "POST":
        form = OrganisationForm(request.POST)
        if form.is_valid():
            values = dict(form.cleaned_data)
            expected_version = values.pop("version", None)
            try:
                if expected_version is None:
                    raise DomainError(_("Manca la versione dell'ente: ricarica la pagina."))
                services.update_organisation(
                    actor=_actor(request),
                    organisation=organisation,
                    expected_version=expected_version,
                    **values,
                )
            except services.StaleRecord as error:
                form.add_error(None, error.message)
                conflict = True
            except DomainError as error:
                for detail in error.details or [error.message]:
                    form.add_error(None, detail)
            else:
                messages.success(request, _("Ente salvato."))
                return redirect("directory:manage")
        status = 409 if conflict else 400
    else:
        form = OrganisationForm(
            initial={name: getattr(organisation, name) for name in OrganisationForm.base_fields}
        )
    return render(
        request,
        "directory/organisation_form.html",
        {"district": district, "form": form, "organisation": organisation, "conflict": conflict},
        status=status,
    )
