"""HSDS 3.0 import (JSON objects, lists, export folders, data packages, ZIP files).

Import matches by id: a second import of the same file updates instead of duplicating. Every
problem is reported with its place in the file (``services[3].service_at_locations[0]...``),
and nothing is written unless the whole file is valid.
"""

from __future__ import annotations

import datetime
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from tessere.core.errors import DomainError
from tessere.core.models import User
from tessere.directory import hsds, services
from tessere.directory.models import Accessibility, Organisation, Schedule, Service
from tessere.directory.tabular import (  # noqa: F401 - re-exported for commands and pages
    SCHEMA_DIR,
    ImportFailed,
    export_district,
    read_data_package,
    tabular_schema,
    write_export,
)
from tessere.directory.taxonomy import nomenclature_term
from tessere.territory.models import District

# --- import --------------------------------------------------------------------------------


@dataclass
class ImportReport:
    problems: list[str] = field(default_factory=list)
    organisations: int = 0
    services: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


_TEXT = {"type": "string"}
_DATE = {"type": ["string", "null"], "format": "date"}
PROFILE_SERVICE = {
    "type": "object",
    "properties": {
        "minimum_age": {"type": "integer", "minimum": 0, "maximum": 120},
        "maximum_age": {"type": "integer", "minimum": 0, "maximum": 120},
        "tessere": {
            "type": "object",
            "properties": {
                "areas": {"type": "array", "items": _TEXT},
                "nomenclature_code": _TEXT,
                "cost_kind": {"enum": ["free", "isee", "fixed"]},
                "cost_amount": {"type": ["string", "number", "null"]},
                "accessibility": {"type": "array", "items": _TEXT},
                "accessibility_notes": _TEXT,
                "capacity": {"type": ["integer", "null"], "minimum": 0},
                "start_date": _DATE,
                "end_date": _DATE,
                "phone": _TEXT,
                "is_published": {"type": "boolean"},
                "is_example": {"type": "boolean"},
                "verified_at": {"type": ["string", "null"], "format": "date-time"},
            },
        },
    },
}
PROFILE_ORGANISATION = {
    "type": "object",
    "properties": {
        "tessere": {
            "type": "object",
            "properties": {
                "kind": _TEXT,
                "tax_code": _TEXT,
                "runts_id": _TEXT,
                "phone": _TEXT,
                "is_example": {"type": "boolean"},
            },
        }
    },
}


def _profile_validator(schema: dict[str, Any]) -> Any:
    import jsonschema

    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _validator(name: str) -> Any:
    import jsonschema

    schema = json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _where(base: str, path: Any) -> str:
    out = base
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


Placed = list[tuple[str, Any]]


def _items(value: Any, place: str, problems: list[str]) -> Placed:
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(_("%(place)s: deve essere un elenco.") % {"place": place})
        return []
    return [(f"{place}[{n}]", item) for n, item in enumerate(value)]


def split_document(data: Any) -> tuple[Placed, Placed, list[str]]:
    """(organisations, services, problems): the objects with their place in the file."""
    problems: list[str] = []
    if (
        isinstance(data, dict)
        and "id" not in data
        and ("services" in data or "organizations" in data)
    ):
        organisations = _items(data.get("organizations"), "organizations", problems)
        return organisations, _items(data.get("services"), "services", problems), problems
    if isinstance(data, dict) and "id" not in data and "contents" in data:
        return [], _items(data["contents"], "contents", problems), problems
    if isinstance(data, dict):
        return [], [("$", data)], problems
    if isinstance(data, list):
        return [], [(f"[{n}]", item) for n, item in enumerate(data)], problems
    return [], [], problems


def load_path(path: Path) -> Any:
    """An HSDS JSON file, an export folder, a ``datapackage.json`` or a ZIP of either."""
    if path.suffix == ".zip":
        import tempfile
        import zipfile

        with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(path) as archive:
            archive.extractall(tmp)
            return load_path(Path(tmp))
    if path.name == "datapackage.json":
        return read_data_package(path.parent)
    if path.is_dir():
        if (path / "hsds.json").exists():
            path = path / "hsds.json"
        else:
            return read_data_package(path)
    return json.loads(path.read_text(encoding="utf-8"))


def import_document(*, actor: User | None, district: District, data: Any) -> ImportReport:
    report = ImportReport()
    if "\\u0000" in json.dumps(data, default=str):
        report.problems.append(_("$: il file contiene caratteri nulli."))
        raise ImportFailed(_("Importazione non riuscita."), details=report.problems)
    organisations, found, report.problems = split_document(data)
    if not organisations and not found and not report.problems:
        report.problems.append(_("$: il file non contiene servizi né enti HSDS."))
        raise ImportFailed(_("Importazione non riuscita."), details=report.problems)
    service_validators = [_validator("service"), _profile_validator(PROFILE_SERVICE)]
    org_validators = [_validator("organization"), _profile_validator(PROFILE_ORGANISATION)]
    nested_org = _profile_validator(PROFILE_ORGANISATION)
    for place, obj in organisations:
        if not isinstance(obj, dict):
            report.problems.append(_("%(place)s: non è un oggetto.") % {"place": place})
            continue
        for validator in org_validators:
            for error in validator.iter_errors(obj):
                report.problems.append(f"{_where(place, error.absolute_path)}: {error.message}")
    for place, obj in found:
        if not isinstance(obj, dict):
            report.problems.append(_("%(place)s: non è un oggetto.") % {"place": place})
            continue
        for validator in service_validators:
            for error in validator.iter_errors(obj):
                report.problems.append(f"{_where(place, error.absolute_path)}: {error.message}")
        if isinstance(obj.get("organization"), dict):
            for error in nested_org.iter_errors(obj["organization"]):
                where = _where(f"{place}.organization", error.absolute_path)
                report.problems.append(f"{where}: {error.message}")
    if report.problems:
        raise ImportFailed(_("Il file non è HSDS 3.0 valido."), details=report.problems)
    try:
        with transaction.atomic():
            _apply(actor, district, organisations, found, report)
            if report.problems:
                raise ImportFailed(_("Importazione non riuscita."), details=report.problems)
    except ImportFailed:
        raise
    return report


def _org_values(obj: dict[str, Any]) -> dict[str, Any]:
    extra = obj.get("tessere") or {}
    identifiers = {
        i.get("identifier_type"): i.get("identifier")
        for i in obj.get("organization_identifiers", [])
    }
    return {
        "kind": extra.get("kind") or Organisation.Kind.THIRD_SECTOR,
        "name": obj.get("name", ""),
        "description": ""
        if obj.get("description") == obj.get("name")
        else obj.get("description", ""),
        "tax_code": extra.get("tax_code", obj.get("tax_id", "")) or "",
        "runts_id": extra.get("runts_id", identifiers.get("RUNTS", "")) or "",
        "email": obj.get("email", ""),
        "website": obj.get("website", ""),
        "phone": extra.get("phone", ""),
        "is_example": bool(extra.get("is_example", False)),
    }


def _upsert_org(
    actor: User | None, district: District, obj: dict[str, Any], place: str, report: ImportReport
) -> Organisation | None:
    oid = uuid.UUID(obj["id"])
    existing = Organisation.objects.filter(pk=oid).first()
    if existing is not None and existing.district_id != district.pk:
        report.problems.append(
            _("%(place)s: l'ente %(id)s appartiene a un altro ambito.")
            % {"place": place, "id": oid}
        )
        return None
    try:
        if existing is None:
            organisation = services.create_organisation(
                actor=actor, district=district, id=oid, **_org_values(obj)
            )
        else:
            organisation = services.update_organisation(
                actor=actor, organisation=existing, **_org_values(obj)
            )
    except DomainError as error:
        report.problems.extend(f"{place}: {d}" for d in (error.details or [error.message]))
        return None
    report.organisations += 1
    return organisation


def _service_values(obj: dict[str, Any], place: str, report: ImportReport) -> dict[str, Any]:
    extra = obj.get("tessere") or {}
    areas = extra.get("areas")
    if areas is None:
        areas = [
            a["taxonomy_term"].get("code", "")
            for a in obj.get("attributes", [])
            if a.get("link_type") == "area_utenza" and a.get("taxonomy_term")
        ]
    code = extra.get("nomenclature_code")
    if code is None:
        code = next(
            (
                a["taxonomy_term"].get("code", "")
                for a in obj.get("attributes", [])
                if a.get("link_type") == "nomenclatore_cisis" and a.get("taxonomy_term")
            ),
            "",
        )
    nomenclature = nomenclature_term(code) if code else None
    if code and nomenclature is None:
        report.problems.append(
            _("%(place)s: voce del Nomenclatore %(code)s sconosciuta.")
            % {"place": place, "code": code}
        )
    cost = (obj.get("cost_options") or [{}])[0]
    documents = [d.get("document", "") for d in obj.get("required_documents", [])]
    status = hsds.STATUS_FROM_HSDS.get(obj.get("status", "active"), "active")
    return {
        "name": obj.get("name", ""),
        "status": status,
        "description": obj.get("description", ""),
        "areas": areas,
        "nomenclature": nomenclature,
        "eligibility": obj.get("eligibility_description", ""),
        "min_age": int(obj["minimum_age"]) if obj.get("minimum_age") is not None else None,
        "max_age": int(obj["maximum_age"]) if obj.get("maximum_age") is not None else None,
        "access_steps": obj.get("application_process", ""),
        "required_documents": "\n".join(d for d in documents if d),
        "cost_kind": extra.get("cost_kind") or _cost_kind(cost),
        "cost_amount": extra.get("cost_amount", cost.get("amount")),
        "cost_description": cost.get("amount_description", ""),
        "languages": [
            lang.get("code", "") for lang in obj.get("languages", []) if lang.get("code")
        ],
        "accessibility": extra.get("accessibility", _accessibility_codes(obj)),
        "accessibility_notes": extra.get("accessibility_notes", ""),
        "capacity": extra.get("capacity"),
        "start_date": parse_date(extra["start_date"]) if extra.get("start_date") else None,
        "end_date": parse_date(extra["end_date"]) if extra.get("end_date") else None,
        "email": obj.get("email", ""),
        "phone": extra.get("phone", next((p.get("number", "") for p in obj.get("phones", [])), "")),
        "url": obj.get("url", ""),
        "is_example": bool(extra.get("is_example", False)),
    }


def _accessibility_codes(obj: dict[str, Any]) -> list[str]:
    codes: list[str] = []
    for item in obj.get("service_at_locations", []):
        for acc in (item.get("location") or {}).get("accessibility", []):
            if acc.get("details") in Accessibility.values and acc["details"] not in codes:
                codes.append(acc["details"])
    return codes


def _cost_kind(cost: dict[str, Any]) -> str:
    labels = {str(label): value for value, label in Service.Cost.choices}
    if cost.get("option") in labels:
        return labels[cost["option"]]
    return "fixed" if cost.get("amount") else "free"


WEEKDAY_CODES = {v: k for k, v in hsds.WEEKDAYS.items()}


def _schedule_notes(sched: dict[str, Any]) -> str:
    description = sched.get("description", "")
    weekdays = {str(label) for _value, label in Schedule.Weekday.choices}
    return "" if description in weekdays else description


def _locations(
    district: District, obj: dict[str, Any], place: str, report: ImportReport
) -> list[services.LocationData]:
    codes = dict(district.municipalities.values_list("name", "code"))
    result = []
    for n, item in enumerate(obj.get("service_at_locations", [])):
        where = f"{place}.service_at_locations[{n}]"
        loc = item.get("location") or {}
        address = (loc.get("addresses") or [{}])[0]
        code = loc.get("external_identifier") or codes.get(address.get("city", ""), "")
        hours = []
        for m, sched in enumerate(item.get("schedules", [])):
            try:
                hours.append(
                    services.OpeningHours(
                        WEEKDAY_CODES[sched["byday"]],
                        datetime.time.fromisoformat(sched["opens_at"]),
                        datetime.time.fromisoformat(sched["closes_at"]),
                        _schedule_notes(sched),
                        uuid.UUID(sched["id"]),
                    )
                )
            except (KeyError, ValueError):
                report.problems.append(
                    _(
                        "%(place)s.schedules[%(n)s]: orario non leggibile "
                        "(servono byday, opens_at, closes_at)."
                    )
                    % {"place": where, "n": m}
                )
        result.append(
            services.LocationData(
                id=uuid.UUID(loc["id"]) if loc.get("id") else None,
                service_at_location_id=uuid.UUID(item["id"]),
                name=loc.get("name", ""),
                address=address.get("address_1", ""),
                postal_code=""
                if address.get("postal_code") == "00000"
                else address.get("postal_code", ""),
                municipality_code=code,
                latitude=loc.get("latitude"),
                longitude=loc.get("longitude"),
                phone=next((p.get("number", "") for p in loc.get("phones", [])), ""),
                hours=hours,
            )
        )
    return result


def _apply(
    actor: User | None,
    district: District,
    organisations: list[tuple[str, dict[str, Any]]],
    found: list[tuple[str, dict[str, Any]]],
    report: ImportReport,
) -> None:
    by_id: dict[str, Organisation] = {}
    for place, obj in organisations:
        org = _upsert_org(actor, district, obj, place, report)
        if org is not None:
            by_id[str(org.pk)] = org
    for place, obj in found:
        oid = obj.get("organization_id") or (obj.get("organization") or {}).get("id")
        organisation = by_id.get(str(oid)) if oid else None
        if organisation is None and obj.get("organization"):
            organisation = _upsert_org(
                actor, district, obj["organization"], f"{place}.organization", report
            )
        if organisation is None and oid:
            organisation = Organisation.objects.filter(pk=oid, district=district).first()
        if organisation is None:
            report.problems.append(
                _("%(place)s: manca l'ente (organization_id) o non è di questo ambito.")
                % {"place": place}
            )
            continue
        by_id[str(organisation.pk)] = organisation
        sid = uuid.UUID(obj["id"])
        existing = Service.objects.filter(pk=sid).first()
        if existing is not None and existing.district_id != district.pk:
            report.problems.append(
                _("%(place)s: il servizio %(id)s appartiene a un altro ambito.")
                % {"place": place, "id": sid}
            )
            continue
        values = _service_values(obj, place, report)
        extra = obj.get("tessere") or {}
        try:
            if existing is None:
                service = services.create_service(
                    actor=actor, organisation=organisation, id=sid, **values
                )
            else:
                service = services.update_service(
                    actor=actor, service=existing, organisation=organisation, **values
                )
            services.set_locations(
                actor=actor, service=service, locations=_locations(district, obj, place, report)
            )
        except DomainError as error:
            report.problems.extend(f"{place}: {d}" for d in (error.details or [error.message]))
            continue
        updates: dict[str, Any] = {"is_published": bool(extra.get("is_published", True))}
        verified = extra.get("verified_at")
        if verified:
            updates["verified_at"] = parse_datetime(verified)
        elif obj.get("assured_date"):
            day = parse_date(obj["assured_date"])
            if day:
                updates["verified_at"] = datetime.datetime.combine(
                    day, datetime.time(), tzinfo=datetime.UTC
                )
        Service.objects.filter(pk=service.pk).update(**updates)
        report.services += 1
