"""The directory as HSDS 3.0 objects (Open Referral), with an Italian profile.

Italian extras travel in two ways: as HSDS attributes linking taxonomy terms (user areas,
Nomenclatore CISIS) and organisation identifiers (RUNTS), and, for a lossless exchange between
Tessere installations, in an extra ``tessere`` property (HSDS allows unknown properties).
Identifiers of sub-objects (phones, addresses, ...) are derived from their parent's UUID, so
that exporting twice gives the same document.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings

from tessere.directory.models import (
    Accessibility,
    Language,
    Location,
    Organisation,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from tessere.directory.taxonomy import AREAS, NOMENCLATURE, taxonomy_id, term_id

HSDS_VERSION = "3.0"
PROFILE_URL = "https://github.com/openreferral/specification/tree/3.0"
WEEKDAYS = {1: "MO", 2: "TU", 3: "WE", 4: "TH", 5: "FR", 6: "SA", 7: "SU"}
STATUS_TO_HSDS = {"active": "active", "suspended": "temporarily closed", "closed": "inactive"}
STATUS_FROM_HSDS = {v: k for k, v in STATUS_TO_HSDS.items()} | {"defunct": "closed"}


def sub_id(parent: Any, key: str) -> str:
    return str(uuid.uuid5(uuid.UUID(str(parent)), key))


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Drop empty optional values: HSDS formats (uri, email) reject empty strings."""
    return {k: v for k, v in data.items() if v not in (None, "")}


def term(t: TaxonomyTerm) -> dict[str, Any]:
    return _clean(
        {
            "id": str(t.pk),
            "code": t.code,
            "name": t.name,
            "description": t.description or t.name,
            "parent_id": str(t.parent_id) if t.parent_id else None,
            "taxonomy": t.taxonomy.name,
            "taxonomy_id": str(t.taxonomy_id),
            "language": "it",
        }
    )


def taxonomy(t: Taxonomy) -> dict[str, Any]:
    return _clean(
        {
            "id": str(t.pk),
            "name": t.name,
            "description": t.description or t.name,
            "uri": t.uri,
            "version": t.version,
        }
    )


def _attribute(link_id: Any, link_entity: str, t: TaxonomyTerm, link_type: str) -> dict[str, Any]:
    return {
        "id": sub_id(link_id, f"attribute:{t.pk}"),
        "link_id": str(link_id),
        "link_type": link_type,
        "link_entity": link_entity,
        "taxonomy_term_id": str(t.pk),
        "value": t.code,
        "taxonomy_term": term(t),
    }


def organisation(
    o: Organisation, *, services: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    data = _clean(
        {
            "id": str(o.pk),
            "name": o.name,
            "description": o.description or o.name,
            "email": o.email,
            "website": o.website,
            "tax_id": o.tax_code,
            "legal_status": o.get_kind_display(),
        }
    )
    identifiers = []
    if o.tax_code:
        identifiers.append(
            {
                "id": sub_id(o.pk, "identifier:tax"),
                "organization_id": str(o.pk),
                "identifier_scheme": "IT-CF",
                "identifier_type": "Codice fiscale",
                "identifier": o.tax_code,
            }
        )
    if o.runts_id:
        identifiers.append(
            {
                "id": sub_id(o.pk, "identifier:runts"),
                "organization_id": str(o.pk),
                "identifier_scheme": "IT-RUNTS",
                "identifier_type": "RUNTS",
                "identifier": o.runts_id,
            }
        )
    if services is not None:
        data["organization_identifiers"] = identifiers
        data["phones"] = (
            [{"id": sub_id(o.pk, "phone"), "organization_id": str(o.pk), "number": o.phone}]
            if o.phone
            else []
        )
        data["services"] = services
    data["tessere"] = {
        "kind": o.kind,
        "tax_code": o.tax_code,
        "runts_id": o.runts_id,
        "phone": o.phone,
        "is_example": o.is_example,
    }
    return data


def _schedule(s: Schedule, sal_id: Any) -> dict[str, Any]:
    return {
        "id": str(s.pk),
        "service_at_location_id": str(sal_id),
        "freq": "WEEKLY",
        "wkst": "MO",
        "byday": WEEKDAYS[s.weekday],
        "opens_at": s.opens_at.strftime("%H:%M"),
        "closes_at": s.closes_at.strftime("%H:%M"),
        "description": s.notes or s.get_weekday_display(),
    }


def location(loc: Location, accessibility: list[str] | None = None) -> dict[str, Any]:
    labels = dict(Accessibility.choices)
    return _clean(
        {
            "id": str(loc.pk),
            "location_type": "physical",
            "name": loc.name,
            "organization_id": str(loc.organisation_id) if loc.organisation_id else None,
            "latitude": loc.latitude,
            "longitude": loc.longitude,
            "external_identifier": loc.municipality.code,
            "external_identifier_type": "ISTAT comune",
            "addresses": [
                _clean(
                    {
                        "id": sub_id(loc.pk, "address"),
                        "location_id": str(loc.pk),
                        "address_1": loc.address,
                        "city": loc.municipality.name,
                        "state_province": loc.municipality.province.abbreviation,
                        "postal_code": loc.postal_code or "00000",
                        "country": "IT",
                        "address_type": "physical",
                    }
                )
            ],
            "accessibility": [
                {
                    "id": sub_id(loc.pk, f"accessibility:{code}"),
                    "location_id": str(loc.pk),
                    "description": str(labels.get(code, code)),
                    "details": code,
                }
                for code in (accessibility or [])
            ],
            "phones": [{"id": sub_id(loc.pk, "phone"), "number": loc.phone}] if loc.phone else [],
        }
    )


def service_at_location(
    item: ServiceAtLocation, *, with_service: dict[str, Any] | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(item.pk),
        "service_id": str(item.service_id),
        "location_id": str(item.location_id),
        "schedules": [_schedule(s, item.pk) for s in item.schedules.all()],
        "location": location(item.location, item.service.accessibility_list),
    }
    if item.description:
        data["description"] = item.description
    if with_service is not None:
        data["service"] = with_service
    return data


def _amount(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def service(s: Service, *, full: bool = True) -> dict[str, Any]:
    """A service as HSDS; ``full`` adds the nested one-to-many objects."""
    language_names = dict(Language.choices)
    data = _clean(
        {
            "id": str(s.pk),
            "organization_id": str(s.organisation_id),
            "name": s.name,
            "description": s.description,
            "url": s.url,
            "email": s.email,
            "status": STATUS_TO_HSDS[s.status],
            "application_process": s.access_steps,
            "fees_description": s.cost_description or str(s.get_cost_kind_display()),
            "eligibility_description": s.eligibility,
            "minimum_age": s.min_age,
            "maximum_age": s.max_age,
            "assured_date": s.verified_at.date().isoformat() if s.verified_at else None,
            "last_modified": s.updated_at.isoformat() if full and s.updated_at else None,
        }
    )
    if not full:
        return data
    data["organization"] = organisation(s.organisation)
    data["phones"] = (
        [{"id": sub_id(s.pk, "phone"), "service_id": str(s.pk), "number": s.phone}]
        if s.phone
        else []
    )
    data["languages"] = [
        {
            "id": sub_id(s.pk, f"language:{code}"),
            "service_id": str(s.pk),
            "name": str(language_names.get(code, code)),
            "code": code,
        }
        for code in s.language_list
    ]
    data["cost_options"] = [
        _clean(
            {
                "id": sub_id(s.pk, "cost"),
                "service_id": str(s.pk),
                "option": str(s.get_cost_kind_display()),
                "currency": "EUR",
                "amount": _amount(s.cost_amount),
                "amount_description": s.cost_description,
            }
        )
    ]
    data["required_documents"] = [
        {"id": sub_id(s.pk, f"document:{n}"), "service_id": str(s.pk), "document": doc}
        for n, doc in enumerate(s.document_list)
    ]
    attributes = []
    if s.nomenclature_id and s.nomenclature:
        attributes.append(_attribute(s.pk, "service", s.nomenclature, "nomenclatore_cisis"))
    for area in s.area_list:
        t = _area_terms().get(area)
        if t is not None:
            attributes.append(_attribute(s.pk, "service", t, "area_utenza"))
    data["attributes"] = attributes
    data["service_at_locations"] = [service_at_location(i) for i in s.at_locations.all()]
    data["contacts"] = []
    data["schedules"] = []
    data["tessere"] = {
        "areas": s.area_list,
        "nomenclature_code": s.nomenclature.code if s.nomenclature_id and s.nomenclature else "",
        "cost_kind": s.cost_kind,
        "cost_amount": str(s.cost_amount) if s.cost_amount is not None else None,
        "accessibility": s.accessibility_list,
        "accessibility_notes": s.accessibility_notes,
        "capacity": s.capacity,
        "start_date": s.start_date.isoformat() if s.start_date else None,
        "end_date": s.end_date.isoformat() if s.end_date else None,
        "phone": s.phone,
        "is_published": s.is_published,
        "is_example": s.is_example,
        "verified_at": s.verified_at.isoformat() if s.verified_at else None,
    }
    return data


_AREA_CACHE: dict[str, TaxonomyTerm] = {}


def _area_terms() -> dict[str, TaxonomyTerm]:
    """The user-area terms: reference data, read once per process."""
    if not _AREA_CACHE:
        for t in TaxonomyTerm.objects.filter(taxonomy_id=taxonomy_id(AREAS)).select_related(
            "taxonomy"
        ):
            _AREA_CACHE[t.code] = t
    return _AREA_CACHE


def root(request_base: str) -> dict[str, Any]:
    return {
        "version": HSDS_VERSION,
        "profile": getattr(settings, "TESSERE_HSDS_PROFILE", PROFILE_URL),
        "openapi_url": request_base + "openapi.json",
    }


__all__ = ["NOMENCLATURE", "organisation", "service", "taxonomy", "term", "term_id"]
