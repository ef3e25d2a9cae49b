"""Fixtures of the access point: organisations and services, extra personas, a case world,
and clients that have passed two-factor verification."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from codicefiscale import codicefiscale
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tessere.access import services
from tessere.access.models import Case, Person, Referral
from tessere.core import services as core_services
from tessere.core.demo import demo_organisation_id
from tessere.core.models import Role, User
from tessere.directory.models import Organisation, Service
from tessere.territory.models import Municipality
from tests.conftest import PASSWORD

OTHER_ORGANISATION_ID = uuid.UUID("0a5e7c1e-0000-4000-8000-000000000001")


def fiscal_code(last: str, first: str, sex: str, birth: datetime.date, place: str = "Lucca") -> str:
    return codicefiscale.encode(
        lastname=last,
        firstname=first,
        gender=sex,
        birthdate=birth.strftime("%d/%m/%Y"),
        birthplace=place,
    )


def verified_client(username: str) -> Client:
    """A client logged in as ``username`` whose session passed two-factor verification."""
    user = User.objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="prova", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def as_verified(db):  # type: ignore[no-untyped-def]
    return verified_client


def _user(username: str, roles: list[tuple[Any, str, uuid.UUID | None]]) -> User:
    user = User.objects.filter(username=username).first() or core_services.create_user(
        actor=None,
        username=username,
        password=PASSWORD,
        first_name=username.replace("_", " ").title(),
        email=f"{username}@example.org",
    )
    for district, role, organisation in roles:
        core_services.grant_role(
            actor=None, user=user, district=district, role=role, organisation_id=organisation
        )
    return user


@dataclass
class AccessWorld:
    organisation: Organisation
    other_organisation: Organisation
    service: Service
    other_service: Service
    service_b: Service
    social_worker: User
    other_social_worker: User
    social_worker_b: User
    operator: User
    provider_other: User
    person: Person
    case: Case
    referral: Referral


@pytest.fixture
def access_world(districts) -> AccessWorld:  # type: ignore[no-untyped-def]
    a, b = districts.a, districts.b
    organisation, _ = Organisation.objects.get_or_create(
        id=demo_organisation_id("test"),
        defaults={"district": a, "kind": "social_cooperative", "name": "Cooperativa di prova"},
    )
    other, _ = Organisation.objects.get_or_create(
        id=OTHER_ORGANISATION_ID,
        defaults={"district": a, "kind": "association", "name": "Associazione di prova"},
    )
    org_b = Organisation.objects.create(district=b, kind="association", name="Ente di Reggio")
    service = Service.objects.create(district=a, organisation=organisation, name="Educativa")
    other_service = Service.objects.create(district=a, organisation=other, name="Doposcuola")
    service_b = Service.objects.create(district=b, organisation=org_b, name="Mensa")
    social_worker = User.objects.get(username="social_worker_a")
    other_social_worker = _user("social_worker_a2", [(a, Role.SOCIAL_WORKER, None)])
    social_worker_b = _user("social_worker_b", [(b, Role.SOCIAL_WORKER, None)])
    provider_other = _user("provider_other", [(a, Role.PROVIDER, OTHER_ORGANISATION_ID)])
    operator = User.objects.get(username="access_operator_a")
    lucca = Municipality.objects.get(name="Lucca")
    birth = datetime.date(1980, 5, 17)
    person = services.create_person(
        actor=operator,
        district=a,
        data=services.PersonData(
            code_kind="cf",
            code=fiscal_code("Esempio", "Marta", "F", birth),
            last_name="Esempio",
            first_name="Marta",
            birth_date=birth,
            sex="F",
            birth_municipality=lucca,
            residence_municipality=lucca,
            phone="0583 000000",
        ),
    )
    services.record_consent(actor=operator, person=person, purpose="sharing")
    case = services.open_case(
        actor=social_worker, person=person, area="famiglia_minori", manager=social_worker
    )
    referral = services.send_referral(
        actor=social_worker, person=person, service=service, request="Sostegno educativo", case=case
    )
    return AccessWorld(
        organisation=organisation,
        other_organisation=other,
        service=service,
        other_service=other_service,
        service_b=service_b,
        social_worker=social_worker,
        other_social_worker=other_social_worker,
        social_worker_b=social_worker_b,
        operator=operator,
        provider_other=provider_other,
        person=person,
        case=case,
        referral=referral,
    )
