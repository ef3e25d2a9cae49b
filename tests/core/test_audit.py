"""Services write the audit log; planners browse their own district's log only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tessere.core import audit
from tessere.core import services as core_services
from tessere.core.errors import DomainError
from tessere.core.models import AuditEntry, Membership, ReadAccessEntry, Role, User

pytestmark = pytest.mark.django_db


def test_create_update_delete_are_recorded_with_fields(districts):
    actor = User.objects.get(username="planner_a")
    user = core_services.create_user(actor=actor, username="nuovo", password="x-y-z-2026-ok")
    membership = core_services.grant_role(
        actor=actor, user=user, district=districts.a, role=Role.VIEWER
    )
    created = AuditEntry.objects.get(
        object_type="core.membership", object_id=str(membership.pk), action="create"
    )
    assert created.actor == actor and created.actor_label == "planner_a"
    assert created.district == districts.a
    assert created.changes["role"] == [None, "viewer"]

    before = audit.snapshot(membership)
    membership.role = Role.MAYOR
    membership.save()
    updated = audit.record_update(
        actor=actor, obj=membership, before=before, district_id=districts.a.pk
    )
    assert updated is not None and updated.changes == {"role": ["viewer", "mayor"]}
    assert (
        audit.record_update(
            actor=actor, obj=membership, before=audit.snapshot(membership), district_id=None
        )
        is None
    )

    core_services.revoke_role(actor=actor, user=user, district=districts.a, role=Role.MAYOR)
    deleted = AuditEntry.objects.get(object_type="core.membership", action="delete")
    assert deleted.changes["role"] == ["mayor", None]
    assert not Membership.objects.filter(user=user).exists()


def test_provider_role_needs_an_organisation(districts):
    user = User.objects.get(username="no_role")
    count = AuditEntry.objects.count()
    with pytest.raises(DomainError, match="associato a un ente"):
        core_services.grant_role(actor=None, user=user, district=districts.a, role=Role.PROVIDER)
    with pytest.raises(DomainError, match="sconosciuto"):
        core_services.grant_role(actor=None, user=user, district=districts.a, role="king")
    assert AuditEntry.objects.count() == count
    assert not Membership.objects.filter(user=user).exists()


def test_read_access_entries_are_recorded(districts):
    actor = User.objects.get(username="social_worker_a")
    entry = audit.record_read(actor=actor, obj=actor, district_id=districts.a.pk, purpose="test")
    assert ReadAccessEntry.objects.get(pk=entry.pk).actor_label == "social_worker_a"


def test_planner_sees_only_own_district_log(as_user, districts):
    user = User.objects.get(username="no_role")
    core_services.grant_role(actor=None, user=user, district=districts.a, role=Role.VIEWER)
    core_services.grant_role(actor=None, user=user, district=districts.b, role=Role.MAYOR)
    html_a = as_user("planner_a").get(reverse("core:audit_log")).content.decode()
    html_b = as_user("planner_b").get(reverse("core:audit_log")).content.decode()
    assert "viewer" in html_a and "mayor" not in html_a.split("audit-results")[1]
    assert "mayor" in html_b


def test_audit_log_filters_and_paginates(as_user, districts):
    user = User.objects.get(username="no_role")
    for role in (Role.VIEWER, Role.MAYOR):
        core_services.grant_role(actor=None, user=user, district=districts.a, role=role)
    client = as_user("planner_a")
    html = client.get(reverse("core:audit_log"), {"action": "create", "type": "membership"})
    assert html.status_code == 200
    assert "core.membership" in html.content.decode()
    empty = client.get(reverse("core:audit_log"), {"actor": "nessuno-con-questo-nome"})
    assert "Nessuna voce corrisponde" in empty.content.decode()
    # Out-of-range and nonsense pages fall back to a valid page, never a 500.
    assert client.get(reverse("core:audit_log"), {"page": "999"}).status_code == 200
    assert client.get(reverse("core:audit_log"), {"page": "abc"}).status_code == 200
    assert client.get(reverse("core:audit_log"), {"action": "<script>"}).status_code == 200


def test_audit_log_htmx_request_gets_the_page(as_user):
    response = as_user("planner_a").get(reverse("core:audit_log"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="audit-results"' in response.content.decode()
