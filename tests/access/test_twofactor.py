"""Two-factor (TOTP) enrolment and verification for the roles that read persons."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tessere.core.models import User

pytestmark = pytest.mark.django_db


def _token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_enrol_then_verify(districts, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no waiting after the wrong code, in the test
    user = User.objects.get(username="access_operator_a")
    client = Client()
    client.force_login(user)
    target = reverse("access:intake")
    response = client.get(target)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("access:enrol"))
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and 'data-testid="totp-secret"' in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(reverse("access:enrol"), {"token": "000000", "next": target})
    if _token(device) != "000000":
        assert wrong.status_code == 400
        assert "Codice non valido" in wrong.content.decode()
    done = client.post(reverse("access:enrol"), {"token": _token(device), "next": target})
    assert done.status_code == 302 and done["Location"] == target
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(target).status_code == 200

    # A new session must verify again, on the verification page.
    again = Client()
    again.force_login(user)
    response = again.get(target)
    assert response["Location"].startswith(reverse("access:verify"))
    assert again.get(response["Location"]).status_code == 200
    assert again.post(reverse("access:verify"), {"token": "12"}).status_code == 400
    device.last_t = -1  # allow the same time step again in this test
    device.save()
    ok = again.post(reverse("access:verify"), {"token": _token(device), "next": target})
    assert ok.status_code == 302 and ok["Location"] == target
    assert again.get(target).status_code == 200


def test_next_is_not_an_open_redirect(districts):
    user = User.objects.get(username="social_worker_a")
    device = TOTPDevice.objects.create(user=user, name="x", confirmed=True)
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("access:verify"), {"token": _token(device), "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("access:home")


def test_roles_that_do_not_read_persons_are_not_asked(districts):
    client = Client()
    client.force_login(User.objects.get(username="planner_a"))
    assert client.get(reverse("access:monitoring")).status_code == 200
