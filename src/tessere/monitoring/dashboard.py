"""The dashboard of planners and mayors: the numbers (a fixed number of queries) and their
server-rendered SVG charts (matplotlib, imported lazily)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from tessere.access import aggregates
from tessere.core.errors import DomainError
from tessere.monitoring import automatic, selectors
from tessere.monitoring.models import ActionIndicator
from tessere.planning import charts as plan_charts
from tessere.planning.models import Plan


@dataclass
class Dashboard:
    plan: Plan
    year: int
    area_id: int | None
    areas: list[dict[str, Any]] = field(default_factory=list)
    spending: list[dict[str, Any]] = field(default_factory=list)
    lights: list[dict[str, Any]] = field(default_factory=list)
    leps: Any = None
    activity: aggregates.AggregateTable | None = None
    by_municipality: aggregates.AggregateTable | None = None
    municipality: Any = None
    total: float | None = None


def build(
    plan: Plan, *, year: int, area_id: int | None = None, municipality: Any = None
) -> Dashboard:
    """The dashboard's numbers; ``municipality`` (of the district) narrows the access
    activity by month to its residents."""
    data = selectors.plan_outline(plan)
    actions = [a for a in data.actions if area_id is None or a.objective.area_id == area_id]
    result = selectors.rollup(plan, actions)
    board = Dashboard(
        plan=plan, year=year, area_id=area_id, municipality=municipality, total=result.total
    )
    for area in data.areas:
        if area.pk not in result.areas:
            continue
        progress = [p for p in result.actions.values() if p.action.objective.area_id == area.pk]
        board.areas.append(
            {
                "area": area,
                "progress": result.areas[area.pk],
                "actions": len(progress),
                "budget": sum((p.budget for p in progress), Decimal(0)),
                "completed": sum(1 for p in progress if p.status == "completed"),
            }
        )
    board.spending = [r for r in automatic.spending_by_fund(plan) if r["year"] == year]
    indicators_qs = ActionIndicator.objects.filter(action__plan=plan, district=plan.district)
    if area_id is not None:
        indicators_qs = indicators_qs.filter(action__objective__area_id=area_id)
    counts = selectors.light_counts(indicators_qs, year)
    labels = {
        "green": _("obiettivo raggiunto"),
        "yellow": _("vicino all'obiettivo"),
        "red": _("lontano dall'obiettivo"),
        "grey": _("senza dati"),
    }
    board.lights = [{"key": k, "label": labels[k], "count": v} for k, v in counts.items()]
    board.leps = _leps(plan)
    board.activity = aggregates.cases_opened_by_month(
        plan.district, year, municipality.pk if municipality is not None else None
    )
    board.by_municipality = aggregates.cases_opened_by_municipality(plan.district, year)
    return board


def _leps(plan: Plan) -> Any:
    """Social workers against 1:5,000 and 1:4,000, from the profile room's computation."""
    try:
        from tessere.profile.selectors import leps_of, resolve

        return leps_of(resolve("district", plan.district.code))
    except DomainError:  # no such territory in the profile: no LEPS box
        return None


def _bars(labels: list[str], values: list[float], title: str, xlabel: str) -> str:
    return _bars_svg(tuple(labels), tuple(round(v, 1) for v in values), title, xlabel)


@functools.lru_cache(maxsize=128)
def _bars_svg(labels: tuple[str, ...], values: tuple[float, ...], title: str, xlabel: str) -> str:
    """A horizontal bar chart; the same numbers give the same SVG, kept in memory (drawing
    takes about 0.1 s, more than the rest of the dashboard)."""
    plt = plan_charts._pyplot()
    figure, axes = plt.subplots(figsize=(7.5, 0.45 * max(len(labels), 3) + 1.2))
    axes.barh(list(labels[::-1]), list(values[::-1]), color=plan_charts.PALETTE[0])
    axes.set_xlabel(xlabel)
    axes.set_title(title)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return plan_charts._svg(figure, title, _("I valori sono nella tabella che segue."))


def area_chart(board: Dashboard) -> str:
    return plan_charts.data_uri(
        _bars(
            [str(r["area"].name) for r in board.areas],
            [r["progress"] or 0.0 for r in board.areas],
            _("Avanzamento per area (%)"),
            _("avanzamento pesato sul costo (%)"),
        )
    )


def spending_chart(board: Dashboard) -> str:
    return plan_charts.data_uri(
        _bars(
            [r["fund"].code for r in board.spending],
            [float(r["share"] or 0) for r in board.spending],
            _("Spesa su assegnato per fondo, %(year)s (%%)") % {"year": board.year},
            _("speso su assegnato (%)"),
        )
    )
