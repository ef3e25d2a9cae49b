"""Actions and the table contributions they come from: accepting a contribution into an action,
its outcome on the contribution's public page, refusals, freezing, permissions, pages, document
and API."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tessere.core.errors import DomainError, PermissionDenied
from tessere.core.models import User
from tessere.participation.models import Contribution, Outcome, Phase, StatusChange, Table
from tessere.planning import document, services
from tessere.planning.models import Action, Plan
from tests.participation.conftest import add_contribution, build_table
from tests.planning.conftest import approve, build_plan

pytestmark = pytest.mark.django_db


def planner() -> User:
    return User.objects.get(username="planner_a")


def contribution_url(c: Contribution) -> str:
    return reverse("participation:contribution", args=[c.table.district.code, c.table_id, c.pk])


@pytest.fixture
def table(districts):  # type: ignore[no-untyped-def]
    return build_table(districts, phase=Phase.Kind.PROPOSALS).table


def test_planner_accepts_a_contribution_and_its_public_page_shows_the_action(as_user, built, table):
    contribution = add_contribution(table, "Custode sociale nelle frazioni")
    action = built.actions[0]
    client = as_user("planner_a")
    response = client.post(
        reverse("planning:action_origin_add", args=[built.plan.pk, action.pk]),
        {"contribution": contribution.pk},
    )
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.ACCEPTED
    assert list(action.origin_contributions.all()) == [contribution]
    change = StatusChange.objects.filter(contribution=contribution).order_by("-pk").first()
    assert change is not None and change.to_status == Contribution.Status.ACCEPTED
    outcome = Outcome.objects.get(contribution=contribution, source=f"planning.action:{action.pk}")
    url = reverse("planning:action_detail", args=[built.plan.pk, action.pk])
    assert outcome.url == url
    assert f"azione {action.code}: {action.title}" in outcome.label
    # The contribution's public page, read by anyone, links to the action.
    page = as_user("anonymous").get(contribution_url(contribution))
    assert page.status_code == 200
    assert f'href="{url}"' in page.content.decode()
    # The planner's page lists it with a remove button.
    edit = client.get(reverse("planning:action_edit", args=[built.plan.pk, action.pk]))
    html = edit.content.decode()
    assert "Contributi dei tavoli da cui nasce l&#x27;azione" in html or "da cui nasce" in html
    assert contribution_url(contribution) in html
    assert (
        reverse("planning:action_origin_remove", args=[built.plan.pk, action.pk, contribution.pk])
        in html
    )


def test_under_evaluation_and_accepted_contributions_can_be_taken_up(built, table):
    evaluating = add_contribution(table, "In valutazione", status="under_evaluation")
    accepted = add_contribution(table, "Già accolto", status="accepted")
    action = built.actions[1]
    for contribution in (evaluating, accepted):
        services.accept_contribution_into_action(
            actor=planner(), action=action, contribution=contribution
        )
        contribution.refresh_from_db()
        assert contribution.status == Contribution.Status.ACCEPTED
        assert contribution.outcomes.filter(source=f"planning.action:{action.pk}").exists()
    # Accepting again changes nothing and does not fail (same source updates the outcome).
    services.accept_contribution_into_action(actor=planner(), action=action, contribution=accepted)
    assert accepted.outcomes.count() == 1
    assert action.origin_contributions.count() == 2


def test_merged_rejected_unpublished_and_other_district_contributions_are_refused(
    built, table, districts
):
    target = add_contribution(table, "Proposta principale")
    merged = add_contribution(
        table, "Unita", status="merged", status_reason="Uguale.", merged_into=target
    )
    rejected = add_contribution(table, "Respinta", status="rejected", status_reason="No.")
    pending = add_contribution(table, "In moderazione", moderation="pending")
    other_table = build_table(districts, district=districts.b, title="Tavolo B").table
    elsewhere = add_contribution(other_table, "Di un altro ambito")
    action = built.actions[0]
    for contribution, words in (
        (merged, "unito"),
        (rejected, "non è stato accolto"),
        (pending, "non pubblicato"),
        (elsewhere, "questo ambito"),
    ):
        with pytest.raises(DomainError) as error:
            services.accept_contribution_into_action(
                actor=planner(), action=action, contribution=contribution
            )
        assert words in error.value.message
        contribution.refresh_from_db()
        assert contribution.status in ("merged", "rejected", "received")
        assert not contribution.outcomes.exists()
    assert not action.origin_contributions.exists()


def test_a_table_outside_its_evaluation_phases_cannot_accept_now(built, districts):
    listening = build_table(districts, phase=Phase.Kind.LISTENING, title="In ascolto").table
    contribution = add_contribution(listening, "Ricevuta in ascolto")
    with pytest.raises(DomainError) as error:
        services.accept_contribution_into_action(
            actor=planner(), action=built.actions[0], contribution=contribution
        )
    assert "fase" in error.value.message
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.RECEIVED
    assert not built.actions[0].origin_contributions.exists()


def test_an_approved_plan_is_frozen(as_user, built, table):
    linked = add_contribution(table, "Collegata prima")
    services.accept_contribution_into_action(
        actor=planner(), action=built.actions[0], contribution=linked
    )
    approve(built.plan)
    fresh = add_contribution(table, "Arrivata dopo")
    action = Action.objects.get(pk=built.actions[0].pk)
    with pytest.raises(DomainError) as error:
        services.accept_contribution_into_action(actor=planner(), action=action, contribution=fresh)
    assert "non si può più modificare" in error.value.message
    with pytest.raises(DomainError):
        services.remove_contribution_from_action(
            actor=planner(), action=action, contribution=linked
        )
    fresh.refresh_from_db()
    assert fresh.status == Contribution.Status.RECEIVED
    assert list(action.origin_contributions.all()) == [linked]
    # The page says so and offers no form; a forged POST changes nothing.
    client = as_user("planner_a")
    html = client.get(
        reverse("planning:action_edit", args=[built.plan.pk, action.pk])
    ).content.decode()
    assert contribution_url(linked) in html
    assert reverse("planning:action_origin_add", args=[built.plan.pk, action.pk]) not in html
    assert "Il piano è bloccato" in html
    client.post(
        reverse("planning:action_origin_add", args=[built.plan.pk, action.pk]),
        {"contribution": fresh.pk},
    )
    fresh.refresh_from_db()
    assert fresh.status == Contribution.Status.RECEIVED


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("planner_a", True),
        ("multi", True),
        ("mayor_a", False),
        ("viewer_a", False),
        ("social_worker_a", False),
        ("planner_b", False),
        ("no_role", False),
    ],
)
def test_only_planners_of_the_district_accept(persona, allowed, built, table):
    contribution = add_contribution(table, "Proposta")
    actor = User.objects.get(username=persona)
    action = built.actions[0]
    if allowed:
        services.accept_contribution_into_action(
            actor=actor, action=action, contribution=contribution
        )
        assert action.origin_contributions.filter(pk=contribution.pk).exists()
    else:
        with pytest.raises(PermissionDenied):
            services.accept_contribution_into_action(
                actor=actor, action=action, contribution=contribution
            )
        contribution.refresh_from_db()
        assert contribution.status == Contribution.Status.RECEIVED
        assert not action.origin_contributions.exists()


@pytest.mark.parametrize("persona", ["mayor_a", "viewer_a", "planner_b", "anonymous"])
def test_the_add_and_remove_pages_refuse_others(as_user, persona, built, table):
    contribution = add_contribution(table, "Proposta", status="accepted")
    action = built.actions[0]
    services.accept_contribution_into_action(
        actor=planner(), action=action, contribution=contribution
    )
    client = as_user(persona)
    add = client.post(
        reverse("planning:action_origin_add", args=[built.plan.pk, action.pk]),
        {"contribution": contribution.pk},
    )
    remove = client.post(
        reverse("planning:action_origin_remove", args=[built.plan.pk, action.pk, contribution.pk])
    )
    assert add.status_code in (302, 403, 404) and remove.status_code in (302, 403, 404)
    if persona == "anonymous":
        assert "/accedi" in add["Location"] or "login" in add["Location"]
    assert action.origin_contributions.filter(pk=contribution.pk).exists()
    assert contribution.outcomes.count() == 1


def test_removing_drops_the_link_and_the_outcome_but_keeps_the_status(as_user, built, table):
    contribution = add_contribution(table, "Proposta")
    action = built.actions[0]
    services.accept_contribution_into_action(
        actor=planner(), action=action, contribution=contribution
    )
    response = as_user("planner_a").post(
        reverse("planning:action_origin_remove", args=[built.plan.pk, action.pk, contribution.pk])
    )
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.ACCEPTED
    assert not action.origin_contributions.exists()
    assert not contribution.outcomes.exists()
    with pytest.raises(DomainError):
        services.remove_contribution_from_action(
            actor=planner(), action=action, contribution=contribution
        )


def test_renaming_or_deleting_the_action_keeps_the_outcome_in_step(built, table):
    contribution = add_contribution(table, "Proposta")
    action = built.actions[0]
    services.accept_contribution_into_action(
        actor=planner(), action=action, contribution=contribution
    )
    services.save_action(
        actor=planner(),
        plan=built.plan,
        objective=action.objective,
        code="B9",
        title="Nuovo titolo",
        action=action,
    )
    assert contribution.outcomes.get().label.endswith("azione B9: Nuovo titolo")
    services.delete_action(actor=planner(), action=action)
    assert not contribution.outcomes.exists()


def test_new_version_keeps_the_links(built, table):
    contribution = add_contribution(table, "Proposta")
    services.accept_contribution_into_action(
        actor=planner(), action=built.actions[0], contribution=contribution
    )
    approve(built.plan)
    copy = services.new_version(actor=planner(), plan=Plan.objects.get(pk=built.plan.pk))
    new_action = copy.actions.get(code=built.actions[0].code)
    assert list(new_action.origin_contributions.all()) == [contribution]
    # The other relations of the action are copied too (services, LEPS).
    assert list(new_action.services.all()) == list(built.actions[0].services.all())
    assert contribution.outcomes.count() == 2
    assert contribution.outcomes.filter(label__contains="(versione 2)").exists()


def test_select_offers_the_districts_open_contributions_grouped_by_table(
    as_user, built, table, districts
):
    received = add_contribution(table, "Ricevuta")
    rejected = add_contribution(table, "Respinta", status="rejected", status_reason="No.")
    other = build_table(districts, district=districts.b, title="Tavolo B").table
    elsewhere = add_contribution(other, "Di un altro ambito")
    html = (
        as_user("planner_a")
        .get(reverse("planning:action_edit", args=[built.plan.pk, built.actions[0].pk]))
        .content.decode()
        .split('id="origins-heading"')[1]
    )
    assert f'<optgroup label="Tavolo tematico · {table.title}">' in html
    assert f'value="{received.pk}"' in html
    assert f'value="{rejected.pk}"' not in html and f'value="{elsewhere.pk}"' not in html


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def test_pages_run_a_fixed_number_of_queries_whatever_the_links(as_user, districts, leps):
    small = build_plan(districts.a, actions=2, first_year=2025)
    large = build_plan(districts.a, actions=2, first_year=2028, title="Piano grande")
    tables = [
        build_table(districts, title=f"Tavolo {n}").table for n in range(3)
    ]  # each with its own phases
    one = add_contribution(tables[0], "Unica")
    services.accept_contribution_into_action(
        actor=planner(), action=small.actions[0], contribution=one
    )
    for n in range(9):
        c = add_contribution(tables[n % 3], f"Proposta {n}")
        services.accept_contribution_into_action(
            actor=planner(), action=large.actions[n % 2], contribution=c
        )
    for n in range(5):  # more to choose from in the select
        add_contribution(tables[n % 3], f"Da scegliere {n}")
    client = as_user("planner_a")
    counts = [
        _queries(client, reverse("planning:action_edit", args=[b.plan.pk, b.actions[0].pk]))
        for b in (small, large)
    ]
    assert counts[0] == counts[1], counts
    approve(small.plan)
    approve(large.plan)
    for persona in ("planner_a", "anonymous"):
        client = as_user(persona)
        for name in ("plan_public", "plan_detail"):
            if name == "plan_detail" and persona == "anonymous":
                continue
            counts = [
                _queries(client, reverse(f"planning:{name}", args=[b.plan.pk]))
                for b in (small, large)
            ]
            assert counts[0] == counts[1], (persona, name, counts)
        counts = [
            _queries(client, reverse("planning:action_detail", args=[b.plan.pk, b.actions[0].pk]))
            for b in (small, large)
        ]
        assert counts[0] == counts[1], (persona, "action_detail", counts)
    html = as_user("anonymous").get(reverse("planning:plan_public", args=[large.plan.pk]))
    for n in range(9):
        assert f"Proposta {n}" in html.content.decode()


def test_public_pages_and_api_hide_contributions_of_reserved_tables(as_user, built, districts):
    public = build_table(districts, title="Tavolo aperto").table
    reserved = build_table(
        districts, title="Cabina riservata", visibility=Table.Visibility.RESERVED
    ).table
    shown = add_contribution(public, "Proposta pubblica")
    hidden = add_contribution(reserved, "Proposta riservata")
    action = built.actions[0]
    for c in (shown, hidden):
        services.accept_contribution_into_action(actor=planner(), action=action, contribution=c)
    approve(built.plan)
    anonymous = as_user("anonymous")
    for url in (
        reverse("planning:plan_public", args=[built.plan.pk]),
        reverse("planning:action_detail", args=[built.plan.pk, action.pk]),
    ):
        html = anonymous.get(url).content.decode()
        assert contribution_url(shown) in html, url
        assert "Proposta riservata" not in html, url
    staff = as_user("planner_a").get(
        reverse("planning:action_detail", args=[built.plan.pk, action.pk])
    )
    assert contribution_url(hidden) in staff.content.decode()
    api = f"/api/v1/planning/plans/{built.plan.pk}/actions"
    rows = {r["code"]: r for r in anonymous.get(api).json()}
    assert rows[action.code]["origin_contributions"] == [
        {"id": shown.pk, "title": shown.title, "table": public.pk, "status": "accepted"}
    ]
    rows = {r["code"]: r for r in as_user("planner_a").get(api).json()}
    assert {o["id"] for o in rows[action.code]["origin_contributions"]} == {shown.pk, hidden.pk}
    assert "origin_contributions" in anonymous.get("/api/v1/openapi.json").content.decode()


def test_document_has_the_participation_chapter(built, table, districts):
    import datetime

    from django.utils import timezone

    from tessere.participation import services as participation

    now = timezone.now()
    participation.schedule_meeting(
        actor=None,
        table=table,
        title="Incontro svolto",
        starts_at=now - datetime.timedelta(days=3, hours=2),
        ends_at=now - datetime.timedelta(days=3),
        place="Sala",
    )
    participation.schedule_meeting(
        actor=None,
        table=table,
        title="Incontro futuro",
        starts_at=now + datetime.timedelta(days=3),
        ends_at=now + datetime.timedelta(days=3, hours=2),
        place="Sala",
    )
    taken = add_contribution(table, "Proposta accolta nel piano")
    add_contribution(table, "Proposta respinta", status="rejected", status_reason="No.")
    add_contribution(table, "Ancora da valutare")
    services.accept_contribution_into_action(
        actor=planner(), action=built.actions[0], contribution=taken
    )
    outline = document.outline(Plan.objects.get(pk=built.plan.pk))
    chapter = next(c for c in outline.chapters if c.key == "partecipazione")
    assert chapter.title == "Il percorso partecipativo"
    summary = next(b for b in chapter.blocks if b.kind == "table")
    header, row, total = summary.rows
    assert header[:4] == ["Tavolo", "Tipo", "Incontri svolti", "Contributi"]
    assert row[:4] == [table.title, "Tavolo tematico", "1", "3"]
    by_status = dict(zip(header[4:], row[4:], strict=True))
    assert by_status == {
        "Ricevuto": "1",
        "In valutazione": "0",
        "Accolto": "1",
        "Unito a un altro contributo": "0",
        "Non accolto": "1",
    }
    assert total[0] == "Totale"
    links = [b for b in chapter.blocks if b.kind == "table"][1]
    assert links.rows[1][0] == f"{built.actions[0].code} {built.actions[0].title}"
    assert "Proposta accolta nel piano" in links.rows[1][1]
    odt = document.plan_odt(Plan.objects.get(pk=built.plan.pk))
    import io
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(odt)).read("content.xml").decode()
    assert "Il percorso partecipativo" in xml and "Proposta accolta nel piano" in xml


def test_document_queries_do_not_grow_with_links(built, districts):
    from tessere.planning import selectors

    tables = [build_table(districts, title=f"Tavolo {n}").table for n in range(2)]

    def count() -> int:
        plan = Plan.objects.select_related("district").get(pk=built.plan.pk)
        with CaptureQueriesContext(connection) as context:
            document.outline(plan, selectors.plan_data(plan))
        return len(context.captured_queries)

    services.accept_contribution_into_action(
        actor=planner(), action=built.actions[0], contribution=add_contribution(tables[0], "P0")
    )
    before = count()
    for n in range(6):
        services.accept_contribution_into_action(
            actor=planner(),
            action=built.actions[n % 3],
            contribution=add_contribution(tables[n % 2], f"P{n + 1}"),
        )
    assert count() == before


def test_demo_links_accepted_contributions_and_loads_once(districts, leps):
    from tessere.participation import demo as participation_demo
    from tessere.planning import demo

    every = [districts.a]
    participation_demo.load(districts=every)
    assert demo.load(districts=every)
    plan = Plan.objects.get(district=districts.a, title=demo.TITLE)
    assert plan.status == Plan.Status.APPROVED
    linked = Action.objects.filter(plan=plan, origin_contributions__isnull=False).distinct()
    assert linked.count() == 2
    for action in linked:
        for contribution in action.origin_contributions.all():
            assert contribution.status == Contribution.Status.ACCEPTED
            assert contribution.outcomes.filter(source=f"planning.action:{action.pk}").exists()
    assert demo.load(districts=every) == []
    assert participation_demo.load(districts=every) == []
