from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_districts_list(client):
    data = client.get("/api/v1/territory/districts").json()
    assert {d["code"] for d in data} == {"piana-di-lucca", "reggio-emilia", "cremona"}


def test_district_detail_matches_the_page(client):
    from tessere.territory.models import District
    from tessere.territory.selectors import district_population

    data = client.get("/api/v1/territory/districts/cremona").json()
    assert data["year"] == 2023
    assert len(data["municipalities"]) == 47
    assert data["population"] == sum(m["total"] for m in data["municipalities"])
    assert data["population"] == district_population(District.objects.get(code="cremona")).total


def test_unknown_district_is_404(client):
    response = client.get("/api/v1/territory/districts/atlantide")
    assert response.status_code == 404


def test_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/territory/districts" in schema["paths"]


def test_api_queries_do_not_grow(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get("/api/v1/territory/districts/cremona")
    with django_assert_max_num_queries(4):
        client.get("/api/v1/territory/districts/piana-di-lucca")


def test_domain_errors_become_json_4xx():
    import json

    from django.test import RequestFactory

    from tessere.api.urls import domain_error
    from tessere.core.errors import DomainError, NotFound

    request = RequestFactory().get("/api/v1/")
    response = domain_error(request, DomainError("Regola violata.", details=["riga 2"]))
    assert response.status_code == 400
    assert json.loads(response.content) == {"detail": "Regola violata.", "errors": ["riga 2"]}
    assert domain_error(request, NotFound("Non trovato.")).status_code == 404
