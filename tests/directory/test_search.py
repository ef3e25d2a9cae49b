"""Search in Italian: stemming, accents, ranking, filters (SQLite stems or PostgreSQL FTS)."""

from __future__ import annotations

import pytest

from tessere.directory import selectors, text
from tessere.directory.selectors import SearchFilters
from tests.directory.conftest import make_service

pytestmark = pytest.mark.django_db


def names(district, **filters):
    return [s.name for s in selectors.search_public(district, SearchFilters(**filters))]


def test_stemmer_and_accents():
    assert text.stems("anziano") == text.stems("anziani") == text.stems("Anziane")
    assert text.stems("caffe") == text.stems("caffè") == text.stems("CAFFÈ")
    assert text.stems("servizio") == text.stems("servizi")
    assert text.stems("L'assistenza della famiglia") == ["assistenz", "famigl"]


def test_stemming_finds_plural(directory, districts):
    assert "Assistenza domiciliare per anziani" in names(districts.a, q="anziano")


def test_accents_are_ignored(directory, districts):
    assert names(districts.a, q="caffe") == ["Caffè Alzheimer"]
    assert names(districts.a, q="caffè alzheimer") == ["Caffè Alzheimer"]


def test_ranking_prefers_the_name(directory, districts):
    make_service(
        directory.org_a,
        "Trasporto sociale",
        description="Accompagna anche persone anziane alle visite.",
    )
    found = names(districts.a, q="anziani")
    assert found[0] == "Assistenza domiciliare per anziani"
    assert "Trasporto sociale" in found


def test_only_published_and_own_district(directory, districts):
    make_service(directory.org_a, "Servizio in bozza per anziani", published=False)
    found = names(districts.a, q="anziani")
    assert "Servizio in bozza per anziani" not in found
    assert "Sportello sociale di Reggio" not in names(districts.a)
    assert names(districts.b) == ["Sportello sociale di Reggio"]


def test_no_match(directory, districts):
    assert names(districts.a, q="astronave") == []


def test_filters(directory, districts):
    make_service(
        directory.other_a,
        "Corso di italiano",
        areas=["immigrati"],
        languages=["it", "ar"],
        cost_kind="fixed",
        cost_amount="10",
        accessibility=["step_free", "lift"],
        min_age=16,
        max_age=99,
        municipality="046017",
    )
    a = districts.a
    assert names(a, area="immigrati") == ["Corso di italiano"]
    assert names(a, language="ar") == ["Corso di italiano"]
    assert names(a, cost="fixed") == ["Corso di italiano"]
    assert names(a, accessibility=["step_free", "lift"]) == ["Corso di italiano"]
    assert names(a, accessibility=["braille"]) == []
    assert names(a, kind="social_cooperative") == ["Assistenza domiciliare per anziani"]
    assert "Corso di italiano" not in names(a, age=10)
    assert "Assistenza domiciliare per anziani" not in names(a, age=30)
    assert "Assistenza domiciliare per anziani" in names(a, age=70)
    assert names(a, municipality="046017") == ["Corso di italiano"]
    assert names(a, q="italiano", area="anziani") == []


def test_projects_filter(directory, districts):
    import datetime

    make_service(
        directory.org_a,
        "Progetto estate",
        start_date=datetime.date(2026, 6, 1),
        end_date=datetime.date(2026, 9, 30),
    )
    assert names(districts.a, projects="projects") == ["Progetto estate"]
    assert "Progetto estate" not in names(districts.a, projects="services")


def test_guide_page_search(client, directory):
    response = client.get("/guida/piana-di-lucca/", {"q": "anziano", "area": "anziani"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Assistenza domiciliare per anziani" in content
    assert "<svg" in content


def test_guide_page_bad_filter_is_ignored(client, directory):
    response = client.get("/guida/piana-di-lucca/", {"age": "molti", "area": "marziani"})
    assert response.status_code == 200


def test_htmx_request_gets_only_the_results(client, directory):
    response = client.get("/guida/piana-di-lucca/", {"q": "caffe"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<div id="search-results"')
    assert "Caffè Alzheimer" in content and "<html" not in content


def test_search_page_counts_and_pages_like_the_paginator(directory, districts):
    for n in range(25):
        make_service(directory.org_a, f"Laboratorio per anziani {n:02d}", areas=["anziani"])
    filters = SearchFilters(q="anziani")
    everything = names(districts.a, q="anziani")
    first = selectors.search_page(districts.a, filters, 1, 20)
    assert first.paginator.count == len(everything) == 27
    assert first.paginator.num_pages == 2 and first.has_next()
    assert [s.name for s in first.object_list] == everything[:20]
    second = selectors.search_page(districts.a, filters, "2", 20)
    assert [s.name for s in second.object_list] == everything[20:]
    assert second.start_index() == 21 and not second.has_next()
    # Past the end and nonsense: the last and the first page, as Paginator.get_page does.
    assert selectors.search_page(districts.a, filters, 9, 20).number == 2
    assert selectors.search_page(districts.a, filters, "x", 20).number == 1
    nothing = selectors.search_page(districts.a, SearchFilters(q="astronave"), 3, 20)
    assert nothing.paginator.count == 0 and list(nothing.object_list) == []
    # The page's rows come with their locations: no query per row.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        page = selectors.search_page(districts.a, filters, 1, 20)
        seen = [
            (
                service.organisation.name,
                [i.location.municipality.name for i in service.at_locations.all()],
            )
            for service in page.object_list
        ]
    assert len(seen) == 20
    assert len(context.captured_queries) <= 4
