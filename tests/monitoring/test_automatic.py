"""Automatic indicators against hand-counted fixtures."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tessere.access.models import Case, Person
from tessere.core.models import User
from tessere.directory.models import Organisation, Service
from tessere.monitoring import automatic, services
from tessere.monitoring.models import ActionIndicator, Measurement


def cases(district, area: str, n: int, *, closed: int = 0) -> None:  # type: ignore[no-untyped-def]
    manager = User.objects.get(username="social_worker_a")
    for k in range(n + closed):
        person = Person.objects.create(
            district=district,
            code_kind=Person.CodeKind.INTERNAL,
            code=f"T{area[:3]}{k:04d}",
            last_name="Conteggio",
            first_name=f"P{k}",
        )
        Case.objects.create(
            district=district,
            person=person,
            area=area,
            manager=manager,
            opened_on=datetime.date(2025, 1, 10),
            status=Case.Status.CLOSED if k >= n else Case.Status.ACTIVE,
            closed_on=datetime.date(2025, 2, 1) if k >= n else None,
        )


def test_people_in_charge_and_services_by_hand(built, districts, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TESSERE_DISCLOSURE_THRESHOLD = 5
    a = districts.a
    cases(a, "anziani", 7, closed=2)  # 7 in charge today, 2 closed
    cases(a, "famiglia_minori", 6)
    cases(districts.b, "anziani", 9)  # another district: never counted
    assert automatic.people_in_charge(a, "anziani") == 7
    assert automatic.people_in_charge(a, "famiglia_minori") == 6
    organisation = Organisation.objects.create(
        district=a, kind=Organisation.Kind.SOCIAL_COOPERATIVE, name="Prova"
    )
    before = automatic.active_services(a)
    for k in range(3):
        Service.objects.create(district=a, organisation=organisation, name=f"Servizio {k}")
    Service.objects.create(
        district=a, organisation=organisation, name="Chiuso", status=Service.Status.CLOSED
    )
    assert automatic.active_services(a) == before + 3

    elderly = built.actions[1]  # objective "Anziani", area anziani
    services.save_indicator(
        actor=None,
        action=elderly,
        name="Anziani in carico",
        unit="persone",
        source=ActionIndicator.Source.PEOPLE_IN_CHARGE,
    )
    services.save_indicator(
        actor=None,
        action=elderly,
        name="Servizi attivi",
        unit="servizi",
        source=ActionIndicator.Source.ACTIVE_SERVICES,
    )
    done, hidden = automatic.refresh(
        actor=User.objects.get(username="planner_a"),
        plan=built.plan,
        on=datetime.date(2025, 12, 31),
    )
    assert (done, hidden) == (2, 0)
    values = dict(Measurement.objects.values_list("indicator__name", "value"))
    assert values == {"Anziani in carico": Decimal(7), "Servizi attivi": Decimal(before + 3)}


def test_suppressed_cells_are_not_recorded(built, districts, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TESSERE_DISCLOSURE_THRESHOLD = 5
    cases(districts.a, "anziani", 2)
    assert automatic.people_in_charge(districts.a, "anziani") is None
    services.save_indicator(
        actor=None,
        action=built.actions[1],
        name="Anziani in carico",
        unit="persone",
        source=ActionIndicator.Source.PEOPLE_IN_CHARGE,
    )
    assert automatic.refresh(actor=None, plan=built.plan) == (0, 1)
    assert not Measurement.objects.exists()


def test_spending_against_allocations(built) -> None:  # type: ignore[no-untyped-def]
    # Allocations: the fund covers every action: 1.000 € a year.
    services.set_spending(actor=None, fund=built.fund, year=2025, amount=750)
    rows = {r["year"]: r for r in automatic.spending_by_fund(built.plan)}
    assert rows[2025]["allocated"] == Decimal(1000)
    assert rows[2025]["spent"] == Decimal(750)
    assert rows[2025]["share"] == Decimal(75)
    assert rows[2026]["spent"] is None and rows[2026]["share"] is None


@given(value=st.integers(min_value=0, max_value=10_000), limit=st.integers(2, 20))
def test_published_people_counts_are_zero_or_at_least_the_threshold(value, limit) -> None:  # type: ignore[no-untyped-def]
    from django.test import override_settings

    people = ActionIndicator(source=ActionIndicator.Source.PEOPLE_IN_CHARGE)
    manual = ActionIndicator(source="")
    with override_settings(TESSERE_DISCLOSURE_THRESHOLD=limit):
        shown = automatic.public_value(people, Decimal(value))
        assert shown is None or shown == 0 or shown >= limit
        assert (shown is None) == (0 < value < limit)
        assert automatic.public_value(manual, Decimal(value)) == value


def test_referrals_completed_reads_the_aggregate_table(districts, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tessere.access import aggregates

    table = aggregates.AggregateTable(
        title="Invii per esito", rows=[("inviato", None), ("concluso", 8)], total=None
    )
    monkeypatch.setattr(aggregates, "referrals_by_outcome", lambda district: table)
    assert automatic.referrals_completed(districts.a) == 8
    table.rows = [("inviato", 6), ("concluso", None)]
    assert automatic.referrals_completed(districts.a) is None
