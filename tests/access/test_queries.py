"""The case list, the case page, the inbox and the search run a number of queries that does
not grow with the data."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tessere.access import services
from tessere.access.models import Dimension
from tessere.core.models import User
from tests.access.conftest import fiscal_code, verified_client

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def _person(world, districts, n):
    birth = datetime.date(1950 + n % 50, 1 + n % 12, 1 + n % 28)
    first = "Volume" + "".join(chr(65 + int(d)) for d in f"{n:03d}")
    return services.create_person(
        actor=world.operator,
        district=districts.a,
        data=services.PersonData(
            code_kind="cf",
            code=fiscal_code("Carico", first, "M", birth),
            last_name="Carico",
            first_name=first,
            birth_date=birth,
            sex="M",
        ),
        allow_similar=True,
    )


def _grow_case(world):
    case, worker = world.case, world.social_worker
    case.refresh_from_db()
    provider = User.objects.get(username="provider_a")
    services.add_team_member(actor=worker, case=case, role="educator", name="Educatrice")
    employment = User.objects.get(username="employment_operator_a")
    if not case.team.filter(user=employment).exists():
        services.add_team_member(actor=worker, case=case, role="employment", user=employment)
    services.add_team_member(
        actor=worker,
        case=case,
        role="third_sector",
        name="Volontario",
        organisation=world.organisation,
    )
    services.add_note(actor=worker, case=case, text="n1")
    services.add_note(actor=worker, case=case, text="n2", confidential=True)
    for kind in ("preliminary", "in_depth"):
        services.record_assessment(
            actor=worker,
            case=case,
            kind=kind,
            outcome="social",
            domains=dict.fromkeys(Dimension.values, (1, "x")),
        )
    if not hasattr(case, "project"):
        services.save_project(actor=worker, case=case, general_objectives="o")
    for n in range(3):
        services.add_expected_result(
            actor=worker, case=case, description=f"r{n}", deadline=datetime.date(2030, 1, 1)
        )
        services.add_commitment(actor=worker, case=case, description=f"c{n}")
        services.add_support(actor=worker, case=case, service=world.other_service)
    for _n in range(3):
        referral = services.send_referral(
            actor=worker, person=case.person, service=world.service, request="r", case=case
        )
        services.transition_referral(actor=provider, referral=referral, to_status="accepted")
        services.record_delivered_service(
            actor=worker,
            case=case,
            service=world.service,
            start=datetime.date(2026, 1, 1),
            quantity=Decimal("2"),
            unit="hours",
            referral=referral,
        )


def test_case_page_queries_do_not_grow(access_world, django_assert_max_num_queries):
    client = verified_client("social_worker_a")
    url = reverse("access:case_detail", args=[access_world.case.pk])
    empty = _count(client, url)
    _grow_case(access_world)  # a project, assessments: a few prefetches more, once
    small = _count(client, url)
    assert small <= empty + 6
    _grow_case(access_world)  # more of everything
    _grow_case(access_world)
    assert _count(client, url) == small
    with django_assert_max_num_queries(30):
        client.get(url)


def test_case_list_queries_do_not_grow(access_world, districts, django_assert_max_num_queries):
    client = verified_client("social_worker_a")
    url = reverse("access:case_list")
    small = _count(client, url)
    worker = access_world.social_worker
    for n in range(30):
        services.open_case(
            actor=worker, person=_person(access_world, districts, n), area="anziani", manager=worker
        )
    assert _count(client, url) == small
    assert _count(client, url + "?page=2") == small
    with django_assert_max_num_queries(15):
        client.get(url)


def test_inbox_and_search_queries_do_not_grow(access_world, districts):
    provider = verified_client("provider_a")
    operator = verified_client("access_operator_a")
    inbox_small = _count(provider, reverse("access:inbox"))
    search_url = reverse("access:person_search") + "?q=Carico"
    _person(access_world, districts, 0)
    search_small = _count(operator, search_url)
    for n in range(1, 25):
        person = _person(access_world, districts, n)
        services.record_consent(actor=access_world.operator, person=person, purpose="sharing")
        services.send_referral(
            actor=access_world.operator, person=person, service=access_world.service, request="x"
        )
    assert _count(provider, reverse("access:inbox")) == inbox_small
    assert _count(operator, search_url) == search_small


def test_api_case_list_queries_do_not_grow(access_world, districts):
    client = verified_client("social_worker_a")
    small = _count(client, "/api/v1/access/cases")
    worker = access_world.social_worker
    for n in range(10):
        services.open_case(
            actor=worker, person=_person(access_world, districts, n), area="anziani", manager=worker
        )
    assert _count(client, "/api/v1/access/cases") == small


def test_person_page_queries_do_not_grow(access_world, districts):
    client = verified_client("access_operator_a")
    url = reverse("access:person_detail", args=[access_world.person.pk])
    small = _count(client, url)
    world = access_world
    for _n in range(5):
        services.record_consent(actor=world.operator, person=world.person, purpose="sharing")
        services.record_intake(
            actor=world.operator,
            district=districts.a,
            person=world.person,
            channel="phone",
            area="anziani",
            reason="x",
            outcome="information",
        )
        services.open_case(
            actor=world.social_worker,
            person=world.person,
            area="anziani",
            manager=world.social_worker,
        )
    assert _count(client, url) == small
