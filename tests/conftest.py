"""Personas and the small world every test stands on.

The territory of three provinces (Lucca, Reggio Emilia, Cremona) and the three demo districts
are loaded once per test session; each test runs in a transaction rolled back at its end.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from tessere.core import services as core_services
from tessere.core.demo import demo_organisation_id
from tessere.core.models import Role, User
from tessere.territory import demo as territory_demo
from tessere.territory.loader import load_territory
from tessere.territory.models import District

TEST_PROVINCES = territory_demo.DEMO_PROVINCES
PASSWORD = "una-password-di-prova-2026"


def load_world() -> None:
    """Territory, demo districts and personas; idempotent."""
    load_territory(province_codes=TEST_PROVINCES)
    territory_demo.load()
    districts = {d.code: d for d in District.objects.all()}
    a, b, c = districts["piana-di-lucca"], districts["reggio-emilia"], districts["cremona"]
    people = [
        ("planner_a", [(a, Role.PLANNER)]),
        ("mayor_a", [(a, Role.MAYOR)]),
        ("social_worker_a", [(a, Role.SOCIAL_WORKER)]),
        ("access_operator_a", [(a, Role.ACCESS_OPERATOR)]),
        ("employment_operator_a", [(a, Role.EMPLOYMENT_OPERATOR)]),
        ("provider_a", [(a, Role.PROVIDER)]),
        ("viewer_a", [(a, Role.VIEWER)]),
        ("planner_b", [(b, Role.PLANNER)]),
        ("multi", [(a, Role.PLANNER), (c, Role.VIEWER)]),
        ("no_role", []),
    ]
    for username, roles in people:
        user = User.objects.filter(username=username).first() or core_services.create_user(
            actor=None, username=username, password=PASSWORD, email=f"{username}@example.org"
        )
        for district, role in roles:
            core_services.grant_role(
                actor=None,
                user=user,
                district=district,
                role=role,
                organisation_id=demo_organisation_id("test") if role == Role.PROVIDER else None,
            )
    if not User.objects.filter(username="superuser").exists():
        core_services.create_user(
            actor=None, username="superuser", password=PASSWORD, is_superuser=True
        )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        load_world()


@pytest.fixture
def world(db) -> None:  # type: ignore[no-untyped-def]
    """For transactional tests, whose database is emptied after each: load it again."""
    load_world()


@dataclass
class Districts:
    a: District
    b: District
    c: District


@pytest.fixture
def districts(db) -> Districts:  # type: ignore[no-untyped-def]
    return Districts(
        a=District.objects.get(code="piana-di-lucca"),
        b=District.objects.get(code="reggio-emilia"),
        c=District.objects.get(code="cremona"),
    )


PERSONAS = [
    "anonymous",
    "planner_a",
    "mayor_a",
    "social_worker_a",
    "access_operator_a",
    "employment_operator_a",
    "provider_a",
    "viewer_a",
    "planner_b",
    "multi",
    "no_role",
    "superuser",
]


def client_for(username: str) -> Client:
    client = Client()
    if username != "anonymous":
        client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def as_user(db):  # type: ignore[no-untyped-def]
    """``as_user("planner_a")`` gives a logged-in test client."""
    return client_for


@pytest.fixture(autouse=True)
def _fast_settings(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AXES_ENABLED = True
