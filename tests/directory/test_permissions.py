"""Who may change what: providers their own organisation, planners their district."""

from __future__ import annotations

import pytest

from tessere.core.errors import PermissionDenied
from tessere.core.models import AuditEntry, User
from tessere.directory import services
from tessere.directory.models import Service

pytestmark = pytest.mark.django_db

EDIT_MATRIX = {
    # persona: (own organisation's service in A, other organisation's service in A, B's service)
    "planner_a": (True, True, False),
    "provider_a": (True, False, False),
    "planner_b": (False, False, True),
    "multi": (True, True, False),
    "mayor_a": (False, False, False),
    "social_worker_a": (False, False, False),
    "viewer_a": (False, False, False),
    "no_role": (False, False, False),
    "superuser": (True, True, True),
}


@pytest.mark.parametrize("persona, expected", EDIT_MATRIX.items())
def test_change_service_matrix(persona, expected, directory):
    user = User.objects.get(username=persona)
    targets = (directory.service_a, directory.other_service_a, directory.service_b)
    assert tuple(user.has_perm("directory.change_service", s) for s in targets) == expected


@pytest.mark.parametrize("persona, expected", EDIT_MATRIX.items())
def test_edit_page_matrix(persona, expected, directory, as_user):
    client = as_user(persona)
    for service, allowed in zip(
        (directory.service_a, directory.other_service_a, directory.service_b),
        expected,
        strict=True,
    ):
        status = client.get(f"/guida/gestione/servizi/{service.pk}/").status_code
        # (The superuser has no district to work in, so no current district either.)
        if (
            allowed
            and persona != "superuser"
            and service.district_id == directory.org_a.district_id
        ):
            assert status == 200, (persona, service.name)
        elif persona == "superuser" or not allowed:
            # Outside the current district or not allowed: never the edit form.
            assert status in (302, 403, 404), (persona, service.name, status)


def test_provider_cannot_update_another_organisations_service(directory):
    provider = User.objects.get(username="provider_a")
    with pytest.raises(PermissionDenied):
        services.update_service(actor=provider, service=directory.other_service_a, name="X")
    assert Service.objects.get(pk=directory.other_service_a.pk).name == "Caffè Alzheimer"


def test_provider_cannot_move_a_service_to_another_organisation(directory):
    provider = User.objects.get(username="provider_a")
    with pytest.raises(PermissionDenied):
        services.update_service(
            actor=provider, service=directory.service_a, organisation=directory.other_a
        )


def test_provider_updates_own_service_and_it_is_audited(directory):
    provider = User.objects.get(username="provider_a")
    services.update_service(actor=provider, service=directory.service_a, capacity=12)
    entry = AuditEntry.objects.filter(object_id=str(directory.service_a.pk)).latest("pk")
    assert entry.actor == provider and entry.changes["capacity"] == [None, 12]


def test_planner_b_cannot_touch_district_a(directory):
    planner_b = User.objects.get(username="planner_b")
    with pytest.raises(PermissionDenied):
        services.update_service(actor=planner_b, service=directory.service_a, name="X")
    with pytest.raises(PermissionDenied):
        services.set_published(actor=planner_b, service=directory.service_a, published=False)


def test_only_planners_publish(directory, as_user):
    url = f"/guida/gestione/servizi/{directory.service_a.pk}/pubblica/"
    assert as_user("provider_a").post(url, {"publish": "0"}).status_code == 403
    assert Service.objects.get(pk=directory.service_a.pk).is_published
    assert as_user("planner_a").post(url, {"publish": "0"}).status_code == 302
    assert not Service.objects.get(pk=directory.service_a.pk).is_published
    assert as_user("planner_b").post(url, {"publish": "1"}).status_code == 404
    assert not Service.objects.get(pk=directory.service_a.pk).is_published


def test_provider_edits_through_the_page(directory, as_user):
    client = as_user("provider_a")
    url = f"/guida/gestione/servizi/{directory.service_a.pk}/"
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["name"] = "Assistenza domiciliare rinnovata"
    data["location_hours"] = "lun-mer 9:00-12:30"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    service = Service.objects.get(pk=directory.service_a.pk)
    assert service.name == "Assistenza domiciliare rinnovata"
    schedules = service.at_locations.get().schedules.all()
    assert [s.weekday for s in schedules] == [1, 2, 3]
    # The provider cannot pick another organisation in the form.
    data["organisation"] = str(directory.other_a.pk)
    assert client.post(url, data).status_code == 400


def test_bad_input_gives_italian_errors_and_writes_nothing(directory, as_user):
    client = as_user("planner_a")
    url = f"/guida/gestione/servizi/{directory.service_a.pk}/"
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(min_age="80", max_age="10", location_hours="lunedì dalle nove")
    before = AuditEntry.objects.count()
    response = client.post(url, data)
    assert response.status_code == 400
    content = response.content.decode()
    assert "non è un orario" in content
    data["location_hours"] = ""
    response = client.post(url, data)
    assert "L&#x27;età minima supera l&#x27;età massima" in response.content.decode()
    assert AuditEntry.objects.count() == before


def test_new_service_by_provider(directory, as_user):
    client = as_user("provider_a")
    response = client.post(
        "/guida/gestione/servizi/nuovo/",
        {
            "organisation": str(directory.org_a.pk),
            "name": "Nuovo laboratorio",
            "status": "active",
            "areas": ["disabili"],
            "cost_kind": "free",
            "languages": ["it"],
        },
    )
    assert response.status_code == 302
    service = Service.objects.get(name="Nuovo laboratorio")
    assert service.organisation == directory.org_a and not service.is_published


def test_organisation_validation(directory):
    from tessere.core.errors import DomainError

    with pytest.raises(DomainError) as error:
        services.update_organisation(
            actor=None, organisation=directory.other_a, tax_code="123", runts_id="abc"
        )
    assert len(error.value.details) == 2
    with pytest.raises(DomainError):
        services.update_organisation(
            actor=None,
            organisation=directory.org_b,  # a municipality: no RUNTS number
            runts_id="12345",
        )


def test_organisation_pages(directory, as_user):
    from tessere.directory.models import Organisation

    provider = as_user("provider_a")
    assert provider.get(f"/guida/gestione/enti/{directory.org_a.pk}/").status_code == 200
    assert provider.get(f"/guida/gestione/enti/{directory.other_a.pk}/").status_code == 403
    assert provider.get("/guida/gestione/enti/nuovo/").status_code == 403
    response = provider.post(
        f"/guida/gestione/enti/{directory.org_a.pk}/",
        {
            "kind": "social_cooperative",
            "name": "Cooperativa di prova",
            "tax_code": "123",
            "version": directory.org_a.version,
        },
    )
    assert response.status_code == 400 and "non è valido" in response.content.decode()
    planner = as_user("planner_a")
    response = planner.post(
        "/guida/gestione/enti/nuovo/",
        {"kind": "association", "name": "Nuova associazione", "runts_id": "4242"},
    )
    assert response.status_code == 302
    created = Organisation.objects.get(name="Nuova associazione")
    assert created.district == directory.org_a.district and created.runts_id == "4242"
    assert as_user("planner_b").get(f"/guida/gestione/enti/{created.pk}/").status_code == 403


def test_every_change_is_audited(directory):
    planner = User.objects.get(username="planner_a")
    before = AuditEntry.objects.count()
    services.set_published(actor=planner, service=directory.service_a, published=False)
    services.mark_verified(actor=planner, service=directory.service_a)
    services.set_locations(actor=planner, service=directory.service_a, locations=[])
    actions = list(AuditEntry.objects.order_by("pk")[before:].values_list("action", "object_type"))
    assert ("update", "directory.service") in actions
    assert ("delete", "directory.serviceatlocation") in actions
    assert len(actions) == 3
