"""Optimistic locking of actions: two planners saving the same action at once."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tessere.core.locking import Conflict
from tessere.planning import services
from tessere.planning.models import Action

API = "/api/v1/planning"
CHANGED = "modificato questo elemento"


def _version_in(html: str) -> str:
    match = re.search(r'name="version" value="(\d+)"', html)
    assert match, "the form carries no version"
    return match.group(1)


def _post(action: Action, title: str, version: str) -> dict[str, object]:
    return {
        "code": action.code,
        "title": title,
        "objective": action.objective_id,
        "kind": "new",
        "cost_2025": "1000",
        "version": version,
    }


def test_second_page_save_is_refused_and_first_kept(as_user, built):
    action = built.actions[0]
    url = reverse("planning:action_edit", args=[built.plan.pk, action.pk])
    first, second = as_user("planner_a"), as_user("multi")
    version_first = _version_in(first.get(url).content.decode())
    version_second = _version_in(second.get(url).content.decode())
    assert version_first == version_second == str(action.version)

    saved = first.post(url, _post(action, "Titolo del primo", version_first))
    assert saved.status_code == 302
    refused = second.post(url, _post(action, "Titolo del secondo", version_second))
    assert refused.status_code == 409
    page = refused.content.decode()
    assert CHANGED in page and 'data-testid="conflict-reload"' in page
    action.refresh_from_db()
    assert action.title == "Titolo del primo"
    assert action.version == int(version_first) + 1
    # Reloading shows the first's values and the new version; saving then works.
    reloaded = second.get(url).content.decode()
    assert "Titolo del primo" in reloaded
    again = second.post(url, _post(action, "Titolo del secondo", _version_in(reloaded)))
    assert again.status_code == 302
    action.refresh_from_db()
    assert action.title == "Titolo del secondo"


def test_stale_delete_is_refused(as_user, built):
    action = built.actions[0]
    url = reverse("planning:action_edit", args=[built.plan.pk, action.pk])
    client = as_user("planner_a")
    stale = str(action.version)
    assert client.post(url, _post(action, "Cambiato", stale)).status_code == 302
    response = client.post(url, {"delete": "1", "version": stale}, follow=True)
    assert CHANGED in response.content.decode()
    assert Action.objects.filter(pk=action.pk).exists()


def test_second_api_save_gets_409(as_user, built):
    action = built.actions[0]
    url = f"{API}/plans/{built.plan.pk}/actions"
    first, second = as_user("planner_a"), as_user("multi")
    read = {a["id"]: a for a in first.get(url).json()}[action.pk]
    version = read["version"]
    body = {
        "code": action.code,
        "objective": action.objective_id,
        "costs": {"2025": "500"},
    }
    ok = first.put(
        f"{url}/{action.pk}",
        data={**body, "title": "Dal primo", "version": version},
        content_type="application/json",
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["version"] == version + 1
    refused = second.put(
        f"{url}/{action.pk}",
        data={**body, "title": "Dal secondo", "version": version},
        content_type="application/json",
    )
    assert refused.status_code == 409
    assert CHANGED in refused.json()["detail"]
    action.refresh_from_db()
    assert action.title == "Dal primo"
    # What the API update leaves alone stays as it was.
    assert action.partners.count() == 1 and action.services.count() == 1


def test_service_claims_the_version_read(built):
    action = built.actions[0]
    stale = Action.objects.get(pk=action.pk)
    services.save_action(
        actor=None,
        plan=built.plan,
        objective=action.objective,
        code=action.code,
        title="Nuovo",
        action=action,
    )
    with pytest.raises(Conflict):
        services.save_action(
            actor=None,
            plan=built.plan,
            objective=stale.objective,
            code=stale.code,
            title="Vecchio",
            action=stale,
        )
    assert Action.objects.get(pk=action.pk).title == "Nuovo"
