"""A planner who also sits on a table keeps the planner's rights there."""

from __future__ import annotations

import pytest

from tessere.core.models import User
from tessere.participation import rules as participation_rules
from tessere.participation import services
from tessere.participation.models import Contribution, Member, Phase
from tests.participation.conftest import add_contribution, build_table

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Member.Role.MEMBER, Member.Role.OBSERVER])
def test_planner_member_may_still_evaluate(districts, role):
    world = build_table(districts, phase=Phase.Kind.PROPOSALS)
    planner = User.objects.get(username="planner_a")
    services.add_member(actor=None, table=world.table, user=planner, role=role)
    planner = User.objects.get(username="planner_a")  # fresh caches
    assert participation_rules.may_act(planner, world.table, participation_rules.EVALUATE)
    contribution = add_contribution(world.table, "Da valutare")
    services.change_status(
        actor=planner, contribution=contribution, status=Contribution.Status.UNDER_EVALUATION
    )
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.UNDER_EVALUATION
    if role == Member.Role.MEMBER:  # and scores as a member would
        assert participation_rules.may_act(planner, world.table, participation_rules.SUBMIT)


def test_a_plain_member_still_may_not_evaluate(districts):
    world = build_table(districts, phase=Phase.Kind.PROPOSALS)
    assert not participation_rules.may_act(world.member, world.table, participation_rules.EVALUATE)
