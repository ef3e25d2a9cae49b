"""Pages and API lists run a number of SQL queries that does not grow with the data."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tessere.participation.models import Contribution, Meeting, Score
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def grow(table, contributions: int, meetings: int) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    Contribution.objects.bulk_create(
        Contribution(
            district_id=table.district_id,
            table=table,
            kind="proposal",
            title=f"Proposta {n}",
            text="Testo",
            author_name=f"Autore {n}",
            support_count=n % 7,
        )
        for n in range(contributions)
    )
    Meeting.objects.bulk_create(
        Meeting(
            district_id=table.district_id,
            table=table,
            title=f"Incontro {n}",
            starts_at=now + datetime.timedelta(days=n - meetings // 2),
            ends_at=now + datetime.timedelta(days=n - meetings // 2, hours=2),
            place="Sala",
            minutes="Verbale",
            minutes_status="approved" if n % 2 else "none",
        )
        for n in range(meetings)
    )


def count(username: str, url: str) -> int:
    client = client_for(username)
    client.get(url)  # warm the session and the user's cached roles
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.mark.parametrize("username", ["anonymous", "member_t", "planner_a"])
def test_table_and_district_pages_do_not_grow(make_table, username):
    world = make_table(phase="prioritisation")
    code, pk = world.table.district.code, world.table.pk
    urls = [
        reverse("participation:table", args=[code, pk]),
        reverse("participation:table", args=[code, pk]) + "?page=2&stato=received",
        reverse("participation:district", args=[code]),
        reverse("participation:meetings", args=[code, pk]),
        f"/api/v1/participation/tables/{pk}/contributions",
        f"/api/v1/participation/tables/{pk}/meetings",
        "/api/v1/participation/tables",
    ]
    grow(world.table, 25, 3)
    small = {url: count(username, url) for url in urls}
    grow(world.table, 150, 40)
    large = {url: count(username, url) for url in urls}
    assert small == large


def test_ranking_and_scoring_pages_do_not_grow(make_table):
    world = make_table(phase="prioritisation")
    code, pk = world.table.district.code, world.table.pk
    criteria = list(world.table.criteria.all())
    urls = [
        reverse("participation:ranking", args=[code, pk]),
        reverse("participation:scoring", args=[code, pk]),
        f"/api/v1/participation/tables/{pk}/ranking",
    ]

    def scored(n: int) -> None:
        grow(world.table, n, 0)
        member = world.table.members.get(user=world.member)
        Score.objects.bulk_create(
            Score(
                district_id=world.table.district_id,
                contribution=c,
                criterion=criterion,
                member=member,
                value=1 + c.pk % 5,
            )
            for c in Contribution.objects.filter(table=world.table, scores__isnull=True)
            for criterion in criteria
        )

    scored(5)
    small = {url: count("member_t", url) for url in urls}
    scored(60)
    large = {url: count("member_t", url) for url in urls}
    assert small == large


def test_table_page_query_budget(make_table, django_assert_max_num_queries):
    world = make_table()
    grow(world.table, 30, 12)
    client = client_for("member_t")
    url = reverse("participation:table", args=[world.table.district.code, world.table.pk])
    client.get(url)
    with django_assert_max_num_queries(20):
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 30
    assert len(response.context["page_obj"].object_list) == 20


def test_scoring_form_names_carry_plain_ids_above_a_thousand(make_table):
    """Ids are written without the Italian thousand separator (1.575 would not be read back)."""
    world = make_table(phase="prioritisation")
    contribution = Contribution.objects.create(
        pk=12_345,
        district_id=world.table.district_id,
        table=world.table,
        kind="proposal",
        title="Orti sociali",
        text="Testo",
        author_name="Autore",
    )
    criterion = world.table.criteria.first()
    url = reverse("participation:scoring", args=[world.table.district.code, world.table.pk])
    client = client_for("member_t")
    html = client.get(url + "?page=2").content.decode()
    if "Orti sociali" not in html:
        html = client.get(url).content.decode()
    name = f"s-{contribution.pk}-{criterion.pk}"
    assert f'name="{name}"' in html
    response = client.post(url, {"page": "1", name: "5"})
    assert response.status_code in (200, 302)
    assert Score.objects.get(contribution=contribution, criterion=criterion).value == 5
