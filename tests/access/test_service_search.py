"""The service field of the access point's forms: a search, never the whole directory."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tessere.access.models import Referral
from tessere.directory.models import Service
from tessere.directory.services import refresh_search
from tests.access.conftest import verified_client
from tests.access.test_pages import _intake_data
from tests.access.test_permissions import PERSONAS, READERS, client_for

pytestmark = pytest.mark.django_db

SUGGESTIONS = reverse("access:service_suggestions")


def _many(world, n: int) -> None:
    for i in range(n):
        Service.objects.create(
            district=world.service.district, organisation=world.organisation, name=f"Mensa {i}"
        )
    _index()


def _index() -> None:
    """Fill the search columns, as the directory's services do on every save."""
    for service in Service.objects.select_related("organisation", "nomenclature"):
        refresh_search(service)


@pytest.fixture(autouse=True)
def _indexed(access_world):  # type: ignore[no-untyped-def]
    _index()


def test_forms_list_no_service_until_a_search(access_world):
    _many(access_world, 30)
    client = verified_client("social_worker_a")
    for url in (
        reverse("access:intake"),
        reverse("access:case_action", args=[access_world.case.pk, "invio"]),
        reverse("access:case_action", args=[access_world.case.pk, "prestazione"]),
    ):
        body = client.get(url).content.decode()
        assert 'name="service_q"' in body and 'name="service"' in body
        assert "Mensa 1" not in body and "Educativa" not in body


def test_suggestions_are_few_and_of_the_district(access_world, districts):
    _many(access_world, 30)
    client = verified_client("social_worker_a")
    body = client.get(SUGGESTIONS, {"service_q": "mensa"}).content.decode()
    assert body.count('<option value="') == 1 + 20  # the empty choice and 20 matches
    assert "primi servizi trovati" in body
    assert "Ente di Reggio" not in body  # "Mensa" of the other district
    body = client.get(SUGGESTIONS, {"service_q": "prova educ"}).content.decode()
    assert "Educativa — Cooperativa di prova" in body and "Doposcuola" not in body
    assert "selected" in body  # a single match is already chosen


@pytest.mark.parametrize("persona", PERSONAS)
def test_suggestions_follow_the_intake_permission(access_world, persona):
    response = client_for(persona).get(SUGGESTIONS, {"service_q": "educativa"})
    if persona in READERS:
        assert response.status_code == 200
        # each reader sees the services of their own district only
        assert ("Educativa" in response.content.decode()) == (persona != "social_worker_b")
    else:
        assert response.status_code in (302, 403)


def test_suggestions_queries_do_not_grow(access_world, django_assert_max_num_queries):
    client = verified_client("social_worker_a")
    client.get(SUGGESTIONS, {"service_q": "mensa"})
    _many(access_world, 60)
    with django_assert_max_num_queries(8):
        assert client.get(SUGGESTIONS, {"service_q": "mensa"}).status_code == 200


def test_without_javascript_one_match_is_taken(access_world):
    client = verified_client("access_operator_a")
    data = _intake_data(
        access_world,
        outcome="referral",
        service_q="educativa",
        request="Colloquio",
        sharing_consent="on",
    )
    assert client.post(reverse("access:intake"), data).status_code == 302
    assert Referral.objects.filter(
        person__last_name="Modulo", service=access_world.service
    ).exists()


def test_without_javascript_many_matches_are_offered(access_world):
    _many(access_world, 3)
    client = verified_client("social_worker_a")
    url = reverse("access:case_action", args=[access_world.case.pk, "invio"])
    before = Referral.objects.count()
    response = client.post(url, {"service_q": "mensa", "request": "Pasti"})
    body = response.content.decode()
    assert response.status_code == 400 and "Più servizi corrispondono" in body
    assert body.count("Mensa ") >= 3 and Referral.objects.count() == before
    chosen = Service.objects.get(name="Mensa 1")
    response = client.post(url, {"service": chosen.pk, "service_q": "mensa", "request": "Pasti"})
    assert response.status_code == 302
    assert Referral.objects.filter(service=chosen).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"service_q": "nulla di simile"}, "Nessun servizio pubblicato"),
        ({"service": "not-a-key"}, "Scelta non valida"),
    ],
)
def test_bad_service_is_a_clear_400(access_world, data, message):
    client = verified_client("social_worker_a")
    url = reverse("access:case_action", args=[access_world.case.pk, "sostegno"])
    response = client.post(url, data)
    assert response.status_code == 400 and message in response.content.decode()


def test_a_service_of_another_district_or_unpublished_is_refused(access_world, districts):
    client = verified_client("social_worker_a")
    url = reverse("access:case_action", args=[access_world.case.pk, "invio"])
    other = Service.objects.get(name="Mensa", district=districts.b)
    response = client.post(url, {"service": other.pk, "request": "Pasti"})
    assert response.status_code == 400 and "Scelta non valida" in response.content.decode()
    Service.objects.filter(pk=access_world.other_service.pk).update(status="closed")
    response = client.post(url, {"service": access_world.other_service.pk, "request": "x"})
    assert response.status_code == 400
