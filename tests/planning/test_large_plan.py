"""A large plan on the public page: every action listed, the cards area by area; the chart
drawn once per set of numbers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tessere.planning import charts, selectors, views
from tests.planning.conftest import approve, build_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def large(districts, leps, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(views, "PUBLIC_CARDS", 3)
    built = build_plan(districts.a, actions=6)
    approve(built.plan)
    return built


def _get(client, url):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(context.captured_queries)


def test_large_plan_lists_every_action_and_shows_cards_of_one_area(client, large):
    url = reverse("planning:plan_public", args=[large.plan.pk])
    html, _count = _get(client, url)
    for action in large.actions:
        assert action.title in html
        assert reverse("planning:action_detail", args=[large.plan.pk, action.pk]) in html
    assert "Centro per le famiglie" not in html  # no cards: no services
    assert "Descrizione dell&#x27;azione." not in html
    family = large.areas["famiglia_minori"]
    assert f"?area={family.pk}#area-{family.pk}" in html
    html, _count = _get(client, f"{url}?area={family.pk}")
    assert html.count("Descrizione dell&#x27;azione.") == 3  # A001, A003, A005
    assert "Centro per le famiglie" in html and "Torna all'elenco" in html
    for action in large.actions:  # the other area is still listed
        assert action.title in html


def test_large_plan_public_page_runs_a_fixed_number_of_queries(client, large, districts):
    url = reverse("planning:plan_public", args=[large.plan.pk])
    family = large.areas["famiglia_minori"]
    counts = [_get(client, url)[1], _get(client, f"{url}?area={family.pk}")[1]]
    bigger = build_plan(districts.a, actions=12, first_year=2028, title="Piano più grande")
    approve(bigger.plan)
    url = reverse("planning:plan_public", args=[bigger.plan.pk])
    family = bigger.areas["famiglia_minori"]
    assert [_get(client, url)[1], _get(client, f"{url}?area={family.pk}")[1]] == counts


def test_unknown_area_shows_the_list(client, large):
    url = reverse("planning:plan_public", args=[large.plan.pk])
    for bad in ("nope", "999999"):
        html, _count = _get(client, f"{url}?area={bad}")
        assert "Centro per le famiglie" not in html


def test_chart_is_drawn_once_per_set_of_numbers(large):
    data = selectors.plan_data(large.plan, details=False)
    charts._funding_by_area_svg.cache_clear()
    first = charts.funding_by_area(data)
    second = charts.funding_by_area(selectors.plan_data(large.plan, details=False))
    assert first == second and "<title>" in first
    info = charts._funding_by_area_svg.cache_info()
    assert (info.misses, info.hits) == (1, 1)
