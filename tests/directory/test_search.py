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
