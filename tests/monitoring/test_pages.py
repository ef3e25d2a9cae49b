"""Pages: who sees what, the planner's forms, the CSV import, the public accountability page
and a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tessere.monitoring import services
from tessere.monitoring.models import ActionIndicator, Measurement, ProgressEntry

from .conftest import build_plan


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("no_role", 403),
        ("social_worker_a", 403),
        ("planner_b", 403),
        ("viewer_a", 200),
        ("mayor_a", 200),
        ("planner_a", 200),
    ],
)
def test_work_pages_by_persona(as_user, built, persona, expected) -> None:  # type: ignore[no-untyped-def]
    client = as_user(persona)
    code = built.plan.district.code
    assert client.get(f"/monitoraggio/{code}/lavoro/").status_code == expected
    action = built.actions[0]
    assert client.get(f"/monitoraggio/{code}/lavoro/azioni/{action.pk}/").status_code == expected


def test_public_page_for_everyone(as_user, built) -> None:  # type: ignore[no-untyped-def]
    item = services.save_indicator(
        actor=None,
        action=built.actions[0],
        name="Famiglie seguite",
        unit="famiglie",
        targets={2025: 10},
    )
    services.record_measurement(actor=None, indicator=item, date="31/12/2025", value=12)
    services.record_progress(
        actor=None,
        action=built.actions[0],
        date="30/06/2025",
        status="in_progress",
        percent=40,
        note="Servizio avviato",
    )
    response = as_user("anonymous").get(f"/monitoraggio/{built.plan.district.code}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Famiglie seguite" in page
    assert "Servizio avviato" in page
    assert "obiettivo raggiunto" in page
    assert as_user("anonymous").get("/monitoraggio/").status_code == 200
    assert as_user("anonymous").get("/monitoraggio/reggio-emilia/").status_code == 404


def test_people_counts_below_threshold_are_not_published(as_user, built, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TESSERE_DISCLOSURE_THRESHOLD = 5
    item = services.save_indicator(
        actor=None,
        action=built.actions[0],
        name="Persone in carico",
        unit="persone",
        source=ActionIndicator.Source.PEOPLE_IN_CHARGE,
    )
    services.record_measurement(actor=None, indicator=item, date="31/12/2025", value=3)
    page = as_user("anonymous").get(f"/monitoraggio/{built.plan.district.code}/").content.decode()
    assert "non pubblicato (sotto soglia)" in page


def test_planner_enters_indicator_measurement_and_progress(as_user, built) -> None:  # type: ignore[no-untyped-def]
    client = as_user("planner_a")
    url = f"/monitoraggio/{built.plan.district.code}/lavoro/azioni/{built.actions[0].pk}/"
    response = client.post(
        url,
        {
            "form": "indicator",
            "ind-name": "Ore di assistenza",
            "ind-kind": "output",
            "ind-unit": "ore",
            "ind-frequency": "monthly",
            "ind-target_2025": "100",
            "ind-higher_is_better": "on",
        },
    )
    assert response.status_code == 302
    item = ActionIndicator.objects.get()
    assert item.targets == {"2025": "100.00"}
    client.post(
        url,
        {
            "form": "measurement",
            "mis-indicator": item.pk,
            "mis-date": "31/01/2025",
            "mis-value": "8,5",
        },
    )
    assert Measurement.objects.get().value == 8.5
    response = client.post(
        url,
        {"form": "progress", "av-date": "31/01/2025", "av-status": "completed", "av-percent": 50},
    )
    assert response.status_code == 400
    assert "100%" in response.content.decode()
    assert not ProgressEntry.objects.exists()
    client.post(
        url,
        {"form": "progress", "av-date": "31/01/2025", "av-status": "in_progress", "av-percent": 50},
    )
    assert ProgressEntry.objects.get().percent == 50
    assert as_user("mayor_a").post(url, {"form": "progress"}).status_code == 403


def test_csv_import_page_reports_rows(as_user, built) -> None:  # type: ignore[no-untyped-def]
    item = services.save_indicator(actor=None, action=built.actions[0], name="X", unit="n")
    client = as_user("planner_a")
    url = f"/monitoraggio/{built.plan.district.code}/lavoro/importa/"
    bad = SimpleUploadedFile("m.csv", f"indicatore;data;valore\n{item.pk};31/01/2025;x\n".encode())
    response = client.post(url, {"file": bad}, follow=True)
    assert "riga 2" in response.content.decode()
    assert not Measurement.objects.exists()
    good = SimpleUploadedFile("m.csv", f"indicatore;data;valore\n{item.pk};31/01/2025;4\n".encode())
    response = client.post(url, {"file": good}, follow=True)
    assert "1 misurazioni importate" in response.content.decode()
    assert as_user("viewer_a").post(url, {"file": good}).status_code == 403


def test_spending_form(as_user, built) -> None:  # type: ignore[no-untyped-def]
    client = as_user("planner_a")
    url = f"/monitoraggio/{built.plan.district.code}/lavoro/spesa/"
    client.post(url, {"fund": built.fund.pk, "year": 2025, "amount": "1.500,00"})
    page = client.get(f"/monitoraggio/{built.plan.district.code}/").content.decode()
    assert "1.500\xa0€" in page
    assert "150,0%" in page  # of the 1.000 € allocated in 2025


def _fill(built, n: int) -> None:  # type: ignore[no-untyped-def]
    for action in built.actions:
        for k in range(n):
            item = services.save_indicator(
                actor=None, action=action, name=f"I{k}", unit="n", targets={2025: 5}
            )
            services.record_measurement(
                actor=None, indicator=item, date=datetime.date(2025, 1 + k, 28), value=k
            )
            services.record_progress(
                actor=None,
                action=action,
                date=datetime.date(2025, 1 + k, 1),
                status="in_progress",
                percent=10 * k,
            )


def test_pages_run_a_fixed_number_of_queries(as_user, districts) -> None:  # type: ignore[no-untyped-def]
    small = build_plan(districts.a, budgets=(100, 200))
    _fill(small, 1)
    large = build_plan(districts.b, budgets=tuple(range(100, 1300, 100)))
    _fill(large, 4)
    counts = []
    for built, persona in [(small, "planner_a"), (large, "planner_b")]:
        client = as_user(persona)
        code = built.plan.district.code
        client.get(f"/monitoraggio/{code}/")  # warm the session and caches
        for url in (f"/monitoraggio/{code}/", f"/monitoraggio/{code}/lavoro/"):
            with CaptureQueriesContext(connection) as context:
                assert client.get(url).status_code == 200
            counts.append(len(context))
    assert counts[0] == counts[2]
    assert counts[1] == counts[3]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 302), ("no_role", 403), ("planner_b", 403), ("mayor_a", 200), ("viewer_a", 200)],
)
def test_dashboard_by_persona(as_user, built, persona, expected) -> None:  # type: ignore[no-untyped-def]
    url = f"/monitoraggio/{built.plan.district.code}/cruscotto/"
    assert as_user(persona).get(url).status_code == expected


def test_dashboard_filters_and_charts(as_user, built) -> None:  # type: ignore[no-untyped-def]
    services.record_progress(
        actor=None, action=built.actions[1], date="30/06/2026", status="in_progress", percent=50
    )
    services.set_spending(actor=None, fund=built.fund, year=2026, amount=500)
    client = as_user("mayor_a")
    url = f"/monitoraggio/{built.plan.district.code}/cruscotto/"
    page = client.get(url, {"anno": 2026}).content.decode()
    assert page.count("data:image/svg+xml;base64,") == 2
    assert "50,0%" in page  # FNPS 2026: 500 € spent of 1.000 €
    area = built.areas["famiglia_minori"].pk
    page = client.get(url, {"anno": "2026", "area": area}).content.decode()
    assert "Anziani e non autosufficienza</th>" not in page
    assert "Famiglia e minori</th>" in page
    assert client.get(url, {"anno": "abc", "area": "x"}).status_code == 200


def test_dashboard_runs_a_fixed_number_of_queries(as_user, districts) -> None:  # type: ignore[no-untyped-def]
    small = build_plan(districts.a, budgets=(100, 200))
    _fill(small, 1)
    large = build_plan(districts.b, budgets=tuple(range(100, 1300, 100)))
    _fill(large, 4)
    counts = []
    for built, persona in [(small, "planner_a"), (large, "planner_b")]:
        client = as_user(persona)
        url = f"/monitoraggio/{built.plan.district.code}/cruscotto/"
        client.get(url)
        with CaptureQueriesContext(connection) as context:
            assert client.get(url, {"anno": 2025}).status_code == 200
        counts.append(len(context))
    assert counts[0] == counts[1]
