"""Optimistic locking of cases and personalised projects: two workers at once."""

from __future__ import annotations

import re

from django.urls import reverse

from tessere.access import services
from tessere.access.models import Case, PersonalisedProject, TeamMember

API = "/api/v1/access"
CHANGED = "modificato questo elemento"
LEVELS = {f"level_{d}": "2" for d in ("functioning", "economic", "work")}


def _version_in(html: str) -> str:
    match = re.search(r'name="version" value="(\d+)"', html)
    assert match, "the form carries no version"
    return match.group(1)


def _two_workers(world, as_verified):  # type: ignore[no-untyped-def]
    services.add_team_member(
        actor=world.social_worker,
        case=world.case,
        role=TeamMember.Role.SOCIAL_WORKER,
        user=world.other_social_worker,
    )
    return as_verified("social_worker_a"), as_verified("social_worker_a2")


def test_case_page_second_assessment_is_refused(access_world, as_verified):
    world = access_world
    first, second = _two_workers(world, as_verified)
    url = reverse("access:case_action", args=[world.case.pk, "valutazione"])
    v1 = _version_in(first.get(url).content.decode())
    v2 = _version_in(second.get(url).content.decode())
    assert v1 == v2
    ok = first.post(url, {"kind": "preliminary", "outcome": "work", "version": v1, **LEVELS})
    assert ok.status_code == 302
    refused = second.post(
        url, {"kind": "preliminary", "outcome": "social", "version": v2, **LEVELS}
    )
    assert refused.status_code == 409
    page = refused.content.decode()
    assert CHANGED in page and 'data-testid="conflict-reload"' in page
    case = Case.objects.get(pk=world.case.pk)
    assert case.path == "work" and case.assessments.count() == 1
    assert case.version == int(v1) + 1


def test_project_page_second_save_is_refused(access_world, as_verified):
    world = access_world
    first, second = _two_workers(world, as_verified)
    url = reverse("access:case_action", args=[world.case.pk, "progetto"])
    # Creating: both read "no project yet" (version 0); the second create conflicts.
    v1 = _version_in(first.get(url).content.decode())
    v2 = _version_in(second.get(url).content.decode())
    assert v1 == v2 == "0"
    assert first.post(url, {"general_objectives": "Dal primo", "version": v1}).status_code == 302
    refused = second.post(url, {"general_objectives": "Dal secondo", "version": v2})
    assert refused.status_code == 409 and CHANGED in refused.content.decode()
    project = PersonalisedProject.objects.get(case=world.case)
    assert project.general_objectives == "Dal primo"
    # Editing: both read version 1; the second edit conflicts.
    v1 = _version_in(first.get(url).content.decode())
    v2 = _version_in(second.get(url).content.decode())
    assert first.post(url, {"general_objectives": "Rivisto", "version": v1}).status_code == 302
    refused = second.post(url, {"general_objectives": "Sovrascritto", "version": v2})
    assert refused.status_code == 409
    project.refresh_from_db()
    assert project.general_objectives == "Rivisto" and project.version == 2
    assert "Rivisto" in second.get(url).content.decode()


def test_case_api_second_close_gets_409(access_world, as_verified):
    world = access_world
    first, second = _two_workers(world, as_verified)
    version = first.get(f"{API}/cases/{world.case.pk}").json()["version"]
    ok = first.post(
        f"{API}/cases/{world.case.pk}/close",
        data={"closed_on": str(world.case.opened_on), "version": version},
        content_type="application/json",
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["version"] == version + 1
    refused = second.post(
        f"{API}/cases/{world.case.pk}/close",
        data={"version": version},
        content_type="application/json",
    )
    assert refused.status_code == 409
    assert CHANGED in refused.json()["detail"]
    case = Case.objects.get(pk=world.case.pk)
    assert case.status == "closed" and case.closed_on == world.case.opened_on


def test_project_api_second_save_gets_409(access_world, as_verified):
    world = access_world
    first, second = _two_workers(world, as_verified)
    url = f"{API}/cases/{world.case.pk}/project"
    created = first.put(
        url, data={"general_objectives": "Primo", "version": 0}, content_type="application/json"
    )
    assert created.status_code == 200, created.content
    version = second.get(url).json()["version"]
    ok = first.put(
        url,
        data={"general_objectives": "Dal primo", "version": version},
        content_type="application/json",
    )
    assert ok.status_code == 200
    refused = second.put(
        url,
        data={"general_objectives": "Dal secondo", "version": version},
        content_type="application/json",
    )
    assert refused.status_code == 409
    assert CHANGED in refused.json()["detail"]
    assert PersonalisedProject.objects.get(case=world.case).general_objectives == "Dal primo"


def test_other_district_cannot_write_through_the_api(access_world, as_verified):
    world = access_world
    client = as_verified("social_worker_b")
    response = client.put(
        f"{API}/cases/{world.case.pk}/project",
        data={"general_objectives": "X", "version": 0},
        content_type="application/json",
    )
    assert response.status_code in (403, 404)
    assert not PersonalisedProject.objects.filter(case=world.case).exists()
