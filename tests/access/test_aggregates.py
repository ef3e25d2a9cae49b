"""Aggregates: counts only, with primary and secondary suppression (property-based)."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tessere.access import aggregates, services
from tessere.access.models import Person
from tests.access.conftest import fiscal_code


@settings(max_examples=500, deadline=None)
@given(
    counts=st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=14),
    limit=st.integers(min_value=2, max_value=10),
)
def test_suppression_never_reveals_a_small_cell(counts, limit):
    cells, total = aggregates.suppress(dict(enumerate(counts)), limit)
    # Shown cells are true, and never small.
    for key, value in cells.items():
        if value is not None:
            assert value == counts[key]
            assert value == 0 or value >= limit
        else:
            assert counts[key] > 0
    hidden = [counts[k] for k, v in cells.items() if v is None]
    if total is not None:
        assert total == sum(counts)
        assert total == 0 or total >= limit
        # The total gives back only the sum of the hidden cells: at least two of them,
        # together not small, so no single hidden cell can be derived.
        if hidden:
            assert len(hidden) >= 2
            assert sum(hidden) >= limit
    else:
        assert hidden or 0 < sum(counts) < limit
    # Every small cell was suppressed (primary suppression).
    for key, value in enumerate(counts):
        if 0 < value < limit:
            assert cells[key] is None


def test_examples():
    assert aggregates.suppress({"a": 7, "b": 2, "c": 0, "d": 9}, 5) == (
        {"a": None, "b": None, "c": 0, "d": 9},
        18,
    )
    assert aggregates.suppress({"a": 3}, 5) == ({"a": None}, None)
    assert aggregates.suppress({"a": 0, "b": 0}, 5) == ({"a": 0, "b": 0}, 0)


@pytest.mark.django_db
def test_tables_count_and_suppress(access_world, districts, settings):
    settings.TESSERE_DISCLOSURE_THRESHOLD = 5
    world = access_world
    names = "abcdefghijklm"
    for n in range(13):
        birth = datetime.date(1940 + n, 3, 1 + n)
        person = services.create_person(
            actor=world.operator,
            district=districts.a,
            data=services.PersonData(
                code_kind="cf",
                code=fiscal_code("Conteggio", f"Persona{names[n]}", "M", birth),
                last_name="Conteggio",
                first_name=f"Persona{names[n]}",
                birth_date=birth,
                sex="M",
            ),
        )
        services.open_case(
            actor=world.social_worker,
            person=person,
            area="anziani" if n < 6 else "disabili",
            manager=world.social_worker,
        )
    table = aggregates.people_in_charge_by_area(districts.a)
    rows = dict(table.rows)
    assert rows["Famiglia e minori"] is None  # 1 person: suppressed
    assert rows["Anziani"] is None  # 6: hidden too, or the total would give the 1 back
    assert rows["Disabili"] == 7
    assert rows["Dipendenze"] == 0
    assert table.total == 14
    # Persons never appear: only labels and numbers.
    for table in aggregates.all_tables(districts.a):
        for label, value in table.rows:
            assert isinstance(label, str) and (value is None or isinstance(value, int))
            assert "Conteggio" not in label and "Esempio" not in label
    assert Person.objects.filter(last_name="Conteggio").count() == 13
    referrals = dict(aggregates.referrals_by_outcome(districts.a).rows)
    assert referrals["inviato"] is None
