"""The API: intake, cases, projects, referrals; scoped as the pages."""

from __future__ import annotations

import datetime

import pytest

from tessere.access import services
from tessere.access.models import Contact, Person, Referral
from tests.access.conftest import fiscal_code, verified_client

pytestmark = pytest.mark.django_db


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_intake_by_api(access_world):
    client = verified_client("access_operator_a")
    birth = datetime.date(1985, 4, 3)
    payload = {
        "person": {
            "code": fiscal_code("Interfaccia", "Carla", "F", birth),
            "last_name": "Interfaccia",
            "first_name": "Carla",
            "birth_date": "1985-04-03",
            "sex": "F",
            "birth_municipality": "Lucca",
            "residence_municipality": "Capannori",
        },
        "channel": "phone",
        "area": "famiglia_minori",
        "reason": "Sostegno scolastico",
        "outcome": "referral",
        "service_id": str(access_world.service.pk),
        "request": "Doposcuola",
        "sharing_consent": True,
    }
    response = _post(client, "/api/v1/access/intake", payload)
    assert response.status_code == 201, response.content
    body = response.json()
    person = Person.objects.get(pk=body["person_id"])
    assert person.residence_municipality.name == "Capannori"
    assert Referral.objects.get(pk=body["referral_id"]).status == "sent"
    # The same code again: a clear 409, nothing written.
    before = Contact.objects.count()
    again = _post(client, "/api/v1/access/intake", payload)
    assert again.status_code == 409 and "Esiste già" in again.json()["detail"]
    assert Contact.objects.count() == before
    bad = _post(client, "/api/v1/access/intake", {**payload, "area": "boh", "person_id": None})
    assert bad.status_code in (400, 409)


def test_existing_person_intake_is_404_when_not_readable(access_world):
    client = verified_client("social_worker_a2")
    response = _post(
        client,
        "/api/v1/access/intake",
        {
            "person_id": str(access_world.person.pk),
            "channel": "phone",
            "area": "anziani",
            "reason": "x",
            "outcome": "information",
        },
    )
    assert response.status_code == 404


def test_cases_and_project_by_api(access_world):
    world = access_world
    services.save_project(actor=world.social_worker, case=world.case, general_objectives="Casa")
    services.add_support(actor=world.social_worker, case=world.case, service=world.service)
    client = verified_client("social_worker_a")
    cases = client.get("/api/v1/access/cases").json()
    assert [c["id"] for c in cases] == [str(world.case.pk)]
    detail = client.get(f"/api/v1/access/cases/{world.case.pk}").json()
    assert detail["team"][0]["role"] == "manager"
    assert detail["referrals"][0]["request"] == "Sostegno educativo"
    project = client.get(f"/api/v1/access/cases/{world.case.pk}/project").json()
    assert project["general_objectives"] == "Casa"
    assert project["supports"][0]["provider"] == world.organisation.name


def test_referral_loop_by_api(access_world):
    provider = verified_client("provider_a")
    url = f"/api/v1/access/referrals/{access_world.referral.pk}/status"
    assert _post(provider, url, {"status": "completed"}).status_code == 400
    assert _post(provider, url, {"status": "accepted"}).json()["status"] == "accepted"
    assert _post(provider, url, {"status": "in_progress"}).status_code == 200
    other = verified_client("provider_other")
    assert _post(other, url, {"status": "completed"}).status_code == 404
    done = _post(provider, url, {"status": "completed"}).json()
    assert [e["to_status"] for e in done["events"]] == [
        "sent",
        "accepted",
        "in_progress",
        "completed",
    ]
    # The case manager sees the loop closed.
    worker = verified_client("social_worker_a")
    detail = worker.get(f"/api/v1/access/cases/{access_world.case.pk}").json()
    assert detail["referrals"][0]["status"] == "completed"


def test_team_cancels_by_api(access_world):
    worker = verified_client("social_worker_a")
    url = f"/api/v1/access/referrals/{access_world.referral.pk}/status"
    assert _post(worker, url, {"status": "cancelled"}).json()["status"] == "cancelled"
    assert _post(worker, url, {"status": "sent"}).status_code == 400
