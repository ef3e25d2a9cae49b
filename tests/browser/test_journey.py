"""A planner who works in two districts logs in, switches district and opens its page."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_accessible(page) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = results.response["violations"]
    summary = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:3])
        for v in violations
    ]
    assert not violations, "\n".join(summary)


def test_login_switch_district_and_open_district_page(page):
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name="Accedi").first.click()
    page.get_by_label("Nome utente").fill("multi")
    page.get_by_label("Password").fill(PASSWORD)
    assert_accessible(page)
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_url("**/area-riservata/")
    current = page.get_by_test_id("current-district")
    # The user starts where a planner, not in Cremona where only a viewer.
    assert current.inner_text() == "Zona Distretto Piana di Lucca"
    assert_accessible(page)

    # The switcher in the header lists the user's districts.
    page.locator("#district-switcher").click()
    switcher = page.locator(".district-switcher")
    switcher.get_by_role("button", name="Ambito distrettuale di Cremona").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("current-district").inner_text() == "Ambito distrettuale di Cremona"
    assert "Ora lavori su Ambito distrettuale di Cremona" in page.content()
    assert_accessible(page)
    page.locator("#district-switcher").click()
    switcher.get_by_role("button", name="Zona Distretto Piana di Lucca").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("current-district").inner_text() == "Zona Distretto Piana di Lucca"

    page.get_by_role("link", name="Il mio ambito").click()
    page.wait_for_url("**/ambiti/piana-di-lucca/")
    assert page.get_by_role("heading", level=1).inner_text() == "Zona Distretto Piana di Lucca"
    assert (
        page.get_by_role("cell", name="Capannori").count()
        + page.get_by_role("rowheader", name="Capannori").count()
        >= 1
    )
    total = page.get_by_test_id("district-total").inner_text()
    assert total.replace(".", "").isdigit() and int(total.replace(".", "")) > 150_000
    assert_accessible(page)
