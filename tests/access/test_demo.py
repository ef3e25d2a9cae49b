"""Demo data: fictional, clearly marked, idempotent, and usable with two-factor."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

from tessere.access import demo
from tessere.access.models import Case, Person, Referral
from tessere.core import demo as core_demo
from tessere.core.models import User

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_usable(districts):
    core_demo.load()
    lines = demo.load(districts=[districts.a, districts.b])
    assert any("persone di esempio" in line for line in lines)
    counts = (Person.objects.count(), Case.objects.count(), Referral.objects.count())
    assert not any("persone" in line for line in demo.load(districts=[districts.a, districts.b]))
    assert (Person.objects.count(), Case.objects.count(), Referral.objects.count()) == counts
    assert not Person.objects.exclude(notes=demo.DEMO_NOTE).exists()
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert {"sent", "completed", "declined", "no_show"} <= statuses
    assert Case.objects.filter(project__status="signed").exists()

    # The demo social worker passes two-factor with the public demo key.
    client = Client()
    client.force_login(User.objects.get(username="assistente.sociale"))
    key = bytes.fromhex(demo.DEMO_TOTP_KEY_HEX)
    response = client.post(
        reverse("access:verify"),
        {"token": f"{totp(key):06d}", "next": reverse("access:case_list")},
    )
    assert response.status_code == 302
    page = client.get(reverse("access:case_list"))
    assert page.status_code == 200 and "Esempio" in page.content.decode()
    # The provider sees its referrals.
    provider = Client()
    provider.force_login(User.objects.get(username="ente.cooperativa"))
    assert "Educativa domiciliare" in provider.get(reverse("access:inbox")).content.decode()
