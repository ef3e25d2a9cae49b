"""Read logging, confidential notes, a person's access log and data export, anonymisation."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from tessere.access import services
from tessere.access.models import Case, CaseNote, Person, Referral
from tessere.core.models import ReadAccessEntry
from tests.access.conftest import verified_client

pytestmark = pytest.mark.django_db


def _reads(obj, username=None):
    entries = ReadAccessEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    )
    if username:
        entries = entries.filter(actor_label=username)
    return entries.count()


def test_every_read_of_a_person_is_logged(access_world):
    world = access_world
    client = verified_client("social_worker_a")
    client.get(reverse("access:case_detail", args=[world.case.pk]))
    assert _reads(world.case, "social_worker_a") == 1
    client.get(reverse("access:person_detail", args=[world.person.pk]))
    assert _reads(world.person, "social_worker_a") == 1
    client.get(reverse("access:case_list"))
    assert _reads(world.case, "social_worker_a") == 2
    client.get(f"/api/v1/access/cases/{world.case.pk}")
    assert _reads(world.case, "social_worker_a") == 3
    operator = verified_client("access_operator_a")
    operator.get(reverse("access:person_search"), {"q": "Esempio"})
    assert _reads(world.person, "access_operator_a") == 1
    provider = verified_client("provider_a")
    provider.get(reverse("access:inbox_detail", args=[world.referral.pk]))
    assert _reads(world.referral, "provider_a") == 1


def test_refused_reads_are_not_logged_and_reveal_nothing(access_world):
    client = verified_client("social_worker_a2")
    response = client.get(reverse("access:case_detail", args=[access_world.case.pk]))
    assert response.status_code == 404
    assert _reads(access_world.case) == 0


def test_confidential_notes_are_hidden_from_the_rest_of_the_team(access_world):
    world = access_world
    services.add_team_member(
        actor=world.social_worker,
        case=world.case,
        role="social_worker",
        user=world.other_social_worker,
    )
    services.add_note(
        actor=world.social_worker, case=world.case, text="Nota segreta", confidential=True
    )
    services.add_note(actor=world.social_worker, case=world.case, text="Nota per tutti")
    url = reverse("access:case_detail", args=[world.case.pk])
    manager_page = verified_client("social_worker_a").get(url).content.decode()
    assert "Nota segreta" in manager_page and "Nota per tutti" in manager_page
    colleague_page = verified_client("social_worker_a2").get(url).content.decode()
    assert "Nota segreta" not in colleague_page and "Nota per tutti" in colleague_page
    assert "1 nota riservata non visibile" in colleague_page
    # The colleague's own confidential note is hidden from nobody but the others.
    services.add_note(
        actor=world.other_social_worker, case=world.case, text="Mia riservata", confidential=True
    )
    assert "Mia riservata" in verified_client("social_worker_a2").get(url).content.decode()
    assert "Mia riservata" in verified_client("social_worker_a").get(url).content.decode()


def test_access_log_and_gdpr_export(access_world):
    world = access_world
    verified_client("social_worker_a").get(reverse("access:case_detail", args=[world.case.pk]))
    client = verified_client("access_operator_a")
    log = client.get(reverse("access:person_access_log", args=[world.person.pk]))
    assert log.status_code == 200
    assert "social_worker_a" in log.content.decode()
    export = client.get(reverse("access:person_export", args=[world.person.pk]))
    assert export.status_code == 200
    assert export["Content-Disposition"].startswith("attachment")
    data = json.loads(export.content)
    assert data["person"]["code"] == world.person.code
    assert data["cases"][0]["id"] == str(world.case.pk)
    assert data["referrals"][0]["request"] == "Sostegno educativo"
    assert data["consents"]
    assert any(r["purpose"] == "art. 15 GDPR" for r in data["reads"]) or _reads(world.person)


def test_anonymise_expired_cases(access_world, settings):
    world = access_world
    services.add_note(actor=world.social_worker, case=world.case, text="Dettagli sensibili")
    Case.objects.filter(pk=world.case.pk).update(opened_on=datetime.date(2009, 1, 1))
    world.case.refresh_from_db()
    services.close_case(
        actor=world.social_worker, case=world.case, closed_on=datetime.date(2010, 1, 1)
    )
    settings.TESSERE_ACCESS_RETENTION_YEARS = 10
    call_command("anonymise_expired")
    case = Case.objects.get(pk=world.case.pk)
    person = Person.objects.get(pk=world.person.pk)
    assert case.anonymised_at is not None
    assert not CaseNote.objects.filter(case=case).exists()
    assert person.anonymised_at is not None
    assert person.last_name == "Anonimo" and "Esempio" not in person.code
    assert person.birth_date == datetime.date(1980, 1, 1)
    assert Referral.objects.get(pk=world.referral.pk).request == "—"
    # Aggregates still count it; the case page no longer exists for anyone.
    response = verified_client("social_worker_a").get(reverse("access:case_detail", args=[case.pk]))
    assert response.status_code == 404
    # A second run finds nothing more.
    assert services.anonymise_expired(years=10) == 0


def test_recent_closed_and_open_cases_are_kept(access_world):
    services.close_case(actor=access_world.social_worker, case=access_world.case)
    assert services.anonymise_expired(years=10) == 0
    assert Person.objects.get(pk=access_world.person.pk).anonymised_at is None
