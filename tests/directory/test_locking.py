"""Concurrent changes (optimistic locking): the second save is refused, nothing overwritten."""

from __future__ import annotations

import json

import pytest

from tessere.core.models import AuditEntry
from tessere.directory import services
from tessere.directory.models import Organisation, Service

pytestmark = pytest.mark.django_db


def _form_data(client, url):  # type: ignore[no-untyped-def]
    form = client.get(url).context["form"]
    return {k: v for k, v in form.initial.items() if v is not None}


def test_second_page_save_is_told_the_service_changed(directory, as_user):
    url = f"/guida/gestione/servizi/{directory.service_a.pk}/"
    planner, provider = as_user("planner_a"), as_user("provider_a")
    mine, theirs = _form_data(planner, url), _form_data(provider, url)
    assert mine["version"] == theirs["version"] == directory.service_a.version
    mine["name"] = "Assistenza domiciliare (Ufficio di Piano)"
    assert planner.post(url, mine).status_code == 302
    theirs["name"] = "Assistenza domiciliare (ente)"
    before = AuditEntry.objects.count()
    response = provider.post(url, theirs)
    assert response.status_code == 409
    content = response.content.decode()
    assert "Nel frattempo qualcun altro ha modificato il servizio" in content
    assert 'data-testid="conflict"' in content and f'href="{url}"' in content
    service = Service.objects.get(pk=directory.service_a.pk)
    assert service.name == "Assistenza domiciliare (Ufficio di Piano)"
    assert service.version == theirs["version"] + 1
    assert AuditEntry.objects.count() == before
    # After reloading, the provider's change goes through.
    fresh = _form_data(provider, url)
    fresh["name"] = "Assistenza domiciliare (ente)"
    assert provider.post(url, fresh).status_code == 302
    assert Service.objects.get(pk=directory.service_a.pk).version == fresh["version"] + 1


def test_publishing_and_verifying_move_the_version_on(directory, as_user):
    service = directory.service_a
    start = Service.objects.get(pk=service.pk).version
    services.set_published(actor=None, service=service, published=False)
    services.mark_verified(actor=None, service=service)
    assert Service.objects.get(pk=service.pk).version == start + 2
    with pytest.raises(services.StaleRecord):
        services.update_service(actor=None, service=service, expected_version=start, name="X")
    assert Service.objects.get(pk=service.pk).name != "X"


def test_a_form_without_version_is_refused(directory, as_user):
    client = as_user("planner_a")
    url = f"/guida/gestione/servizi/{directory.service_a.pk}/"
    data = _form_data(client, url)
    del data["version"]
    data["name"] = "Senza versione"
    response = client.post(url, data)
    assert response.status_code == 400 and "ricarica la pagina" in response.content.decode()
    assert Service.objects.get(pk=directory.service_a.pk).name != "Senza versione"


def test_second_organisation_save_is_told_it_changed(directory, as_user):
    url = f"/guida/gestione/enti/{directory.org_a.pk}/"
    planner, provider = as_user("planner_a"), as_user("provider_a")
    mine, theirs = _form_data(planner, url), _form_data(provider, url)
    mine["phone"] = "0583 111111"
    assert planner.post(url, mine).status_code == 302
    theirs["phone"] = "0583 222222"
    response = provider.post(url, theirs)
    assert response.status_code == 409 and "modificato l&#x27;ente" in response.content.decode()
    assert Organisation.objects.get(pk=directory.org_a.pk).phone == "0583 111111"


def _patch(client, service, body):  # type: ignore[no-untyped-def]
    return client.patch(
        f"/api/v1/directory/services/{service.pk}",
        data=json.dumps(body),
        content_type="application/json",
    )


def test_api_write_answers_409_on_a_stale_version(directory, as_user):
    service = directory.service_a
    version = Service.objects.get(pk=service.pk).version
    planner, provider = as_user("planner_a"), as_user("provider_a")
    first = _patch(planner, service, {"version": version, "name": "Nome nuovo"})
    assert first.status_code == 200, first.content
    assert first.json()["version"] == version + 1 and first.json()["name"] == "Nome nuovo"
    second = _patch(provider, service, {"version": version, "name": "Nome dell'ente"})
    assert second.status_code == 409
    assert "Nel frattempo" in second.json()["detail"]
    assert Service.objects.get(pk=service.pk).name == "Nome nuovo"


@pytest.mark.parametrize(
    ("persona", "target", "status"),
    [
        ("provider_a", "other_service_a", 403),  # another organisation's service
        ("viewer_a", "service_a", 403),
        ("planner_b", "service_a", 404),  # another district
        ("anonymous", "service_a", 401),
        ("planner_a", "service_b", 404),
    ],
)
def test_api_write_permissions(persona, target, status, directory, as_user):
    service = getattr(directory, target)
    version = Service.objects.get(pk=service.pk).version
    response = _patch(as_user(persona), service, {"version": version, "name": "Preso"})
    assert response.status_code == status
    assert Service.objects.get(pk=service.pk).name != "Preso"


def test_api_write_bad_input(directory, as_user):
    service = directory.service_a
    version = Service.objects.get(pk=service.pk).version
    client = as_user("planner_a")
    response = _patch(client, service, {"version": version, "min_age": 90, "max_age": 10})
    assert response.status_code == 400 and "età minima" in " ".join(response.json()["errors"])
    assert _patch(client, service, {"name": "Senza versione"}).status_code == 422
    assert Service.objects.get(pk=service.pk).version == version
