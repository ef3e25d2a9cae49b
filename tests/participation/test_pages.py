"""The permission matrix over the pages, and the forms' happy and unhappy paths."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tessere.participation import services
from tessere.participation.models import Contribution, Meeting, Table
from tests.conftest import PERSONAS, client_for
from tests.participation.conftest import add_contribution

pytestmark = pytest.mark.django_db

A_STAFF = {
    "planner_a",
    "mayor_a",
    "social_worker_a",
    "access_operator_a",
    "employment_operator_a",
    "provider_a",
    "viewer_a",
    "multi",
    "superuser",
}
TABLE_PEOPLE = ["coordinator_t", "member_t", "observer_t"]
EVERYONE = [*PERSONAS, *TABLE_PEOPLE]


@pytest.fixture
def two_tables(make_table):  # type: ignore[no-untyped-def]
    public = make_table(title="Tavolo aperto", consultation=True)
    reserved = make_table(title="Cabina riservata", visibility=Table.Visibility.RESERVED)
    contribution = add_contribution(public.table, "Proposta pubblica")
    hidden = add_contribution(reserved.table, "Proposta riservata")
    return public, reserved, contribution, hidden


def _status(username: str, url: str) -> int:
    return client_for(username).get(url).status_code


def test_public_pages_for_everyone(two_tables):
    public, _reserved, contribution, _hidden = two_tables
    code = public.table.district.code
    urls = [
        reverse("participation:index"),
        reverse("participation:district", args=[code]),
        reverse("participation:table", args=[code, public.table.pk]),
        reverse("participation:contribution", args=[code, public.table.pk, contribution.pk]),
        reverse("participation:ranking", args=[code, public.table.pk]),
        reverse("participation:ranking_csv", args=[code, public.table.pk]),
        reverse("participation:meetings", args=[code, public.table.pk]),
        reverse("participation:table_calendar", args=[code, public.table.pk]),
        reverse("participation:district_calendar", args=[code]),
    ]
    for username in EVERYONE:
        for url in urls:
            assert _status(username, url) == 200, (username, url)


def test_reserved_table_matrix(two_tables):
    _public, reserved, _contribution, hidden = two_tables
    code = reserved.table.district.code
    readers = A_STAFF | set(TABLE_PEOPLE)
    for username in EVERYONE:
        expected = 200 if username in readers else 404
        for url in [
            reverse("participation:table", args=[code, reserved.table.pk]),
            reverse("participation:contribution", args=[code, reserved.table.pk, hidden.pk]),
            reverse("participation:ranking", args=[code, reserved.table.pk]),
        ]:
            assert _status(username, url) == expected, (username, url)
        district_page = client_for(username).get(reverse("participation:district", args=[code]))
        assert ("Cabina riservata" in district_page.content.decode()) == (username in readers)


def test_table_from_another_district_url_is_not_found(two_tables):
    public, *_rest = two_tables
    assert _status("anonymous", f"/tavoli/reggio-emilia/{public.table.pk}/") == 404


def test_management_pages_matrix(two_tables):
    public, *_rest = two_tables
    code = public.table.district.code
    managers = {"planner_a", "multi", "superuser", "coordinator_t"}
    for username in EVERYONE:
        for url in [
            reverse("participation:members", args=[code, public.table.pk]),
            reverse("participation:meeting_create", args=[code, public.table.pk]),
        ]:
            status = _status(username, url)
            if username == "anonymous":
                assert status == 302, url
            else:
                assert status == (200 if username in managers else 403), (username, url)
        status = _status(username, reverse("participation:table_create", args=[code]))
        planners = {"planner_a", "multi", "superuser"}
        if username == "anonymous":
            assert status == 302
        else:
            assert status == (200 if username in planners else 403), username


def test_contribution_form_matrix_in_the_proposals_phase(two_tables):
    public, *_rest = two_tables
    url = reverse(
        "participation:contribution_create", args=[public.table.district.code, public.table.pk]
    )
    members = {"coordinator_t", "member_t", "provider_a", "superuser"}
    for username in EVERYONE:
        response = client_for(username).get(url)
        assert response.status_code == 200, username
        # Members get the members' form; everyone else the public consultation's form.
        assert ("Il tuo nome" in response.content.decode()) == (username not in members)


def test_citizen_contribution_goes_to_moderation_then_public(two_tables):
    public, *_rest = two_tables
    code, pk = public.table.district.code, public.table.pk
    anonymous = client_for("anonymous")
    url = reverse("participation:contribution_create", args=[code, pk])
    bad = anonymous.post(url, {"name": "", "kind": "need", "title": "", "text": ""})
    assert bad.status_code == 400
    assert not Contribution.objects.filter(is_citizen=True).exists()
    response = anonymous.post(
        url,
        {
            "name": "Franca",
            "email": "franca@example.org",
            "kind": "need",
            "title": "Trasporto sociale",
            "text": "Serve un trasporto per le visite.",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    contribution = Contribution.objects.get(title="Trasporto sociale")
    detail = reverse("participation:contribution", args=[code, pk, contribution.pk])
    assert anonymous.get(detail).status_code == 404
    table_page = anonymous.get(reverse("participation:table", args=[code, pk]))
    assert "Trasporto sociale" not in table_page.content.decode()

    queue = reverse("participation:moderation", args=[code])
    assert "Trasporto sociale" in client_for("coordinator_t").get(queue).content.decode()
    assert "Trasporto sociale" not in client_for("member_t").get(queue).content.decode()
    member_post = client_for("member_t").post(
        reverse("participation:moderate", args=[code, contribution.pk]), {"decision": "publish"}
    )
    assert member_post.status_code == 404
    client_for("coordinator_t").post(
        reverse("participation:moderate", args=[code, contribution.pk]), {"decision": "publish"}
    )
    assert anonymous.get(detail).status_code == 200


def test_member_submits_supports_and_comments_through_pages(two_tables):
    public, *_rest = two_tables
    code, pk = public.table.district.code, public.table.pk
    member = client_for("member_t")
    response = member.post(
        reverse("participation:contribution_create", args=[code, pk]),
        {
            "kind": "proposal",
            "title": "Orti sociali",
            "text": "Orti per anziani.",
            "territory": "district",
        },
    )
    assert response.status_code == 302
    contribution = Contribution.objects.get(title="Orti sociali")
    base = [code, pk, contribution.pk]
    member.post(reverse("participation:contribution_action", args=[*base, "sostegno"]))
    member.post(
        reverse("participation:contribution_action", args=[*base, "commento"]), {"text": "Bene"}
    )
    contribution.refresh_from_db()
    assert contribution.support_count == 1 and contribution.comment_count == 1
    observer = client_for("observer_t").post(
        reverse("participation:contribution_action", args=[*base, "sostegno"])
    )
    assert observer.status_code == 403


def test_status_change_page_shows_reason_and_history(two_tables):
    public, _reserved, contribution, _hidden = two_tables
    code, pk = public.table.district.code, public.table.pk
    url = reverse("participation:contribution_action", args=[code, pk, contribution.pk, "stato"])
    planner = client_for("planner_a")
    planner.post(url, {"status": "rejected", "reason": ""})
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.RECEIVED
    planner.post(url, {"status": "rejected", "reason": "Fuori dalle competenze dell'ambito."})
    page = client_for("anonymous").get(
        reverse("participation:contribution", args=[code, pk, contribution.pk])
    )
    html = page.content.decode()
    assert "Non accolto" in html and "Fuori dalle competenze dell&#x27;ambito." in html
    assert client_for("member_t").post(url, {"status": "accepted"}).status_code == 403


def test_minutes_are_public_only_when_approved(two_tables):
    public, *_rest = two_tables
    now = timezone.now()
    meeting = services.schedule_meeting(
        actor=None,
        table=public.table,
        title="Incontro",
        starts_at=now,
        ends_at=now + datetime.timedelta(hours=1),
        place="Sala",
    )
    services.record_minutes(actor=None, meeting=meeting, minutes="Bozza **segreta**")
    url = reverse(
        "participation:meeting", args=[public.table.district.code, public.table.pk, meeting.pk]
    )
    assert "segreta" not in client_for("anonymous").get(url).content.decode()
    assert "<strong>segreta</strong>" in client_for("member_t").get(url).content.decode()
    Meeting.objects.filter(pk=meeting.pk).update(minutes_status="approved")
    assert "<strong>segreta</strong>" in client_for("anonymous").get(url).content.decode()


def test_planner_creates_a_table_through_the_form(districts):
    client = client_for("planner_a")
    url = reverse("participation:table_create", args=["piana-di-lucca"])
    data = {
        "kind": "thematic",
        "title": "Tavolo nuovo",
        "territory": "district",
        "plan_cycle": "2025-2027",
        "visibility": "public",
        "method": "scoring",
        "dot_budget": 10,
        "proposals_start": "2026-01-01",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert not Table.objects.filter(title="Tavolo nuovo").exists()
    data["proposals_end"] = "2026-01-31"
    response = client.post(url, data)
    assert response.status_code == 302
    table = Table.objects.get(title="Tavolo nuovo")
    assert table.phases.get().kind == "proposals"
    assert table.criteria.count() == 4


def test_nav_link_points_to_the_current_district(two_tables):
    html = client_for("planner_b").get("/").content.decode()
    assert 'href="/tavoli/reggio-emilia/"' in html
    assert 'href="/tavoli/"' in client_for("anonymous").get("/").content.decode()


def test_coordinator_changes_the_phases(two_tables):
    public, *_rest = two_tables
    url = reverse("participation:phases", args=[public.table.district.code, public.table.pk])
    assert client_for("member_t").get(url).status_code == 403
    coordinator = client_for("coordinator_t")
    assert coordinator.get(url).status_code == 200
    today = timezone.localdate()
    overlapping = {
        "listening_start": today - datetime.timedelta(days=10),
        "listening_end": today,
        "prioritisation_start": today,
        "prioritisation_end": today + datetime.timedelta(days=5),
    }
    assert coordinator.post(url, overlapping).status_code == 400
    assert public.table.phases.count() == 4
    overlapping["listening_end"] = today - datetime.timedelta(days=1)
    assert coordinator.post(url, overlapping).status_code == 302
    kinds = list(public.table.phases.order_by("starts_on").values_list("kind", flat=True))
    assert kinds == ["listening", "prioritisation"]


def test_htmx_filter_returns_only_the_list(two_tables):
    public, *_rest = two_tables
    url = reverse("participation:table", args=[public.table.district.code, public.table.pk])
    response = client_for("anonymous").get(url + "?q=pubblica", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="contributions"') and "Proposta pubblica" in html
    assert "<html" not in html
