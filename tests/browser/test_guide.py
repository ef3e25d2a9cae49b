"""A citizen looks for a service on a phone: search, filter, open it; every page axe clean."""

from __future__ import annotations

import pytest

from tessere.directory import demo
from tessere.territory.models import District
from tests.browser.test_journey import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser, live_server, world):  # type: ignore[no-untyped-def]
    demo.load(districts=[District.objects.get(code="piana-di-lucca")])
    context = browser.new_context(
        base_url=live_server.url,
        locale="it-IT",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_citizen_searches_the_guide_on_a_phone(phone):
    page = phone
    page.goto("/guida/")
    assert_accessible(page)
    page.get_by_role("link", name="Zona Distretto Piana di Lucca").click()
    page.wait_for_url("**/guida/piana-di-lucca/")
    assert_accessible(page)

    page.get_by_label("Che cosa cerchi?").fill("anziano")
    page.get_by_label("Area").select_option("anziani")
    page.get_by_role("button", name="Cerca", exact=True).click()
    page.wait_for_url("**q=anziano**")
    results = page.locator(".directory-results h3 a")
    assert results.count() >= 1
    assert "anzian" in results.first.inner_text().lower()
    assert_accessible(page)

    # No horizontal scrolling on a phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390

    results.first.click()
    page.wait_for_url("**/servizi/**")
    assert page.get_by_role("heading", name="Come accedere").count() == 0  # a term, not a heading
    assert page.get_by_text("Che cosa portare").is_visible()
    assert page.get_by_text("Ultima verifica").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Versione da stampare").click()
    page.wait_for_url("**/stampa/")
    assert_accessible(page)


def test_accented_search_and_areas_page(phone):
    page = phone
    page.goto("/guida/piana-di-lucca/?q=caffe")
    assert page.locator(".directory-results h3 a").first.inner_text().startswith("Caffè")
    page.goto("/guida/piana-di-lucca/aree/")
    assert page.get_by_role("heading", name="Anziani").is_visible()
    assert_accessible(page)
