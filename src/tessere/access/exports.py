"""Exports: a person's data (GDPR art. 15) and delivered services in a SIUSS-like CSV layout.

The CSV layout (one row per delivered service, ``;`` separated, UTF-8, ISO dates, decimal
point) follows the fields of the national social information system's flows on services
delivered (SIUSS, "prestazioni sociali"): see docs/access.md for each column. The service is
identified by its code in the Nomenclatore CISIS (``codice_nomenclatore``, empty when the
service has none), not by Tessere's own identifier.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from tessere.access.models import (
    Case,
    CaseNote,
    DeliveredService,
    Person,
    Referral,
)
from tessere.core.audit import snapshot
from tessere.core.models import ReadAccessEntry
from tessere.territory.models import District

SIUSS_COLUMNS = [
    "codice_ambito",
    "anno",
    "id_prestazione",
    "tipo_codice_beneficiario",
    "codice_beneficiario",
    "sesso",
    "anno_nascita",
    "comune_residenza_istat",
    "cittadinanza",
    "area_utenza",
    "codice_nomenclatore",
    "denominazione_servizio",
    "ente_erogatore",
    "data_inizio",
    "data_fine",
    "quantita",
    "unita_misura",
    "importo_euro",
    "id_presa_in_carico",
]


def _cell(value: str) -> str:
    """A text cell that a spreadsheet will not read as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def delivered_rows(district: District, year: int) -> list[tuple[list[str], Person]]:
    """The rows of one year's delivered services (those active in the year), one query."""
    delivered = (
        DeliveredService.objects.filter(district=district, start__year__lte=year)
        .filter(Q(end__isnull=True, start__year=year) | Q(end__year__gte=year))
        .select_related(
            "person__residence_municipality",
            "service__organisation",
            "service__nomenclature",
            "case",
        )
        .order_by("start", "created_at")
    )
    rows = []
    for item in delivered:
        person = item.person
        rows.append(
            (
                [
                    district.code,
                    str(year),
                    str(item.pk),
                    person.code_kind,
                    person.code,
                    person.sex,
                    str(person.birth_date.year) if person.birth_date else "",
                    person.residence_municipality.code if person.residence_municipality else "",
                    _cell(person.citizenship),
                    item.case.area,
                    item.service.nomenclature.code if item.service.nomenclature else "",
                    _cell(item.service.name),
                    _cell(item.service.organisation.name),
                    item.start.isoformat(),
                    item.end.isoformat() if item.end else "",
                    f"{item.quantity:.2f}",
                    item.unit,
                    f"{item.amount:.2f}",
                    str(item.case_id),
                ],
                person,
            )
        )
    return rows


def person_data(person: Person) -> dict[str, Any]:
    """Everything held about a person, for a request under art. 15 GDPR."""
    cases = Case.objects.filter(person=person).prefetch_related(
        "team",
        "assessments__domains",
        "project__results",
        "project__supports__service",
        "project__commitments",
        "project__reviews",
        "delivered",
    )
    case_data = []
    for case in cases:
        project = getattr(case, "project", None)
        case_data.append(
            {
                **snapshot(case),
                "team": [snapshot(m) for m in case.team.all()],
                "assessments": [
                    {**snapshot(a), "domains": [snapshot(d) for d in a.domains.all()]}
                    for a in case.assessments.all()
                ],
                "project": None
                if project is None
                else {
                    **snapshot(project),
                    "results": [snapshot(r) for r in project.results.all()],
                    "supports": [
                        {**snapshot(s), "service_name": s.service.name}
                        for s in project.supports.all()
                    ],
                    "commitments": [snapshot(c) for c in project.commitments.all()],
                    "reviews": [snapshot(r) for r in project.reviews.all()],
                },
                "delivered_services": [snapshot(d) for d in case.delivered.all()],
                "notes": [snapshot(n) for n in CaseNote.objects.filter(case=case)],
            }
        )
    referrals = Referral.objects.filter(person=person).prefetch_related("events")
    return {
        "person": snapshot(person),
        "consents": [snapshot(c) for c in person.consents.all()],
        "households": [
            {**snapshot(m), "household": m.household.name}
            for m in person.memberships.select_related("household")
        ],
        "contacts": [snapshot(c) for c in person.contacts.all()],
        "cases": case_data,
        "referrals": [
            {**snapshot(r), "events": [snapshot(e) for e in r.events.all()]} for r in referrals
        ],
        "reads": [
            {"at": e.at.isoformat(), "by": e.actor_label, "purpose": e.purpose}
            for e in ReadAccessEntry.objects.filter(
                object_type="access.person", object_id=str(person.pk)
            )
        ],
    }
