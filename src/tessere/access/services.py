"""Operations of the access point: one transaction each, audited, raising ``DomainError``."""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tessere.access import codes
from tessere.access.models import (
    AccessPoint,
    Assessment,
    AssessmentDomain,
    Case,
    CaseNote,
    Commitment,
    ConsentRecord,
    Contact,
    DeliveredService,
    Dimension,
    ExpectedResult,
    Household,
    HouseholdMember,
    Person,
    PersonalisedProject,
    ProjectReview,
    ProjectSupport,
    Referral,
    ReferralEvent,
    TeamMember,
)
from tessere.core.areas import UserArea
from tessere.core.audit import record_create, record_update, snapshot
from tessere.core.errors import DomainError, PermissionDenied
from tessere.core.models import User
from tessere.directory.models import Organisation, Service
from tessere.territory.models import District, Municipality

SIMILARITY = 0.8


@dataclass
class PersonData:
    """What the intake form (or the API) says about a new person."""

    code_kind: str
    code: str
    last_name: str
    first_name: str
    birth_date: datetime.date | None = None
    sex: str = ""
    birth_municipality: Municipality | None = None
    citizenship: str = ""
    residence_municipality: Municipality | None = None
    phone: str = ""
    email: str = ""
    language: str = "italiano"
    notes: str = ""


def _name_key(last_name: str, first_name: str) -> str:
    return f"{last_name} {first_name}".casefold().strip()


def similar_persons(
    *,
    district: District,
    last_name: str,
    first_name: str,
    birth_date: datetime.date | None,
    exclude: Person | None = None,
) -> list[Person]:
    """Persons with the same birth date and a similar name: possible duplicates (one query)."""
    if birth_date is None:
        return []
    candidates = Person.objects.filter(
        district=district, birth_date=birth_date, merged_into__isnull=True
    )
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    key = _name_key(last_name, first_name)
    found = []
    for candidate in candidates[:200]:
        other = _name_key(candidate.last_name, candidate.first_name)
        swapped = _name_key(candidate.first_name, candidate.last_name)
        ratio = max(
            difflib.SequenceMatcher(None, key, other).ratio(),
            difflib.SequenceMatcher(None, key, swapped).ratio(),
        )
        if ratio >= SIMILARITY:
            found.append(candidate)
    return found


@transaction.atomic
def create_person(
    *, actor: User | None, district: District, data: PersonData, allow_similar: bool = False
) -> Person:
    """A new person: the code is validated; the same code is refused (it is the same person);
    a similar name with the same birth date is refused unless ``allow_similar``."""
    last_name, first_name = data.last_name.strip(), data.first_name.strip()
    if not last_name or not first_name:
        raise DomainError(_("Cognome e nome sono obbligatori."))
    code = codes.validate_code(
        kind=data.code_kind,
        code=data.code,
        birth_date=data.birth_date,
        sex=data.sex,
        birth_cadastral_code=data.birth_municipality.cadastral_code
        if data.birth_municipality
        else "",
    )
    existing = Person.objects.filter(
        district=district, code=code, merged_into__isnull=True, anonymised_at__isnull=True
    ).first()
    if existing is not None:
        raise DuplicatePerson(
            _("Esiste già una persona con questo codice: usa la sua scheda."), [existing]
        )
    if not allow_similar:
        similar = similar_persons(
            district=district,
            last_name=last_name,
            first_name=first_name,
            birth_date=data.birth_date,
        )
        if similar:
            raise DuplicatePerson(
                _(
                    "Esistono persone con nome simile e la stessa data di nascita: verifica che "
                    "non sia la stessa persona, poi conferma."
                ),
                similar,
            )
    person = Person.objects.create(
        district=district,
        code_kind=data.code_kind,
        code=code,
        last_name=last_name,
        first_name=first_name,
        birth_date=data.birth_date,
        sex=data.sex,
        birth_municipality=data.birth_municipality,
        citizenship=data.citizenship,
        residence_municipality=data.residence_municipality,
        phone=data.phone,
        email=data.email,
        language=data.language or "italiano",
        notes=data.notes,
    )
    record_create(actor=actor, obj=person, district_id=district.pk)
    return person


class DuplicatePerson(DomainError):
    status_code = 409

    def __init__(self, message: str, candidates: list[Person]) -> None:
        super().__init__(message)
        self.candidates = candidates


@transaction.atomic
def merge_persons(*, actor: User, keep: Person, duplicate: Person) -> Person:
    """Move everything of ``duplicate`` onto ``keep``; ``duplicate`` stays, marked as merged."""
    if keep.pk == duplicate.pk or keep.district_id != duplicate.district_id:
        raise DomainError(_("Si possono unire solo due persone diverse dello stesso ambito."))
    if duplicate.merged_into_id is not None:
        raise DomainError(_("Questa persona è già stata unita a un'altra."))
    for model in (Contact, Case, Referral, ConsentRecord, DeliveredService):
        model.objects.filter(person=duplicate).update(person=keep)
    HouseholdMember.objects.filter(person=duplicate).exclude(
        household__in=HouseholdMember.objects.filter(person=keep).values("household")
    ).update(person=keep)
    before = snapshot(duplicate)
    duplicate.merged_into = keep
    duplicate.save(update_fields=["merged_into", "updated_at"])
    record_update(actor=actor, obj=duplicate, before=before, district_id=keep.district_id)
    return keep


@transaction.atomic
def record_consent(
    *, actor: User | None, person: Person, purpose: str, given: bool = True, note: str = ""
) -> ConsentRecord:
    if purpose not in ConsentRecord.Purpose.values:
        raise DomainError(_("Finalità del consenso sconosciuta."))
    consent = ConsentRecord.objects.create(
        district_id=person.district_id,
        person=person,
        purpose=purpose,
        given=given,
        recorded_by=actor,
        note=note,
    )
    record_create(actor=actor, obj=consent, district_id=person.district_id)
    return consent


@transaction.atomic
def withdraw_consent(*, actor: User, consent: ConsentRecord) -> ConsentRecord:
    before = snapshot(consent)
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    record_update(actor=actor, obj=consent, before=before, district_id=consent.district_id)
    return consent


def sharing_consent(person: Person) -> ConsentRecord | None:
    return (
        ConsentRecord.objects.filter(
            person=person,
            purpose=ConsentRecord.Purpose.SHARING,
            given=True,
            withdrawn_at__isnull=True,
        )
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def create_household(
    *,
    actor: User,
    district: District,
    name: str,
    members: list[tuple[Person, str]],
    municipality: Municipality | None = None,
) -> Household:
    if not name.strip():
        raise DomainError(_("Il nucleo deve avere un nome."))
    household = Household.objects.create(district=district, name=name, municipality=municipality)
    record_create(actor=actor, obj=household, district_id=district.pk)
    for person, relation in members:
        add_household_member(actor=actor, household=household, person=person, relation=relation)
    return household


@transaction.atomic
def add_household_member(
    *, actor: User, household: Household, person: Person, relation: str
) -> HouseholdMember:
    if person.district_id != household.district_id:
        raise DomainError(_("La persona non appartiene a questo ambito."))
    if relation not in HouseholdMember.Relation.values:
        raise DomainError(_("Relazione sconosciuta."))
    if HouseholdMember.objects.filter(household=household, person=person).exists():
        raise DomainError(_("La persona fa già parte del nucleo."))
    member = HouseholdMember.objects.create(
        district_id=household.district_id, household=household, person=person, relation=relation
    )
    record_create(actor=actor, obj=member, district_id=household.district_id)
    return member


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
) -> Assessment:
    """A preliminary analysis (at least one dimension) or an in-depth one (all six); the
    outcome chooses the case's path."""
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
    before = snapshot(case)
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
def save_project(*, actor: User, case: Case, general_objectives: str) -> PersonalisedProject:
    if not general_objectives.strip():
        raise DomainError(_("Scrivi gli obiettivi generali del progetto."))
    if case.status == Case.Status.CLOSED:
        raise DomainError(_("Il caso è chiuso."))
    project = PersonalisedProject.objects.filter(case=case).first()
    if project is None:
        project = PersonalisedProject.objects.create(
            district_id=case.district_id, case=case, general_objectives=general_objectives
        )
        record_create(actor=actor, obj=project, district_id=case.district_id)
        return project
    if project.status != PersonalisedProject.Status.DRAFT:
        raise DomainError(_("Il progetto è già sottoscritto: registra una verifica."))
    before = snapshot(project)
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
    *, actor: User, case: Case, signed_on: datetime.date, signed_by: str
) -> PersonalisedProject:
    project = _open_project(case)
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


# Referrals: a closed loop with a state machine.
S = Referral.Status
PROVIDER_TRANSITIONS: dict[str, set[str]] = {
    S.SENT: {S.ACCEPTED, S.DECLINED},
    S.ACCEPTED: {S.IN_PROGRESS, S.NO_SHOW},
    S.IN_PROGRESS: {S.COMPLETED, S.NO_SHOW},
}
SENDER_TRANSITIONS: dict[str, set[str]] = {
    S.SENT: {S.CANCELLED},
    S.ACCEPTED: {S.CANCELLED},
    S.IN_PROGRESS: {S.CANCELLED},
}
TERMINAL = {S.DECLINED, S.COMPLETED, S.NO_SHOW, S.CANCELLED}


def allowed_transitions(status: str) -> set[str]:
    return PROVIDER_TRANSITIONS.get(status, set()) | SENDER_TRANSITIONS.get(status, set())


@transaction.atomic
def send_referral(
    *, actor: User, person: Person, service: Service, request: str, case: Case | None = None
) -> Referral:
    """Send ``person`` to a directory service; refused without a consent to share."""
    if service.district_id != person.district_id:
        raise DomainError(_("Il servizio non appartiene a questo ambito."))
    if service.status != Service.Status.ACTIVE:
        raise DomainError(_("Il servizio non è attivo."))
    if case is not None and case.person_id != person.pk:
        raise DomainError(_("La persona non corrisponde al caso."))
    if not request.strip():
        raise DomainError(_("Scrivi che cosa si chiede all'ente."))
    consent = sharing_consent(person)
    if consent is None:
        raise DomainError(
            _(
                "Manca il consenso della persona alla condivisione dei dati con l'ente: "
                "registralo prima dell'invio."
            )
        )
    referral = Referral.objects.create(
        district_id=person.district_id,
        person=person,
        case=case,
        service=service,
        organisation_id=service.organisation_id,
        consent=consent,
        request=request,
        created_by=actor,
    )
    record_create(actor=actor, obj=referral, district_id=referral.district_id)
    ReferralEvent.objects.create(
        district_id=referral.district_id,
        referral=referral,
        from_status="",
        to_status=S.SENT,
        actor=actor,
        actor_label=actor.get_username(),
    )
    return referral


@transaction.atomic
def transition_referral(
    *, actor: User, referral: Referral, to_status: str, note: str = "", reason: str = ""
) -> Referral:
    """Move a referral on; the provider answers, the sender may cancel; anything else is
    refused and nothing changes."""
    referral = (
        Referral.objects.select_for_update(of=("self",)).select_related("case").get(pk=referral.pk)
    )
    current = referral.status
    if to_status not in S.values:
        raise DomainError(_("Stato sconosciuto."))
    if to_status not in allowed_transitions(current):
        raise DomainError(
            _("Un invio «%(from)s» non può passare a «%(to)s».")
            % {"from": S(current).label, "to": S(to_status).label}
        )
    if to_status in PROVIDER_TRANSITIONS.get(current, set()):
        if not actor.has_perm("access.handle_referral", referral):
            raise PermissionDenied(_("Solo l'ente destinatario può rispondere all'invio."))
    elif not actor.has_perm("access.cancel_referral", referral):
        raise PermissionDenied(_("Solo chi segue il caso può annullare l'invio."))
    if to_status == S.DECLINED and not reason.strip():
        raise DomainError(_("Indica il motivo del rifiuto."))
    before = snapshot(referral)
    referral.status = to_status
    if to_status == S.DECLINED:
        referral.decline_reason = reason.strip()
    referral.save(update_fields=["status", "decline_reason", "updated_at"])
    record_update(actor=actor, obj=referral, before=before, district_id=referral.district_id)
    ReferralEvent.objects.create(
        district_id=referral.district_id,
        referral=referral,
        from_status=current,
        to_status=to_status,
        actor=actor,
        actor_label=actor.get_username(),
        note=(reason or note)[:300],
    )
    return referral


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
def close_case(*, actor: User, case: Case, closed_on: datetime.date | None = None) -> Case:
    if case.status == Case.Status.CLOSED:
        raise DomainError(_("Il caso è già chiuso."))
    closed_on = closed_on or timezone.localdate()
    if closed_on < case.opened_on:
        raise DomainError(_("La chiusura non può precedere l'apertura."))
    before = snapshot(case)
    case.status = Case.Status.CLOSED
    case.closed_on = closed_on
    case.save(update_fields=["status", "closed_on"])
    record_update(actor=actor, obj=case, before=before, district_id=case.district_id)
    return case


@transaction.atomic
def record_intake(
    *,
    actor: User,
    district: District,
    channel: str,
    area: str,
    reason: str,
    outcome: str,
    person: Person | None = None,
    new_person: PersonData | None = None,
    allow_similar: bool = False,
    access_point: AccessPoint | None = None,
    sharing_consent_given: bool = False,
    service: Service | None = None,
    request: str = "",
    manager: User | None = None,
) -> Contact:
    """An intake on one screen: the person (found or new), the reason, the channel and the
    outcome; a referral or a case is made at once when that is the outcome."""
    problems = []
    if channel not in Contact.Channel.values:
        problems.append(_("Scegli il canale."))
    if area not in UserArea.values:
        problems.append(_("Scegli l'area."))
    if not reason.strip():
        problems.append(_("Scrivi il motivo dell'accesso."))
    if outcome not in Contact.Outcome.values:
        problems.append(_("Scegli l'esito."))
    if outcome == Contact.Outcome.REFERRAL and service is None:
        problems.append(_("Per un invio scegli il servizio."))
    if outcome == Contact.Outcome.CASE_OPENED and manager is None:
        problems.append(_("Per aprire una presa in carico scegli il responsabile del caso."))
    if person is None and new_person is None:
        problems.append(_("Scegli una persona già registrata o inserisci i dati di una nuova."))
    if access_point is not None and access_point.district_id != district.pk:
        problems.append(_("Il punto di accesso non appartiene a questo ambito."))
    if problems:
        raise DomainError(_("Accesso non registrato."), details=problems)
    if person is None:
        assert new_person is not None
        person = create_person(
            actor=actor, district=district, data=new_person, allow_similar=allow_similar
        )
    elif person.district_id != district.pk:
        raise DomainError(_("La persona non appartiene a questo ambito."))
    if sharing_consent_given:
        record_consent(actor=actor, person=person, purpose=ConsentRecord.Purpose.SHARING)
    contact = Contact(
        district=district,
        person=person,
        access_point=access_point,
        operator=actor,
        channel=channel,
        area=area,
        reason=reason.strip(),
        outcome=outcome,
    )
    if outcome == Contact.Outcome.REFERRAL:
        assert service is not None
        contact.referral = send_referral(
            actor=actor, person=person, service=service, request=request or reason
        )
    elif outcome == Contact.Outcome.CASE_OPENED:
        assert manager is not None
        contact.case = open_case(
            actor=actor, person=person, area=area, manager=manager, access_point=access_point
        )
    contact.save()
    record_create(actor=actor, obj=contact, district_id=district.pk)
    return contact


def anonymise_expired(*, years: int, today: datetime.date | None = None) -> int:
    """Anonymise closed cases older than ``years`` and, when a person has no case left that is
    not anonymised, the person. Returns the number of cases."""
    today = today or timezone.localdate()
    try:
        limit = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        limit = today.replace(year=today.year - years, day=28)
    count = 0
    expired = Case.objects.filter(
        status=Case.Status.CLOSED, closed_on__lt=limit, anonymised_at__isnull=True
    ).values_list("pk", flat=True)
    for case_id in list(expired.iterator()):
        _anonymise_case(case_id)
        count += 1
    return count


@transaction.atomic
def _anonymise_case(case_id: Any) -> None:
    now = timezone.now()
    case = Case.objects.select_for_update().get(pk=case_id)
    CaseNote.objects.filter(case=case).delete()
    Assessment.objects.filter(case=case).update(summary="")
    AssessmentDomain.objects.filter(assessment__case=case).update(notes="")
    # The team reads the case no more: it leaves the workers' lists.
    TeamMember.objects.filter(case=case).delete()
    projects = PersonalisedProject.objects.filter(case=case)
    projects.update(general_objectives="—", signed_by="")
    ExpectedResult.objects.filter(project__case=case).update(description="—")
    Commitment.objects.filter(project__case=case).update(description="—")
    ProjectReview.objects.filter(project__case=case).update(notes="")
    ProjectSupport.objects.filter(project__case=case).update(description="")
    Referral.objects.filter(case=case).update(request="—", decline_reason="")
    ReferralEvent.objects.filter(referral__case=case).update(note="")
    case.anonymised_at = now
    case.save(update_fields=["anonymised_at"])
    person = case.person
    still_open = (
        Case.objects.filter(person=person)
        .filter(Q(anonymised_at__isnull=True) | ~Q(status=Case.Status.CLOSED))
        .exists()
    )
    if not still_open and person.anonymised_at is None:
        Contact.objects.filter(person=person).update(reason="—")
        Referral.objects.filter(person=person).update(request="—", decline_reason="")
        ConsentRecord.objects.filter(person=person).update(note="")
        HouseholdMember.objects.filter(person=person).delete()
        birth_year = person.birth_date.year if person.birth_date else None
        person.code = f"ANON-{person.pk.hex[:12].upper()}"
        person.code_kind = Person.CodeKind.INTERNAL
        person.last_name = "Anonimo"
        person.first_name = "—"
        # Keep only what the aggregates need: the year of birth, sex and municipality.
        person.birth_date = datetime.date(birth_year, 1, 1) if birth_year else None
        person.birth_municipality = None
        person.citizenship = ""
        person.address = ""
        person.phone = ""
        person.email = ""
        person.notes = ""
        person.anonymised_at = now
        person.save()
    record_update(
        actor=None,
        obj=case,
        before={"anonymised_at": None},
        district_id=case.district_id,
    )
