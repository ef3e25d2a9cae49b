"""Charts and maps of the profile, drawn with matplotlib (Agg) as SVG or PNG.

Every SVG carries a <title> and a <desc>; the pages show the same numbers in a table.
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from django.utils.formats import number_format
from django.utils.translation import gettext as _

# Colour-blind safe sequential blues, light to dark (all distinguishable on white).
PALETTE = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
NO_DATA = "#d9d9d9"
MALES = "#0066cc"
FEMALES = "#b5173b"
TEXT = "#17324d"

AGE_GROUPS = [(lo, lo + 4) for lo in range(0, 100, 5)] + [(100, 100)]


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "svg.fonttype": "none",
            "svg.hashsalt": "tessere",
            "font.family": "DejaVu Sans",
            "font.size": 9,
            "axes.edgecolor": TEXT,
            "text.color": TEXT,
            "axes.labelcolor": TEXT,
            "xtick.color": TEXT,
            "ytick.color": TEXT,
        }
    )
    return plt


def _save(fig: Any, fmt: str, title: str, desc: str) -> bytes:
    plt = _pyplot()
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {}
    fig.savefig(buffer, format=fmt, bbox_inches="tight", dpi=150, metadata=metadata)
    plt.close(fig)
    data = buffer.getvalue()
    if fmt != "svg":
        return data
    text = data.decode("utf-8")
    accessible = (
        f'<title id="chart-title">{escape(title)}</title>'
        f'<desc id="chart-desc">{escape(desc)}</desc>'
    )
    text = re.sub(
        r"(<svg\b[^>]*?)>",
        lambda m: m.group(1) + ' role="img" aria-labelledby="chart-title chart-desc">' + accessible,
        text,
        count=1,
    )
    return text.encode("utf-8")


def group_pyramid(rows: Sequence[tuple[int, int, int]]) -> list[tuple[str, int, int]]:
    """Single ages (age, males, females) → five-year groups with a label."""
    out = []
    for lo, hi in AGE_GROUPS:
        males = sum(m for age, m, _f in rows if lo <= age <= hi)
        females = sum(f for age, _m, f in rows if lo <= age <= hi)
        label = f"{lo}-{hi}" if hi > lo else f"{lo}+"
        out.append((label, males, females))
    return out


def pyramid(groups: Sequence[tuple[str, int, int]], *, title: str, fmt: str = "svg") -> bytes:
    plt = _pyplot()
    labels = [g[0] for g in groups]
    males = [g[1] for g in groups]
    females = [g[2] for g in groups]
    fig, ax = plt.subplots(figsize=(6.5, 5))
    positions = list(range(len(groups)))
    ax.barh(positions, [-m for m in males], color=MALES, label=_("Maschi"))
    ax.barh(positions, females, color=FEMALES, label=_("Femmine"))
    ax.set_yticks(positions, labels)
    top = max([*males, *females, 1])
    ax.set_xlim(-top * 1.1, top * 1.1)
    ticks = ax.get_xticks()
    ax.set_xticks(ticks, [number_format(abs(t), 0, force_grouping=True) for t in ticks])
    ax.set_xlabel(_("Residenti"))
    ax.set_ylabel(_("Età"))
    ax.axvline(0, color=TEXT, linewidth=0.6)
    ax.legend(loc="upper right", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title)
    total_m, total_f = sum(males), sum(females)
    desc = _(
        "Piramide per classi di età di 5 anni: maschi a sinistra (%(m)s in tutto), "
        "femmine a destra (%(f)s in tutto). I numeri sono nella tabella che segue."
    ) % {
        "m": number_format(total_m, 0, force_grouping=True),
        "f": number_format(total_f, 0, force_grouping=True),
    }
    return _save(fig, fmt, title, desc)


@dataclass
class MapArea:
    name: str
    boundary: str  # GeoJSON geometry (Polygon or MultiPolygon) as text
    value: float | None


def classes(values: Sequence[float], n: int = len(PALETTE)) -> list[float]:
    """Upper bounds of ``n`` classes of equal count (quantiles), without repeats."""
    ordered = sorted(values)
    if not ordered:
        return []
    bounds = []
    for i in range(1, n + 1):
        index = min(len(ordered) - 1, math.ceil(i * len(ordered) / n) - 1)
        bounds.append(ordered[index])
    unique: list[float] = []
    for bound in bounds:
        if not unique or bound > unique[-1]:
            unique.append(bound)
    return unique


def colour_for(value: float | None, bounds: Sequence[float]) -> str:
    if value is None or not bounds:
        return NO_DATA
    for i, bound in enumerate(bounds):
        if value <= bound:
            # Spread the classes over the palette when there are fewer than five.
            step = (len(PALETTE) - 1) / max(1, len(bounds) - 1)
            return PALETTE[round(i * step)] if len(bounds) > 1 else PALETTE[2]
    return PALETTE[-1]


def _rings(boundary: str) -> list[list[tuple[float, float]]]:
    try:
        geometry = json.loads(boundary)
    except (TypeError, ValueError):
        return []
    if geometry.get("type") == "Feature":
        geometry = geometry.get("geometry") or {}
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates") or []
    polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    return [
        [(float(x), float(y)) for x, y, *_rest in polygon[0]] for polygon in polygons if polygon
    ]


def choropleth(
    areas: Sequence[MapArea],
    *,
    title: str,
    legend_title: str,
    decimals: int = 1,
    fmt: str = "svg",
) -> bytes:
    """A map of the areas coloured by value in five quantile classes, with a legend."""
    plt = _pyplot()
    from matplotlib.patches import Patch, Polygon

    fig, ax = plt.subplots(figsize=(6.5, 6))
    present = [a.value for a in areas if a.value is not None]
    bounds = classes(present)
    latitudes: list[float] = []
    for area in areas:
        colour = colour_for(area.value, bounds)
        for ring in _rings(area.boundary):
            ax.add_patch(
                Polygon(ring, closed=True, facecolor=colour, edgecolor="#ffffff", linewidth=0.6)
            )
            latitudes.extend(y for _x, y in ring)
    ax.autoscale_view()
    mean_latitude = sum(latitudes) / len(latitudes) if latitudes else 42.0
    ax.set_aspect(1 / math.cos(math.radians(mean_latitude)))
    ax.set_axis_off()
    ax.set_title(title)
    handles = []
    lower = min(present) if present else 0.0
    for i, bound in enumerate(bounds):
        label = (
            f"{number_format(lower, decimals, force_grouping=True)} – "
            f"{number_format(bound, decimals, force_grouping=True)}"
        )
        handles.append(Patch(facecolor=colour_for(bound, bounds), edgecolor=TEXT, label=label))
        lower = bound if i + 1 < len(bounds) else lower
    if any(a.value is None for a in areas):
        handles.append(Patch(facecolor=NO_DATA, edgecolor=TEXT, label=_("nessun dato")))
    if handles:
        ax.legend(
            handles=handles,
            title=legend_title,
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
            frameon=False,
        )
    desc = _(
        "Mappa dei %(n)s comuni colorati per classi di valore (dal più chiaro, valori più bassi, "
        "al più scuro, valori più alti): %(items)s."
    ) % {
        "n": len(areas),
        "items": "; ".join(
            f"{a.name} {number_format(a.value, decimals, force_grouping=True)}"
            if a.value is not None
            else f"{a.name} {_('nessun dato')}"
            for a in areas
        ),
    }
    return _save(fig, fmt, title, desc)


def trend(
    series: Sequence[tuple[str, Sequence[tuple[int, float | None]]]],
    *,
    title: str,
    unit: str,
    fmt: str = "svg",
) -> bytes:
    """Lines of an indicator over the loaded years, one per territory."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.5, 3.5))
    colours = [MALES, FEMALES, "#2e7d32"]
    parts = []
    for i, (label, points) in enumerate(series):
        xs = [x for x, y in points if y is not None]
        ys = [y for _x, y in points if y is not None]
        ax.plot(xs, ys, marker="o", color=colours[i % len(colours)], label=label)
        parts.append(
            label
            + " "
            + ", ".join(
                f"{x}: {number_format(y, 1, force_grouping=True)}"
                for x, y in zip(xs, ys, strict=True)
            )
        )
    years = sorted({x for _label, points in series for x, _y in points})
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_ylabel(unit)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False)
    ax.set_title(title)
    desc = _("Andamento negli anni caricati. %(items)s.") % {"items": "; ".join(parts)}
    return _save(fig, fmt, title, desc)
