from __future__ import annotations

import pytest

from tests.directory.conftest import make_service

pytestmark = pytest.mark.django_db


def test_search_api(client, directory):
    data = client.get("/api/v1/directory/piana-di-lucca/services", {"q": "anziano"}).json()
    assert data["count"] == 2  # both are in the area "Anziani"; the name match ranks first
    assert data["results"][0]["name"] == "Assistenza domiciliare per anziani"
    data = client.get(
        "/api/v1/directory/piana-di-lucca/services", {"area": "anziani", "age": 30}
    ).json()
    assert [r["name"] for r in data["results"]] == ["Caffè Alzheimer"]
    assert client.get("/api/v1/directory/atlantide/services").status_code == 404
    assert client.get("/api/v1/directory/piana-di-lucca/services", {"age": "x"}).status_code == 422


def test_search_api_queries_do_not_grow(client, directory, django_assert_max_num_queries):
    url = "/api/v1/directory/piana-di-lucca/services"
    client.get(url)
    for n in range(10):
        make_service(directory.org_a, f"Altro servizio {n}")
    with django_assert_max_num_queries(6):
        data = client.get(url).json()
    assert data["count"] == 12
