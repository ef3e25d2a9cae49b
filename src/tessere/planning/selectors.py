"""Reads of the planning room, scoped by the acting user, with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from tessere.core.errors import NotFound
from tessere.core.models import Role
from tessere.core.rules import is_district_staff
from tessere.core.scoping import district_access
from tessere.participation.models import Contribution, Meeting, Table
from tessere.planning.checks import AllocationRow, PlanData
from tessere.planning.models import (
    Action,
    ActionCost,
    ActionPartner,
    Allocation,
    Area,
    Fund,
    FundShare,
    Objective,
    Plan,
    Resource,
)
from tessere.territory.models import District

READ_ROLES = (Role.PLANNER, Role.MAYOR, Role.VIEWER)


def readable_district_ids(actor: Any) -> set[int]:
    """Districts where ``actor`` reads every plan, drafts included."""
    access = district_access(actor)
    return {d.pk for d in access.districts if access.has_role(d, *READ_ROLES)}


def plans(actor: Any, *, district: District | None = None) -> QuerySet[Plan]:
    """Plans ``actor`` may read: every plan of the districts where they plan, approve or
    observe; elsewhere (and for the public) only approved and in-force plans."""
    queryset = Plan.objects.select_related("district")
    if district is not None:
        queryset = queryset.filter(district=district)
    if getattr(actor, "is_superuser", False):
        return queryset
    visible = Q(status__in=Plan.PUBLIC)
    ids = readable_district_ids(actor) if actor is not None else set()
    if ids:
        visible |= Q(district_id__in=ids)
    return queryset.filter(visible)


def public_plans(*, district: District | None = None) -> QuerySet[Plan]:
    queryset = Plan.objects.select_related("district").filter(status__in=Plan.PUBLIC)
    if district is not None:
        queryset = queryset.filter(district=district)
    return queryset


def get_plan(actor: Any, plan_id: int) -> Plan:
    plan = plans(actor).filter(pk=plan_id).first()
    if plan is None:
        raise NotFound(_("Piano non trovato."))
    return plan


def current_plan(district: District) -> Plan | None:
    """The plan in force (else the latest approved) of ``district``."""
    return (
        public_plans(district=district)
        .order_by("-status", "-first_year", "-version")  # "in_force" sorts after "approved"
        .first()
    )


def _action_details() -> list[Any]:
    """What an action's card shows beyond its budget: partners, services, LEPS and the
    contributions it comes from."""
    return [
        Prefetch("partners", queryset=ActionPartner.objects.select_related("organisation")),
        "services",
        "leps",
        Prefetch(
            "origin_contributions",
            queryset=Contribution.objects.select_related("table__district").order_by(
                "table__title", "title", "pk"
            ),
        ),
    ]


def action_details(actions: list[Action]) -> None:
    """Load the details of ``actions`` (from ``plan_data(..., details=False)``) in a fixed
    number of queries: for pages that show the details of a part of a large plan."""
    prefetch_related_objects(actions, *_action_details())


def plan_data(plan: Plan, *, details: bool = True) -> PlanData:
    """Everything of a plan for its pages and documents: a fixed number of queries.

    ``details=False`` leaves out the actions' partners, services, LEPS and contributions
    (four queries and most of the objects of a large plan): enough for budgets, totals,
    checks and charts; ``action_details`` loads them later for some actions."""
    areas = list(Area.objects.filter(plan=plan))
    area_by_id = {a.pk: a for a in areas}
    objectives = list(
        Objective.objects.filter(plan=plan).prefetch_related("needs").order_by("priority", "pk")
    )
    for objective in objectives:
        objective.area = area_by_id[objective.area_id]
    objective_by_id = {o.pk: o for o in objectives}
    # Yearly costs and the funding table as plain values: as model instances (and Django's
    # per-object prefetch) they were most of the time of a large plan's pages. The actions'
    # ``costs`` are still prefetched with ``details``, for the API and the document.
    lookups: list[Any] = []
    if details:
        lookups = [Prefetch("costs", queryset=ActionCost.objects.order_by("year"))]
        lookups += _action_details()
    action_qs = Action.objects.filter(plan=plan)
    if details:  # the responsible body: on the action's page, the document and the API
        action_qs = action_qs.select_related("responsible")
    actions = list(action_qs.prefetch_related(*lookups).order_by("code"))
    for action in actions:
        action.objective = objective_by_id[action.objective_id]
    costs: dict[int, dict[int, Any]] = {}
    if details:
        for action in actions:
            costs[action.pk] = {row.year: row.amount for row in action.costs.all()}
    else:
        for action_id, year, amount in (
            ActionCost.objects.filter(action__plan=plan)
            .order_by("action_id", "year")
            .values_list("action_id", "year", "amount")
        ):
            costs.setdefault(action_id, {})[year] = amount
    funds = list(
        Fund.objects.filter(plan=plan).prefetch_related(
            "amounts",
            "eligible_areas",
            "mandatory_actions",
            Prefetch("shares", queryset=FundShare.objects.select_related("area")),
        )
    )
    allocations = [
        AllocationRow(*row)
        for row in Allocation.objects.filter(plan=plan)
        .order_by("fund__code", "action__code", "year")
        .values_list("fund_id", "action_id", "year", "amount")
    ]
    resources = list(Resource.objects.filter(plan=plan).select_related("organisation"))
    return PlanData(
        plan=plan,
        areas=areas,
        objectives=objectives,
        actions=actions,
        funds=funds,
        allocations=allocations,
        resources=resources,
        costs=costs,
    )


def plan_object(actor: Any, plan: Plan, model: Any, pk: Any) -> Any:
    """An object of ``plan`` (area, objective, action, fund, resource), or ``NotFound``."""
    obj = model.objects.filter(plan=plan, district=plan.district, pk=pk).first()
    if obj is None:
        raise NotFound(_("Elemento non trovato in questo piano."))
    return obj


def linkable_contributions(plan: Plan, action: Action) -> list[Contribution]:
    """The district's published contributions that an action may take up (received, under
    evaluation or accepted), not yet linked to it, ordered by table (one query)."""
    return list(
        Contribution.objects.filter(
            district_id=plan.district_id,
            moderation=Contribution.Moderation.PUBLISHED,
            status__in=["received", "under_evaluation", "accepted"],
        )
        .exclude(plan_actions=action)
        .select_related("table")
        .order_by("table__title", "table_id", "title", "pk")
    )


def linkable_contribution(plan: Plan, pk: Any) -> Contribution:
    contribution = Contribution.objects.filter(district_id=plan.district_id, pk=pk).first()
    if contribution is None:
        raise NotFound(_("Contributo non trovato in questo ambito."))
    return contribution


def show_origins(actor: Any, plan: Plan, actions: list[Any]) -> None:
    """Set ``visible_origins`` on each action: its contributions that ``actor`` may open
    (public tables; every table for the district's staff). No queries (prefetched)."""
    staff = bool(
        actor is not None
        and actor.is_authenticated
        and (actor.is_superuser or is_district_staff(actor, plan.district_id))
    )
    for action in actions:
        action.visible_origins = [
            c for c in action.origin_contributions.all() if staff or c.table.is_public
        ]


@dataclass
class TableSummary:
    table: Table
    meetings_held: int
    by_status: dict[str, int]

    @property
    def contributions(self) -> int:
        return sum(self.by_status.values())


@dataclass
class ParticipationSummary:
    tables: list[TableSummary]
    by_status: dict[str, int]
    meetings_held: int

    @property
    def contributions(self) -> int:
        return sum(self.by_status.values())


def participation_summary(plan: Plan) -> ParticipationSummary:
    """The district's tables of the plan's cycle, with meetings held and published contributions
    by status (three queries)."""
    cycle = f"{plan.first_year}-{plan.last_year}"
    tables = list(
        Table.objects.filter(district_id=plan.district_id, plan_cycle=cycle).order_by(
            "kind", "title"
        )
    )
    ids = [t.pk for t in tables]
    held = dict(
        Meeting.objects.filter(table_id__in=ids, ends_at__lte=timezone.now())
        .order_by()
        .values("table_id")
        .annotate(n=Count("pk"))
        .values_list("table_id", "n")
    )
    counts: dict[int, dict[str, int]] = {}
    for table_id, status, n in (
        Contribution.objects.filter(table_id__in=ids, moderation=Contribution.Moderation.PUBLISHED)
        .order_by()
        .values("table_id", "status")
        .annotate(n=Count("pk"))
        .values_list("table_id", "status", "n")
    ):
        counts.setdefault(table_id, {})[status] = n
    rows = [TableSummary(t, held.get(t.pk, 0), counts.get(t.pk, {})) for t in tables]
    total: dict[str, int] = {}
    for row in rows:
        for status, n in row.by_status.items():
            total[status] = total.get(status, 0) + n
    return ParticipationSummary(rows, total, sum(r.meetings_held for r in rows))
