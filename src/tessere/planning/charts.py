"""Server-rendered SVG charts of a plan (matplotlib, Agg): the same images in pages and
documents. Each SVG carries a <title> and a <desc>; the numbers are also in the tables."""

from __future__ import annotations

import datetime
import functools
import io
import re
from decimal import Decimal
from html import escape
from typing import Any

from django.utils.translation import gettext as _

from tessere.planning.checks import ZERO, PlanData, Totals, totals

# Colours with enough contrast on white (WCAG AA for graphics, 3:1).
PALETTE = ["#0066cc", "#d1344c", "#008055", "#a66300", "#5c2f91", "#00738a", "#6b6b6b", "#995c00"]


def _svg(figure: Any, title: str, description: str) -> str:
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(figure)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    head_end = svg.index(">") + 1
    accessible = f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
    svg = svg[:head_end] + accessible + svg[head_end:]
    return svg.replace("<svg ", '<svg role="img" ', 1)


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.fonttype"] = "none"
    plt.rcParams["font.family"] = "DejaVu Sans"
    plt.rcParams["svg.hashsalt"] = "tessere"  # stable ids: the same plan, the same image
    return plt


def funding_by_area(data: PlanData, t: Totals | None = None) -> str:
    """Stacked bars: for each area, what each fund gives over the plan's years."""
    t = t or totals(data)
    actions = {a.pk: a for a in data.actions}
    areas = [a for a in data.areas if any(o.area_id == a.pk for o in data.objectives)]
    values: dict[tuple[int, int], Decimal] = {}
    for allocation in data.allocations:
        area_id = actions[allocation.action_id].objective.area_id
        key = (allocation.fund_id, area_id)
        values[key] = values.get(key, ZERO) + allocation.amount
    bars = tuple(
        (fund.code, tuple(float(values.get((fund.pk, a.pk), ZERO)) / 1000 for a in areas))
        for fund in data.funds
    )
    description = _("Totale assegnato %(total)s euro su %(areas)s aree.") % {
        "total": f"{t.total:,.0f}".replace(",", "."),
        "areas": len(areas),
    }
    return _funding_by_area_svg(
        tuple(str(a.name) for a in areas),
        bars,
        _("Finanziamenti per area di intervento e fondo"),
        description,
        _("migliaia di euro, tutti gli anni"),
    )


@functools.lru_cache(maxsize=64)
def _funding_by_area_svg(
    areas: tuple[str, ...],
    bars: tuple[tuple[str, tuple[float, ...]], ...],
    title: str,
    description: str,
    xlabel: str,
) -> str:
    """Draws the chart of ``funding_by_area``: the same numbers (and language) give the same
    SVG, kept in memory, as the monitoring room keeps its charts (drawing takes about 0.4 s
    for a large plan, more than the rest of the public plan page)."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(7.5, 0.45 * max(len(areas), 3) + 1.2))
    left = [0.0] * len(areas)
    for index, (code, widths) in enumerate(bars):
        axes.barh(
            list(areas), list(widths), left=left, label=code, color=PALETTE[index % len(PALETTE)]
        )
        left = [x + w for x, w in zip(left, widths, strict=True)]
    axes.invert_yaxis()
    axes.set_xlabel(xlabel)
    if bars:
        axes.legend(loc="lower right", fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure, title, description)


def funding_by_year(data: PlanData, t: Totals | None = None) -> str:
    """Bars per year: cost of the actions and amount financed."""
    plt = _pyplot()
    t = t or totals(data)
    years = data.years
    figure, axes = plt.subplots(figsize=(6, 3))
    positions = range(len(years))
    axes.bar(
        [p - 0.2 for p in positions],
        [float(t.cost_by_year.get(y, ZERO)) / 1000 for y in years],
        width=0.4,
        label=_("costo"),
        color=PALETTE[6],
    )
    axes.bar(
        [p + 0.2 for p in positions],
        [float(t.by_year.get(y, ZERO)) / 1000 for y in years],
        width=0.4,
        label=_("finanziato"),
        color=PALETTE[0],
    )
    axes.set_xticks(list(positions), [str(y) for y in years])
    axes.set_ylabel(_("migliaia di euro"))
    axes.legend(fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(
        figure,
        _("Costi e finanziamenti per anno"),
        _("Per ogni anno del piano, costo delle azioni e importo finanziato."),
    )


def timeline(data: PlanData) -> str:
    """A Gantt chart of the actions, from start to end, with milestones as dots."""
    plt = _pyplot()
    import matplotlib.dates as mdates

    first = datetime.date(data.plan.first_year, 1, 1)
    last = datetime.date(data.plan.last_year, 12, 31)
    rows = data.actions
    figure, axes = plt.subplots(figsize=(7.5, 0.22 * max(len(rows), 4) + 1))
    for index, action in enumerate(rows):
        start = action.start_date or first
        end = action.end_date or last
        axes.barh(
            index,
            (end - start).days or 1,
            left=mdates.date2num(start),
            height=0.6,
            color=PALETTE[(action.objective.area.position or 0) % len(PALETTE)],
        )
        for milestone in action.milestones:
            try:
                when = datetime.date.fromisoformat(milestone["date"])
            except (KeyError, ValueError):
                continue
            axes.plot(mdates.date2num(when), index, "k|", markersize=8)
    axes.set_yticks(range(len(rows)), [a.code for a in rows], fontsize=7 if len(rows) < 40 else 5)
    axes.set_ylim(len(rows) - 0.5, -0.5)
    axes.set_xlim(mdates.date2num(first), mdates.date2num(last))
    axes.xaxis.set_major_locator(mdates.YearLocator())
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    axes.grid(axis="x", color="#cccccc")
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(
        figure,
        _("Cronoprogramma delle azioni"),
        _("%(n)s azioni dal %(first)s al %(last)s; i trattini sono le tappe.")
        % {"n": len(rows), "first": data.plan.first_year, "last": data.plan.last_year},
    )


def data_uri(svg: str) -> str:
    """The SVG as a data: URI for an <img> (CSP allows data: images, not inline styles)."""
    import base64

    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
