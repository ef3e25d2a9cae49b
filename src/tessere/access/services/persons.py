"""Persons, consents, households, duplicates, and retention (anonymisation)."""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tessere.access import codes
from tessere.access.models import (
    Assessment,
    AssessmentDomain,
    Case,
    CaseNote,
    Commitment,
    ConsentRecord,
    Contact,
    DeliveredService,
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
from tessere.core.audit import record_create, record_update, snapshot
from tessere.core.errors import DomainError
from tessere.core.models import User
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
    projects.update(general_objectives="—", signed_by="", version=F("version") + 1)
    ExpectedResult.objects.filter(project__case=case).update(description="—")
    Commitment.objects.filter(project__case=case).update(description="—")
    ProjectReview.objects.filter(project__case=case).update(notes="")
    ProjectSupport.objects.filter(project__case=case).update(description="")
    Referral.objects.filter(case=case).update(request="—", decline_reason="")
    ReferralEvent.objects.filter(referral__case=case).update(note="")
    case.anonymised_at = now
    case.version += 1  # optimistic locking: a form opened before anonymising is stale
    case.save(update_fields=["anonymised_at", "version"])
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
