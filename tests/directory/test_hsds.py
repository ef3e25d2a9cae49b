"""The HSDS 3.0 read API: every response validates against the published schemas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parents[2] / "src/tessere/directory/schemas"
SHARED = Path("/work/shared/hsds-3.0")
REMOTE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


def _load(name: str) -> dict[str, Any]:
    for folder in (SCHEMAS, SHARED):
        if (folder / name).exists():
            return json.loads((folder / name).read_text(encoding="utf-8"))
    raise FileNotFoundError(name)


def _registry() -> Registry:
    service = _load("service.json")
    term = service["properties"]["attributes"]["items"]["properties"]["taxonomy_term"]
    taxonomy = term["properties"]["taxonomy_detail"]
    resources = {
        f"{REMOTE}compiled/{name}.json": _load(f"{name}.json")
        for name in (
            "service",
            "organization",
            "service_list",
            "organization_list",
            "service_at_location",
            "service_at_location_list",
        )
    }
    resources[f"{REMOTE}taxonomy_term.json"] = term
    resources[f"{REMOTE}taxonomy.json"] = taxonomy
    registry = Registry()
    for uri, schema in resources.items():
        registry = registry.with_resource(uri, Resource(schema, specification=DRAFT202012))
    return registry


OPENAPI = _load("openapi.json")
REGISTRY = _registry()


def response_schema(path: str) -> dict[str, Any]:
    """The 200 response schema of ``path`` in the OpenAPI file, with its local refs inlined."""
    operation = OPENAPI["paths"][path]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    if "allOf" in schema:
        page = OPENAPI["components"]["schemas"]["Page"]
        schema = {
            "type": "object",
            "properties": {**page["properties"], **schema["properties"]},
            "required": [*list(page["properties"]), "contents"],
        }
    return schema


def validate(path: str, body: Any) -> None:
    validator = jsonschema.Draft202012Validator(
        response_schema(path),
        registry=REGISTRY,
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(body)]
    assert not errors, "\n".join(errors[:20])


def get(client, url: str, **params: Any) -> Any:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_root(client):
    body = get(client, "/api/hsds/")
    validate("/", body)
    assert body["version"] == "3.0"


def test_services_list_and_detail(client, directory):
    body = get(client, "/api/hsds/services", district="piana-di-lucca")
    validate("/services", body)
    assert body["total_items"] == 2
    assert body["first_page"] and body["last_page"] and not body["empty"]
    names = [s["name"] for s in body["contents"]]
    assert names == ["Assistenza domiciliare per anziani", "Caffè Alzheimer"]
    full = get(client, "/api/hsds/services", full="true")
    validate("/services", full)
    detail = get(client, f"/api/hsds/services/{directory.service_a.pk}")
    validate("/services/{id}", detail)
    assert detail["organization"]["id"] == str(directory.org_a.pk)
    codes = {a["taxonomy_term"]["code"] for a in detail["attributes"]}
    assert "anziani" in codes
    assert detail["service_at_locations"][0]["schedules"][0]["byday"] == "MO"


def test_unpublished_is_not_served(client, directory):
    from tessere.directory.models import Service

    Service.objects.filter(pk=directory.service_a.pk).update(is_published=False)
    assert client.get(f"/api/hsds/services/{directory.service_a.pk}").status_code == 404
    assert client.get("/api/hsds/services/not-a-uuid").status_code == 404


def test_services_filters(client, directory):
    from tessere.directory.taxonomy import AREAS, taxonomy_id, term_id

    body = get(client, "/api/hsds/services", organization_id=str(directory.org_b.pk))
    assert [s["name"] for s in body["contents"]] == ["Sportello sociale di Reggio"]
    body = get(client, "/api/hsds/services", taxonomy_term_id=str(term_id(AREAS, "anziani")))
    assert body["total_items"] == 2
    body = get(client, "/api/hsds/services", taxonomy_id=str(taxonomy_id(AREAS)))
    assert body["total_items"] == 3
    body = get(client, "/api/hsds/services", search="caffe")
    assert [s["name"] for s in body["contents"]] == ["Caffè Alzheimer"]
    body = get(client, "/api/hsds/services", modified_after="2000-01-01T00:00:00Z")
    assert body["total_items"] == 3
    assert client.get("/api/hsds/services", {"modified_after": "ieri"}).status_code == 400
    minimal = get(client, "/api/hsds/services", minimal="true")
    assert set(minimal["contents"][0]) <= {"id", "name", "status", "last_modified"}


def test_pagination(client, directory):
    body = get(client, "/api/hsds/services", per_page=2, page=2)
    validate("/services", body)
    assert body["total_items"] == 3 and body["total_pages"] == 2 and body["size"] == 1
    assert not body["first_page"] and body["last_page"]
    assert client.get("/api/hsds/services", {"page": "0"}).status_code == 400
    assert client.get("/api/hsds/services", {"per_page": "x"}).status_code == 400
    empty = get(client, "/api/hsds/services", search="astronave")
    assert empty["empty"] and empty["contents"] == []


def test_organizations(client, directory):
    body = get(client, "/api/hsds/organizations")
    validate("/organizations", body)
    assert body["total_items"] == 3
    detail = get(client, f"/api/hsds/organizations/{directory.org_a.pk}")
    validate("/organizations/{id}", detail)
    assert detail["services"][0]["id"] == str(directory.service_a.pk)
    full = get(client, f"/api/hsds/organizations/{directory.org_a.pk}", full_service="true")
    validate("/organizations/{id}", full)
    assert full["services"][0]["service_at_locations"]
    identifiers = {i["identifier_type"] for i in detail["organization_identifiers"]}
    assert "Codice fiscale" in identifiers


def test_service_at_locations(client, directory):
    body = get(client, "/api/hsds/service_at_locations")
    validate("/service_at_locations", body)
    assert body["total_items"] == 3
    first = body["contents"][0]
    detail = get(client, f"/api/hsds/service_at_locations/{first['id']}")
    validate("/service_at_locations/{id}", detail["service"] | {"id": detail["service"]["id"]})
    validator = jsonschema.Draft202012Validator(
        REGISTRY.contents(f"{REMOTE}compiled/service_at_location.json"),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    assert not list(validator.iter_errors(detail))
    assert detail["location"]["addresses"][0]["country"] == "IT"


def test_taxonomies(client, directory):
    body = get(client, "/api/hsds/taxonomies")
    validate("/taxonomies", body)
    assert {t["name"] for t in body["contents"]} >= {"Aree di utenza"}
    terms = get(client, "/api/hsds/taxonomy_terms", per_page=100)
    validate("/taxonomy_terms", terms)
    assert any(t["code"] == "anziani" for t in terms["contents"])
    one = get(client, f"/api/hsds/taxonomy_terms/{terms['contents'][0]['id']}")
    validate("/taxonomy_terms/{id}", one)
    tax = get(client, f"/api/hsds/taxonomies/{body['contents'][0]['id']}")
    validate("/taxonomies/{id}", tax)


def test_runts_as_identifier(client, directory):
    from tessere.directory import services

    services.update_organisation(actor=None, organisation=directory.org_a, runts_id="104522")
    detail = get(client, f"/api/hsds/organizations/{directory.org_a.pk}")
    runts = [i for i in detail["organization_identifiers"] if i["identifier_type"] == "RUNTS"]
    assert runts[0]["identifier"] == "104522"
