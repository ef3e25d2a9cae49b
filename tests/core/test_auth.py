"""Login, logout, lock-out, password change and reset, hashing."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core import mail
from django.urls import reverse

from tessere.core.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_and_logout(client):
    response = client.post(reverse("login"), {"username": "planner_a", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")
    assert "Zona Distretto Piana di Lucca" in client.get(reverse("core:dashboard")).content.decode()
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_wrong_password_gets_a_clear_message(client):
    response = client.post(reverse("login"), {"username": "planner_a", "password": "sbagliata"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "password corretti" in html
    assert "aria-invalid" in html or "alert-danger" in html


def test_lockout_after_repeated_failures(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": "viewer_a", "password": "sbagliata"})
    response = client.post(reverse("login"), {"username": "viewer_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "Accesso temporaneamente bloccato" in response.content.decode()
    # Another account from the same address is not locked.
    ok = client.post(reverse("login"), {"username": "planner_a", "password": PASSWORD})
    assert ok.status_code == 302


def test_passwords_are_hashed_with_argon2():
    # The personas were created with the project's own hashers at session start.
    user = User.objects.get(username="planner_b")
    assert identify_hasher(user.password).algorithm == "argon2"


def test_password_change(as_user):
    client = as_user("viewer_a")
    url = reverse("password_change")
    before = User.objects.get(username="viewer_a").password
    bad = client.post(
        url,
        {"old_password": "no", "new_password1": "Nuova-Password-2026", "new_password2": "x"},
    )
    assert bad.status_code == 200
    assert User.objects.get(username="viewer_a").password == before
    good = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "Nuova-Password-2026",
            "new_password2": "Nuova-Password-2026",
        },
    )
    assert good.status_code == 302
    assert good["Location"] == reverse("password_change_done")
    assert User.objects.get(username="viewer_a").check_password("Nuova-Password-2026")


def test_password_reset_by_email(client):
    response = client.post(reverse("password_reset"), {"email": "mayor_a@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "reimposta la password" in message.subject
    link = re.search(r"http://testserver(/password/reimposta/\S+/)", message.body)
    assert link is not None
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    set_url = form.redirect_chain[-1][0] if form.redirect_chain else link.group(1)
    done = client.post(
        set_url, {"new_password1": "Ancora-Nuova-2026", "new_password2": "Ancora-Nuova-2026"}
    )
    assert done.status_code == 302
    assert User.objects.get(username="mayor_a").check_password("Ancora-Nuova-2026")


def test_password_reset_for_unknown_email_reveals_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nessuno@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 0
