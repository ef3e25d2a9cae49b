"""Who may do what on a table, in which phase: the one place that answers it.

Two layers, composed with the ``rules`` package:

* ``PHASE_ACTIONS``: which member actions each phase allows (submit only in the proposals
  phase, score and vote only in prioritisation, ...);
* predicates on the actor's standing: planner of the table's district, coordinator of the
  table, member, observer, or a citizen during a public consultation.

Table-level permissions take the table as the object: ``user.has_perm(perm, table)``.
Tables should come with their phases prefetched (the selectors do it).
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils import timezone

from tessere.core.models import Role
from tessere.core.rules import has_role, is_district_staff, is_planner, is_superuser
from tessere.participation.models import Member, Phase, Table

# Member actions allowed in each phase. Nothing else in the code decides this.
SUBMIT = "submit"
SUPPORT = "support"
COMMENT = "comment"
SCORE = "score"
VOTE = "vote"
EVALUATE = "evaluate"

PHASE_ACTIONS: dict[str, frozenset[str]] = {
    Phase.Kind.LISTENING: frozenset({COMMENT}),
    Phase.Kind.PROPOSALS: frozenset({SUBMIT, SUPPORT, COMMENT, EVALUATE}),
    Phase.Kind.PRIORITISATION: frozenset({SCORE, VOTE, COMMENT, EVALUATE}),
    Phase.Kind.FEEDBACK: frozenset({EVALUATE}),
}
ALL_ACTIONS = (SUBMIT, SUPPORT, COMMENT, SCORE, VOTE, EVALUATE)

# Which actions each standing may take when the phase allows them.
# Coordinators and planners evaluate (change status); members submit, support, comment and
# prioritise; observers only read.
STANDING_ACTIONS: dict[str, frozenset[str]] = {
    "planner": frozenset({EVALUATE, COMMENT}),
    Member.Role.COORDINATOR: frozenset({SUBMIT, SUPPORT, COMMENT, SCORE, VOTE, EVALUATE}),
    Member.Role.MEMBER: frozenset({SUBMIT, SUPPORT, COMMENT, SCORE, VOTE}),
    Member.Role.OBSERVER: frozenset(),
}


def active_phase(table: Table) -> str | None:
    phase = table.phase_on(timezone.localdate())
    return phase.kind if phase is not None else None


def phase_allows(table: Table, action: str) -> bool:
    phase = active_phase(table)
    return phase is not None and action in PHASE_ACTIONS[phase]


def member_row(user: Any, table: Table) -> Member | None:
    """The member row through which ``user`` acts on ``table``: their own, or their
    organisation's (a provider bound to a directory organisation). Cached per user."""
    if user is None or not user.is_authenticated:
        return None
    cache: dict[int, Member | None] = user.__dict__.setdefault("_tessere_table_members", {})
    if table.pk in cache:
        return cache[table.pk]
    from tessere.core.scoping import district_access

    organisations = district_access(user).organisations.get(table.district_id, set())
    found = None
    for member in Member.objects.filter(table=table).filter(
        rules_member_q(user_id=user.pk, organisations=organisations)
    ):
        # The strongest role wins when someone is there both in person and for an organisation.
        if found is None or _ROLE_ORDER[member.role] < _ROLE_ORDER[found.role]:
            found = member
    cache[table.pk] = found
    return found


_ROLE_ORDER: dict[str, int] = {"coordinator": 0, "member": 1, "observer": 2}


def rules_member_q(*, user_id: int, organisations: set[str]) -> Any:
    from django.db.models import Q

    query = Q(user_id=user_id)
    if organisations:
        query |= Q(organisation_id__in=list(organisations))
    return query


def standing(user: Any, table: Table) -> str | None:
    """The actor's standing on the table: coordinator, member, observer, planner or None."""
    if user is None or not user.is_authenticated:
        return None
    member = member_row(user, table)
    if table.coordinator_id is not None and table.coordinator_id == user.pk:
        return Member.Role.COORDINATOR
    if member is not None:
        return member.role
    if user.is_superuser or is_planner(user, table.district_id):
        return "planner"
    return None


def may_act(user: Any, table: Table, action: str) -> bool:
    """May ``user`` take ``action`` on ``table`` now (standing × phase)?"""
    who = standing(user, table)
    if who is None:
        return False
    allowed = STANDING_ACTIONS[who]
    if who in (Member.Role.MEMBER, Member.Role.OBSERVER) and (
        user.is_superuser or is_planner(user, table.district_id)
    ):
        # A planner who also sits on the table keeps the planner's rights.
        allowed = allowed | STANDING_ACTIONS["planner"]
    return action in allowed and phase_allows(table, action)


# Predicates --------------------------------------------------------------------------------


@rules.predicate
def is_table_planner(user: Any, table: Table | None) -> bool:
    return table is not None and is_planner(user, table.district_id)


@rules.predicate
def is_table_coordinator(user: Any, table: Table | None) -> bool:
    return table is not None and standing(user, table) == Member.Role.COORDINATOR


@rules.predicate
def is_table_member(user: Any, table: Table | None) -> bool:
    return table is not None and member_row(user, table) is not None


@rules.predicate
def is_voting_member(user: Any, table: Table | None) -> bool:
    """Coordinators and members (not observers): they approve minutes."""
    if table is None:
        return False
    member = member_row(user, table)
    return member is not None and member.role != Member.Role.OBSERVER


@rules.predicate
def is_public_table(user: Any, table: Table | None) -> bool:
    return table is not None and table.is_public


@rules.predicate
def is_table_district_staff(user: Any, table: Table | None) -> bool:
    return table is not None and is_district_staff(user, table.district_id)


def _phase_action(action: str) -> Any:
    @rules.predicate(name=f"may_{action}")
    def predicate(user: Any, table: Table | None) -> bool:
        return table is not None and may_act(user, table, action)

    return predicate


@rules.predicate
def citizen_may_submit(user: Any, table: Table | None) -> bool:
    """A public consultation is open: anyone may submit, held for moderation."""
    return (
        table is not None
        and table.is_public
        and table.public_consultation
        and phase_allows(table, SUBMIT)
    )


may_manage = is_superuser | is_table_planner | is_table_coordinator
may_view = is_public_table | is_superuser | is_table_district_staff | is_table_member

rules.add_perm("participation.add_table", is_superuser | has_role(Role.PLANNER))
rules.add_perm("participation.moderate_in_district", is_superuser | has_role(Role.PLANNER))
rules.add_perm("participation.view_table", may_view)
rules.add_perm("participation.manage_table", may_manage)
rules.add_perm("participation.submit_contribution", _phase_action(SUBMIT))
rules.add_perm("participation.submit_as_citizen", citizen_may_submit)
rules.add_perm("participation.support_contribution", _phase_action(SUPPORT))
rules.add_perm("participation.comment_contribution", _phase_action(COMMENT))
rules.add_perm("participation.score_contribution", _phase_action(SCORE))
rules.add_perm("participation.vote_contribution", _phase_action(VOTE))
rules.add_perm("participation.evaluate_contribution", _phase_action(EVALUATE))
rules.add_perm("participation.approve_minutes", is_voting_member)
rules.add_perm("participation.moderate_table", may_manage)
