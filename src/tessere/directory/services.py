"""Changes to the directory: one transaction each, checked, audited."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tessere.core import audit
from tessere.core.areas import UserArea
from tessere.core.errors import DomainError, PermissionDenied
from tessere.core.models import User
from tessere.directory import text
from tessere.directory.models import (
    Accessibility,
    Language,
    Location,
    Organisation,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
    join_key,
    split_key,
)
from tessere.directory.validators import clean_runts_id, clean_tax_code
from tessere.territory.models import District, Municipality

ORGANISATION_FIELDS = {
    "kind",
    "name",
    "description",
    "tax_code",
    "runts_id",
    "email",
    "phone",
    "website",
    "is_example",
}
SERVICE_FIELDS = {
    "name",
    "status",
    "description",
    "areas",
    "nomenclature",
    "eligibility",
    "min_age",
    "max_age",
    "access_steps",
    "required_documents",
    "cost_kind",
    "cost_amount",
    "cost_description",
    "languages",
    "accessibility",
    "accessibility_notes",
    "capacity",
    "start_date",
    "end_date",
    "email",
    "phone",
    "url",
    "is_example",
    "organisation",
}
THIRD_SECTOR_KINDS = {
    Organisation.Kind.THIRD_SECTOR,
    Organisation.Kind.SOCIAL_COOPERATIVE,
    Organisation.Kind.ASSOCIATION,
    Organisation.Kind.FOUNDATION,
}


class StaleRecord(DomainError):
    """The record changed since the editor loaded it (optimistic locking): nothing is saved."""

    status_code = 409


def _claim_version(model: Any, obj: Any, expected: int | None) -> None:
    """Lock the row, compare its version with the editor's, and move it on by one."""
    current = model.objects.select_for_update().filter(pk=obj.pk).values_list("version", flat=True)
    found = current.first()
    if found is None:
        raise DomainError(_("L'elemento non esiste più."))
    if expected is not None and found != expected:
        what = _("il servizio") if model is Service else _("l'ente")
        raise StaleRecord(
            _(
                "Nel frattempo qualcun altro ha modificato %(what)s (versione %(found)s, tu "
                "partivi dalla %(expected)s): le tue modifiche non sono state salvate. Ricarica "
                "la pagina per vedere i dati attuali e rifai le modifiche."
            )
            % {"what": what, "found": found, "expected": expected}
        )
    obj.version = found + 1


def _bump(model: Any, obj: Any) -> None:
    model.objects.filter(pk=obj.pk).update(version=F("version") + 1)
    obj.version = (obj.version or 0) + 1


def _check(actor: User | None, perm: str, obj: Any) -> None:
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(_("Non hai il permesso di modificare questo elemento."))


# --- organisations -------------------------------------------------------------------------


def _apply_organisation(organisation: Organisation, values: dict[str, Any]) -> None:
    unknown = set(values) - ORGANISATION_FIELDS
    if unknown:
        raise DomainError(_("Campi sconosciuti: %(names)s.") % {"names": ", ".join(unknown)})
    for name, value in values.items():
        setattr(organisation, name, value if value is not None else "")
    problems: list[str] = []
    if organisation.kind not in Organisation.Kind.values:
        problems.append(_("Il tipo di ente «%(kind)s» non esiste.") % {"kind": organisation.kind})
    if not organisation.name.strip():
        problems.append(_("Il nome dell'ente è obbligatorio."))
    try:
        organisation.tax_code = clean_tax_code(organisation.tax_code or "")
    except ValidationError as error:
        problems.extend(error.messages)
    try:
        organisation.runts_id = clean_runts_id(organisation.runts_id or "")
    except ValidationError as error:
        problems.extend(error.messages)
    if organisation.runts_id and organisation.kind not in THIRD_SECTOR_KINDS:
        problems.append(_("Il numero RUNTS vale solo per gli enti del Terzo Settore."))
    if problems:
        raise DomainError(_("I dati dell'ente non sono validi."), details=problems)


@transaction.atomic
def create_organisation(
    *,
    actor: User | None,
    district: District,
    id: uuid.UUID | None = None,
    **values: Any,
) -> Organisation:
    if actor is not None and not actor.has_perm("directory.manage", district):
        raise PermissionDenied(_("Solo l'Ufficio di Piano può aggiungere enti."))
    organisation = Organisation(district=district, id=id or uuid.uuid4())
    _apply_organisation(organisation, values)
    organisation.save()
    audit.record_create(actor=actor, obj=organisation, district_id=district.pk)
    return organisation


@transaction.atomic
def update_organisation(
    *,
    actor: User | None,
    organisation: Organisation,
    expected_version: int | None = None,
    **values: Any,
) -> Organisation:
    """Change an organisation; with ``expected_version`` (the version the editor loaded) a
    change made meanwhile by someone else raises ``StaleRecord`` and nothing is written."""
    _check(actor, "directory.change_organisation", organisation)
    before = audit.snapshot(organisation)
    _claim_version(Organisation, organisation, expected_version)
    _apply_organisation(organisation, values)
    organisation.save()
    audit.record_update(
        actor=actor, obj=organisation, before=before, district_id=organisation.district_id
    )
    return organisation


# --- services ------------------------------------------------------------------------------


def _as_key(value: Any, allowed: list[str], label: str, problems: list[str]) -> str:
    values = split_key(value) if isinstance(value, str) else list(value or [])
    wrong = [v for v in values if v not in allowed]
    if wrong:
        problems.append(
            _("%(label)s: valori sconosciuti %(values)s.")
            % {"label": label, "values": ", ".join(wrong)}
        )
    return join_key([v for v in values if v in allowed])


def _apply_service(service: Service, values: dict[str, Any]) -> None:
    unknown = set(values) - SERVICE_FIELDS
    if unknown:
        raise DomainError(_("Campi sconosciuti: %(names)s.") % {"names": ", ".join(unknown)})
    problems: list[str] = []
    for name in ("areas", "languages", "accessibility"):
        if name in values:
            allowed = {
                "areas": UserArea.values,
                "languages": Language.values,
                "accessibility": Accessibility.values,
            }[name]
            label = {
                "areas": _("Aree di utenza"),
                "languages": _("Lingue"),
                "accessibility": _("Accessibilità"),
            }[name]
            values[name] = _as_key(values[name], allowed, label, problems)
    if values.get("cost_amount") not in (None, ""):
        try:
            values["cost_amount"] = Decimal(str(values["cost_amount"]))
        except InvalidOperation:
            problems.append(_("L'importo deve essere un numero."))
            values["cost_amount"] = None
    elif "cost_amount" in values:
        values["cost_amount"] = None
    for name, value in values.items():
        if value is None and name not in {
            "nomenclature",
            "min_age",
            "max_age",
            "capacity",
            "start_date",
            "end_date",
            "cost_amount",
        }:
            value = ""
        setattr(service, name, value)
    if not service.name.strip():
        problems.append(_("Il nome del servizio è obbligatorio."))
    if service.status not in Service.Status.values:
        problems.append(_("Lo stato «%(value)s» non esiste.") % {"value": service.status})
    if service.cost_kind not in Service.Cost.values:
        problems.append(
            _("Il tipo di costo «%(value)s» non esiste.") % {"value": service.cost_kind}
        )
    if service.cost_kind == Service.Cost.FIXED and service.cost_amount is None:
        problems.append(_("Per un servizio a tariffa fissa indica l'importo."))
    if service.cost_amount is not None and service.cost_amount < 0:
        problems.append(_("L'importo non può essere negativo."))
    if (
        service.min_age is not None
        and service.max_age is not None
        and service.min_age > service.max_age
    ):
        problems.append(_("L'età minima supera l'età massima."))
    for age in (service.min_age, service.max_age):
        if age is not None and not 0 <= age <= 120:
            problems.append(_("L'età deve essere tra 0 e 120 anni."))
    if (service.start_date is None) != (service.end_date is None):
        problems.append(_("Un progetto ha sia una data di inizio sia una di fine."))
    elif service.start_date and service.end_date and service.start_date > service.end_date:
        problems.append(_("Il progetto finisce prima di cominciare."))
    if service.organisation.district_id != service.district_id:
        problems.append(_("L'ente non appartiene a questo ambito."))
    if service.nomenclature is not None and not isinstance(service.nomenclature, TaxonomyTerm):
        problems.append(_("La voce del Nomenclatore non è valida."))
    if problems:
        raise DomainError(_("I dati del servizio non sono validi."), details=problems)


def refresh_search(service: Service) -> None:
    """Recompute the denormalised search columns (text, stems, municipalities)."""
    municipalities = list(
        Municipality.objects.filter(directory_locations__services_at__service=service)
        .distinct()
        .values_list("code", "name")
    )
    parts = [
        service.name,
        service.name,
        service.description,
        service.eligibility,
        service.organisation.name,
        " ".join(service.area_labels),
        service.nomenclature.name if service.nomenclature_id and service.nomenclature else "",
        " ".join(name for _code, name in municipalities),
    ]
    joined = " ".join(p for p in parts if p)
    service.search_stems = text.stem_key(joined)
    service.name_stems = text.stem_key(service.name)
    service.municipality_codes = join_key([code for code, _name in municipalities])
    Service.objects.filter(pk=service.pk).update(
        search_stems=service.search_stems,
        name_stems=service.name_stems,
        municipality_codes=service.municipality_codes,
    )


@transaction.atomic
def create_service(
    *,
    actor: User | None,
    organisation: Organisation,
    id: uuid.UUID | None = None,
    **values: Any,
) -> Service:
    service = Service(id=id or uuid.uuid4(), district_id=organisation.district_id)
    service.organisation = organisation
    _check(actor, "directory.change_organisation", organisation)
    _apply_service(service, values)
    service.save()
    refresh_search(service)
    audit.record_create(actor=actor, obj=service, district_id=service.district_id)
    return service


@transaction.atomic
def update_service(
    *,
    actor: User | None,
    service: Service,
    expected_version: int | None = None,
    **values: Any,
) -> Service:
    """Change a service; with ``expected_version`` (the version the editor loaded) a change
    made meanwhile by someone else raises ``StaleRecord`` (409) and nothing is written."""
    _check(actor, "directory.change_service", service)
    new_organisation = values.get("organisation")
    if new_organisation is not None and new_organisation.pk != service.organisation_id:
        _check(actor, "directory.change_organisation", new_organisation)
    before = audit.snapshot(service)
    _claim_version(Service, service, expected_version)
    _apply_service(service, values)
    service.save()
    refresh_search(service)
    audit.record_update(actor=actor, obj=service, before=before, district_id=service.district_id)
    return service


@transaction.atomic
def set_published(*, actor: User | None, service: Service, published: bool) -> Service:
    if actor is not None and not actor.has_perm("directory.manage", service.district):
        raise PermissionDenied(_("Solo l'Ufficio di Piano può pubblicare o ritirare un servizio."))
    before = audit.snapshot(service)
    service.is_published = published
    service.save(update_fields=["is_published", "updated_at"])
    _bump(Service, service)
    audit.record_update(actor=actor, obj=service, before=before, district_id=service.district_id)
    return service


@transaction.atomic
def mark_verified(
    *, actor: User | None, service: Service, when: datetime.datetime | None = None
) -> Service:
    _check(actor, "directory.change_service", service)
    before = audit.snapshot(service)
    service.verified_at = when or timezone.now()
    service.verified_by = actor
    service.save(update_fields=["verified_at", "verified_by", "updated_at"])
    _bump(Service, service)
    audit.record_update(actor=actor, obj=service, before=before, district_id=service.district_id)
    return service


# --- locations and opening hours -----------------------------------------------------------


@dataclass
class OpeningHours:
    weekday: int
    opens_at: datetime.time
    closes_at: datetime.time
    notes: str = ""
    id: uuid.UUID | None = None


@dataclass
class LocationData:
    name: str
    address: str
    municipality_code: str
    postal_code: str = ""
    latitude: float | None = None
    longitude: float | None = None
    phone: str = ""
    email: str = ""
    id: uuid.UUID | None = None
    service_at_location_id: uuid.UUID | None = None
    hours: list[OpeningHours] = field(default_factory=list)


@transaction.atomic
def set_locations(
    *, actor: User | None, service: Service, locations: list[LocationData]
) -> list[ServiceAtLocation]:
    """Replace where (and when) the service is offered."""
    _check(actor, "directory.change_service", service)
    district = service.district
    codes = set(district.municipalities.values_list("code", flat=True))
    municipalities = {m.code: m for m in Municipality.objects.filter(code__in=codes)}
    problems: list[str] = []
    for n, data in enumerate(locations, start=1):
        if data.municipality_code not in municipalities:
            problems.append(
                _("Sede %(n)s: il comune %(code)s non fa parte dell'ambito.")
                % {"n": n, "code": data.municipality_code}
            )
        if not data.address.strip():
            problems.append(_("Sede %(n)s: l'indirizzo è obbligatorio.") % {"n": n})
        if data.latitude is not None and not -90 <= data.latitude <= 90:
            problems.append(_("Sede %(n)s: latitudine fuori scala.") % {"n": n})
        if data.longitude is not None and not -180 <= data.longitude <= 180:
            problems.append(_("Sede %(n)s: longitudine fuori scala.") % {"n": n})
        for hours in data.hours:
            if hours.opens_at >= hours.closes_at:
                problems.append(
                    _("Sede %(n)s: l'orario di chiusura deve seguire quello di apertura.")
                    % {"n": n}
                )
    if problems:
        raise DomainError(_("Le sedi non sono valide."), details=problems)
    old = list(ServiceAtLocation.objects.filter(service=service))
    for item in old:
        audit.record_delete(actor=actor, obj=item, district_id=service.district_id)
    ServiceAtLocation.objects.filter(service=service).delete()
    created: list[ServiceAtLocation] = []
    for data in locations:
        location_values = {
            "district": district,
            "organisation_id": service.organisation_id,
            "name": data.name or data.address,
            "address": data.address,
            "postal_code": data.postal_code,
            "municipality": municipalities[data.municipality_code],
            "latitude": data.latitude,
            "longitude": data.longitude,
            "phone": data.phone,
            "email": data.email,
        }
        if data.id is not None:
            location, _created = Location.objects.update_or_create(
                id=data.id, district=district, defaults=location_values
            )
        else:
            location = Location.objects.create(**location_values)
        item = ServiceAtLocation.objects.create(
            id=data.service_at_location_id or uuid.uuid4(),
            district=district,
            service=service,
            location=location,
        )
        Schedule.objects.bulk_create(
            Schedule(
                id=h.id or uuid.uuid4(),
                district=district,
                service_at_location=item,
                weekday=h.weekday,
                opens_at=h.opens_at,
                closes_at=h.closes_at,
                notes=h.notes,
            )
            for h in data.hours
        )
        audit.record_create(actor=actor, obj=item, district_id=service.district_id)
        created.append(item)
    refresh_search(service)
    return created


WEEKDAY_NAMES = {
    "lun": 1,
    "mar": 2,
    "mer": 3,
    "gio": 4,
    "ven": 5,
    "sab": 6,
    "dom": 7,
}


def parse_hours(value: str) -> list[OpeningHours]:
    """Lines such as ``lunedì 9:00-12:30`` or ``lun-ven 9-13``; raises DomainError."""
    result: list[OpeningHours] = []
    problems: list[str] = []
    for n, raw in enumerate(value.splitlines(), start=1):
        line = text.strip_accents(raw).strip().lower()
        if not line:
            continue
        try:
            days_part, times_part = line.split(None, 1)
            first, _sep, last = days_part.partition("-")
            start_day = WEEKDAY_NAMES[first[:3]]
            end_day = WEEKDAY_NAMES[last[:3]] if last else start_day
            opens, closes = (t.strip() for t in times_part.split("-", 1))
            opens_at, closes_at = _parse_time(opens), _parse_time(closes)
        except (KeyError, ValueError):
            problems.append(
                _("Riga %(n)s: «%(line)s» non è un orario (esempio: lun-ven 9:00-12:30).")
                % {"n": n, "line": raw.strip()}
            )
            continue
        for day in range(start_day, end_day + 1):
            result.append(OpeningHours(day, opens_at, closes_at))
    if problems:
        raise DomainError(_("Gli orari non sono validi."), details=problems)
    return result


def _parse_time(value: str) -> datetime.time:
    value = value.replace(".", ":")
    if ":" in value:
        hours, minutes = value.split(":", 1)
        return datetime.time(int(hours), int(minutes))
    return datetime.time(int(value))


# --- HSDS import and export in the background ------------------------------------------------

#: The largest file the planner's page accepts for an import (bytes).
MAX_IMPORT_BYTES = 20 * 1024 * 1024


@transaction.atomic
def request_exchange(
    *,
    actor: User | None,
    district: District,
    kind: str,
    file_name: str = "",
    upload: bytes | None = None,
) -> Any:
    """Queue an HSDS import (of ``upload``) or export of the district; run by a task."""
    from tessere.directory.models import ExchangeJob
    from tessere.directory.tasks import run_exchange

    if actor is not None and not actor.has_perm("directory.manage", district):
        raise PermissionDenied(_("Solo l'Ufficio di Piano può importare o esportare la guida."))
    if kind not in ExchangeJob.Kind.values:
        raise DomainError(_("Tipo di scambio non valido."))
    if kind == ExchangeJob.Kind.IMPORT:
        if not upload:
            raise DomainError(_("Il file da importare è vuoto."))
        if len(upload) > MAX_IMPORT_BYTES:
            raise DomainError(
                _("Il file supera i %(mb)s MB ammessi.") % {"mb": MAX_IMPORT_BYTES // 1024 // 1024}
            )
    job = ExchangeJob.objects.create(
        district=district,
        kind=kind,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        file_name=file_name[:250],
        upload=upload if kind == ExchangeJob.Kind.IMPORT else None,
    )
    transaction.on_commit(lambda: run_exchange.enqueue(job.pk))
    return job
