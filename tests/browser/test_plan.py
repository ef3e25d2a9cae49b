"""A planner opens the district's plan from the menu and funds an action in the allocation
table; every page visited passes axe."""

from __future__ import annotations

import pytest

from tessere.planning.models import Allocation
from tests.browser.test_journey import assert_accessible
from tests.conftest import PASSWORD
from tests.planning.conftest import approve, build_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_planner_funds_an_action_in_the_allocation_table(page):
    from tessere.territory.models import District

    built = build_plan(District.objects.get(code="piana-di-lucca"), allocate=False)
    fund, action = built.funds["FNPS"], built.actions[0]

    page.goto("/accedi/")
    page.get_by_label("Nome utente").fill("planner_a")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_url("**/area-riservata/")

    page.get_by_role("link", name="Piano di Zona").first.click()
    page.wait_for_url("**/piano/ambito/piana-di-lucca/")
    assert_accessible(page)
    page.get_by_role("link", name=built.plan.title).click()
    page.wait_for_url(f"**/piano/{built.plan.pk}/")
    assert_accessible(page)

    page.get_by_role("link", name="Finanziamenti").first.click()
    page.wait_for_url(f"**/piano/{built.plan.pk}/finanziamento/")
    assert page.get_by_test_id("allocated-total").inner_text().startswith("0")
    assert_accessible(page)

    label = f"FNPS per {action.code} nel 2025 (€)"
    page.get_by_label(label).fill("7500")
    page.get_by_label(label).press("Tab")  # live checks (htmx) on the values typed
    page.get_by_text("Verifica sui valori inseriti, non ancora salvati.").wait_for()
    assert not Allocation.objects.filter(plan=built.plan).exists()
    page.get_by_role("button", name="Salva e verifica le regole").click()
    page.wait_for_load_state()
    assert "Tabella dei finanziamenti salvata" in page.content()
    assert page.get_by_test_id("allocated-total").inner_text().startswith("7.500")
    assert "non rispettata" in page.get_by_test_id("checks").inner_text()  # FNPS min share
    assert_accessible(page)
    cell = Allocation.objects.get(plan=built.plan, fund=fund, action=action, year=2025)
    assert cell.amount == 7500

    # The optimiser's proposal, applied, meets every rule.
    page.get_by_role("link", name="Proponi una ripartizione con l'ottimizzatore").click()
    assert_accessible(page)
    page.get_by_role("button", name="Applica la proposta alla tabella").click()
    page.wait_for_url(f"**/piano/{built.plan.pk}/finanziamento/")
    assert "non rispettata" not in page.get_by_test_id("checks").inner_text()


def test_citizen_reads_the_public_plan(page):
    from tessere.territory.models import District

    built = build_plan(District.objects.get(code="piana-di-lucca"))
    approve(built.plan)
    page.goto("/piano/")
    assert_accessible(page)
    page.get_by_role("link", name=f"Zona Distretto Piana di Lucca: {built.plan.title}").click()
    page.wait_for_url(f"**/piano/{built.plan.pk}/pubblico/")
    assert page.get_by_role("heading", name="Famiglia e minori").count() == 1
    assert page.get_by_role("img").count() >= 1
    assert_accessible(page)
    page.get_by_role("link", name=f"A001 {built.actions[0].title}").click()
    assert_accessible(page)
