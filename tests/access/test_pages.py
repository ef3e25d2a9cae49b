"""The working screens: intake on one screen, search with duplicates, case actions, exports,
navigation."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse

from tessere.access import services
from tessere.access.models import Case, Contact, Person, Referral
from tessere.core.models import User
from tests.access.conftest import fiscal_code, verified_client

pytestmark = pytest.mark.django_db


def _intake_data(world, **extra):
    birth = datetime.date(1992, 7, 9)
    data = {
        "code_kind": "cf",
        "code": fiscal_code("Modulo", "Franca", "F", birth),
        "last_name": "Modulo",
        "first_name": "Franca",
        "birth_date": "1992-07-09",
        "sex": "F",
        "birth_place": "Lucca",
        "language": "italiano",
        "channel": "in_person",
        "area": "poverta",
        "reason": "Bollette arretrate",
        "outcome": "information",
    }
    data.update(extra)
    return data


def test_intake_of_a_new_person_with_a_case(access_world):
    client = verified_client("access_operator_a")
    assert client.get(reverse("access:intake")).status_code == 200
    response = client.post(
        reverse("access:intake"),
        _intake_data(access_world, outcome="case_opened", manager=access_world.social_worker.pk),
    )
    assert response.status_code == 302
    person = Person.objects.get(last_name="Modulo")
    # The operator is not on the team: the person's page, not the case.
    assert response["Location"] == reverse("access:person_detail", args=[person.pk])
    case = Case.objects.get(person=person)
    assert case.manager == access_world.social_worker
    assert Contact.objects.get(person=person).case == case


def test_intake_with_referral_and_consent(access_world):
    client = verified_client("employment_operator_a")
    response = client.post(
        reverse("access:intake"),
        _intake_data(
            access_world,
            outcome="referral",
            service=access_world.service.pk,
            request="Colloquio",
            sharing_consent="on",
        ),
    )
    assert response.status_code == 302
    referral = Referral.objects.get(person__last_name="Modulo")
    assert referral.organisation == access_world.organisation
    assert referral.consent.purpose == "sharing"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"code": "RSSMRA85D03E715A"}, "Codice fiscale non accettato"),
        ({"birth_date": "1992-07-10"}, "data di nascita"),
        ({"reason": ""}, "obbligatorio"),
        ({"outcome": "referral"}, "scegli il servizio"),
        ({"outcome": "referral", "service": "x"}, "valida"),
        ({"birth_place": "Atlantide"}, "Comune non trovato"),
    ],
)
def test_bad_intake_is_a_clear_400_and_writes_nothing(access_world, change, message):
    client = verified_client("access_operator_a")
    before = (Person.objects.count(), Contact.objects.count())
    response = client.post(reverse("access:intake"), _intake_data(access_world, **change))
    assert response.status_code == 400
    assert message.lower() in response.content.decode().lower()
    assert (Person.objects.count(), Contact.objects.count()) == before


def test_similar_person_needs_confirmation(access_world):
    client = verified_client("access_operator_a")
    data = _intake_data(
        access_world,
        code_kind="internal",
        code="",
        last_name="Esempi",
        first_name="Marta",
        birth_date="1980-05-17",
        birth_place="",
        sex="",
    )
    response = client.post(reverse("access:intake"), data)
    assert response.status_code == 400
    assert "Possibili duplicati" in response.content.decode()
    response = client.post(reverse("access:intake"), {**data, "confirm_new": "on"})
    assert response.status_code == 302


def test_existing_person_intake(access_world):
    client = verified_client("access_operator_a")
    url = reverse("access:intake") + f"?persona={access_world.person.pk}"
    page = client.get(url)
    assert "Esempio Marta" in page.content.decode()
    response = client.post(
        url,
        {
            "person": access_world.person.pk,
            "code_kind": "cf",
            "channel": "phone",
            "area": "anziani",
            "reason": "Informazioni",
            "outcome": "information",
        },
    )
    assert response.status_code == 302
    assert Contact.objects.filter(person=access_world.person).count() == 1


def test_search_warns_of_duplicates(access_world, districts):
    services.create_person(
        actor=access_world.operator,
        district=districts.a,
        data=services.PersonData(
            code_kind="internal",
            code="",
            last_name="Esempio",
            first_name="Martha",
            birth_date=access_world.person.birth_date,
        ),
        allow_similar=True,
    )
    response = verified_client("access_operator_a").get(
        reverse("access:person_search"), {"q": "esempio"}
    )
    html = response.content.decode()
    assert 'data-testid="duplicates-warning"' in html
    assert html.count("possibile duplicato") == 2


def test_case_actions_through_the_page(access_world):
    client = verified_client("social_worker_a")
    case = access_world.case

    def act(action, data):
        return client.post(reverse("access:case_action", args=[case.pk, action]), data)

    levels = {f"level_{d}": "2" for d in ("functioning", "economic", "work")}
    assert (
        act("valutazione", {"kind": "preliminary", "outcome": "social", **levels}).status_code
        == 302
    )
    bad = act("valutazione", {"kind": "in_depth", "outcome": "social", **levels})
    assert bad.status_code == 400 and "sei le dimensioni" in bad.content.decode()
    assert act("progetto", {"general_objectives": "Stabilità"}).status_code == 302
    assert act("risultato", {"description": "Lavoro", "deadline": "2030-01-01"}).status_code == 302
    assert act("impegno", {"description": "Colloqui"}).status_code == 302
    assert act("sostegno", {"service": access_world.service.pk}).status_code == 302
    assert (
        act(
            "sottoscrizione", {"signed_on": datetime.date.today().isoformat(), "signed_by": "M. E."}
        ).status_code
        == 302
    )
    assert act("verifica", {"held_on": "2026-01-01", "outcome": "partial"}).status_code == 302
    assert (
        act(
            "prestazione",
            {
                "service": access_world.service.pk,
                "start": "2026-01-01",
                "quantity": "3",
                "unit": "hours",
                "amount": "90",
            },
        ).status_code
        == 302
    )
    bad = act(
        "prestazione",
        {
            "service": access_world.service.pk,
            "start": "2026-02-01",
            "end": "2026-01-01",
            "quantity": "3",
            "unit": "hours",
        },
    )
    assert bad.status_code == 400 and "precede" in bad.content.decode()
    assert (
        act(
            "invio", {"service": access_world.other_service.pk, "request": "Doposcuola"}
        ).status_code
        == 302
    )
    assert act("sconosciuta", {}).status_code == 404
    page = client.get(reverse("access:case_detail", args=[case.pk])).content.decode()
    assert "sottoscritto" in page and "Doposcuola" in page and "90,00 €" in page
    pdf = client.get(reverse("access:project_pdf", args=[case.pk]))
    pytest.importorskip("weasyprint", reason="WeasyPrint non importabile: PDF non verificato")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert act("chiusura", {"closed_on": datetime.date.today().isoformat()}).status_code == 302
    assert act("impegno", {"description": "tardi"}).status_code == 400


def test_provider_answers_in_the_inbox(access_world):
    client = verified_client("provider_a")
    url = reverse("access:inbox_detail", args=[access_world.referral.pk])
    bad = client.post(url, {"status": "declined", "reason": ""})
    assert bad.status_code == 400 and "motivo" in bad.content.decode()
    illegal = client.post(url, {"status": "completed"})
    assert illegal.status_code == 400
    assert client.post(url, {"status": "accepted"}).status_code == 302
    access_world.referral.refresh_from_db()
    assert access_world.referral.status == "accepted"
    # The case manager sees the loop close.
    page = verified_client("social_worker_a").get(
        reverse("access:case_detail", args=[access_world.case.pk])
    )
    assert "provider_a" in page.content.decode()


def test_delivered_services_csv(access_world):
    from tessere.directory.taxonomy import ensure_loaded, nomenclature_term

    ensure_loaded()
    access_world.service.nomenclature = nomenclature_term("2")
    access_world.service.save(update_fields=["nomenclature"])
    services.record_delivered_service(
        actor=access_world.social_worker,
        case=access_world.case,
        service=access_world.service,
        start=datetime.date(2026, 3, 1),
        end=datetime.date(2026, 3, 31),
        quantity=12,
        unit="hours",
        amount=300,
    )
    response = verified_client("social_worker_a").get(
        reverse("access:delivered_export") + "?anno=2026"
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[0][0] == "codice_ambito" and len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["codice_beneficiario"] == access_world.person.code
    assert row["importo_euro"] == "300.00" and row["data_inizio"] == "2026-03-01"
    # The service travels as its Nomenclatore code, never as Tessere's own identifier.
    assert row["codice_nomenclatore"] == "2" and "id_servizio" not in row
    assert str(access_world.service.pk) not in response.content.decode()
    assert (
        verified_client("access_operator_a").get(reverse("access:delivered_export")).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("social_worker_a", True),
        ("access_operator_a", True),
        ("provider_a", True),
        ("planner_a", True),
        ("viewer_a", False),
        ("no_role", False),
        ("planner_b", True),
        ("anonymous", False),
    ],
)
def test_nav_link(persona, shown, districts):
    client = Client()
    if persona != "anonymous":
        client.force_login(User.objects.get(username=persona))
    html = client.get(reverse("core:home")).content.decode()
    assert (f'href="{reverse("access:home")}"' in html) is shown


def test_household_from_the_person_page(access_world, districts):
    world = access_world
    other = services.create_person(
        actor=world.operator,
        district=districts.a,
        data=services.PersonData(
            code_kind="stp", code="STP0900001234567", last_name="Esempio", first_name="Teo"
        ),
    )
    client = verified_client("access_operator_a")
    url = reverse("access:person_household", args=[world.person.pk])
    assert client.post(url, {"name": "Nucleo Esempio", "relation": "child"}).status_code == 302
    response = client.post(url, {"member_code": other.code, "relation": "child"})
    assert response.status_code == 302
    household = world.person.memberships.get().household
    assert set(household.members.values_list("person__first_name", flat=True)) == {"Marta", "Teo"}
    client.post(url, {"member_code": "STP0000000000000", "relation": "child"})
    assert household.members.count() == 2
    worker = verified_client("social_worker_a")
    response = worker.post(
        reverse("access:case_open", args=[world.person.pk]),
        {"area": "famiglia_minori", "for_household": "1"},
    )
    assert response.status_code == 302
    assert Case.objects.filter(household=household).exists()


def test_csv_cells_are_not_formulas():
    from tessere.access.exports import _cell

    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _cell("Educativa") == "Educativa"


def test_consent_recorded_and_withdrawn_from_the_person_page(access_world):
    world = access_world
    client = verified_client("access_operator_a")
    url = reverse("access:person_consent", args=[world.person.pk])
    assert client.post(url, {"purpose": "employment", "given": "0"}).status_code == 302
    consent = world.person.consents.get(purpose="employment")
    assert consent.given is False
    sharing = world.person.consents.get(purpose="sharing")
    withdraw = reverse("access:consent_withdraw", args=[world.person.pk, sharing.pk])
    assert client.post(withdraw).status_code == 302
    assert client.post(withdraw).status_code == 404
    assert services.sharing_consent(world.person) is None
    outsider = verified_client("social_worker_a2")
    assert outsider.post(url, {"purpose": "sharing", "given": "1"}).status_code == 404


def test_pages_have_no_inline_script_or_style(access_world):
    import re

    world = access_world
    services.save_project(actor=world.social_worker, case=world.case, general_objectives="x")
    pages = {
        "social_worker_a": [
            reverse("access:home"),
            reverse("access:case_list"),
            reverse("access:case_detail", args=[world.case.pk]),
            reverse("access:case_action", args=[world.case.pk, "valutazione"]),
            reverse("access:person_detail", args=[world.person.pk]),
            reverse("access:intake"),
            reverse("access:person_search") + "?q=Esempio",
        ],
        "provider_a": [
            reverse("access:inbox"),
            reverse("access:inbox_detail", args=[world.referral.pk]),
        ],
        "planner_a": [reverse("access:monitoring")],
        "no_role": [reverse("access:enrol")],
    }
    for persona, urls in pages.items():
        client = verified_client(persona) if persona != "no_role" else Client()
        if persona == "no_role":
            client.force_login(User.objects.get(username="no_role"))
        for url in urls:
            html = client.get(url).content.decode()
            assert " style=" not in html, url
            assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
