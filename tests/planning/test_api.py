"""The planning API: public reads once approved, planners' writes, errors, query counts."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tessere.planning.models import Allocation
from tessere.profile.models import Need
from tests.conftest import PERSONAS
from tests.planning.conftest import approve, build_plan

pytestmark = pytest.mark.django_db

API = "/api/v1/planning"
READERS = {"planner_a", "mayor_a", "viewer_a", "multi", "superuser"}
WRITERS = {"planner_a", "multi", "superuser"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_reading_a_draft(as_user, persona, built):
    client = as_user(persona)
    ids = [p["id"] for p in client.get(f"{API}/plans").json()]
    assert (built.plan.pk in ids) == (persona in READERS)
    for suffix in ("", "/objectives", "/actions", "/funds", "/allocations"):
        response = client.get(f"{API}/plans/{built.plan.pk}{suffix}")
        assert response.status_code == (200 if persona in READERS else 404), suffix


@pytest.mark.parametrize("persona", PERSONAS)
def test_reading_an_approved_plan_is_public(as_user, persona, built):
    approve(built.plan)
    client = as_user(persona)
    detail = client.get(f"{API}/plans/{built.plan.pk}").json()
    assert detail["status"] == "approved" and detail["act_number"] == "12/2025"
    actions = client.get(f"{API}/plans/{built.plan.pk}/actions").json()
    assert [a["code"] for a in actions] == ["A001", "A002", "A003"]
    funds = client.get(f"{API}/plans/{built.plan.pk}/funds").json()
    fna = next(f for f in funds if f["code"] == "FNA")
    assert fna["eligible_areas"] == ["disabilita", "anziani"] or set(fna["eligible_areas"]) == {
        "disabilita",
        "anziani",
    }
    assert client.get(f"{API}/plans/{built.plan.pk}/allocations").json()


@pytest.mark.parametrize("persona", PERSONAS)
def test_writing_the_allocations(as_user, persona, built):
    client = as_user(persona)
    body = [{"fund": "FNPS", "action": "A001", "year": 2025, "amount": "1500.00"}]
    response = client.put(
        f"{API}/plans/{built.plan.pk}/allocations",
        data=json.dumps(body),
        content_type="application/json",
    )
    if persona in WRITERS:
        assert response.status_code == 200
        assert Allocation.objects.filter(plan=built.plan).count() == 1
    else:
        assert response.status_code in {401, 403, 404}
        assert Allocation.objects.filter(plan=built.plan).count() > 1


def test_planner_writes_objective_action_fund_and_gets_errors(as_user, built, districts):
    client = as_user("planner_a")
    url = f"{API}/plans/{built.plan.pk}"
    need = Need.objects.create(
        district=built.plan.district, statement="Pochi spazi", area="multiutenza"
    )
    other = Need.objects.create(district=districts.b, statement="Altro ambito", area="anziani")
    response = client.post(
        f"{url}/objectives",
        data={
            "area": "giovani",
            "title": "Spazi per i giovani",
            "priority": 3,
            "needs": [need.pk],
            "indicator_codes": ["IND_GIOVANI"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["needs"] == [need.pk]
    refused = client.post(
        f"{url}/objectives",
        data={"area": "giovani", "title": "Altro", "needs": [other.pk]},
        content_type="application/json",
    )
    assert refused.status_code == 400
    objective = response.json()["id"]
    response = client.post(
        f"{url}/actions",
        data={
            "code": "G1",
            "title": "Centro giovani",
            "objective": objective,
            "costs": {"2025": "30000"},
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    response = client.post(
        f"{url}/funds",
        data={
            "code": "REG",
            "source": "REGIONALE",
            "name": "Fondo regionale",
            "amounts": {"2025": "10000"},
            "eligible_areas": ["giovani"],
            "min_share": {"giovani": "0.5"},
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    bad = client.post(
        f"{url}/actions",
        data={"code": "G2", "title": "X", "objective": objective, "costs": {"2040": "1"}},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "2040" in bad.json()["detail"]
    bad = client.post(
        f"{url}/funds",
        data={
            "code": "X",
            "source": "ALTRO",
            "name": "X",
            "amounts": {},
            "eligible_areas": ["atlantide"],
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and "atlantide" in bad.json()["detail"]
    proposal = client.post(f"{url}/optimise")
    assert proposal.status_code == 200 and proposal.json()["status"] == "optimal"


def test_frozen_plan_refuses_writes(as_user, built):
    approve(built.plan)
    response = as_user("planner_a").put(
        f"{API}/plans/{built.plan.pk}/allocations", data="[]", content_type="application/json"
    )
    assert response.status_code == 400
    assert "non si può più modificare" in response.json()["detail"]


def test_api_queries_do_not_grow(as_user, districts):
    small = build_plan(districts.a, actions=2)
    large = build_plan(districts.a, actions=30, first_year=2028, title="Grande")
    client = as_user("planner_a")
    for suffix in ("", "/objectives", "/actions", "/funds", "/allocations"):
        counts = []
        for built in (small, large):
            with CaptureQueriesContext(connection) as context:
                assert client.get(f"{API}/plans/{built.plan.pk}{suffix}").status_code == 200
            counts.append(len(context.captured_queries))
        assert counts[0] == counts[1], (suffix, counts)
