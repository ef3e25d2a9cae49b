"""The dashboard's municipality filter and access activity by municipality: through the
disclosure control, bad input refused, a fixed number of queries."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import build_plan, make_case
from .test_pages import _fill


def _residents(district, town: str, n: int, day: datetime.date, key: str) -> None:  # type: ignore[no-untyped-def]
    municipality = district.municipalities.get(name=town)
    for k in range(n):
        make_case(district, key=f"{key}{k}", residence=municipality, opened_on=day)


def test_activity_by_municipality_and_filter(as_user, built, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TESSERE_DISCLOSURE_THRESHOLD = 5
    a = built.plan.district
    _residents(a, "Lucca", 6, datetime.date(2026, 3, 2), "L")
    _residents(a, "Capannori", 5, datetime.date(2026, 3, 9), "C")
    _residents(a, "Porcari", 2, datetime.date(2026, 4, 9), "P")
    client = as_user("mayor_a")
    url = f"/monitoraggio/{a.code}/cruscotto/"
    page = client.get(url, {"anno": 2026}).content.decode()
    assert "Persone prese in carico per comune di residenza (2026)" in page
    assert '<th scope="row">Lucca</th><td class="num">6</td>' in page
    # Porcari (2) is under the threshold; Capannori (5), the smallest other cell, is hidden
    # with it so that the total (13) does not give it back.
    assert '<th scope="row">Porcari</th><td class="num">sotto soglia</td>' in page
    assert '<th scope="row">Capannori</th><td class="num">sotto soglia</td>' in page
    assert '<th scope="row">Totale</th><td class="num">13</td>' in page
    lucca = a.municipalities.get(name="Lucca").code
    page = client.get(url, {"anno": 2026, "comune": lucca}).content.decode()
    assert "residenti a Lucca" in page
    assert f'<option value="{lucca}" selected>Lucca</option>' in page
    assert '<th scope="row">03/2026</th><td class="num">6</td>' in page
    porcari = a.municipalities.get(name="Porcari").code
    page = client.get(url, {"anno": 2026, "comune": porcari}).content.decode()
    assert '<th scope="row">04/2026</th><td class="num">sotto soglia</td>' in page


def test_municipality_filter_bad_input(as_user, built, districts) -> None:  # type: ignore[no-untyped-def]
    client = as_user("planner_a")
    url = f"/monitoraggio/{built.plan.district.code}/cruscotto/"
    other = districts.b.municipalities.first()
    for value in ("zzz", "999999", other.code):
        response = client.get(url, {"comune": value})
        assert response.status_code == 400
        assert f"Il comune «{value}» non fa parte dell'ambito." in response.content.decode()
    assert client.get(url, {"comune": ""}).status_code == 200


def test_filtered_dashboard_runs_a_fixed_number_of_queries(as_user, districts) -> None:  # type: ignore[no-untyped-def]
    small = build_plan(districts.a, budgets=(100, 200))
    _fill(small, 1)
    large = build_plan(districts.b, budgets=tuple(range(100, 1300, 100)))
    _fill(large, 4)
    for n, town in enumerate(districts.b.municipalities.all()[:4]):
        for k in range(6):
            make_case(districts.b, key=f"Q{n}-{k}", residence=town)
    counts = []
    for built, persona in [(small, "planner_a"), (large, "planner_b")]:
        client = as_user(persona)
        district = built.plan.district
        url = f"/monitoraggio/{district.code}/cruscotto/"
        town = district.municipalities.order_by("name").first().code
        client.get(url)
        with CaptureQueriesContext(connection) as context:
            assert client.get(url, {"anno": 2025, "comune": town}).status_code == 200
        counts.append(len(context))
    assert counts[0] == counts[1]


def test_work_page_queries_do_not_grow_with_measurements_due(as_user, districts) -> None:  # type: ignore[no-untyped-def]
    import time_machine

    small = build_plan(districts.a, budgets=(100, 200))
    _fill(small, 1)
    large = build_plan(districts.b, budgets=tuple(range(100, 1300, 100)))
    _fill(large, 4)
    counts = []
    with time_machine.travel(datetime.datetime(2027, 1, 5, 9, 0, tzinfo=datetime.UTC)):
        for built, persona in [(small, "planner_a"), (large, "planner_b")]:
            client = as_user(persona)
            url = f"/monitoraggio/{built.plan.district.code}/lavoro/"
            client.get(url)
            with CaptureQueriesContext(connection) as context:
                response = client.get(url)
            assert "01/01/2026–31/12/2026" in response.content.decode()  # yearly, 2026 missing
            counts.append(len(context))
    assert counts[0] == counts[1]
