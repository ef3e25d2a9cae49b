"""The profile through the API and the command line: the same figures as the pages."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from tessere.profile import selectors

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "kind", "code"),
    [
        ("/api/v1/profile/italy", "italy", "it"),
        ("/api/v1/profile/italy/it", "italy", "it"),
        ("/api/v1/profile/region/09", "region", "09"),
        ("/api/v1/profile/province/019", "province", "019"),
        ("/api/v1/profile/district/cremona", "district", "cremona"),
        ("/api/v1/profile/subdistrict/cremona/cremona-nord", "subdistrict", "cremona/cremona-nord"),
        ("/api/v1/profile/municipality/046007", "municipality", "046007"),
    ],
)
def test_every_kind_of_territory(client, path, kind, code):
    response = client.get(path + "?year=2023")
    assert response.status_code == 200
    data = response.json()
    assert (data["kind"], data["code"], data["year"]) == (kind, code, 2023)
    codes = {i["code"] for i in data["indicators"]}
    assert {"popolazione", "indice_vecchiaia", "quota_donne_80", "eta_0_2"} <= codes
    indicator = next(i for i in data["indicators"] if i["code"] == "indice_vecchiaia")
    assert indicator["unit"] and indicator["polarity"] == "higher"
    assert indicator["italy"] is not None
    if kind != "italy":
        assert indicator["region"] is not None


def test_api_equals_the_selector(client):
    data = client.get("/api/v1/profile/district/piana-di-lucca").json()
    profile = selectors.territory_profile(selectors.resolve("district", "piana-di-lucca"))
    api_values = {i["code"]: i["value"] for i in data["indicators"]}
    assert api_values == {row.indicator.code: row.value for row in profile.rows}
    assert len(data["municipalities"]) == 7
    assert data["municipalities"][0]["ranks"]


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/api/v1/profile/district/atlantide", 404, "Territorio non trovato"),
        ("/api/v1/profile/municipality/999999", 404, "Territorio non trovato"),
        ("/api/v1/profile/planet/x", 404, "Tipo di territorio sconosciuto"),
        ("/api/v1/profile/district/cremona?year=1990", 422, "Anno non disponibile"),
        ("/api/v1/profile/district/cremona?year=abc", 422, ""),
        ("/api/v1/profile/italy?year=99999", 422, "Anno non valido"),
    ],
)
def test_api_errors(client, path, status, message):
    response = client.get(path)
    assert response.status_code == status
    assert message in json.dumps(response.json(), ensure_ascii=False)


def test_openapi_documents_the_profile(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/profile/{kind}/{code}" in schema["paths"]
    assert "/api/v1/profile/italy" in schema["paths"]
    operation = schema["paths"]["/api/v1/profile/{kind}/{code}"]["get"]
    assert {"200", "404", "422"} <= set(operation["responses"])
    assert "IndicatorOut" in schema["components"]["schemas"]


def test_api_queries_do_not_grow(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get("/api/v1/profile/district/cremona")
    with django_assert_max_num_queries(8):
        client.get("/api/v1/profile/district/piana-di-lucca")


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("profile", *args, stdout=out)
    return out.getvalue()


def test_command_json(client):
    data = json.loads(_run("municipality:046007", "--year", "2023"))
    api = client.get("/api/v1/profile/municipality/046007?year=2023").json()
    assert data == api


def test_command_plain_italy_and_csv():
    data = json.loads(_run("italy", "--year", "2023"))
    assert data["kind"] == "italy"
    rows = list(csv.DictReader(io.StringIO(_run("district:cremona", "--format", "csv"))))
    assert {r["codice_territorio"] for r in rows} >= {"cremona", "019036", "03", "it"}
    total = next(
        r for r in rows if r["codice_territorio"] == "cremona" and r["indicatore"] == "popolazione"
    )
    parts = [
        int(r["valore"])
        for r in rows
        if r["tipo"] == "municipality" and r["indicatore"] == "popolazione"
    ]
    assert int(total["valore"]) == sum(parts) and len(parts) == 47


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["municipality:999999"], "Territorio non trovato"),
        (["nowhere"], "Territorio non valido"),
        (["italy", "--year", "1990"], "Anno non disponibile"),
    ],
)
def test_command_errors(args, message):
    with pytest.raises(CommandError, match=message):
        _run(*args)
