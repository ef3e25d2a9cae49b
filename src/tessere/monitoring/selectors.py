"""Reads of the monitoring room: the progress roll-up and the data of its pages.

Everything of a plan is read in a fixed number of queries, whatever the number of actions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery, Sum, prefetch_related_objects
from django.db.models.fields.json import KeyTextTransform
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


def latest_states(actions: Iterable[Action]) -> dict[int, tuple[str, int]]:
    """The (status, percent) of the latest progress entry of each action: one query, plain
    tuples rather than model instances."""
    states: dict[int, tuple[str, int]] = {}
    ids = [a.pk for a in actions]
    for action_id, status, percent in (
        ProgressEntry.objects.filter(action_id__in=ids)
        .order_by("date", "pk")
        .values_list("action_id", "status", "percent")
    ):
        states[action_id] = (status, percent)
    return states


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


def rollup(
    plan: Plan,
    actions: list[Action] | None = None,
    states: Mapping[int, tuple[str, int]] | None = None,
) -> Rollup:
    """Progress of actions rolled up to objectives, areas and the plan (see
    ``docs/monitoring.md``): at every level the mean of the actions' percents weighted by
    their budgets, cancelled actions left out. ``states``: the latest (status, percent) of
    each action when the caller has read them already."""
    if actions is None:
        actions = list(
            Action.objects.filter(plan=plan).select_related("objective").order_by("code")
        )
    budgets = action_budgets(plan)
    if states is None:
        states = latest_states(actions)
    result = Rollup(plan=plan)
    by_objective: dict[int, list[tuple[Decimal, float]]] = defaultdict(list)
    by_area: dict[int, list[tuple[Decimal, float]]] = defaultdict(list)
    everything: list[tuple[Decimal, float]] = []
    not_started = ProgressEntry.Status.NOT_STARTED
    for action in actions:
        status, percent = states.get(action.pk, (not_started, 0))
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


def light(indicator: ActionIndicator | IndicatorRow, value: Decimal | None, year: int) -> str:
    """Traffic light of a value against the target of ``year``: green when reached, yellow
    when at least 75% of the way from the baseline, red otherwise; grey without data."""
    return light_of(
        value, indicator.target_for(year), indicator.baseline, indicator.higher_is_better
    )


def light_of(
    value: Decimal | None, target_text: str | None, baseline: Decimal | None, higher_is_better: bool
) -> str:
    """``light`` from the values themselves."""
    if value is None or target_text is None:
        return "grey"
    target = Decimal(target_text)
    base = baseline if baseline is not None else Decimal(0)
    if not higher_is_better:
        value, target, base = -value, -target, -base
    if value >= target:
        return "green"
    span = target - base
    if span > 0 and (value - base) / span >= Decimal("0.75"):
        return "yellow"
    return "red"


def _latest_subqueries(year: int | None) -> dict[str, Any]:
    measurements = Measurement.objects.filter(indicator=OuterRef("pk"))
    if year is not None:
        measurements = measurements.filter(date__year=year)
    latest = measurements.order_by("-date")
    return {
        "latest_date": Subquery(latest.values("date")[:1]),
        "latest_value": Subquery(latest.values("value")[:1]),
    }


def light_counts(queryset: QuerySet[ActionIndicator], year: int) -> dict[str, int]:
    """How many of the indicators are green, yellow, red and grey in ``year`` (``light``),
    in one query reading only what the light needs: the latest value of the year and the
    target of the year taken out of the JSON by the database (the dashboard over 2,000
    indicators)."""
    latest = (
        Measurement.objects.filter(indicator=OuterRef("pk"), date__year=year)
        .order_by("-date")
        .values("value")[:1]
    )
    rows = (
        queryset.order_by()
        .annotate(latest=Subquery(latest), target=KeyTextTransform(str(year), "targets"))
        .values_list("latest", "target", "baseline", "higher_is_better")
    )
    counts = {"green": 0, "yellow": 0, "red": 0, "grey": 0}
    for value, target, baseline, higher in rows:
        target_text = None if target in (None, "") else str(target)
        counts[light_of(value, target_text, baseline, higher)] += 1
    return counts


def latest_values(
    queryset: QuerySet[ActionIndicator], fields: list[str], year: int | None = None
) -> list[dict[str, Any]]:
    """As ``with_latest``, but dictionaries of ``fields`` (which may name ``latest_date``
    and ``latest_value``) rather than model instances: for pages listing thousands."""
    return list(queryset.annotate(**_latest_subqueries(year)).values(*fields))


def with_latest(queryset: QuerySet[ActionIndicator], year: int | None = None) -> list[Any]:
    """The indicators with ``latest_date`` and ``latest_value``: their latest measurement
    (of ``year`` when given), read by the database in the same query."""
    return list(queryset.annotate(**_latest_subqueries(year)))


class IndicatorRow:
    """The fields of an indicator that pages listing thousands need, read with ``values()``
    (building 2,000 model instances took a tenth of the public page's time); it answers
    ``target_for`` like the model, so ``light`` and ``automatic.public_value`` take it."""

    __slots__ = (
        "action_id",
        "baseline",
        "higher_is_better",
        "latest_date",
        "latest_value",
        "name",
        "pk",
        "source",
        "targets",
        "unit",
    )
    #: What ``values()`` reads: the slots, with ``id`` for ``pk``.
    FIELDS = ["id" if name == "pk" else name for name in __slots__]
    pk: int
    action_id: int
    name: str
    unit: str
    baseline: Decimal | None
    targets: dict[str, Any]
    higher_is_better: bool
    source: str
    latest_date: Any
    latest_value: Decimal | None

    def __init__(self, row: dict[str, Any]) -> None:
        self.load(row)

    def target_for(self, year: int) -> str | None:
        value = (self.targets or {}).get(str(year))
        return None if value in (None, "") else str(value)

    def load(self, row: dict[str, Any]) -> IndicatorRow:
        for name in self.__slots__:
            setattr(self, name, row["id" if name == "pk" else name])
        return self


def each_indicator(
    queryset: QuerySet[ActionIndicator], year: int | None = None
) -> Iterator[IndicatorRow]:
    """The indicators with their latest measurement (of ``year`` when given), in one query,
    as ONE ``IndicatorRow`` refilled for each: keep what you need from it, not the object.
    Pages over 2,000 indicators otherwise create thousands of objects that the garbage
    collector then walks (the public page's slowest requests were its collections)."""
    rows = latest_values(queryset, IndicatorRow.FIELDS, year)
    if not rows:
        return
    current = IndicatorRow(rows[0])
    for row in rows:
        yield current.load(row)


@dataclass
class PlanOutline:
    """Areas, objectives and actions of a plan: what the monitoring pages show of it."""

    areas: list[Area]
    objectives: list[Objective]
    actions: list[Action]


def plan_outline(plan: Plan) -> PlanOutline:
    """The plan's areas, objectives and actions (``action.objective.area`` set without
    queries) in three queries. Lighter than ``planning.selectors.plan_data``, which also loads
    costs, partners, funds and allocations."""
    areas = list(Area.objects.filter(plan=plan))
    area_by_id = {a.pk: a for a in areas}
    objectives = list(Objective.objects.filter(plan=plan).order_by("priority", "pk"))
    for objective in objectives:
        objective.area = area_by_id[objective.area_id]
    objective_by_id = {o.pk: o for o in objectives}
    actions = list(Action.objects.filter(plan=plan).order_by("code"))
    for action in actions:
        action.objective = objective_by_id[action.objective_id]
    return PlanOutline(areas=areas, objectives=objectives, actions=actions)


def load_origins(plan: Plan, actions: list[Action]) -> list[Action]:
    """The contributions that ``actions`` answer, prefetched in one or two queries; return
    the actions that answer some (for ``planning.selectors.show_origins``). The others get
    an empty ``visible_origins``: most actions of a large plan answer none, and a page shows
    the contributions of the actions it details only. The contributions' model is reached
    through planning's relation: monitoring stands on planning."""
    relation: Any = Action._meta.get_field("origin_contributions")
    through: Any = relation.remote_field.through
    wanted = {a.pk for a in actions}
    linked = (
        set(
            through.objects.filter(action__plan=plan, action_id__in=wanted).values_list(
                "action_id", flat=True
            )
        )
        if wanted
        else set()
    )
    answering = [a for a in actions if a.pk in linked]
    for action in actions:
        if action.pk not in linked:
            action.visible_origins = []  # type: ignore[attr-defined]
    if answering:
        prefetch_related_objects(
            answering,
            Prefetch(
                "origin_contributions",
                queryset=relation.related_model.objects.select_related("table__district").order_by(
                    "table__title", "title", "pk"
                ),
            ),
        )
    return answering


def italian_number(value: Decimal | int | float | None, places: int | None = None) -> str:
    """``1234.5`` as ``1.234,5`` (``places`` decimals, else as stored), cheaply: the public
    page formats thousands of values."""
    if value is None:
        return "—"
    number = Decimal(str(value))
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places))
    return f"{number:,}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
