"""`tessere setup` and the `tessere` command line."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from tessere.core.models import Membership, User
from tessere.territory.models import District

pytestmark = pytest.mark.django_db


def test_setup_is_idempotent_and_prints_demo_logins(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("setup", province=["046", "035", "019"], stdout=out)
    first = (District.objects.count(), User.objects.count(), Membership.objects.count())
    text = out.getvalue()
    assert "ufficio.piano" in text and "tessere-demo" in text
    assert "piana-di-lucca" in text
    out = StringIO()
    call_command("setup", province=["046", "035", "019"], stdout=out)
    assert (District.objects.count(), User.objects.count(), Membership.objects.count()) == first
    assert "nessuna modifica" in out.getvalue()
    planner = User.objects.get(username="ufficio.piano")
    assert set(planner.memberships.values_list("district__code", "role")) == {
        ("piana-di-lucca", "planner"),
        ("cremona", "viewer"),
    }


def test_setup_without_demo(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("setup", province=["046"], no_demo=True, stdout=out)
    assert "non caricati" in out.getvalue()
    assert not User.objects.filter(username="ufficio.piano").exists()


def test_setup_in_production_loads_no_demo_unless_asked(settings):
    settings.DEBUG = False
    call_command("setup", province=["046"], stdout=StringIO())
    assert not User.objects.filter(username="ufficio.piano").exists()
    call_command("setup", province=["046"], demo=True, stdout=StringIO())
    assert User.objects.filter(username="ufficio.piano").exists()


def test_cli_accepts_dashed_command_names(capsys):
    from tessere.cli import main

    main(["tessere", "district", "list"])
    assert "piana-di-lucca" in capsys.readouterr().out
