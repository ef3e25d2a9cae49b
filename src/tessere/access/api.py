"""API of the access point: intake, cases, projects, referrals (session auth).

Scoped exactly as the pages: the same selectors and permissions, two-factor verification for
the roles that read persons, and 404 for whatever the caller may not see.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any, cast

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from tessere.access import selectors, services
from tessere.access.models import Case, Referral
from tessere.access.twofactor import TWO_FACTOR_ROLES, is_verified
from tessere.core.errors import DomainError, NotFound
from tessere.core.models import User
from tessere.core.scoping import district_access
from tessere.territory.models import District, Municipality

router = Router(tags=["access"], auth=django_auth)


def _district(request: HttpRequest) -> District:
    district = request.district  # type: ignore[attr-defined]
    if not district:
        raise HttpError(403, "Nessun ambito")
    return cast(District, district)


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _reader(request: HttpRequest) -> District:
    district = _district(request)
    if not district_access(request.user).has_role(district, *TWO_FACTOR_ROLES):
        raise HttpError(403, "Ruolo non abilitato")
    if not is_verified(request):
        raise HttpError(403, "Serve la verifica in due passaggi")
    return district


def _call(fn: Any) -> Any:
    try:
        return fn()
    except NotFound:
        raise HttpError(404, "Non trovato") from None
    except DomainError as exc:
        raise HttpError(exc.status_code, str(exc)) from None


class PersonBriefOut(Schema):
    id: uuid.UUID
    last_name: str
    first_name: str
    birth_date: datetime.date | None
    masked_code: str


class PersonIn(Schema):
    code_kind: str = "cf"
    code: str = ""
    last_name: str
    first_name: str
    birth_date: datetime.date | None = None
    sex: str = ""
    birth_municipality: str = ""
    residence_municipality: str = ""
    phone: str = ""
    language: str = "italiano"
    citizenship: str = ""


class IntakeIn(Schema):
    person_id: uuid.UUID | None = None
    person: PersonIn | None = None
    confirm_new: bool = False
    channel: str
    area: str
    reason: str
    outcome: str
    access_point_id: uuid.UUID | None = None
    service_id: uuid.UUID | None = None
    request: str = ""
    sharing_consent: bool = False
    manager: str = ""


class IntakeOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    case_id: uuid.UUID | None
    referral_id: uuid.UUID | None


class CaseOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    person_name: str
    area: str
    status: str
    path: str
    manager: str
    opened_on: datetime.date
    closed_on: datetime.date | None
    version: int


class TeamMemberOut(Schema):
    name: str
    role: str
    organisation: str | None


class DomainOut(Schema):
    dimension: str
    level: int
    notes: str


class AssessmentOut(Schema):
    id: uuid.UUID
    kind: str
    assessed_on: datetime.date
    outcome: str
    domains: list[DomainOut]


class ResultOut(Schema):
    description: str
    deadline: datetime.date
    achieved: bool


class SupportOut(Schema):
    service_id: uuid.UUID
    service: str
    provider: str


class ReviewOut(Schema):
    held_on: datetime.date
    outcome: str
    notes: str


class ProjectOut(Schema):
    id: uuid.UUID
    version: int
    status: str
    general_objectives: str
    signed_on: datetime.date | None
    signed_by: str
    results: list[ResultOut]
    supports: list[SupportOut]
    commitments: list[str]
    reviews: list[ReviewOut]


class EventOut(Schema):
    at: datetime.datetime
    by: str
    from_status: str
    to_status: str
    note: str


class ReferralOut(Schema):
    id: uuid.UUID
    service_id: uuid.UUID
    service: str
    status: str
    request: str
    decline_reason: str
    person_first_name: str
    person_last_name: str
    created_at: datetime.datetime
    events: list[EventOut] = []


class CaseDetailOut(CaseOut):
    team: list[TeamMemberOut]
    assessments: list[AssessmentOut]
    project: ProjectOut | None
    referrals: list[ReferralOut]


class ProjectIn(Schema):
    general_objectives: str
    version: int  # the project's version read with it; 0 when creating the project


class CloseIn(Schema):
    closed_on: datetime.date | None = None
    version: int  # the case's version read with it


class TransitionIn(Schema):
    status: str
    reason: str = ""


def _case_out(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "person_id": case.person_id,
        "person_name": f"{case.person.last_name} {case.person.first_name}",
        "area": case.area,
        "status": case.status,
        "path": case.path,
        "manager": case.manager.get_username(),
        "opened_on": case.opened_on,
        "closed_on": case.closed_on,
        "version": case.version,
    }


def _project_out(project: Any) -> dict[str, Any] | None:
    if project is None:
        return None
    return {
        "id": project.pk,
        "version": project.version,
        "status": project.status,
        "general_objectives": project.general_objectives,
        "signed_on": project.signed_on,
        "signed_by": project.signed_by,
        "results": list(project.results.all()),
        "supports": [
            {
                "service_id": s.service_id,
                "service": s.service.name,
                "provider": s.service.organisation.name,
            }
            for s in project.supports.all()
        ],
        "commitments": [c.description for c in project.commitments.all()],
        "reviews": list(project.reviews.all()),
    }


def _referral_out(referral: Referral, *, events: bool = True) -> dict[str, Any]:
    return {
        "id": referral.pk,
        "service_id": referral.service_id,
        "service": referral.service.name,
        "status": referral.status,
        "request": referral.request,
        "decline_reason": referral.decline_reason,
        "person_first_name": referral.person.first_name,
        "person_last_name": referral.person.last_name,
        "created_at": referral.created_at,
        "events": [
            {
                "at": e.created_at,
                "by": e.actor_label,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "note": e.note,
            }
            for e in referral.events.all()
        ]
        if events
        else [],
    }


@router.get("/persons", response=list[PersonBriefOut], summary="Cerca persone (sportello)")
def search_persons(request: HttpRequest, q: str) -> list[Any]:
    district = _reader(request)
    return selectors.search_persons(_actor(request), district, q)


def _municipality(value: str) -> Municipality | None:
    if not value:
        return None
    found = (
        Municipality.objects.filter(code=value).first()
        or Municipality.objects.filter(cadastral_code__iexact=value).order_by("-last_year").first()
        or Municipality.objects.filter(name__iexact=value).order_by("-last_year").first()
    )
    if found is None:
        raise HttpError(400, f"Comune non trovato: {value}")
    return found


@router.post("/intake", response={201: IntakeOut}, summary="Registra un accesso")
def create_intake(request: HttpRequest, payload: IntakeIn) -> Any:
    district = _reader(request)
    actor: User = request.user  # type: ignore[assignment]
    person = None
    if payload.person_id:
        person = _call(lambda: selectors.get_person(actor, district, payload.person_id))
    new_person = None
    if person is None and payload.person is not None:
        data = payload.person
        new_person = services.PersonData(
            code_kind=data.code_kind,
            code=data.code,
            last_name=data.last_name,
            first_name=data.first_name,
            birth_date=data.birth_date,
            sex=data.sex,
            birth_municipality=_municipality(data.birth_municipality),
            residence_municipality=_municipality(data.residence_municipality),
            phone=data.phone,
            language=data.language,
            citizenship=data.citizenship,
        )
    service = None
    if payload.service_id:
        service = selectors.district_services(district).filter(pk=payload.service_id).first()
        if service is None:
            raise HttpError(400, "Servizio non trovato")
    access_point = None
    if payload.access_point_id:
        access_point = selectors.access_points(district).filter(pk=payload.access_point_id).first()
        if access_point is None:
            raise HttpError(400, "Punto di accesso non trovato")
    manager = None
    if payload.manager:
        manager = selectors.case_managers(district).filter(username=payload.manager).first()
        if manager is None:
            raise HttpError(400, "Responsabile non trovato")
    contact = _call(
        lambda: services.record_intake(
            actor=actor,
            district=district,
            person=person,
            new_person=new_person,
            allow_similar=payload.confirm_new,
            channel=payload.channel,
            area=payload.area,
            reason=payload.reason,
            outcome=payload.outcome,
            access_point=access_point,
            sharing_consent_given=payload.sharing_consent,
            service=service,
            request=payload.request,
            manager=manager,
        )
    )
    return Status(
        201,
        {
            "id": contact.pk,
            "person_id": contact.person_id,
            "case_id": contact.case_id,
            "referral_id": contact.referral_id,
        },
    )


@router.get("/cases", response=list[CaseOut], summary="Le mie prese in carico")
def list_cases(request: HttpRequest, limit: int = 50, offset: int = 0) -> list[Any]:
    district = _reader(request)
    limit = max(1, min(limit, 200))
    ids = list(selectors.case_list_ids(_actor(request), district)[offset : offset + limit])
    cases = selectors.cases_in_order(_actor(request), district, ids)
    selectors.log_reads(actor=_actor(request), district=district, objects=cases, purpose="api")
    return [_case_out(c) for c in cases]


@router.get("/cases/{case_id}", response=CaseDetailOut, summary="Una presa in carico")
def get_case(request: HttpRequest, case_id: uuid.UUID) -> Any:
    district = _reader(request)
    page = _call(lambda: selectors.case_page(_actor(request), district, case_id))
    case = page["case"]
    return {
        **_case_out(case),
        "team": [
            {
                "name": m.name,
                "role": m.role,
                "organisation": m.organisation.name if m.organisation else None,
            }
            for m in page["team"]
        ],
        "assessments": [
            {
                "id": a.pk,
                "kind": a.kind,
                "assessed_on": a.assessed_on,
                "outcome": a.outcome,
                "domains": list(a.domains.all()),
            }
            for a in page["assessments"]
        ],
        "project": _project_out(page["project"]),
        "referrals": [_referral_with_person(r, case) for r in page["referrals"]],
    }


def _referral_with_person(referral: Referral, case: Case) -> dict[str, Any]:
    referral.person = case.person
    return _referral_out(referral)


@router.get("/cases/{case_id}/project", response=ProjectOut, summary="Il progetto personalizzato")
def get_project(request: HttpRequest, case_id: uuid.UUID) -> Any:
    district = _reader(request)
    page = _call(lambda: selectors.case_page(_actor(request), district, case_id))
    if page["project"] is None:
        raise HttpError(404, "Non trovato")
    return _project_out(page["project"])


@router.put(
    "/cases/{case_id}/project",
    response=ProjectOut,
    summary="Scrive gli obiettivi generali del progetto (409 se modificato nel frattempo)",
)
def save_project(request: HttpRequest, case_id: uuid.UUID, payload: ProjectIn) -> Any:
    district = _reader(request)
    case = _call(lambda: selectors.get_case(_actor(request), district, case_id))
    project = _call(
        lambda: services.save_project(
            actor=_actor(request),
            case=case,
            general_objectives=payload.general_objectives,
            version=payload.version,
        )
    )
    return _project_out(project)


@router.post(
    "/cases/{case_id}/close",
    response=CaseOut,
    summary="Chiude la presa in carico (409 se modificata nel frattempo)",
)
def close_case(request: HttpRequest, case_id: uuid.UUID, payload: CloseIn) -> Any:
    district = _reader(request)
    case = _call(lambda: selectors.get_case(_actor(request), district, case_id))
    _call(
        lambda: services.close_case(
            actor=_actor(request), case=case, closed_on=payload.closed_on, version=payload.version
        )
    )
    return _case_out(case)


@router.get("/referrals", response=list[ReferralOut], summary="Invii ricevuti (ente)")
def list_referrals(request: HttpRequest, limit: int = 50, offset: int = 0) -> list[Any]:
    district = _district(request)
    if not request.user.has_perm("access.provider_inbox", district):
        raise HttpError(403, "Ruolo non abilitato")
    limit = max(1, min(limit, 200))
    referrals = list(selectors.inbox(_actor(request), district)[offset : offset + limit])
    selectors.log_reads(
        actor=_actor(request),
        district=district,
        objects=referrals,
        purpose="api (ente)",
    )
    return [_referral_out(r, events=False) for r in referrals]


@router.get("/referrals/{referral_id}", response=ReferralOut, summary="Un invio ricevuto")
def get_referral(request: HttpRequest, referral_id: uuid.UUID) -> Any:
    district = _district(request)
    referral = _call(lambda: selectors.get_inbox_referral(_actor(request), district, referral_id))
    return _referral_out(referral)


@router.post("/referrals/{referral_id}/status", response=ReferralOut, summary="Risponde a un invio")
def change_referral(request: HttpRequest, referral_id: uuid.UUID, payload: TransitionIn) -> Any:
    district = _district(request)
    actor: User = request.user  # type: ignore[assignment]
    referral = None
    if actor.has_perm("access.provider_inbox", district):
        try:
            referral = selectors.get_inbox_referral(actor, district, referral_id)
        except NotFound:
            referral = None
    if referral is None and district_access(actor).has_role(district, *TWO_FACTOR_ROLES):
        _reader(request)
        referral = _call(lambda: selectors.get_team_referral(actor, district, referral_id))
    if referral is None:
        raise HttpError(404, "Non trovato")
    updated = _call(
        lambda: services.transition_referral(
            actor=actor,
            referral=referral,
            to_status=payload.status,
            reason=payload.reason if payload.status == Referral.Status.DECLINED else "",
            note=payload.reason,
        )
    )
    refreshed = Referral.objects.select_related("service", "person").get(pk=updated.pk)
    return _referral_out(refreshed)
