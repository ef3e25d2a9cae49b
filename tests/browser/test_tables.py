"""A member scores proposals; a citizen reads what became of a contribution. Axe on each page."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tessere.participation import services
from tessere.participation.models import Contribution, Meeting
from tests.browser.test_journey import assert_accessible
from tests.conftest import PASSWORD
from tests.participation.conftest import add_contribution, build_table

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_scores_and_citizen_reads_the_outcome(page, districts):
    world = build_table(districts, phase="prioritisation", title="Tavolo anziani")
    table = world.table
    add_contribution(table, "Orti sociali per anziani")
    add_contribution(table, "Trasporto sociale nelle frazioni")
    accepted = add_contribution(
        table,
        "Rete di vicinato",
        status=Contribution.Status.ACCEPTED,
    )
    services.record_outcome(
        actor=None,
        contribution=accepted,
        source="planning.action:7",
        label="Azione 7: Comunità che si prende cura",
    )
    now = timezone.now()
    meeting = services.schedule_meeting(
        actor=None,
        table=table,
        title="Secondo incontro",
        starts_at=now,
        ends_at=now + datetime.timedelta(hours=2),
        place="Sala del consiglio",
        agenda="Proposte\nCriteri",
    )
    services.record_minutes(actor=None, meeting=meeting, minutes="# Sintesi\n\n- **Fatto**")
    Meeting.objects.filter(pk=meeting.pk).update(minutes_status=Meeting.MinutesStatus.APPROVED)
    base = f"/tavoli/{table.district.code}/{table.pk}/"

    page.goto(f"/accedi/?next={base}valutazione/")
    page.get_by_label("Nome utente").fill("member_t")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_url(f"**{base}valutazione/")
    assert page.get_by_role("heading", level=1).inner_text() == "Valuta le proposte"
    assert_accessible(page)

    from playwright.sync_api import expect

    # The theme's scripts must have finished with the page before the choices are made (on a
    # loaded machine they may still be running after the load event).
    page.wait_for_load_state("networkidle")
    choices = [
        ("Rilevanza di «Orti sociali per anziani»", "5"),
        ("Urgenza di «Orti sociali per anziani»", "4"),
        ("Rilevanza di «Trasporto sociale nelle frazioni»", "2"),
    ]
    for label, value in choices:
        page.get_by_label(label).select_option(value)
    for label, value in choices:
        expect(page.get_by_label(label)).to_have_value(value)
    page.get_by_role("button", name="Salva le valutazioni").click()
    page.wait_for_load_state()
    assert "Valutazioni salvate" in page.content()
    expect(page.get_by_label("Rilevanza di «Orti sociali per anziani»")).to_have_value("5")
    assert_accessible(page)

    page.goto(f"{base}classifica/")
    ranking = page.get_by_test_id("ranking")
    first_row = ranking.locator("tbody tr").first
    assert "Orti sociali per anziani" in first_row.inner_text()
    assert_accessible(page)

    # A citizen, not logged in, follows the table and reads the outcome.
    citizen = page.context.browser.new_context(base_url=page.url.split("/tavoli/")[0])
    visitor = citizen.new_page()
    visitor.goto(base)
    assert_accessible(visitor)
    visitor.get_by_role("link", name="Rete di vicinato").click()
    visitor.wait_for_url(f"**{base}contributi/{accepted.pk}/")
    assert "Accolto" in visitor.get_by_test_id("contribution-status").inner_text()
    outcomes = visitor.get_by_test_id("outcomes").inner_text()
    assert "Azione 7: Comunità che si prende cura" in outcomes
    assert_accessible(visitor)

    visitor.goto(f"/tavoli/{table.district.code}/")
    visitor.get_by_role("link", name="Secondo incontro", exact=False).first.click()
    visitor.wait_for_url(f"**{base}incontri/{meeting.pk}/")
    assert visitor.get_by_test_id("minutes-status").inner_text() == "Approvato"
    assert_accessible(visitor)
    citizen.close()
