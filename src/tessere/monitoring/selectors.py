"""Reads of the monitoring room: the progress roll-up and the data of its pages.

Everything of a plan is read in a fixed number of queries, whatever the number of actions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.utils.translation import gettext as _

from tessere.core.errors import NotFound, PermissionDenied
from tessere.monitoring.models import ActionIndicator, Measurement, ProgressEntry
from tessere.planning.models import Action, ActionCost, Area, Objective, Plan

ZERO = Decimal("0")
CENT = Decimal("0.01")


def weighted_mean(items: Iterable[tuple[Decimal, float]]) -> float | None:
    """Σ wᵢpᵢ / Σ wᵢ over (weight, percent) pairs.

    Items with a zero weight do not count, unless every weight is zero: then the plain mean of
    the percents. ``None`` when there is nothing to average."""
    pairs = [(Decimal(w), float(p)) for w, p in items]
    if not pairs:
        return None
    total = sum((w for w, _p in pairs), ZERO)
    if total <= 0:
        return sum(p for _w, p in pairs) / len(pairs)
    return sum(float(w) * p for w, p in pairs if w > 0) / float(total)


def action_budgets(plan: Plan) -> dict[int, Decimal]:
    """Budget of each action: the sum of its costs over the plan years (one query)."""
    rows = (
        ActionCost.objects.filter(
            action__plan=plan, year__gte=plan.first_year, year__lte=plan.last_year
        )
        .values("action")
        .annotate(total=Sum("amount"))
        .values_list("action", "total")
    )
    return {action_id: (total or ZERO).quantize(CENT) for action_id, total in rows}


def latest_progress(actions: Iterable[Action]) -> dict[int, ProgressEntry]:
    """The latest progress entry of each action (by date, then by entry; one query)."""
    latest: dict[int, ProgressEntry] = {}
    ids = [a.pk for a in actions]
    for entry in ProgressEntry.objects.filter(action_id__in=ids).order_by("date", "pk"):
        latest[entry.action_id] = entry
    return latest


@dataclass
class ActionProgress:
    action: Action
    budget: Decimal
    status: str
    status_label: str
    percent: int
    counted: bool  # False for cancelled actions, left out of the roll-up


@dataclass
class Rollup:
    plan: Plan
    actions: dict[int, ActionProgress] = field(default_factory=dict)
    objectives: dict[int, float | None] = field(default_factory=dict)
    areas: dict[int, float | None] = field(default_factory=dict)
    total: float | None = None


def rollup(plan: Plan, actions: list[Action] | None = None) -> Rollup:
    """Progress of actions rolled up to objectives, areas and the plan (see
    ``docs/monitoring.md``): at every level the mean of the actions' percents weighted by
    their budgets, cancelled actions left out."""
    if actions is None:
        actions = list(
            Action.objects.filter(plan=plan).select_related("objective").order_by("code")
        )
    budgets = action_budgets(plan)
    latest = latest_progress(actions)
    result = Rollup(plan=plan)
    by_objective: dict[int, list[tuple[Decimal, float]]] = defaultdict(list)
    by_area: dict[int, list[tuple[Decimal, float]]] = defaultdict(list)
    everything: list[tuple[Decimal, float]] = []
    not_started = ProgressEntry.Status.NOT_STARTED
    for action in actions:
        entry = latest.get(action.pk)
        status = entry.status if entry else not_started
        percent = entry.percent if entry else 0
        budget = budgets.get(action.pk, ZERO)
        counted = status != ProgressEntry.Status.CANCELLED
        result.actions[action.pk] = ActionProgress(
            action=action,
            budget=budget,
            status=status,
            status_label=str(ProgressEntry.Status(status).label),
            percent=percent,
            counted=counted,
        )
        by_objective.setdefault(action.objective_id, [])
        by_area.setdefault(action.objective.area_id, [])
        if counted:
            pair = (budget, float(percent))
            by_objective[action.objective_id].append(pair)
            by_area[action.objective.area_id].append(pair)
            everything.append(pair)
    result.objectives = {k: weighted_mean(v) for k, v in by_objective.items()}
    result.areas = {k: weighted_mean(v) for k, v in by_area.items()}
    result.total = weighted_mean(everything)
    return result


# --------------------------------------------------------------------------- scoping


def can_read(actor: Any, plan: Plan) -> bool:
    return bool(actor is not None and actor.has_perm("monitoring.view_monitoring", plan.district))


def require_reader(actor: Any, plan: Plan) -> None:
    if not can_read(actor, plan):
        raise PermissionDenied(_("Non hai accesso al monitoraggio di questo ambito."))


def plan_action(plan: Plan, action_id: int) -> Action:
    action = (
        Action.objects.filter(plan=plan, district=plan.district, pk=action_id)
        .select_related("objective__area", "plan__district")
        .first()
    )
    if action is None:
        raise NotFound(_("Azione non trovata in questo piano."))
    return action


def indicators_of(action: Action) -> list[ActionIndicator]:
    indicators = list(
        ActionIndicator.objects.filter(action=action, district=action.district).order_by("pk")
    )
    measurements: dict[int, list[Measurement]] = defaultdict(list)
    for m in Measurement.objects.filter(indicator__in=indicators).order_by("date"):
        measurements[m.indicator_id].append(m)
    for indicator in indicators:
        indicator.measurement_list = measurements[indicator.pk]  # type: ignore[attr-defined]
    return indicators


def progress_of(action: Action) -> list[ProgressEntry]:
    return list(
        ProgressEntry.objects.filter(action=action, district=action.district).order_by(
            "-date", "-pk"
        )
    )


def light(indicator: ActionIndicator, value: Decimal | None, year: int) -> str:
    """Traffic light of a value against the target of ``year``: green when reached, yellow
    when at least 75% of the way from the baseline, red otherwise; grey without data."""
    target_text = indicator.target_for(year)
    if value is None or target_text is None:
        return "grey"
    target = Decimal(target_text)
    base = indicator.baseline if indicator.baseline is not None else Decimal(0)
    if not indicator.higher_is_better:
        value, target, base = -value, -target, -base
    if value >= target:
        return "green"
    span = target - base
    if span > 0 and (value - base) / span >= Decimal("0.75"):
        return "yellow"
    return "red"


def with_latest(queryset: QuerySet[ActionIndicator], year: int | None = None) -> list[Any]:
    """The indicators with ``latest_date`` and ``latest_value``: their latest measurement
    (of ``year`` when given), read by the database in the same query."""
    measurements = Measurement.objects.filter(indicator=OuterRef("pk"))
    if year is not None:
        measurements = measurements.filter(date__year=year)
    latest = measurements.order_by("-date")
    return list(
        queryset.annotate(
            latest_date=Subquery(latest.values("date")[:1]),
            latest_value=Subquery(latest.values("value")[:1]),
        )
    )


@dataclass
class PlanOutline:
    """Areas, objectives and actions of a plan: what the monitoring pages show of it."""

    areas: list[Area]
    objectives: list[Objective]
    actions: list[Action]


def plan_outline(plan: Plan, *, origins: bool = False) -> PlanOutline:
    """The plan's areas, objectives and actions (``action.objective.area`` set without
    queries) in three queries, four with ``origins`` (the contributions each action answers,
    for ``planning.selectors.show_origins``). Lighter than ``planning.selectors.plan_data``,
    which also loads costs, partners, funds and allocations."""
    areas = list(Area.objects.filter(plan=plan))
    area_by_id = {a.pk: a for a in areas}
    objectives = list(Objective.objects.filter(plan=plan).order_by("priority", "pk"))
    for objective in objectives:
        objective.area = area_by_id[objective.area_id]
    objective_by_id = {o.pk: o for o in objectives}
    actions_qs = Action.objects.filter(plan=plan).order_by("code")
    if origins:
        # The contributions' model, reached through planning's relation (monitoring stands
        # on planning, not on participation).
        contribution = Action._meta.get_field("origin_contributions").related_model
        actions_qs = actions_qs.prefetch_related(
            Prefetch(
                "origin_contributions",
                queryset=contribution.objects.select_related("table__district").order_by(
                    "table__title", "title", "pk"
                ),
            )
        )
    actions = list(actions_qs)
    for action in actions:
        action.objective = objective_by_id[action.objective_id]
    return PlanOutline(areas=areas, objectives=objectives, actions=actions)


def italian_number(value: Decimal | int | float | None, places: int | None = None) -> str:
    """``1234.5`` as ``1.234,5`` (``places`` decimals, else as stored), cheaply: the public
    page formats thousands of values."""
    if value is None:
        return "—"
    number = Decimal(str(value))
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places))
    return f"{number:,}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
