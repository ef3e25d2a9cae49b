"""API: reading by planners, mayors and viewers; writing by planners; errors in Italian."""

from __future__ import annotations

import pytest

from tessere.monitoring.models import Measurement, ProgressEntry

API = "/api/v1/monitoring"


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 401), ("no_role", 403), ("planner_b", 403), ("mayor_a", 200), ("viewer_a", 200)],
)
def test_reading(as_user, built, persona, expected) -> None:  # type: ignore[no-untyped-def]
    client = as_user(persona)
    assert client.get(f"{API}/plans/{built.plan.pk}/indicators").status_code == expected
    assert client.get(f"{API}/plans/{built.plan.pk}/progress").status_code == expected


def test_writing_flow(as_user, built) -> None:  # type: ignore[no-untyped-def]
    client = as_user("planner_a")
    action = built.actions[0]
    response = client.post(
        f"{API}/actions/{action.pk}/indicators",
        {"name": "Famiglie", "unit": "famiglie", "targets": {"2025": 10}},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    indicator_id = response.json()["id"]
    response = client.post(
        f"{API}/indicators/{indicator_id}/measurements",
        {"date": "2025-06-30", "value": "7"},
        content_type="application/json",
    )
    assert response.status_code == 201
    response = client.post(
        f"{API}/actions/{action.pk}/progress",
        {"date": "2025-06-30", "status": "completed", "percent": 40},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "100%" in response.json()["errors"][0]
    response = client.post(
        f"{API}/actions/{action.pk}/progress",
        {"date": "2025-06-30", "status": "in_progress", "percent": 40},
        content_type="application/json",
    )
    assert response.status_code == 201
    indicators = client.get(f"{API}/plans/{built.plan.pk}/indicators").json()
    assert indicators[0]["targets"] == {"2025": "10.00"}
    assert indicators[0]["measurements"] == [{"date": "2025-06-30", "value": "7.00"}]
    progress = client.get(f"{API}/plans/{built.plan.pk}/progress").json()
    # Only A001 (budget 300) has 40%; the plan's budget is 3000 (A003 has none).
    assert progress["total"] == pytest.approx(300 * 40 / 3000)
    mayor = as_user("mayor_a")
    refused = mayor.post(
        f"{API}/actions/{action.pk}/progress",
        {"date": "2025-06-30", "status": "in_progress", "percent": 50},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert as_user("planner_b").post(
        f"{API}/indicators/{indicator_id}/measurements",
        {"date": "2025-06-30", "value": "9"},
        content_type="application/json",
    ).status_code in (403, 404)
    assert Measurement.objects.get().value == 7
    assert ProgressEntry.objects.count() == 1
