"""A server-rendered SVG map: the district's municipalities and the services' locations."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tessere.territory.models import District

WIDTH = 600


@dataclass
class Point:
    latitude: float
    longitude: float
    label: str
    url: str


def _rings(boundary: str) -> list[list[tuple[float, float]]]:
    if not boundary:
        return []
    try:
        geometry = json.loads(boundary)
    except ValueError:
        return []
    if geometry.get("type") == "Feature":
        geometry = geometry.get("geometry") or {}
    coordinates = geometry.get("coordinates") or []
    if geometry.get("type") == "Polygon":
        polygons = [coordinates]
    elif geometry.get("type") == "MultiPolygon":
        polygons = coordinates
    else:
        return []
    return [[(float(x), float(y)) for x, y, *_rest in ring] for poly in polygons for ring in poly]


def district_map(district: District, points: list[Point], title: str) -> SafeString:
    municipalities = list(district.municipalities.only("name", "boundary").order_by("name"))
    shapes = [(m.name, _rings(m.boundary)) for m in municipalities]
    xs = [x for _n, rings in shapes for ring in rings for x, _y in ring]
    ys = [y for _n, rings in shapes for ring in rings for _x, y in ring]
    xs += [p.longitude for p in points]
    ys += [p.latitude for p in points]
    if not xs:
        return mark_safe("")
    min_x, max_x, min_y, max_y = min(xs), max(xs), min(ys), max(ys)
    scale_x = math.cos(math.radians((min_y + max_y) / 2))
    span_x = max((max_x - min_x) * scale_x, 1e-6)
    span_y = max(max_y - min_y, 1e-6)
    height = max(200, round(WIDTH * span_y / span_x))
    pad = 10

    def project(x: float, y: float) -> tuple[float, float]:
        px = pad + (x - min_x) * scale_x / span_x * (WIDTH - 2 * pad)
        py = pad + (max_y - y) / span_y * (height - 2 * pad)
        return round(px, 1), round(py, 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'class="directory-map" role="img" aria-labelledby="map-title map-desc">',
        f'<title id="map-title">{escape(title)}</title>',
        '<desc id="map-desc">'
        + escape(
            _(
                "Confini dei comuni dell'ambito e %(n)s sedi dei servizi trovati, elencati anche "
                "nella lista dei risultati."
            )
            % {"n": len(points)}
        )
        + "</desc>",
    ]
    for name, rings in shapes:
        d = " ".join(
            "M" + " L".join(f"{px},{py}" for px, py in (project(x, y) for x, y in ring)) + " Z"
            for ring in rings
        )
        if d:
            parts.append(
                f'<path d="{d}" fill="#eef2f7" stroke="#5c6f82" stroke-width="1">'
                f"<title>{escape(name)}</title></path>"
            )
    for point in points:
        px, py = project(point.longitude, point.latitude)
        parts.append(
            f'<circle cx="{px}" cy="{py}" r="6" fill="#0066cc" stroke="#ffffff" '
            f'stroke-width="2"><title>{escape(point.label)}</title></circle>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
