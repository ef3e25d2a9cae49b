"""The HSDS 3.0 read API: every response validates against the published schemas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.directory.conftest import make_service

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


# --- every query parameter of the spec ---------------------------------------------------


def _ndjson(client, url: str, **params: Any) -> list[dict[str, Any]]:
    response = client.get(url, {**params, "format": "ndjson"})
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/x-ndjson")
    body = b"".join(response.streaming_content).decode()
    assert body.endswith("\n") or body == ""
    return [json.loads(line) for line in body.splitlines()]


LIST_PATHS = (
    "/services",
    "/organizations",
    "/service_at_locations",
    "/taxonomies",
    "/taxonomy_terms",
)


@pytest.mark.parametrize("path", LIST_PATHS)
def test_format_ndjson_streams_every_result_without_pages(path, client, directory):
    paged = get(client, f"/api/hsds{path}", per_page=1)
    lines = _ndjson(client, f"/api/hsds{path}", per_page=1, page=2)
    assert len(lines) == paged["total_items"] and len(lines) >= 2
    assert lines[0] == paged["contents"][0]
    # Each line is an item of the page's contents: it validates like one.
    validate(path, {**paged, "contents": lines})
    assert client.get(f"/api/hsds{path}", {"format": "xml"}).status_code == 400
    assert "format" in client.get(f"/api/hsds{path}", {"format": "xml"}).json()["detail"]


def test_ndjson_keeps_the_filters_and_full(client, directory):
    lines = _ndjson(client, "/api/hsds/services", search="caffe", full="true")
    assert [s["name"] for s in lines] == ["Caffè Alzheimer"]
    validate("/services/{id}", lines[0])
    assert _ndjson(client, "/api/hsds/services", search="astronave") == []


def test_organizations_full_and_full_service(client, directory):
    full = get(client, "/api/hsds/organizations", full="true", district="piana-di-lucca")
    validate("/organizations", full)
    by_name = {o["name"]: o for o in full["contents"]}
    assert [s["name"] for s in by_name["Altro ente"]["services"]] == ["Caffè Alzheimer"]
    assert "service_at_locations" not in by_name["Altro ente"]["services"][0]
    nested = get(client, "/api/hsds/organizations", full_service="true")
    validate("/organizations", nested)
    for organisation in nested["contents"]:
        for service in organisation["services"]:
            validate("/services/{id}", service)
            assert service["service_at_locations"]


def test_service_at_locations_full(client, directory):
    body = get(client, "/api/hsds/service_at_locations", full="true")
    validate("/service_at_locations", body)
    for item in body["contents"]:
        validate("/services/{id}", item["service"])
        assert item["service"]["service_at_locations"][0]["id"] == item["id"]


def _placed(directory, name: str, postcode: str, lat: float, lon: float):  # type: ignore[no-untyped-def]
    from tessere.directory import services

    service = make_service(directory.org_a, name)
    municipality = directory.org_a.district.municipalities.order_by("code").first()
    services.set_locations(
        actor=None,
        service=service,
        locations=[
            services.LocationData(
                name=name,
                address="Via Nuova 2",
                municipality_code=municipality.code,
                postal_code=postcode,
                latitude=lat,
                longitude=lon,
            )
        ],
    )
    return service


def test_postcode_and_proximity(client, directory):
    # Two places in 55100 (centroid 43.8400, 10.5000), one 3.3 km north, one 40 km away.
    _placed(directory, "Centro A", "55100", 43.8390, 10.4990)
    _placed(directory, "Centro B", "55100", 43.8410, 10.5010)
    _placed(directory, "Centro vicino", "55012", 43.8700, 10.5000)
    _placed(directory, "Centro lontano", "55041", 43.8400, 10.0000)
    url = "/api/hsds/service_at_locations"
    names = lambda body: [i["service"]["name"] for i in body["contents"]]  # noqa: E731
    assert sorted(names(get(client, url, postcode="55100"))) == ["Centro A", "Centro B"]
    near = get(client, url, postcode="55100", proximity="5000")
    validate("/service_at_locations", near)
    # Nearest first: the three fixture places sit at the centroid (no CAP), then A/B, then 3.3 km.
    assert names(near)[-1] == "Centro vicino" and "Centro lontano" not in names(near)
    assert set(names(near)) >= {"Centro A", "Centro B", "Centro vicino"}
    assert "Centro vicino" not in names(get(client, url, postcode="55100", proximity="1000"))
    assert "Centro lontano" in names(get(client, url, postcode="55100", proximity="50000"))
    assert get(client, url, postcode="00100", proximity="5000")["empty"]
    lines = _ndjson(client, url, postcode="55100", proximity="1000")
    assert {i["service"]["name"] for i in lines} >= {"Centro A", "Centro B"}
    for bad in (
        {"proximity": "5000"},
        {"postcode": "55100", "proximity": "vicino"},
        {"postcode": "55100", "proximity": "-3"},
        {"postcode": "55100", "proximity": "9999999"},
        {"postcode": "Lucca"},
    ):
        response = client.get(url, bad)
        assert response.status_code == 400, bad
        assert response.json()["detail"]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/services", {"full": "true"}),
        ("/services", {"format": "ndjson", "full": "true"}),
        ("/organizations", {"full_service": "true"}),
        ("/organizations", {"full": "true"}),
        ("/service_at_locations", {"full": "true"}),
        ("/service_at_locations", {"postcode": "55100", "proximity": "5000"}),
    ],
)
def test_hsds_list_queries_do_not_grow(
    path, params, client, directory, django_assert_max_num_queries
):
    def fetch() -> None:
        response = client.get(f"/api/hsds{path}", params)
        assert response.status_code == 200
        if params.get("format") == "ndjson":
            b"".join(response.streaming_content)

    fetch()
    for n in range(8):
        _placed(directory, f"Servizio {n}", "55100", 43.84, 10.5)
    with django_assert_max_num_queries(12):
        fetch()
