"""The API: public reading, member writing per phase, JSON errors, OpenAPI schema."""

from __future__ import annotations

import json

import pytest

from tessere.participation.models import Contribution, Criterion, Table
from tests.conftest import client_for
from tests.participation.conftest import add_contribution

pytestmark = pytest.mark.django_db

BASE = "/api/v1/participation"


def _post(username: str, url: str, payload: object):  # type: ignore[no-untyped-def]
    return client_for(username).post(url, json.dumps(payload), content_type="application/json")


def test_reading_public_and_reserved_tables(make_table):
    public = make_table(title="Aperto")
    reserved = make_table(title="Riservato", visibility=Table.Visibility.RESERVED)
    add_contribution(public.table, "Una proposta")

    anonymous = client_for("anonymous")
    titles = [row["title"] for row in anonymous.get(f"{BASE}/tables").json()["items"]]
    assert "Aperto" in titles and "Riservato" not in titles
    by_district = anonymous.get(f"{BASE}/tables?district=piana-di-lucca").json()
    assert by_district["count"] >= 1
    staff_titles = [
        r["title"] for r in client_for("viewer_a").get(f"{BASE}/tables").json()["items"]
    ]
    assert "Riservato" in staff_titles

    detail = anonymous.get(f"{BASE}/tables/{public.table.pk}").json()
    assert detail["current_phase"] == "proposals"
    assert detail["district"] == "piana-di-lucca"
    assert detail["permissions"]["submit"] is False
    assert len(detail["criteria"]) == 4
    member_view = client_for("member_t").get(f"{BASE}/tables/{public.table.pk}").json()
    assert member_view["permissions"]["submit"] is True

    for username in ["anonymous", "planner_b", "no_role"]:
        response = client_for(username).get(f"{BASE}/tables/{reserved.table.pk}")
        assert response.status_code == 404, username
        assert response.json()["detail"]
        response = client_for(username).get(f"{BASE}/tables/{reserved.table.pk}/contributions")
        assert response.status_code == 404, username
    assert client_for("planner_a").get(f"{BASE}/tables/{reserved.table.pk}").status_code == 200

    rows = anonymous.get(f"{BASE}/tables/{public.table.pk}/contributions").json()
    assert rows["count"] == 1 and rows["items"][0]["title"] == "Una proposta"
    assert anonymous.get(f"{BASE}/tables/{public.table.pk}/meetings").json()["count"] == 0


def test_member_writes_per_phase_with_json_errors(make_table):
    world = make_table(phase="proposals")
    url = f"{BASE}/tables/{world.table.pk}/contributions"
    payload = {"kind": "proposal", "title": "Via API", "text": "Testo", "area": "anziani"}

    assert _post("anonymous", url, payload).status_code == 401
    refused = _post("observer_t", url, payload)
    assert refused.status_code == 403 and "proposte" in refused.json()["detail"]
    bad = _post("member_t", url, {"kind": "wish", "title": "", "text": ""})
    assert bad.status_code == 400 and len(bad.json()["errors"]) == 3
    created = _post("member_t", url, payload)
    assert created.status_code == 201, created.content
    contribution_id = created.json()["id"]
    assert Contribution.objects.filter(title="Via API").count() == 1

    status_url = f"{BASE}/contributions/{contribution_id}/status"
    no_reason = _post("planner_a", status_url, {"status": "rejected"})
    assert no_reason.status_code == 400
    assert _post("member_t", status_url, {"status": "accepted"}).status_code == 403
    done = _post("planner_a", status_url, {"status": "rejected", "reason": "Già previsto."})
    assert done.status_code == 200
    body = client_for("anonymous").get(f"{BASE}/contributions/{contribution_id}").json()
    assert body["status"] == "rejected" and body["status_reason"] == "Già previsto."
    assert [h["to_status"] for h in body["history"]] == ["received", "rejected"]


def test_scores_and_ranking(make_table):
    world = make_table(phase="prioritisation")
    one = add_contribution(world.table, "Uno")
    criterion = Criterion.objects.filter(table=world.table).first()
    url = f"{BASE}/tables/{world.table.pk}/scores"
    payload = [{"contribution": one.pk, "criterion": criterion.pk, "value": 4}]
    assert _post("observer_t", url, payload).status_code == 403
    assert _post("member_t", url, [{**payload[0], "value": 9}]).status_code in (400, 422)
    assert _post("member_t", url, payload).json() == {"written": 1}
    ranking = client_for("anonymous").get(f"{BASE}/tables/{world.table.pk}/ranking").json()
    assert ranking == [
        {
            "rank": 1,
            "tied": False,
            "contribution": one.pk,
            "title": "Uno",
            "score": 4.0,
            "scorers": 1,
        }
    ]


def test_openapi_documents_the_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in [
        f"{BASE}/tables",
        f"{BASE}/tables/{{table_id}}",
        f"{BASE}/tables/{{table_id}}/meetings",
        f"{BASE}/tables/{{table_id}}/contributions",
        f"{BASE}/contributions/{{contribution_id}}",
        f"{BASE}/tables/{{table_id}}/ranking",
    ]:
        assert path in paths, path
    assert "ContributionDetailOut" in schema["components"]["schemas"]


def test_api_write_matrix_over_personas(make_table):
    from tests.conftest import PERSONAS

    world = make_table(phase="proposals")
    url = f"{BASE}/tables/{world.table.pk}/contributions"
    writers = {"coordinator_t", "member_t", "provider_a", "superuser"}
    for username in [*PERSONAS, "coordinator_t", "member_t", "observer_t"]:
        response = _post(username, url, {"kind": "need", "title": username, "text": "Testo"})
        if username == "anonymous":
            assert response.status_code == 401
        else:
            expected = 201 if username in writers else 403
            assert response.status_code == expected, (username, response.content)
    created = set(Contribution.objects.filter(table=world.table).values_list("title", flat=True))
    assert created == writers


def test_dots_supports_and_comments(make_table):
    world = make_table(phase="prioritisation", method=Table.Method.DOTS)
    one = add_contribution(world.table, "Uno")
    url = f"{BASE}/tables/{world.table.pk}/dots"
    assert _post("member_t", url, [{"contribution": one.pk, "points": 9}]).status_code == 400
    done = _post("member_t", url, [{"contribution": one.pk, "points": 4}])
    assert done.json() == {"total": 4, "budget": 5}
    assert _post("observer_t", url, [{"contribution": one.pk, "points": 1}]).status_code == 403
    # Supports belong to the proposals phase; comments are open in prioritisation.
    support = _post("member_t", f"{BASE}/contributions/{one.pk}/supports", {})
    assert support.status_code == 403
    comment = _post("member_t", f"{BASE}/contributions/{one.pk}/comments", {"text": "Bene"})
    assert comment.status_code == 201
    empty = _post("member_t", f"{BASE}/contributions/{one.pk}/comments", {"text": " "})
    assert empty.status_code == 400 and empty.json()["detail"] == "Il commento è vuoto."


def test_a_huge_page_number_is_refused_not_a_server_error(client):
    response = client.get("/api/v1/participation/tables?page=23149358855834599424")
    assert response.status_code == 422
    assert client.get("/api/v1/participation/tables?page=1000000").status_code == 200
