"""A citizen opens a district's profile, switches the map's indicator and downloads the PDF."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.test_journey import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_open_profile_switch_map_indicator_and_download_pdf(page):
    page.goto("/profilo/ambito/piana-di-lucca/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Profilo di comunità")
    assert page.get_by_test_id("headline-popolazione").inner_text().replace(".", "").isdigit()
    assert (
        "Dati ISTAT elaborati da Openpolis, CC BY 4.0"
        in page.get_by_test_id("data-credit").inner_text()
    )
    assert_accessible(page)

    page.get_by_label("Indicatore mostrato sulla mappa").select_option("indice_vecchiaia")
    page.get_by_role("button", name="Mostra sulla mappa").click()
    page.wait_for_url("**indicator=indice_vecchiaia**")
    image = page.get_by_test_id("map-image")
    assert "indicator=indice_vecchiaia" in (image.get_attribute("src") or "")
    # The map is drawn on the server: wait for the new image to arrive.
    page.wait_for_function(
        "() => { const img = document.querySelector('[data-testid=map-image]');"
        " return img && img.src.includes('indice_vecchiaia') && img.complete"
        " && img.naturalWidth > 0; }"
    )
    table = page.get_by_test_id("map-table")
    assert "Indice di vecchiaia" in table.inner_text()
    assert "Capannori" in table.inner_text()
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_test_id("download-pdf").click()
    path = download_info.value.path()
    assert Path(path).read_bytes().startswith(b"%PDF")

    page.goto("/profilo/comune/046007/")
    assert "Capannori" in page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page)
