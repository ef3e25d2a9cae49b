from __future__ import annotations

import pytest

from tessere.core.areas import UserArea
from tessere.core.demo import demo_organisation_id
from tessere.directory import demo
from tessere.directory.models import Organisation, Service

pytestmark = pytest.mark.django_db


def test_demo_directory_is_complete_and_idempotent(districts):
    demo.load(districts=[districts.a, districts.b])
    counts = Service.objects.count()
    lines = demo.load(districts=[districts.a, districts.b])
    assert Service.objects.count() == counts
    assert all("0 enti e 0 servizi creati" in line for line in lines)
    for district in (districts.a, districts.b):
        services = Service.objects.filter(district=district, is_published=True)
        assert services.count() >= 40
        areas = {a for s in services for a in s.area_list}
        assert areas == set(UserArea.values)
        assert all(s.is_example and "dati di esempio" in s.description for s in services)
        codes = set(district.municipalities.values_list("code", flat=True))
        assert {c for s in services for c in s.municipality_codes.strip("|").split("|")} <= codes
    cooperative = Organisation.objects.get(
        pk=demo_organisation_id("piana-di-lucca:cooperativa-sociale-il-ponte")
    )
    assert cooperative.district == districts.a and cooperative.runts_id


def test_example_marker_on_the_page(client, districts):
    demo.load(districts=[districts.a])
    service = Service.objects.filter(district=districts.a).first()
    content = client.get(f"/guida/piana-di-lucca/servizi/{service.pk}/").content.decode()
    assert "Dati di esempio" in content
