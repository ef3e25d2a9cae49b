"""Scoring and ranking, computed by hand."""

from __future__ import annotations

from fractions import Fraction

import pytest

from tessere.core.errors import DomainError
from tessere.core.models import User
from tessere.participation import services
from tessere.participation.models import Contribution, Criterion, Table
from tessere.participation.ranking import dots_ranking, scoring_ranking
from tests.participation.conftest import add_contribution

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(make_table):  # type: ignore[no-untyped-def]
    """Criteria: Rilevanza ×3, Urgenza ×1. Members: coordinator, member, provider."""
    world = make_table(phase="prioritisation")
    Criterion.objects.filter(table=world.table).delete()
    relevance = Criterion.objects.create(
        district=world.table.district, table=world.table, name="Rilevanza", weight=3
    )
    urgency = Criterion.objects.create(
        district=world.table.district, table=world.table, name="Urgenza", weight=1, position=1
    )
    c1 = add_contribution(world.table, "C1")
    c2 = add_contribution(world.table, "C2")
    c3 = add_contribution(world.table, "C3")
    c4 = add_contribution(world.table, "C4 nessuno la valuta")
    c5 = add_contribution(
        world.table, "C5 respinta", status=Contribution.Status.REJECTED, status_reason="no"
    )
    provider = User.objects.get(username="provider_a")
    r, u = relevance.pk, urgency.pk
    # C1: coordinator 5/3, member 4/5 → means 4.5 and 4 → (3·4.5 + 1·4) / 4 = 4.375
    # C2: only the coordinator, 4/4 → 4 (the others did not score: not zeros)
    # C3: coordinator 4/4, provider 4/4 → 4: a tie with C2
    services.save_scores(
        actor=world.coordinator,
        table=world.table,
        scores={c1.pk: {r: 5, u: 3}, c2.pk: {r: 4, u: 4}, c3.pk: {r: 4, u: 4}},
    )
    services.save_scores(actor=world.member, table=world.table, scores={c1.pk: {r: 4, u: 5}})
    services.save_scores(actor=provider, table=world.table, scores={c3.pk: {r: 4, u: 4}})
    return world, (c1, c2, c3, c4, c5)


def test_weighted_ranking_by_hand(scored):
    world, (_c1, _c2, _c3, _c4, _c5) = scored
    criteria, rows = scoring_ranking(world.table)
    assert [c.name for c in criteria] == ["Rilevanza", "Urgenza"]
    table = [(r.contribution.title, r.rank, r.tied, r.score, r.scorers) for r in rows]
    assert table == [
        ("C1", 1, False, Fraction(35, 8), 2),
        ("C2", 2, True, Fraction(4), 1),
        ("C3", 2, True, Fraction(4), 2),
        ("C4 nessuno la valuta", None, False, None, 0),
    ]
    assert rows[0].by_criterion == [Fraction(9, 2), Fraction(4)]
    assert rows[0].score_display == 4.38  # shown rounded, ranked exactly


def test_clearing_a_score_is_not_scoring_zero(scored):
    world, (c1, *_rest) = scored
    r, u = Criterion.objects.filter(table=world.table).values_list("pk", flat=True)
    services.save_scores(actor=world.member, table=world.table, scores={c1.pk: {r: None, u: None}})
    _criteria, rows = scoring_ranking(world.table)
    first = next(row for row in rows if row.contribution.pk == c1.pk)
    # Only the coordinator's 5 and 3 remain: (3·5 + 3) / 4 = 4.5, one scorer.
    assert first.score == Fraction(9, 2) and first.scorers == 1


def test_a_partial_score_counts_only_the_criteria_scored(scored):
    world, (_c1, _c2, _c3, c4, _c5) = scored
    r = Criterion.objects.get(table=world.table, name="Rilevanza").pk
    services.save_scores(actor=world.member, table=world.table, scores={c4.pk: {r: 2}})
    _criteria, rows = scoring_ranking(world.table)
    row = next(row for row in rows if row.contribution.pk == c4.pk)
    assert row.score == 2 and row.scorers == 1 and row.rank == 4


def test_scores_are_checked(scored):
    world, (c1, _c2, _c3, _c4, c5) = scored
    r = Criterion.objects.filter(table=world.table).first().pk
    with pytest.raises(DomainError, match="1 a 5"):
        services.save_scores(actor=world.member, table=world.table, scores={c1.pk: {r: 6}})
    with pytest.raises(DomainError, match="non sono valutabili"):
        services.save_scores(actor=world.member, table=world.table, scores={c5.pk: {r: 3}})


def test_dot_voting_ranking_with_ties(make_table):
    world = make_table(phase="prioritisation", method=Table.Method.DOTS)
    one = add_contribution(world.table, "Uno")
    two = add_contribution(world.table, "Due")
    three = add_contribution(world.table, "Tre")
    services.save_dot_votes(
        actor=world.coordinator, table=world.table, points={one.pk: 3, two.pk: 2}
    )
    services.save_dot_votes(actor=world.member, table=world.table, points={two.pk: 3, one.pk: 2})
    rows = dots_ranking(world.table)
    assert [(r.contribution.title, r.rank, r.tied, r.score, r.scorers) for r in rows] == [
        ("Due", 1, True, 5, 2),
        ("Uno", 1, True, 5, 2),
        ("Tre", 3, False, 0, 0),
    ]
    assert three.pk == rows[2].contribution.pk
