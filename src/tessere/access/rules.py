"""Who may do what at the access point.

District permissions take the district as the object; object permissions take the object.
Roles that read persons (and must pass two-factor authentication): social worker, access-point
operator, employment-centre operator. A case is read only by its team (the case manager is on
it); access-point and employment-centre operators read persons and their intakes (the door);
a provider reads only the referrals addressed to its organisation; a planner only aggregates.
"""

from __future__ import annotations

from typing import Any

import rules

from tessere.core.models import Role
from tessere.core.rules import has_role
from tessere.core.scoping import district_access

PERSON_READER_ROLES = (Role.SOCIAL_WORKER, Role.ACCESS_OPERATOR, Role.EMPLOYMENT_OPERATOR)
DOOR_ROLES = (Role.ACCESS_OPERATOR, Role.EMPLOYMENT_OPERATOR)
AGGREGATE_ROLES = (Role.PLANNER, Role.MAYOR)

reads_persons = has_role(*PERSON_READER_ROLES)
is_door_operator = has_role(*DOOR_ROLES)
is_social_worker = has_role(Role.SOCIAL_WORKER)
is_provider = has_role(Role.PROVIDER)
reads_aggregates = has_role(*AGGREGATE_ROLES)


def _on_team(user: Any, case: Any) -> bool:
    """True when ``user`` is on the case's team; selectors annotate ``on_team`` to spare a
    query."""
    annotated = getattr(case, "on_team", None)
    if annotated is not None:
        return bool(annotated)
    if case.manager_id == user.pk:
        return True
    return case.team.filter(user=user).exists()


@rules.predicate
def is_case_team(user: Any, case: Any) -> bool:
    if case is None or not user.is_authenticated:
        return False
    if not district_access(user).roles_in(case.district_id):
        return False
    return _on_team(user, case)


@rules.predicate
def reads_person(user: Any, person: Any) -> bool:
    if person is None or not user.is_authenticated:
        return False
    access = district_access(user)
    if access.has_role(person.district_id, *DOOR_ROLES):
        return True
    if not access.has_role(person.district_id, *PERSON_READER_ROLES):
        return False
    annotated = getattr(person, "on_team", None)
    if annotated is not None:
        return bool(annotated)
    from tessere.access.models import TeamMember

    return TeamMember.objects.filter(user=user, case__person=person).exists()


@rules.predicate
def handles_referral(user: Any, referral: Any) -> bool:
    if referral is None or not user.is_authenticated:
        return False
    access = district_access(user)
    if not access.has_role(referral.district_id, Role.PROVIDER):
        return False
    return str(referral.organisation_id) in access.organisations.get(referral.district_id, set())


@rules.predicate
def manages_referral(user: Any, referral: Any) -> bool:
    """The case team (or, for a referral made at intake, who made it) may cancel it."""
    if referral is None or not user.is_authenticated:
        return False
    if referral.case_id is not None:
        return bool(is_case_team(user, referral.case))
    return referral.created_by_id == user.pk


@rules.predicate
def sees_confidential_note(user: Any, note: Any) -> bool:
    return note.author_id == user.pk or note.case.manager_id == user.pk


@rules.predicate
def exports_person(user: Any, person: Any) -> bool:
    access = district_access(user)
    return access.has_role(person.district_id, Role.SOCIAL_WORKER, Role.ACCESS_OPERATOR)


rules.add_perm("access.use_door", reads_persons)
rules.add_perm("access.record_intake", reads_persons)
rules.add_perm("access.open_case", is_social_worker)
rules.add_perm("access.read_person", reads_person)
rules.add_perm("access.export_person", reads_person & exports_person)
rules.add_perm("access.read_case", is_case_team)
rules.add_perm("access.change_case", is_case_team)
rules.add_perm("access.provider_inbox", is_provider)
rules.add_perm("access.handle_referral", handles_referral)
rules.add_perm("access.cancel_referral", manages_referral)
rules.add_perm("access.read_confidential_note", sees_confidential_note)
rules.add_perm("access.view_aggregates", rules.is_superuser | reads_aggregates)
rules.add_perm("access.export_delivered", is_social_worker)
