"""Public guide and staff pages: who sees what, verification queue, reminders, query counts."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tessere.directory import services
from tessere.directory.models import Service
from tests.conftest import PERSONAS
from tests.directory.conftest import make_service

pytestmark = pytest.mark.django_db


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def public_urls(directory):
    s = directory.service_a
    return [
        "/guida/",
        "/guida/piana-di-lucca/",
        "/guida/piana-di-lucca/?q=anziani&area=anziani",
        "/guida/piana-di-lucca/aree/",
        f"/guida/piana-di-lucca/servizi/{s.pk}/",
        f"/guida/piana-di-lucca/servizi/{s.pk}/stampa/",
        f"/guida/piana-di-lucca/enti/{s.organisation_id}/",
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_public_pages_for_everyone(persona, directory, as_user):
    client = as_user(persona)
    for url in public_urls(directory):
        assert client.get(url).status_code == 200, url


def test_service_page_has_what_a_citizen_needs(client, directory):
    content = client.get(f"/guida/piana-di-lucca/servizi/{directory.service_a.pk}/").content
    text = content.decode()
    for fragment in (
        "Come accedere",
        "Che cosa portare",
        "Quanto costa",
        "Dove e quando",
        "Lunedì 09:00–12:00",
        "Ultima verifica",
        "da 65 anni",
    ):
        assert fragment in text, fragment


def test_unpublished_and_other_district_services_are_not_public(client, directory):
    draft = make_service(directory.org_a, "Bozza", published=False)
    assert client.get(f"/guida/piana-di-lucca/servizi/{draft.pk}/").status_code == 404
    b = directory.service_b
    assert client.get(f"/guida/piana-di-lucca/servizi/{b.pk}/").status_code == 404
    assert client.get("/guida/inesistente/").status_code == 404


def test_pdf(client, directory):
    pytest.importorskip("weasyprint", reason="WeasyPrint non importabile: PDF non verificato")
    response = client.get(f"/guida/piana-di-lucca/servizi/{directory.service_a.pk}/pdf/")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    from django.test import RequestFactory

    from tessere.directory import documents, selectors

    request = RequestFactory().get("/")
    service = selectors.public_service(directory.org_a.district, directory.service_a.pk)
    context = {"district": directory.org_a.district, "service": service}
    assert len(documents.service_document(request, context).pages) == 1


STAFF = {
    "planner_a": 200,
    "provider_a": 200,
    "mayor_a": 200,
    "viewer_a": 200,
    "planner_b": 200,
    "no_role": 403,
    "anonymous": 302,
}


@pytest.mark.parametrize("persona, status", STAFF.items())
def test_staff_list(persona, status, directory, as_user):
    response = as_user(persona).get("/guida/gestione/")
    assert response.status_code == status
    if persona == "provider_a":
        content = response.content.decode()
        assert "Assistenza domiciliare per anziani" in content
        assert "Caffè Alzheimer" not in content
    if persona == "planner_b":
        assert "Caffè Alzheimer" not in response.content.decode()


def test_verification_queue_and_da_verificare(directory, as_user, settings):
    settings.TESSERE_DIRECTORY_VERIFY_MONTHS = 6
    old = timezone.now() - datetime.timedelta(days=200)
    Service.objects.filter(pk=directory.other_service_a.pk).update(verified_at=old)
    planner = as_user("planner_a")
    assert "da verificare" in planner.get("/guida/gestione/").content.decode()
    queue = planner.get("/guida/gestione/da-verificare/").content.decode()
    assert "Caffè Alzheimer" in queue and "Assistenza domiciliare" not in queue
    # The provider's queue holds only its own organisation's services.
    assert (
        "Caffè Alzheimer"
        not in as_user("provider_a").get("/guida/gestione/da-verificare/").content.decode()
    )
    response = planner.post(f"/guida/gestione/servizi/{directory.other_service_a.pk}/verifica/")
    assert response.status_code == 302
    service = Service.objects.get(pk=directory.other_service_a.pk)
    assert service.verified_at > old and service.verified_by.username == "planner_a"
    settings.TESSERE_DIRECTORY_VERIFY_MONTHS = 12
    assert "Caffè Alzheimer" not in planner.get("/guida/gestione/da-verificare/").content.decode()


def test_reminders_email_providers(directory, settings):
    Service.objects.filter(pk=directory.service_a.pk).update(verified_at=None)
    call_command("directory_remind")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["provider_a@example.org"]
    assert "Assistenza domiciliare per anziani" in mail.outbox[0].body


def _grow(directory, n: int) -> None:
    for i in range(n):
        make_service(
            directory.org_a if i % 2 else directory.other_a,
            f"Servizio per anziani {i}",
            areas=["anziani", "disabili"],
            municipality="046017" if i % 3 else None,
        )


@pytest.mark.parametrize(
    "url",
    [
        "/guida/piana-di-lucca/",
        "/guida/piana-di-lucca/?q=anziani",
        "/guida/piana-di-lucca/aree/",
        "/api/hsds/services?full=true",
        "/api/hsds/services",
        "/api/hsds/organizations",
        "/api/hsds/service_at_locations",
    ],
)
def test_public_query_counts_do_not_grow(url, client, directory):
    client.get(url)  # warm the per-process cache of reference terms
    small = _count(client, url)
    _grow(directory, 12)
    assert _count(client, url) == small


@pytest.mark.parametrize("url", ["/guida/gestione/", "/guida/gestione/da-verificare/"])
def test_staff_query_counts_do_not_grow(url, as_user, directory):
    client = as_user("planner_a")
    Service.objects.update(verified_at=None)
    small = _count(client, url)
    _grow(directory, 12)
    Service.objects.update(verified_at=None)
    assert _count(client, url) == small


def test_project_dates_must_be_complete(directory):
    from tessere.core.errors import DomainError

    with pytest.raises(DomainError):
        services.update_service(
            actor=None, service=directory.service_a, start_date=datetime.date(2026, 1, 1)
        )


def test_suspended_service_says_so_and_staff_find_the_management(directory, as_user):
    services.update_service(actor=None, service=directory.service_a, status="suspended")
    url = f"/guida/piana-di-lucca/servizi/{directory.service_a.pk}/"
    assert "Servizio al momento sospeso." in as_user("anonymous").get(url).content.decode()
    guide = "/guida/piana-di-lucca/"
    assert "/guida/gestione/" in as_user("planner_a").get(guide).content.decode()
    assert "/guida/gestione/" not in as_user("anonymous").get(guide).content.decode()
