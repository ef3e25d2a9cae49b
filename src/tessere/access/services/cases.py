"""Cases: team, notes, assessment, personalised project, delivered services, closing."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tessere.access.models import (
    AccessPoint,
    Assessment,
    AssessmentDomain,
    Case,
    CaseNote,
    Commitment,
    DeliveredService,
    Dimension,
    ExpectedResult,
    Household,
    Person,
    PersonalisedProject,
    ProjectReview,
    ProjectSupport,
    Referral,
    TeamMember,
)
from tessere.core.areas import UserArea
from tessere.core.audit import record_create, record_update, snapshot
from tessere.core.errors import DomainError
from tessere.core.locking import Conflict, claim, conflict_message
from tessere.core.models import User
from tessere.directory.models import Organisation, Service


@transaction.atomic
def open_case(
    *,
    actor: User,
    person: Person,
    area: str,
    manager: User,
    household: Household | None = None,
    access_point: AccessPoint | None = None,
    opened_on: datetime.date | None = None,
) -> Case:
    from tessere.core.scoping import district_access

    if area not in UserArea.values:
        raise DomainError(_("Area sconosciuta."))
    if not district_access(manager).has_role(person.district_id, "social_worker"):
        raise DomainError(_("Il responsabile del caso deve essere un assistente sociale."))
    case = Case.objects.create(
        district_id=person.district_id,
        person=person,
        household=household,
        area=area,
        manager=manager,
        access_point=access_point,
        opened_on=opened_on or timezone.localdate(),
    )
    record_create(actor=actor, obj=case, district_id=case.district_id)
    member = TeamMember.objects.create(
        district_id=case.district_id,
        case=case,
        user=manager,
        name=manager.get_full_name() or manager.username,
        role=TeamMember.Role.MANAGER,
        case_opened_on=case.opened_on,
    )
    record_create(actor=actor, obj=member, district_id=case.district_id)
    return case


@transaction.atomic
def add_team_member(
    *,
    actor: User,
    case: Case,
    role: str,
    user: User | None = None,
    name: str = "",
    organisation: Organisation | None = None,
) -> TeamMember:
    if role not in TeamMember.Role.values:
        raise DomainError(_("Ruolo nell'équipe sconosciuto."))
    if user is None and not name.strip():
        raise DomainError(_("Indica un utente o il nome del componente."))
    if organisation is not None and organisation.district_id != case.district_id:
        raise DomainError(_("L'ente non appartiene a questo ambito."))
    if user is not None and case.team.filter(user=user).exists():
        raise DomainError(_("Questa persona è già nell'équipe."))
    member = TeamMember.objects.create(
        district_id=case.district_id,
        case=case,
        user=user,
        name=name.strip() or (user.get_full_name() or user.username if user else ""),
        organisation=organisation,
        role=role,
        case_opened_on=case.opened_on,
    )
    record_create(actor=actor, obj=member, district_id=case.district_id)
    return member


@transaction.atomic
def add_note(*, actor: User, case: Case, text: str, confidential: bool = False) -> CaseNote:
    if not text.strip():
        raise DomainError(_("La nota è vuota."))
    note = CaseNote.objects.create(
        district_id=case.district_id, case=case, author=actor, text=text, confidential=confidential
    )
    record_create(actor=actor, obj=note, district_id=case.district_id)
    return note


@transaction.atomic
def record_assessment(
    *,
    actor: User,
    case: Case,
    kind: str,
    outcome: str,
    domains: dict[str, tuple[int, str]],
    summary: str = "",
    assessed_on: datetime.date | None = None,
    version: int | None = None,
) -> Assessment:
    """A preliminary analysis (at least one dimension) or an in-depth one (all six); the
    outcome chooses the case's path. ``version``: the case's version the user read."""
    if kind not in Assessment.Kind.values:
        raise DomainError(_("Tipo di valutazione sconosciuto."))
    if outcome not in Case.Path.values or not outcome:
        raise DomainError(_("Scegli l'esito della valutazione (il percorso)."))
    unknown = set(domains) - set(Dimension.values)
    if unknown:
        raise DomainError(_("Dimensione sconosciuta: %(names)s") % {"names": ", ".join(unknown)})
    if kind == Assessment.Kind.IN_DEPTH and set(domains) != set(Dimension.values):
        raise DomainError(_("Il quadro di analisi approfondito valuta tutte e sei le dimensioni."))
    if not domains:
        raise DomainError(_("Valuta almeno una dimensione."))
    for level, _notes in domains.values():
        if level not in (0, 1, 2, 3):
            raise DomainError(_("Il livello va da 0 (nessuna criticità) a 3 (grave)."))
    before = snapshot(case)
    claim(case, version)
    assessment = Assessment.objects.create(
        district_id=case.district_id,
        case=case,
        kind=kind,
        outcome=outcome,
        summary=summary,
        assessor=actor,
        assessed_on=assessed_on or timezone.localdate(),
    )
    record_create(actor=actor, obj=assessment, district_id=case.district_id)
    AssessmentDomain.objects.bulk_create(
        AssessmentDomain(
            district_id=case.district_id,
            assessment=assessment,
            dimension=dimension,
            level=level,
            notes=notes,
        )
        for dimension, (level, notes) in domains.items()
    )
    case.path = outcome
    if case.status == Case.Status.OPEN:
        case.status = Case.Status.ACTIVE
    case.save(update_fields=["path", "status"])
    record_update(actor=actor, obj=case, before=before, district_id=case.district_id)
    return assessment


def _open_project(case: Case) -> PersonalisedProject:
    project = PersonalisedProject.objects.filter(case=case).first()
    if project is None:
        raise DomainError(_("Il caso non ha ancora un progetto personalizzato."))
    return project


@transaction.atomic
def save_project(
    *, actor: User, case: Case, general_objectives: str, version: int | None = None
) -> PersonalisedProject:
    """Write the project's general objectives. ``version``: the project's version the user
    read, 0 when there was no project yet (so two people creating it at once conflict)."""
    if not general_objectives.strip():
        raise DomainError(_("Scrivi gli obiettivi generali del progetto."))
    if case.status == Case.Status.CLOSED:
        raise DomainError(_("Il caso è chiuso."))
    project = PersonalisedProject.objects.filter(case=case).first()
    if (project is None and version) or (project is not None and version == 0):
        raise Conflict(conflict_message())
    if project is None:
        project = PersonalisedProject.objects.create(
            district_id=case.district_id, case=case, general_objectives=general_objectives
        )
        record_create(actor=actor, obj=project, district_id=case.district_id)
        return project
    if project.status != PersonalisedProject.Status.DRAFT:
        raise DomainError(_("Il progetto è già sottoscritto: registra una verifica."))
    before = snapshot(project)
    claim(project, version)
    project.general_objectives = general_objectives
    project.save(update_fields=["general_objectives"])
    record_update(actor=actor, obj=project, before=before, district_id=case.district_id)
    return project


@transaction.atomic
def add_expected_result(
    *, actor: User, case: Case, description: str, deadline: datetime.date
) -> ExpectedResult:
    project = _open_project(case)
    if not description.strip():
        raise DomainError(_("Descrivi il risultato atteso."))
    result = ExpectedResult.objects.create(
        district_id=case.district_id, project=project, description=description, deadline=deadline
    )
    record_create(actor=actor, obj=result, district_id=case.district_id)
    return result


@transaction.atomic
def add_support(
    *, actor: User, case: Case, service: Service, description: str = ""
) -> ProjectSupport:
    project = _open_project(case)
    if service.district_id != case.district_id:
        raise DomainError(_("Il servizio non appartiene a questo ambito."))
    support = ProjectSupport.objects.create(
        district_id=case.district_id, project=project, service=service, description=description
    )
    record_create(actor=actor, obj=support, district_id=case.district_id)
    return support


@transaction.atomic
def add_commitment(*, actor: User, case: Case, description: str) -> Commitment:
    project = _open_project(case)
    if not description.strip():
        raise DomainError(_("Descrivi l'impegno."))
    commitment = Commitment.objects.create(
        district_id=case.district_id, project=project, description=description
    )
    record_create(actor=actor, obj=commitment, district_id=case.district_id)
    return commitment


@transaction.atomic
def sign_project(
    *,
    actor: User,
    case: Case,
    signed_on: datetime.date,
    signed_by: str,
    version: int | None = None,
) -> PersonalisedProject:
    project = _open_project(case)
    if version is not None and project.version != version:
        raise Conflict(conflict_message())
    if project.status != PersonalisedProject.Status.DRAFT:
        raise DomainError(_("Il progetto è già sottoscritto."))
    missing = []
    if not project.results.exists():
        missing.append(_("almeno un risultato atteso con la sua scadenza"))
    if not project.commitments.exists():
        missing.append(_("almeno un impegno del nucleo"))
    if not signed_by.strip():
        missing.append(_("chi sottoscrive"))
    if missing:
        raise DomainError(_("Per sottoscrivere il progetto servono:"), details=missing)
    if signed_on > timezone.localdate():
        raise DomainError(_("La data di sottoscrizione non può essere futura."))
    before = snapshot(project)
    claim(project, version)
    project.status = PersonalisedProject.Status.SIGNED
    project.signed_on = signed_on
    project.signed_by = signed_by
    project.save(update_fields=["status", "signed_on", "signed_by"])
    record_update(actor=actor, obj=project, before=before, district_id=case.district_id)
    return project


@transaction.atomic
def add_review(
    *, actor: User, case: Case, held_on: datetime.date, outcome: str, notes: str = ""
) -> ProjectReview:
    project = _open_project(case)
    if project.status == PersonalisedProject.Status.DRAFT:
        raise DomainError(_("Le verifiche si registrano dopo la sottoscrizione del progetto."))
    if outcome not in ProjectReview.Outcome.values:
        raise DomainError(_("Esito della verifica sconosciuto."))
    review = ProjectReview.objects.create(
        district_id=case.district_id, project=project, held_on=held_on, outcome=outcome, notes=notes
    )
    record_create(actor=actor, obj=review, district_id=case.district_id)
    return review


@transaction.atomic
def record_delivered_service(
    *,
    actor: User,
    case: Case,
    service: Service,
    start: datetime.date,
    quantity: Decimal,
    unit: str,
    end: datetime.date | None = None,
    amount: Decimal = Decimal("0"),
    referral: Referral | None = None,
) -> DeliveredService:
    problems = []
    if service.district_id != case.district_id:
        problems.append(_("Il servizio non appartiene a questo ambito."))
    if end is not None and end < start:
        problems.append(_("La data di fine precede quella di inizio."))
    if quantity <= 0:
        problems.append(_("La quantità deve essere positiva."))
    if amount < 0:
        problems.append(_("L'importo non può essere negativo."))
    if unit not in DeliveredService.Unit.values:
        problems.append(_("Unità sconosciuta."))
    if referral is not None and referral.case_id != case.pk:
        problems.append(_("L'invio non appartiene a questo caso."))
    if problems:
        raise DomainError(_("Prestazione non registrata."), details=problems)
    delivered = DeliveredService.objects.create(
        district_id=case.district_id,
        case=case,
        person_id=case.person_id,
        service=service,
        referral=referral,
        start=start,
        end=end,
        quantity=quantity,
        unit=unit,
        amount=amount,
    )
    record_create(actor=actor, obj=delivered, district_id=case.district_id)
    return delivered


@transaction.atomic
def close_case(
    *,
    actor: User,
    case: Case,
    closed_on: datetime.date | None = None,
    version: int | None = None,
) -> Case:
    if version is not None and case.version != version:
        raise Conflict(conflict_message())
    if case.status == Case.Status.CLOSED:
        raise DomainError(_("Il caso è già chiuso."))
    closed_on = closed_on or timezone.localdate()
    if closed_on < case.opened_on:
        raise DomainError(_("La chiusura non può precedere l'apertura."))
    before = snapshot(case)
    claim(case, version)
    case.status = Case.Status.CLOSED
    case.closed_on = closed_on
    case.save(update_fields=["status", "closed_on"])
    record_update(actor=actor, obj=case, before=before, district_id=case.district_id)
    return case
