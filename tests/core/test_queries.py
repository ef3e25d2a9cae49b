"""Pages run a number of SQL queries that does not grow with the data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tessere.core import services as core_services
from tessere.core.models import Role, User

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_district_page_queries_do_not_grow_with_municipalities(
    client, django_assert_max_num_queries
):
    small = _queries(client, reverse("territory:district_detail", args=["piana-di-lucca"]))  # 7
    large = _queries(client, reverse("territory:district_detail", args=["cremona"]))  # 47
    assert small == large
    with django_assert_max_num_queries(4):
        client.get(reverse("territory:district_detail", args=["cremona"]))


def test_district_list_and_home_queries_do_not_grow(client, districts):
    before_list = _queries(client, reverse("territory:district_list"))
    before_home = _queries(client, reverse("core:home"))
    from tessere.territory import services

    for n, code in enumerate(["046003", "046004", "046009", "046010", "046011"]):
        services.create_district(
            actor=None,
            code=f"extra-{n}",
            name=f"Extra {n}",
            region="09",
            lead=code,
            municipalities=[code],
        )
    assert _queries(client, reverse("territory:district_list")) == before_list
    assert _queries(client, reverse("core:home")) == before_home


def test_audit_log_queries_do_not_grow(as_user, districts, django_assert_max_num_queries):
    client = as_user("planner_a")
    small = _queries(client, reverse("core:audit_log"))
    users = [
        core_services.create_user(actor=None, username=f"u{n}", password="p-a-s-s-2026")
        for n in range(60)
    ]
    for user in users:
        core_services.grant_role(actor=None, user=user, district=districts.a, role=Role.VIEWER)
    assert _queries(client, reverse("core:audit_log")) == small
    with django_assert_max_num_queries(12):
        client.get(reverse("core:audit_log"))


def test_dashboard_queries_do_not_grow_with_roles(as_user, districts):
    client = as_user("multi")
    small = _queries(client, reverse("core:dashboard"))
    user = User.objects.get(username="multi")
    core_services.grant_role(actor=None, user=user, district=districts.b, role=Role.VIEWER)
    core_services.grant_role(actor=None, user=user, district=districts.a, role=Role.MAYOR)
    assert _queries(client, reverse("core:dashboard")) == small
