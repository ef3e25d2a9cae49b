"""The accountability page of a large plan: every action's progress, the indicators and the
history of one area at a time, in a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tessere.monitoring import accountability, services

pytestmark = pytest.mark.django_db


def _get(client, url):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(context.captured_queries)


def _measure(built) -> None:  # type: ignore[no-untyped-def]
    for action in built.actions:
        item = services.save_indicator(
            actor=None, action=action, name=f"Indicatore {action.code}", unit="persone"
        )
        services.record_measurement(actor=None, indicator=item, date="31/12/2025", value=12)
        services.record_progress(
            actor=None,
            action=action,
            date="30/06/2025",
            status="in_progress",
            percent=40,
            note=f"Nota {action.code}",
        )


def test_large_plan_shows_one_area_at_a_time(client, built, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(accountability, "ALL_DETAILS", 2)
    _measure(built)
    url = f"/monitoraggio/{built.plan.district.code}/"
    page, count = _get(client, url)
    for action in built.actions:
        assert action.title in page
    assert "Indicatore A001" not in page and "Nota A001" not in page
    family = built.areas["famiglia_minori"]
    assert f"?area={family.pk}#area-{family.pk}" in page
    page, count_area = _get(client, f"{url}?area={family.pk}")
    assert "Indicatore A001" in page and "Nota A003" in page  # odd actions: families
    assert "Indicatore A002" not in page and "Nota A004" not in page
    # One area's details add only the contributions its actions answer (one or two queries).
    assert count <= count_area <= count + 2
    page, _count = _get(client, f"{url}?area=nope")
    assert "Indicatore A001" not in page


def test_small_plan_shows_everything(client, built):  # type: ignore[no-untyped-def]
    _measure(built)
    page, _count = _get(client, f"/monitoraggio/{built.plan.district.code}/")
    assert "Indicatore A001" in page and "Indicatore A002" in page and "Nota A004" in page
    assert 'data-testid="areas-note"' not in page


def test_large_plan_shows_the_contributions_answered_with_the_area(  # type: ignore[no-untyped-def]
    client, districts, monkeypatch
):
    """The contributions of the tables an action answers are one of its details: read and
    shown with its area, not for the 200 actions of the overview."""
    from tessere.core.models import User
    from tessere.participation.models import Phase
    from tessere.planning import funding
    from tessere.planning import services as plan_services
    from tessere.planning.models import Plan
    from tests.monitoring.conftest import build_plan
    from tests.participation.conftest import add_contribution, build_table

    monkeypatch.setattr(accountability, "ALL_DETAILS", 2)
    built = build_plan(districts.a, approve=False)
    table = build_table(districts, phase=Phase.Kind.PROPOSALS).table
    contribution = add_contribution(table, "Custode sociale nelle frazioni")
    plan_services.accept_contribution_into_action(
        actor=User.objects.get(username="planner_a"),
        action=built.actions[2],  # A003: families
        contribution=contribution,
    )
    plan = built.plan
    funding.apply_proposal(actor=None, plan=plan)
    plan_services.change_status(actor=None, plan=plan, status=Plan.Status.CONSULTATION)
    plan_services.approve_plan(
        actor=None, plan=plan, act_number="1/2025", act_date=datetime.date(2025, 3, 1)
    )
    plan_services.change_status(actor=None, plan=plan, status=Plan.Status.IN_FORCE)
    url = f"/monitoraggio/{plan.district.code}/"
    page, _count = _get(client, url)
    assert built.actions[2].title in page and "Custode sociale nelle frazioni" not in page
    family = built.areas["famiglia_minori"]
    page, _count = _get(client, f"{url}?area={family.pk}")
    assert 'data-testid="origins-A003"' in page and "Custode sociale nelle frazioni" in page
    other = next(a for key, a in built.areas.items() if key != "famiglia_minori")
    page, _count = _get(client, f"{url}?area={other.pk}")
    assert "Custode sociale nelle frazioni" not in page
