"""Directory fixtures: the test provider's organisation in district A, and a small directory."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from tessere.core.demo import demo_organisation_id
from tessere.directory import services
from tessere.directory.models import Organisation, Service
from tessere.territory.models import District


def make_service(
    organisation: Organisation, name: str, *, published: bool = True, **values: Any
) -> Service:
    municipality = values.pop("municipality", None)
    defaults: dict[str, Any] = {"areas": ["multiutenza"], "languages": ["it"]}
    defaults.update(values)
    service = services.create_service(actor=None, organisation=organisation, name=name, **defaults)
    district = organisation.district
    code = municipality or district.municipalities.order_by("code").first().code
    services.set_locations(
        actor=None,
        service=service,
        locations=[
            services.LocationData(
                name="Sede",
                address="Via Roma 1",
                municipality_code=code,
                latitude=43.84,
                longitude=10.5,
                hours=[services.OpeningHours(1, datetime.time(9), datetime.time(12))],
            )
        ],
    )
    Service.objects.filter(pk=service.pk).update(is_published=published, verified_at=timezone.now())
    service.refresh_from_db()
    return service


@dataclass
class Directory:
    org_a: Organisation  # the test provider's organisation, district A
    other_a: Organisation  # another organisation of district A
    org_b: Organisation  # an organisation of district B
    service_a: Service
    other_service_a: Service
    service_b: Service


@pytest.fixture
def test_organisation(districts) -> Organisation:  # type: ignore[no-untyped-def]
    """The organisation ``provider_a`` is bound to."""
    return services.create_organisation(
        actor=None,
        district=districts.a,
        id=demo_organisation_id("test"),
        kind=Organisation.Kind.SOCIAL_COOPERATIVE,
        name="Cooperativa di prova",
        tax_code="00000010462",
    )


@pytest.fixture
def directory(districts, test_organisation) -> Directory:  # type: ignore[no-untyped-def]
    other_a = services.create_organisation(
        actor=None, district=districts.a, kind=Organisation.Kind.ASSOCIATION, name="Altro ente"
    )
    org_b = services.create_organisation(
        actor=None, district=districts.b, kind=Organisation.Kind.MUNICIPALITY, name="Comune B"
    )
    return Directory(
        org_a=test_organisation,
        other_a=other_a,
        org_b=org_b,
        service_a=make_service(
            test_organisation,
            "Assistenza domiciliare per anziani",
            areas=["anziani"],
            description="Aiuto a casa per le persone anziane.",
            min_age=65,
        ),
        other_service_a=make_service(
            other_a,
            "Caffè Alzheimer",
            areas=["anziani"],
            description="Incontri per chi assiste un familiare.",
        ),
        service_b=make_service(org_b, "Sportello sociale di Reggio"),
    )


def district_a(districts: Any) -> District:
    return districts.a
