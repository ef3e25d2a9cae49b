"""Planners give and take roles in their own district."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from tessere.core.models import AuditEntry, Membership, Role, User
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

URL = reverse("core:staff")


@pytest.mark.parametrize("persona", PERSONAS)
def test_staff_page_is_for_planners_of_the_current_district(as_user, persona):
    response = as_user(persona).get(URL)
    expected = {"anonymous": 302, "planner_a": 200, "planner_b": 200, "multi": 200}
    assert response.status_code == expected.get(persona, 403)


def test_planner_sees_only_own_district_staff(as_user):
    html = as_user("planner_a").get(URL).content.decode()
    assert "viewer_a@example.org" in html
    assert "planner_b@example.org" not in html


def test_grant_role_to_an_existing_account(as_user, districts):
    response = as_user("planner_a").post(
        URL, {"email": "planner_b@example.org", "role": Role.VIEWER}
    )
    assert response.status_code == 302
    user = User.objects.get(username="planner_b")
    assert Membership.objects.filter(user=user, district=districts.a, role="viewer").exists()
    assert len(mail.outbox) == 0


def test_invite_a_new_person_creates_the_account_and_sends_a_link(
    as_user, districts, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user("planner_a").post(
            URL,
            {
                "email": "Nuova.Assistente@Example.org",
                "first_name": "Nuova",
                "last_name": "Assistente",
                "role": Role.SOCIAL_WORKER,
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="nuova.assistente@example.org")
    assert not user.has_usable_password()
    assert user.memberships.get().district == districts.a
    assert len(mail.outbox) == 1
    assert "/password/reimposta/" in mail.outbox[0].body
    link = mail.outbox[0].body.split("http://testserver")[1].split()[0]
    form = client.get(link, follow=True)
    set_url = form.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "Prima-Password-2026", "new_password2": "Prima-Password-2026"}
    )
    assert done.status_code == 302
    assert User.objects.get(pk=user.pk).check_password("Prima-Password-2026")
    assert AuditEntry.objects.filter(object_type="core.membership", actor_label="planner_a")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "non-una-email", "role": Role.VIEWER}, "e-mail"),
        ({"email": "x@example.org", "role": "re"}, "ruolo"),
        ({"email": "x@example.org", "role": Role.PROVIDER}, "indica l&#x27;ente"),
        (
            {
                "email": "x@example.org",
                "role": Role.VIEWER,
                "organisation_id": "6f1c1d8e-2b0c-4f5e-9a57-7b1e4c2a9d10",
            },
            "Solo il ruolo di ente erogatore",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_written(as_user, data, message):
    users, memberships = User.objects.count(), Membership.objects.count()
    response = as_user("planner_a").post(URL, data)
    assert response.status_code == 400
    assert message.lower() in response.content.decode().lower()
    assert (User.objects.count(), Membership.objects.count()) == (users, memberships)


def test_revoke_and_the_last_planner_stays(as_user, districts):
    client = as_user("planner_a")
    viewer = Membership.objects.get(user__username="viewer_a", district=districts.a)
    assert client.post(reverse("core:staff_revoke", args=[viewer.pk])).status_code == 302
    assert not Membership.objects.filter(pk=viewer.pk).exists()
    # Piana di Lucca has two planners (planner_a and multi): one may go, not both.
    other = Membership.objects.get(user__username="multi", district=districts.a, role="planner")
    client.post(reverse("core:staff_revoke", args=[other.pk]))
    mine = Membership.objects.get(user__username="planner_a", district=districts.a)
    response = client.post(reverse("core:staff_revoke", args=[mine.pk]), follow=True)
    assert "almeno un componente" in response.content.decode()
    assert Membership.objects.filter(pk=mine.pk).exists()


def test_a_planner_cannot_revoke_in_another_district(as_user, districts):
    viewer = Membership.objects.get(user__username="viewer_a", district=districts.a)
    response = as_user("planner_b").post(reverse("core:staff_revoke", args=[viewer.pk]))
    assert response.status_code == 404
    assert Membership.objects.filter(pk=viewer.pk).exists()
    assert (
        as_user("viewer_a").post(reverse("core:staff_revoke", args=[viewer.pk])).status_code == 403
    )


def test_staff_page_queries_do_not_grow(as_user, districts, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tessere.core import services

    client = as_user("planner_a")
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    for n in range(30):
        user = services.create_user(actor=None, username=f"s{n}", password="p-a-s-s-2026")
        services.grant_role(actor=None, user=user, district=districts.a, role=Role.VIEWER)
    with CaptureQueriesContext(connection) as large:
        client.get(URL)
    assert len(large.captured_queries) == len(small.captured_queries)
