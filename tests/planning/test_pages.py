"""Pages of the plan: who may see and change what, bad input, and query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tessere.core.models import AuditEntry
from tessere.planning.models import Allocation, Plan
from tessere.planning.tables import cell_name
from tests.conftest import PERSONAS
from tests.planning.conftest import approve, build_plan

pytestmark = pytest.mark.django_db

READERS = {"planner_a", "mayor_a", "viewer_a", "multi", "superuser"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_public_lists_open_to_everyone(as_user, persona, built):
    client = as_user(persona)
    assert client.get(reverse("planning:index")).status_code == 200
    page = client.get(reverse("planning:district_plans", args=["piana-di-lucca"]))
    assert page.status_code == 200
    # Drafts are listed only for readers of the district.
    assert (built.plan.title in page.content.decode()) == (persona in READERS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_draft_workspace_matrix(as_user, persona, built):
    client = as_user(persona)
    for name in ("plan_detail", "allocation_table"):
        response = client.get(reverse(f"planning:{name}", args=[built.plan.pk]))
        if persona == "anonymous":
            assert response.status_code == 302
        elif persona in READERS:
            assert response.status_code == 200
        else:
            assert response.status_code == 404
    public = client.get(reverse("planning:plan_public", args=[built.plan.pk]))
    assert public.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_public_page_once_approved(as_user, persona, built):
    approve(built.plan)
    response = as_user(persona).get(reverse("planning:plan_public", args=[built.plan.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for action in built.actions:
        assert action.title in html
    assert "Centro per le famiglie" in html  # the directory service delivering the actions
    action = as_user(persona).get(
        reverse("planning:action_detail", args=[built.plan.pk, built.actions[0].pk])
    )
    assert action.status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_planners_of_the_district_write_the_table(as_user, persona, built):
    fund, action = built.funds["FNPS"], built.actions[0]
    name = cell_name(fund.pk, action.pk, 2025)
    before = Allocation.objects.get(plan=built.plan, fund=fund, action=action, year=2025).amount
    response = as_user(persona).post(
        reverse("planning:allocation_table", args=[built.plan.pk]), {name: "1234,50"}
    )
    after = Allocation.objects.filter(plan=built.plan, fund=fund, action=action, year=2025).first()
    if persona in {"planner_a", "multi", "superuser"}:  # Django: superusers have every perm
        assert response.status_code == 302
        assert after is not None and after.amount == Decimal("1234.50")
    else:
        assert response.status_code in {302, 403, 404}
        if persona != "anonymous":
            assert response.status_code in {403, 404}
        assert after is not None and after.amount == before


def test_table_shows_rules_met_and_broken(as_user, built):
    client = as_user("planner_a")
    fund, action = built.funds["FNPS"], built.actions[0]
    response = client.post(
        reverse("planning:allocation_table", args=[built.plan.pk]),
        {cell_name(fund.pk, action.pk, 2025): "0"},
        follow=True,
    )
    html = response.content.decode()
    assert "non rispettata" in html and "rispettata" in html
    assert "FNPS: almeno il 30%" in html


def test_bad_amount_in_the_table_writes_nothing(as_user, built):
    client = as_user("planner_a")
    fund, action = built.funds["FNPS"], built.actions[0]
    audit = AuditEntry.objects.count()
    response = client.post(
        reverse("planning:allocation_table", args=[built.plan.pk]),
        {
            cell_name(fund.pk, action.pk, 2025): "5000",
            cell_name(fund.pk, action.pk, 2026): "dieci",
        },
    )
    assert response.status_code == 400
    assert "non è un importo" in response.content.decode()
    assert AuditEntry.objects.count() == audit


def test_planner_applies_the_optimiser_proposal(as_user, districts):
    built = build_plan(districts.a, allocate=False)
    client = as_user("planner_a")
    page = client.get(reverse("planning:proposal", args=[built.plan.pk]))
    assert page.status_code == 200
    assert "Applica la proposta" in page.content.decode()
    assert (
        as_user("mayor_a").get(reverse("planning:proposal", args=[built.plan.pk])).status_code
        == 403
    )
    response = client.post(reverse("planning:proposal", args=[built.plan.pk]))
    assert response.status_code == 302
    assert Allocation.objects.filter(plan=built.plan).exists()


def test_mayor_records_the_approval_and_planners_cannot(as_user, built):
    from tessere.planning import services

    services.change_status(actor=None, plan=built.plan, status=Plan.Status.CONSULTATION)
    url = reverse("planning:plan_approve", args=[built.plan.pk])
    data = {"act_number": "7/2025", "act_date": "2025-03-10"}
    assert as_user("planner_a").post(url, data).status_code == 403
    assert as_user("mayor_a").post(url, data).status_code == 302
    plan = Plan.objects.get(pk=built.plan.pk)
    assert plan.status == Plan.Status.APPROVED and plan.act_number == "7/2025"
    # Frozen: the table refuses changes.
    fund, action = built.funds["FNPS"], built.actions[0]
    response = as_user("planner_a").post(
        reverse("planning:allocation_table", args=[plan.pk]),
        {cell_name(fund.pk, action.pk, 2025): "1"},
    )
    assert response.status_code == 400
    assert "non si può più modificare" in response.content.decode()


def test_new_version_and_differences_page(as_user, built):
    approve(built.plan)
    client = as_user("planner_a")
    response = client.post(reverse("planning:plan_new_version", args=[built.plan.pk]))
    copy = Plan.objects.get(previous=built.plan)
    assert response.status_code == 302
    action = copy.actions.get(code="A001")
    response = client.post(
        reverse("planning:action_edit", args=[copy.pk, action.pk]),
        {
            "code": "A001",
            "title": "Titolo cambiato",
            "objective": action.objective_id,
            "kind": "new",
            "cost_2025": "12000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    diff = client.get(reverse("planning:plan_diff", args=[copy.pk])).content.decode()
    assert "Titolo cambiato" in diff and "costo 2025" in diff


def test_planner_creates_plan_objective_action_and_fund(as_user, districts):
    client = as_user("planner_a")
    response = client.post(
        reverse("planning:district_plans", args=["piana-di-lucca"]),
        {"title": "Piano 2028", "first_year": "2028", "last_year": "2030"},
    )
    assert response.status_code == 302
    plan = Plan.objects.get(title="Piano 2028")
    area = plan.areas.get(code="anziani")
    response = client.post(
        reverse("planning:objective_create", args=[plan.pk]),
        {"title": "Restare a casa", "area": area.pk, "priority": "1"},
    )
    assert response.status_code == 302
    objective = plan.objectives.get()
    response = client.post(
        reverse("planning:action_create", args=[plan.pk]),
        {
            "code": "B1",
            "title": "Assistenza domiciliare",
            "objective": objective.pk,
            "kind": "continuing",
            "cost_2028": "50000",
            "people_2028": "40",
            "milestones": "2028-03-01 | Avvio",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("planning:fund_create", args=[plan.pk]),
        {
            "code": "FNA",
            "source": "FNA",
            "name": "FNA",
            "amount_2028": "30000",
            "eligible_areas": [area.pk],
        },
    )
    assert response.status_code == 302
    fund = plan.funds.get()
    assert not fund.any_area and list(fund.eligible_areas.all()) == [area]
    bad = client.post(
        reverse("planning:action_create", args=[plan.pk]),
        {
            "code": "B2",
            "title": "X",
            "objective": objective.pk,
            "kind": "new",
            "end_date": "2028-01-01",
            "start_date": "2029-01-01",
        },
    )
    assert bad.status_code == 400
    assert "La fine dell&#x27;azione precede" in bad.content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_plan_pages_run_a_fixed_number_of_queries(as_user, districts):
    from tessere.planning import services
    from tessere.profile.models import Need

    small = build_plan(districts.a, actions=2, first_year=2025)
    large = build_plan(districts.a, actions=40, first_year=2028, title="Piano grande")
    for n, objective in enumerate(large.objectives):
        need = Need.objects.create(district=districts.a, statement=f"Bisogno {n}", area="anziani")
        services.save_objective(
            actor=None,
            plan=large.plan,
            area=objective.area,
            title=objective.title,
            priority=objective.priority,
            needs=[need],
            indicator_codes=["IND1"],
            objective=objective,
        )
    approve(small.plan)
    approve(large.plan)
    client = as_user("planner_a")
    for name in ("plan_detail", "allocation_table", "plan_public"):
        counts = [
            _queries(client, reverse(f"planning:{name}", args=[b.plan.pk])) for b in (small, large)
        ]
        assert counts[0] == counts[1], (name, counts)


def test_htmx_request_gets_only_the_checks(as_user, built):
    response = as_user("planner_a").get(
        reverse("planning:allocation_table", args=[built.plan.pk]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="plan-checks"' in html and "<html" not in html


def test_live_checks_preview_writes_nothing(as_user, built):
    fund, action = built.funds["FNPS"], built.actions[0]
    before = list(Allocation.objects.filter(plan=built.plan).values_list("amount", flat=True))
    response = as_user("planner_a").post(
        reverse("planning:allocation_table", args=[built.plan.pk]),
        {cell_name(fund.pk, action.pk, 2025): "999999", "preview": "1"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "non ancora salvati" in html and "non rispettata" in html and "<html" not in html
    after = list(Allocation.objects.filter(plan=built.plan).values_list("amount", flat=True))
    assert after == before


EDIT_PAGES = ["objective_create", "action_create", "fund_create", "proposal"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_editing_pages_matrix(as_user, persona, built):
    client = as_user(persona)
    for name in EDIT_PAGES:
        response = client.get(reverse(f"planning:{name}", args=[built.plan.pk]))
        if persona == "anonymous":
            assert response.status_code == 302
        elif persona in {"planner_a", "multi", "superuser"}:
            assert response.status_code == 200, name
        elif persona in READERS:
            assert response.status_code == 403, name
        else:
            assert response.status_code == 404, name


def test_planner_adds_and_removes_a_resource(as_user, built):
    client = as_user("planner_a")
    url = reverse("planning:resource_create", args=[built.plan.pk])
    response = client.post(
        url, {"kind": "staff", "description": "Assistenti sociali", "fte": "12.5"}
    )
    assert response.status_code == 302
    resource = built.plan.resources.get()
    assert resource.fte == Decimal("12.5")
    assert as_user("mayor_a").post(url, {"kind": "staff", "description": "X"}).status_code == 403
    response = client.post(reverse("planning:resource_delete", args=[built.plan.pk, resource.pk]))
    assert response.status_code == 302 and not built.plan.resources.exists()


def test_planner_renames_an_area_and_mayor_cannot(as_user, built):
    area = built.areas["giovani"]
    url = reverse("planning:area_edit", args=[built.plan.pk, area.pk])
    data = {"code": "giovani", "name": "Giovani e adolescenti", "user_area": ""}
    assert as_user("mayor_a").post(url, data).status_code == 403
    assert as_user("planner_a").get(url).status_code == 200
    assert as_user("planner_a").post(url, data).status_code == 302
    area.refresh_from_db()
    assert area.name == "Giovani e adolescenti"
    clash = as_user("planner_a").post(url, {**data, "code": "anziani"})
    assert clash.status_code == 400


def test_public_plan_links_published_services_to_the_guide(client, built):
    approve(built.plan)
    service = built.actions[0].services.get()
    url = reverse("directory:service", args=[built.plan.district.code, service.pk])
    for page in (
        reverse("planning:plan_public", args=[built.plan.pk]),
        reverse("planning:action_detail", args=[built.plan.pk, built.actions[0].pk]),
    ):
        type(service).objects.filter(pk=service.pk).update(is_published=False)
        assert url not in client.get(page).content.decode()
        type(service).objects.filter(pk=service.pk).update(is_published=True)
        assert f'href="{url}"' in client.get(page).content.decode()
