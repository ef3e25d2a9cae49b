"""A mayor reads the monitoring dashboard; a citizen reads the accountability page. Every page
visited passes axe."""

from __future__ import annotations

import pytest

from tessere.monitoring import services
from tests.browser.test_journey import assert_accessible
from tests.conftest import PASSWORD
from tests.monitoring.conftest import build_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _monitored_plan():  # type: ignore[no-untyped-def]
    from tessere.territory.models import District

    built = build_plan(District.objects.get(code="piana-di-lucca"))
    indicator = services.save_indicator(
        actor=None,
        action=built.actions[0],
        name="Famiglie accompagnate",
        unit="famiglie",
        baseline=0,
        targets={2025: 20, 2026: 20, 2027: 20},
    )
    services.record_measurement(actor=None, indicator=indicator, date="31/12/2025", value=12)
    services.record_progress(
        actor=None,
        action=built.actions[0],
        date="31/12/2025",
        status="in_progress",
        percent=45,
        note="Sportello aperto in tre comuni.",
    )
    services.set_spending(actor=None, fund=built.fund, year=2025, amount=800)
    return built


def test_mayor_reads_the_dashboard(page):  # type: ignore[no-untyped-def]
    _monitored_plan()
    page.goto("/accedi/")
    page.get_by_label("Nome utente").fill("mayor_a")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_url("**/area-riservata/")
    page.goto("/monitoraggio/piana-di-lucca/cruscotto/?anno=2025")
    page.get_by_role("heading", name="Attuazione del piano per area").wait_for()
    assert page.get_by_role("img").count() >= 2
    assert "80,0%" in page.content()  # FNPS 2025: 800 € of 1.000 €
    assert_accessible(page)
    page.get_by_label("Area").select_option(label="Famiglia e minori")
    page.get_by_role("button", name="Filtra").click()
    page.wait_for_url("**area=*")
    assert_accessible(page)


def test_citizen_reads_the_accountability_page(page):  # type: ignore[no-untyped-def]
    _monitored_plan()
    page.goto("/monitoraggio/")
    page.get_by_role("link", name="Zona Distretto Piana di Lucca").click()
    page.wait_for_url("**/monitoraggio/piana-di-lucca/")
    assert "Famiglie accompagnate" in page.content()
    assert "Sportello aperto in tre comuni." in page.content()
    assert "lontano dall'obiettivo" in page.content()  # 12 of 20: red
    assert_accessible(page)


def test_mayor_filters_by_municipality_and_downloads_the_report(page):  # type: ignore[no-untyped-def]
    _monitored_plan()
    page.goto("/accedi/")
    page.get_by_label("Nome utente").fill("mayor_a")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_url("**/area-riservata/")
    page.goto("/monitoraggio/piana-di-lucca/cruscotto/?anno=2025")
    page.get_by_label("Comune").select_option(label="Lucca")
    page.get_by_role("button", name="Filtra").click()
    page.wait_for_url("**comune=*")
    assert "residenti a Lucca" in page.content()
    assert "Persone prese in carico per comune di residenza (2025)" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Rapporto 2025 (ODT)").click()
    page.get_by_role("link", name="Scarica il rapporto").wait_for()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Scarica il rapporto").click()
    assert download.value.suggested_filename == "rapporto-monitoraggio-piana-di-lucca-2025.odt"
