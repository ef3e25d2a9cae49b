"""What each role may do on a table in each phase (written out by hand, not read from rules.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from tessere.core.models import User
from tessere.participation.models import Phase, Table
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

ACTIONS = ["submit", "support", "comment", "score", "vote", "evaluate"]
PERMS = {
    "submit": "participation.submit_contribution",
    "support": "participation.support_contribution",
    "comment": "participation.comment_contribution",
    "score": "participation.score_contribution",
    "vote": "participation.vote_contribution",
    "evaluate": "participation.evaluate_contribution",
}

MEMBER = {
    None: set(),
    "listening": {"comment"},
    "proposals": {"submit", "support", "comment"},
    "prioritisation": {"score", "vote", "comment"},
    "feedback": set(),
}
COORDINATOR = {
    None: set(),
    "listening": {"comment"},
    "proposals": {"submit", "support", "comment", "evaluate"},
    "prioritisation": {"score", "vote", "comment", "evaluate"},
    "feedback": {"evaluate"},
}
PLANNER = {
    None: set(),
    "listening": {"comment"},
    "proposals": {"comment", "evaluate"},
    "prioritisation": {"comment", "evaluate"},
    "feedback": {"evaluate"},
}
NOTHING = {key: set() for key in MEMBER}

EXPECTED = {
    "coordinator_t": COORDINATOR,
    "member_t": MEMBER,
    "provider_a": MEMBER,  # a member through their organisation
    "observer_t": NOTHING,
    "planner_a": PLANNER,
    # Django grants an active superuser every permission (services still need a member row
    # to score or vote: see test_services).
    "superuser": {key: set(ACTIONS) for key in MEMBER},
    "mayor_a": NOTHING,
    "social_worker_a": NOTHING,
    "viewer_a": NOTHING,
    "planner_b": NOTHING,
    "no_role": NOTHING,
    "anonymous": NOTHING,
}
PHASES = [None, *Phase.Kind.values]


def _actor(username: str):  # type: ignore[no-untyped-def]
    if username == "anonymous":
        return AnonymousUser()
    return User.objects.get(username=username)


@pytest.mark.parametrize("phase", PHASES)
def test_phase_matrix(make_table, phase):
    world = make_table(phase=phase)
    failures = []
    for username, by_phase in EXPECTED.items():
        actor = _actor(username)
        allowed = {a for a in ACTIONS if actor.has_perm(PERMS[a], world.table)}
        if allowed != by_phase[phase]:
            failures.append(f"{username} in {phase}: {sorted(allowed)} != {by_phase[phase]}")
    assert not failures, "\n".join(failures)


MANAGERS = {"planner_a", "coordinator_t", "superuser", "multi"}


def test_who_manages_a_table(make_table):
    world = make_table()
    for username in [*EXPECTED, "multi"]:
        assert _actor(username).has_perm("participation.manage_table", world.table) == (
            username in MANAGERS
        ), username


def test_only_planners_create_tables(districts):
    for username in PERSONAS:
        may = _actor(username).has_perm("participation.add_table", districts.a)
        assert may == (username in {"planner_a", "superuser", "multi"}), username
    assert not _actor("planner_a").has_perm("participation.add_table", districts.b)
    assert _actor("planner_b").has_perm("participation.add_table", districts.b)


def test_reserved_table_is_read_by_district_staff_and_members_only(make_table):
    world = make_table(visibility=Table.Visibility.RESERVED)
    readers = {
        "coordinator_t",
        "member_t",
        "observer_t",
        "provider_a",
        "planner_a",
        "mayor_a",
        "social_worker_a",
        "viewer_a",
        "superuser",
    }
    for username in EXPECTED:
        may = _actor(username).has_perm("participation.view_table", world.table)
        assert may == (username in readers), username


def test_public_table_is_read_by_everyone(make_table):
    world = make_table()
    for username in EXPECTED:
        assert _actor(username).has_perm("participation.view_table", world.table), username


@pytest.mark.parametrize(
    ("phase", "visibility", "consultation", "expected"),
    [
        ("proposals", "public", True, True),
        ("proposals", "public", False, False),
        ("proposals", "reserved", True, False),
        ("listening", "public", True, False),
        ("prioritisation", "public", True, False),
    ],
)
def test_citizens_submit_only_during_a_public_consultation(
    make_table, phase, visibility, consultation, expected
):
    world = make_table(phase=phase, visibility=visibility, consultation=consultation)
    assert AnonymousUser().has_perm("participation.submit_as_citizen", world.table) == expected


def test_only_voting_members_approve_minutes(make_table):
    world = make_table()
    approvers = {"coordinator_t", "member_t", "provider_a", "superuser"}
    for username in EXPECTED:
        may = _actor(username).has_perm("participation.approve_minutes", world.table)
        assert may == (username in approvers), username
