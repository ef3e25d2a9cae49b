"""Reads of the access point: the single choke point, scoped to the acting user.

Every function returns only what ``actor`` may see in ``district``; reading a person's record
is logged here (``record_read``). Something the actor may not see is reported exactly like
something that does not exist (``NotFound``), so a refusal never reveals that a person exists.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import BooleanField, Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.utils.translation import gettext as _

from tessere.access.models import (
    AccessPoint,
    Assessment,
    AssessmentDomain,
    Case,
    CaseNote,
    Contact,
    DeliveredService,
    Person,
    PersonalisedProject,
    Referral,
    ReferralEvent,
    TeamMember,
)
from tessere.access.rules import DOOR_ROLES, PERSON_READER_ROLES
from tessere.core.audit import record_read
from tessere.core.errors import NotFound
from tessere.core.models import Membership, ReadAccessEntry, Role, User
from tessere.core.scoping import district_access
from tessere.directory.models import Service
from tessere.territory.models import District

SEARCH_LIMIT = 20


def _not_found() -> NotFound:
    return NotFound(_("Non trovato."))


def _uuid(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError):
        raise _not_found() from None


def log_reads(*, actor: User, district: District, objects: list[Any], purpose: str) -> None:
    """One row per object read, in one insert."""
    ReadAccessEntry.objects.bulk_create(
        ReadAccessEntry(
            actor=actor,
            actor_label=actor.get_username(),
            district=district,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            purpose=purpose,
        )
        for obj in objects
    )


def _team_of(actor: User) -> Any:
    return TeamMember.objects.filter(case=OuterRef("pk"), user=actor)


def cases_for(actor: User, district: District) -> QuerySet[Case]:
    """The cases whose team ``actor`` is on (the manager is on the team)."""
    if not district_access(actor).roles_in(district):
        return Case.objects.none()
    team_cases = TeamMember.objects.filter(user=actor, district=district).values("case_id")
    return Case.objects.filter(
        district=district, anonymised_at__isnull=True, pk__in=team_cases
    ).annotate(on_team=Value(True, output_field=BooleanField()))


def case_list_ids(actor: User, district: District, status: str = "") -> QuerySet[Any]:
    """The ids of the actor's cases, newest first, read in order from one index (the team)."""
    if not district_access(actor).roles_in(district):
        return TeamMember.objects.none().values_list("case_id", flat=True)
    members = TeamMember.objects.filter(user=actor, district=district)
    if status:
        members = members.filter(case__status=status)
    return members.order_by("-case_opened_on", "-case_id").values_list("case_id", flat=True)


def cases_in_order(actor: User, district: District, ids: list[Any]) -> list[Case]:
    """The cases of ``ids`` (already scoped by ``case_list_ids``), in that order."""
    # By primary key only, so that the database reads just these rows; the scope is checked
    # again on the rows themselves.
    found = {
        case.pk: case
        for case in Case.objects.filter(pk__in=ids).select_related("person", "manager")
        if case.district_id == district.pk and case.anonymised_at is None
    }
    return [found[pk] for pk in ids if pk in found]


def readable_persons(actor: User, district: District) -> QuerySet[Person]:
    access = district_access(actor)
    base = Person.objects.filter(district=district, anonymised_at__isnull=True)
    if access.has_role(district, *DOOR_ROLES):
        return base
    if not access.has_role(district, *PERSON_READER_ROLES):
        return Person.objects.none()
    on_team = TeamMember.objects.filter(case__person=OuterRef("pk"), user=actor)
    return base.filter(Exists(on_team)).annotate(on_team=Exists(on_team))


def search_persons(
    actor: User, district: District, query: str, *, limit: int = SEARCH_LIMIT
) -> list[Person]:
    """Persons matching a name or code, for the door (identification only); logged."""
    if not district_access(actor).has_role(district, *PERSON_READER_ROLES):
        return []
    query = " ".join(query.split())
    if len(query) < 2:
        return []
    filters = Q(code__iexact=query.replace(" ", ""))
    words = query.split(" ")
    name_filter = Q()
    for word in words:
        name_filter &= Q(last_name__icontains=word) | Q(first_name__icontains=word)
    filters |= name_filter
    found = list(
        Person.objects.filter(district=district, anonymised_at__isnull=True, merged_into=None)
        .filter(filters)
        .select_related("residence_municipality")
        .order_by("last_name", "first_name", "birth_date")[:limit]
    )
    log_reads(actor=actor, district=district, objects=found, purpose="ricerca")
    return found


def duplicate_groups(persons: list[Person]) -> set[uuid.UUID]:
    """Among ``persons``, those with the same birth date as another and a similar name."""
    import difflib

    from tessere.access.services.persons import SIMILARITY, _name_key

    flagged: set[uuid.UUID] = set()
    for i, one in enumerate(persons):
        for other in persons[i + 1 :]:
            if one.birth_date is None or one.birth_date != other.birth_date:
                continue
            ratio = difflib.SequenceMatcher(
                None,
                _name_key(one.last_name, one.first_name),
                _name_key(other.last_name, other.first_name),
            ).ratio()
            if ratio >= SIMILARITY:
                flagged |= {one.pk, other.pk}
    return flagged


def get_person(actor: User, district: District, person_id: Any, *, purpose: str = "") -> Person:
    person = (
        readable_persons(actor, district)
        .select_related("birth_municipality", "residence_municipality", "merged_into")
        .filter(pk=_uuid(person_id))
        .first()
    )
    if person is None:
        raise _not_found()
    record_read(actor=actor, obj=person, district_id=district.pk, purpose=purpose or "scheda")
    return person


def person_page(actor: User, district: District, person: Person) -> dict[str, Any]:
    """What the person's page shows, in a fixed number of queries."""
    cases = list(
        Case.objects.filter(person=person)
        .select_related("manager")
        .annotate(on_team=Exists(_team_of(actor)))
        .order_by("-opened_on")
    )
    return {
        "consents": list(person.consents.order_by("-created_at")),
        "memberships": list(
            person.memberships.select_related("household").order_by("household__name")
        ),
        "contacts": list(
            Contact.objects.filter(person=person)
            .select_related("access_point", "operator")
            .order_by("-created_at")[:50]
        ),
        "cases": cases,
    }


def get_case(actor: User, district: District, case_id: Any) -> Case:
    case = (
        cases_for(actor, district)
        .select_related("person", "household", "manager", "access_point")
        .filter(pk=_uuid(case_id))
        .first()
    )
    if case is None:
        raise _not_found()
    return case


def case_page(actor: User, district: District, case_id: Any) -> dict[str, Any]:
    """The whole case for its page, in a fixed number of queries; the read is logged."""
    case = get_case(actor, district, case_id)
    project = (
        PersonalisedProject.objects.filter(case=case)
        .prefetch_related(
            "results",
            "commitments",
            "reviews",
            Prefetch(
                "supports",
                queryset=case_supports_queryset(),
            ),
        )
        .first()
    )
    notes = list(
        CaseNote.objects.filter(case=case)
        .filter(Q(confidential=False) | Q(author=actor) | Q(case__manager=actor))
        .select_related("author")
    )
    hidden_notes = (
        0
        if case.manager_id == actor.pk
        else CaseNote.objects.filter(case=case, confidential=True).exclude(author=actor).count()
    )
    record_read(actor=actor, obj=case, district_id=district.pk, purpose="presa in carico")
    return {
        "case": case,
        "team": list(case.team.select_related("user", "organisation").order_by("created_at")),
        "assessments": list(
            Assessment.objects.filter(case=case)
            .select_related("assessor")
            .prefetch_related(
                Prefetch("domains", queryset=AssessmentDomain.objects.order_by("dimension"))
            )
        ),
        "project": project,
        "referrals": list(
            Referral.objects.filter(case=case)
            .select_related("service", "organisation")
            .prefetch_related(
                Prefetch("events", queryset=ReferralEvent.objects.order_by("created_at"))
            )
        ),
        "delivered": list(
            DeliveredService.objects.filter(case=case).select_related("service__organisation")
        ),
        "notes": notes,
        "hidden_notes": hidden_notes,
    }


def case_supports_queryset() -> QuerySet[Any]:
    from tessere.access.models import ProjectSupport

    return ProjectSupport.objects.select_related("service__organisation")


def inbox(actor: User, district: District) -> QuerySet[Referral]:
    """The referrals addressed to the actor's organisations; only what the referral needs."""
    access = district_access(actor)
    if not access.has_role(district, Role.PROVIDER):
        return Referral.objects.none()
    organisations = access.organisations.get(district.pk, set())
    return (
        Referral.objects.filter(district=district, organisation_id__in=organisations)
        .select_related("service", "person")
        .only(
            "id",
            "district_id",
            "organisation_id",
            "status",
            "request",
            "decline_reason",
            "created_at",
            "updated_at",
            "case_id",
            "created_by_id",
            "service__id",
            "service__name",
            "person__id",
            "person__first_name",
            "person__last_name",
            "person__phone",
            "person__language",
        )
        .order_by("-created_at")
    )


def get_inbox_referral(actor: User, district: District, referral_id: Any) -> Referral:
    referral = (
        inbox(actor, district)
        .prefetch_related(Prefetch("events", queryset=ReferralEvent.objects.order_by("created_at")))
        .filter(pk=_uuid(referral_id))
        .first()
    )
    if referral is None:
        raise _not_found()
    record_read(actor=actor, obj=referral, district_id=district.pk, purpose="invio (ente)")
    return referral


def get_team_referral(actor: User, district: District, referral_id: Any) -> Referral:
    """A referral the actor may manage (the case team, or who sent it from intake)."""
    team_cases = cases_for(actor, district).values("pk")
    referral = (
        Referral.objects.filter(district=district, pk=_uuid(referral_id))
        .filter(Q(case__in=team_cases) | Q(case__isnull=True, created_by=actor))
        .select_related("case", "service")
        .first()
    )
    if referral is None:
        raise _not_found()
    return referral


def access_log(actor: User, district: District, person: Person) -> QuerySet[ReadAccessEntry]:
    """Who read this person's records: the person, their cases and referrals."""
    case_ids = [str(pk) for pk in Case.objects.filter(person=person).values_list("pk", flat=True)]
    referral_ids = [
        str(pk) for pk in Referral.objects.filter(person=person).values_list("pk", flat=True)
    ]
    return ReadAccessEntry.objects.filter(district=district).filter(
        Q(object_type="access.person", object_id=str(person.pk))
        | Q(object_type="access.case", object_id__in=case_ids)
        | Q(object_type="access.referral", object_id__in=referral_ids)
    )


def access_points(district: District) -> QuerySet[AccessPoint]:
    return AccessPoint.objects.filter(district=district).select_related("municipality")


def district_services(district: District) -> QuerySet[Service]:
    return (
        Service.objects.filter(district=district, status=Service.Status.ACTIVE)
        .select_related("organisation")
        .order_by("name")
    )


def match_services(services: QuerySet[Service], query: str) -> QuerySet[Service]:
    """The services among ``services`` matching the words of ``query``, best first: the
    guide's own search (name, description, organisation, areas, municipalities; full-text
    index on PostgreSQL, FTS5 on SQLite), so that a district's 20,000 services are never
    scanned."""
    from tessere.directory.selectors import SearchFilters, search

    return search(services, SearchFilters(q=query))


def case_managers(district: District) -> QuerySet[User]:
    return User.objects.filter(
        memberships__district=district, memberships__role=Role.SOCIAL_WORKER, is_active=True
    ).order_by("last_name", "first_name", "username")


def district_staff(district: District) -> QuerySet[User]:
    return (
        User.objects.filter(
            memberships__district=district,
            memberships__role__in=[*PERSON_READER_ROLES, Role.PROVIDER],
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def memberships_of(district: District) -> QuerySet[Membership]:
    return Membership.objects.filter(district=district)
