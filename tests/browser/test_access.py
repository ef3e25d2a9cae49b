"""An access-point operator records an intake; a provider answers a referral in its inbox."""

from __future__ import annotations

import datetime

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tessere.access import services
from tessere.core.demo import demo_organisation_id
from tessere.core.models import User
from tessere.directory.models import Organisation, Service
from tessere.territory.models import District
from tests.browser.test_journey import assert_accessible
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEY = "3132333435363738393031323334353637383930"


def _login(page, username: str, next_url: str) -> None:
    page.goto(f"/accedi/?next={next_url}")
    page.get_by_label("Nome utente").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_load_state()


def _service() -> Service:
    district = District.objects.get(code="piana-di-lucca")
    organisation, _ = Organisation.objects.get_or_create(
        id=demo_organisation_id("test"),
        defaults={"district": district, "kind": "social_cooperative", "name": "Cooperativa"},
    )
    return Service.objects.create(
        district=district, organisation=organisation, name="Educativa di prova"
    )


def test_operator_records_an_intake(page):
    _service()
    user = User.objects.get(username="access_operator_a")
    TOTPDevice.objects.create(user=user, name="prova", key=KEY, confirmed=True)
    _login(page, "access_operator_a", "/sportello/accoglienza/")
    page.wait_for_url("**/verifica-in-due-passaggi/**")
    assert_accessible(page)
    page.get_by_label("Codice di 6 cifre dell'app di autenticazione").fill(
        f"{totp(bytes.fromhex(KEY)):06d}"
    )
    page.get_by_role("button", name="Verifica").click()
    page.wait_for_url("**/sportello/accoglienza/")
    assert_accessible(page)
    page.get_by_label("Tipo di codice").select_option("internal")
    page.get_by_label("Cognome", exact=True).fill("Sfoglia")
    page.get_by_label("Nome", exact=True).fill("Ada")
    page.get_by_label("Data di nascita").fill("1988-02-03")
    page.get_by_label("Canale").select_option("phone")
    page.get_by_label("Area").select_option("poverta")
    page.get_by_label("Motivo dell'accesso").fill("Richiesta di informazioni sul sostegno affitto")
    page.get_by_label("Esito").select_option("information")
    page.get_by_role("button", name="Registra l'accesso").click()
    page.wait_for_url("**/sportello/persone/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Sfoglia Ada"
    assert "Accesso registrato." in page.content()
    assert_accessible(page)
    page.goto("/sportello/persone/?q=Sfoglia")
    assert page.get_by_role("link", name="Sfoglia Ada").count() == 1
    assert_accessible(page)


def test_provider_accepts_a_referral(page):
    service = _service()
    district = service.district
    worker = User.objects.get(username="social_worker_a")
    person = services.create_person(
        actor=worker,
        district=district,
        data=services.PersonData(
            code_kind="internal",
            code="",
            last_name="Esempio",
            first_name="Bruno",
            birth_date=datetime.date(1970, 1, 1),
        ),
    )
    services.record_consent(actor=worker, person=person, purpose="sharing")
    services.send_referral(
        actor=worker, person=person, service=service, request="Due pomeriggi alla settimana"
    )
    _login(page, "provider_a", "/sportello/ente/invii/")
    page.wait_for_url("**/sportello/ente/invii/")
    assert_accessible(page)
    page.get_by_role("link", name="Bruno Esempio").click()
    page.wait_for_load_state()
    assert "Due pomeriggi alla settimana" in page.content()
    assert_accessible(page)
    page.get_by_label("Nuovo stato").select_option("accepted")
    page.get_by_role("button", name="Aggiorna").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("referral-status").inner_text() == "accettato"
    assert_accessible(page)


def test_social_worker_case_page_and_planner_monitoring(page):
    service = _service()
    district = service.district
    worker = User.objects.get(username="social_worker_a")
    TOTPDevice.objects.create(user=worker, name="prova", key=KEY, confirmed=True)
    person = services.create_person(
        actor=worker,
        district=district,
        data=services.PersonData(
            code_kind="internal",
            code="",
            last_name="Esempio",
            first_name="Carla",
            birth_date=datetime.date(1981, 6, 1),
        ),
    )
    services.record_consent(actor=worker, person=person, purpose="sharing")
    case = services.open_case(actor=worker, person=person, area="poverta", manager=worker)
    services.record_assessment(
        actor=worker, case=case, kind="preliminary", outcome="social", domains={"work": (2, "x")}
    )
    services.save_project(actor=worker, case=case, general_objectives="Autonomia")
    services.add_support(actor=worker, case=case, service=service)
    services.send_referral(actor=worker, person=person, service=service, request="r", case=case)
    _login(page, "social_worker_a", f"/sportello/casi/{case.pk}/")
    page.get_by_label("Codice di 6 cifre dell'app di autenticazione").fill(
        f"{totp(bytes.fromhex(KEY)):06d}"
    )
    page.get_by_role("button", name="Verifica").click()
    page.wait_for_url(f"**/sportello/casi/{case.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Esempio Carla"
    assert_accessible(page)
    page.get_by_role("link", name="Aggiungi un impegno").click()
    page.get_by_label("Impegno del nucleo").fill("Frequentare il corso")
    page.get_by_role("button", name="Salva").click()
    page.wait_for_url(f"**/sportello/casi/{case.pk}/**")
    assert "Frequentare il corso" in page.content()
    page.goto(f"/sportello/casi/{case.pk}/valutazione/")
    assert_accessible(page)
    page.goto("/sportello/casi/")
    assert_accessible(page)


def test_planner_monitoring(page):
    _login(page, "planner_a", "/sportello/monitoraggio/")
    page.wait_for_url("**/sportello/monitoraggio/")
    assert page.get_by_role("heading", level=1).inner_text() == "Monitoraggio dello sportello"
    assert_accessible(page)


def test_operator_refers_to_a_service_found_by_search(page):
    from tessere.access.models import Referral
    from tessere.directory.services import refresh_search

    service = _service()
    refresh_search(Service.objects.select_related("organisation").get(pk=service.pk))
    user = User.objects.get(username="access_operator_a")
    TOTPDevice.objects.create(user=user, name="prova", key=KEY, confirmed=True)
    _login(page, "access_operator_a", "/sportello/accoglienza/")
    page.wait_for_url("**/verifica-in-due-passaggi/**")
    page.get_by_label("Codice di 6 cifre dell'app di autenticazione").fill(
        f"{totp(bytes.fromhex(KEY)):06d}"
    )
    page.get_by_role("button", name="Verifica").click()
    page.wait_for_url("**/sportello/accoglienza/")
    page.get_by_label("Tipo di codice").select_option("internal")
    page.get_by_label("Cognome", exact=True).fill("Cercata")
    page.get_by_label("Nome", exact=True).fill("Bice")
    page.get_by_label("Data di nascita").fill("1990-04-05")
    page.get_by_label("Area").select_option("poverta")
    page.get_by_label("Motivo dell'accesso").fill("Sostegno educativo per il figlio")
    page.get_by_label("Esito").select_option("referral")
    page.get_by_label("Cerca il servizio per nome o ente").fill("educativa")
    page.locator("#id_service option", has_text="Educativa di prova").wait_for(state="attached")
    assert_accessible(page)
    page.locator("#id_service").select_option(str(service.pk))
    page.get_by_label("Che cosa si chiede all'ente (per un invio)").fill("Un colloquio")
    page.locator("label[for=id_sharing_consent]").click()
    page.get_by_role("button", name="Registra l'accesso").click()
    page.wait_for_url("**/sportello/**/")
    assert Referral.objects.filter(service=service, person__last_name="Cercata").exists()
