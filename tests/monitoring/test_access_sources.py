"""Projects signed by area, median days to a signed project and access activity by
municipality: hand-counted fixtures, exact expected numbers."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from tessere.access import aggregates
from tessere.access.models import Case, PersonalisedProject
from tessere.core.models import User
from tessere.monitoring import automatic, services
from tessere.monitoring.models import ActionIndicator, Measurement

from .conftest import make_case

ON = datetime.date(2025, 12, 31)


@pytest.fixture
def projects(districts, settings):  # type: ignore[no-untyped-def]
    """District A: elderly projects signed after 15 (the intake was 5 days before the
    opening, signed 10 days after it), 20, 30, 40, 50, 60 days; disability 1..5 days;
    family 100 and 200 days; one unsigned draft, one signed after ``ON``. District B: five
    signed projects, never counted in A."""
    settings.TESSERE_DISCLOSURE_THRESHOLD = 5
    a = districts.a
    make_case(a, key="E1", area="anziani", signed_after=10, intake_before=5)
    for n, days in enumerate([20, 30, 40, 50, 60]):
        make_case(a, key=f"E{n + 2}", area="anziani", signed_after=days)
    for days in range(1, 6):
        make_case(a, key=f"D{days}", area="disabili", signed_after=days)
    make_case(a, key="F1", area="famiglia_minori", signed_after=100)
    make_case(a, key="F2", area="famiglia_minori", signed_after=200)
    draft = make_case(a, key="F3", area="famiglia_minori")
    PersonalisedProject.objects.create(
        district=a, case=draft, general_objectives="Bozza", signed_on=None
    )
    make_case(
        a, key="L1", area="anziani", opened_on=datetime.date(2025, 12, 1), signed_after=60
    )  # signed 30/01/2026: after ON
    for n in range(5):
        make_case(districts.b, key=f"B{n}", area="anziani", signed_after=1)
    return a


def test_projects_signed_by_area_by_hand(projects) -> None:  # type: ignore[no-untyped-def]
    table = aggregates.projects_signed_by_area(projects, ON)
    rows = dict(table.rows)
    # Elderly 6 shown; family 2 under the threshold; disability 5 hidden so that the
    # total (13) cannot give the family cell back.
    assert rows["Anziani"] == 6
    assert rows["Famiglia e minori"] is None
    assert rows["Disabili"] is None
    assert rows["Povertà e disagio adulti"] == 0
    assert table.total == 13
    assert automatic.projects_signed(projects, "anziani", ON) == 6
    assert automatic.projects_signed(projects, "famiglia_minori", ON) is None
    # On a later day the project signed in January 2026 counts too.
    assert automatic.projects_signed(projects, "anziani", datetime.date(2026, 2, 1)) == 7


def test_median_days_to_signed_project_by_hand(projects, settings) -> None:  # type: ignore[no-untyped-def]
    # Days: 1 2 3 4 5 15 20 30 40 50 60 100 200 -> the 7th of 13 is 20.
    assert aggregates.median_days_to_signed_project(projects, ON) == 20
    # With the one signed in 2026: 14 values, median (20 + 30) / 2 = 25.
    assert aggregates.median_days_to_signed_project(projects, datetime.date(2026, 2, 1)) == 25
    settings.TESSERE_DISCLOSURE_THRESHOLD = 14
    assert aggregates.median_days_to_signed_project(projects, ON) is None  # 13 projects
    assert automatic.median_days_to_project(projects, datetime.date(2026, 2, 1)) == 25


def test_refresh_records_the_new_sources(built, projects) -> None:  # type: ignore[no-untyped-def]
    elderly, family = built.actions[1], built.actions[0]
    for action, name, source in (
        (elderly, "Progetti firmati (anziani)", ActionIndicator.Source.PROJECTS_SIGNED),
        (family, "Progetti firmati (famiglie)", ActionIndicator.Source.PROJECTS_SIGNED),
        (elderly, "Giorni alla firma", ActionIndicator.Source.DAYS_TO_PROJECT),
    ):
        services.save_indicator(actor=None, action=action, name=name, unit="n", source=source)
    done, hidden = automatic.refresh(
        actor=User.objects.get(username="planner_a"), plan=built.plan, on=ON
    )
    assert (done, hidden) == (2, 1)  # the family cell is suppressed
    values = dict(Measurement.objects.values_list("indicator__name", "value"))
    assert values == {"Progetti firmati (anziani)": Decimal(6), "Giorni alla firma": Decimal(20)}
    people = ActionIndicator(source=ActionIndicator.Source.PROJECTS_SIGNED)
    assert automatic.public_value(people, Decimal(3)) is None


@pytest.fixture
def residents(districts, settings):  # type: ignore[no-untyped-def]
    """2025: Lucca 7 (3 in March, 4 in April), Capannori 3 (March), Altopascio 6 (May),
    one without residence (June); 2024: 2 in Lucca (not counted in 2025)."""
    settings.TESSERE_DISCLOSURE_THRESHOLD = 5
    a = districts.a
    town = {m.name: m for m in a.municipalities.all()}
    plan = [
        ("Lucca", 3, datetime.date(2025, 3, 5)),
        ("Lucca", 4, datetime.date(2025, 4, 5)),
        ("Capannori", 3, datetime.date(2025, 3, 20)),
        ("Altopascio", 6, datetime.date(2025, 5, 2)),
        (None, 1, datetime.date(2025, 6, 1)),
        ("Lucca", 2, datetime.date(2024, 6, 1)),
    ]
    k = 0
    for name, n, day in plan:
        for _ in range(n):
            k += 1
            make_case(a, key=f"R{k}", residence=town[name] if name else None, opened_on=day)
    return town


def test_cases_opened_by_municipality_by_hand(districts, residents) -> None:  # type: ignore[no-untyped-def]
    table = aggregates.cases_opened_by_municipality(districts.a, 2025)
    rows = dict(table.rows)
    assert rows["Lucca"] == 7
    # Capannori 3 and «other» 1 are under the threshold; together 4 < 5, so Altopascio (6)
    # is hidden too.
    assert rows["Capannori"] is None and rows["Altro o non indicato"] is None
    assert rows["Altopascio"] is None
    assert rows["Porcari"] == 0
    assert table.total == 17
    assert dict(aggregates.cases_opened_by_municipality(districts.a, 2024).rows)["Lucca"] is None


def test_cases_opened_by_month_in_one_municipality(districts, residents) -> None:  # type: ignore[no-untyped-def]
    lucca = aggregates.cases_opened_by_month(districts.a, 2025, residents["Lucca"].pk)
    rows = dict(lucca.rows)
    assert rows["03/2025"] is None and rows["04/2025"] is None  # 3 and 4
    assert rows["05/2025"] == 0
    assert lucca.total == 7
    altopascio = aggregates.cases_opened_by_month(districts.a, 2025, residents["Altopascio"].pk)
    assert dict(altopascio.rows)["05/2025"] == 6 and altopascio.total == 6
    everyone = aggregates.cases_opened_by_month(districts.a, 2025, None)
    assert everyone.total == 17
    assert Case.objects.filter(district=districts.a).count() == 19
