"""A NUL character, which PostgreSQL cannot store or compare, is refused with a 400."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_nul_in_query_form_or_json_is_a_400(as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user("planner_a")
    assert client.get("/api/hsds/organizations?search=a%00b").status_code == 400
    assert client.get("/guida/piana-di-lucca/?q=%00").status_code == 400
    form = "username=a%00b&password=x"
    response = client.post("/accedi/", form, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    response = client.post(
        "/api/v1/participation/tables/1/contributions",
        '{"title": "a\\u0000"}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"]
    assert client.get("/api/hsds/organizations?search=ab").status_code == 200
