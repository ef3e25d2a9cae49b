"""Public pages of the profile: a district's and a municipality's, their charts and exports."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tessere.core.errors import DomainError, NotFound
from tessere.profile import charts, exports, selectors
from tessere.profile.compute import age_pyramid
from tessere.profile.indicators import Indicator
from tessere.profile.models import TerritoryKind
from tessere.profile.selectors import Profile, Territory
from tessere.profile.templatetags.profile_tags import format_value

DEFAULT_MAP_INDICATOR = "quota_65"
SVG = "image/svg+xml"


def _year(request: HttpRequest) -> int | None:
    raw = request.GET.get("year", "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise DomainError(_("Anno non valido: %(year)s.") % {"year": raw})
    return int(raw)


def _load(kind: str, code: str, request: HttpRequest) -> Profile:
    try:
        territory = selectors.resolve(kind, code)
        return selectors.territory_profile(territory, year=_year(request))
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return render(request, "profile/error.html", {"reason": exc.message}, status=exc.status_code)


def _chosen_indicator(profile: Profile, request: HttpRequest) -> Indicator:
    code = request.GET.get("indicator", "").strip() or DEFAULT_MAP_INDICATOR
    return profile.indicator(code) or profile.indicator(DEFAULT_MAP_INDICATOR)  # type: ignore[return-value]


def _trend_indicator(profile: Profile, chosen: Indicator) -> Indicator:
    """Imported indicators have no series of their own over the population's years."""
    if chosen.imported:
        return profile.indicator(DEFAULT_MAP_INDICATOR)  # type: ignore[return-value]
    return chosen


def _sorted_parts(profile: Profile, sort: str, order: str) -> list[selectors.Part]:
    parts = list(profile.parts)
    if sort == "name" or profile.indicator(sort) is None:
        parts.sort(key=lambda p: p.municipality.name, reverse=order == "desc")
        return parts
    present = [p for p in parts if p.values.get(sort) is not None]
    missing = [p for p in parts if p.values.get(sort) is None]
    present.sort(key=lambda p: p.values[sort] or 0.0, reverse=order == "desc")
    return present + missing


def municipality_rows(profile: Profile, parts: list[selectors.Part]) -> SafeString:
    """The rows of the table "Indicatori per comune" (every indicator of every municipality:
    1,200 cells for a district of 47), written here rather than by the template engine,
    which took most of the page's time; the same HTML the loop of filters wrote."""
    indicators = profile.indicators
    rows = []
    for part in parts:
        municipality = part.municipality
        url = reverse("profile:municipality", args=[municipality.code])
        cells = []
        for indicator in indicators:
            rank = part.ranks.get(indicator.code)
            text = str(escape(format_value(part.values.get(indicator.code), indicator)))
            if rank:
                text += f' <span class="small">({escape(number_format(rank))})</span>'
            cells.append(f'<td class="num">{text}</td>')
        rows.append(
            f'<tr><th scope="row"><a href="{escape(url)}">{escape(municipality.name)}</a></th>'
            + "".join(cells)
            + "</tr>"
        )
    return mark_safe("\n".join(rows))


def _page_context(request: HttpRequest, profile: Profile) -> dict[str, Any]:
    indicator = _chosen_indicator(profile, request)
    trend_indicator = _trend_indicator(profile, indicator)
    sort = request.GET.get("sort", "name")
    order = "desc" if request.GET.get("order") == "desc" else "asc"
    base_query = {"year": profile.year, "indicator": indicator.code}
    parts = _sorted_parts(profile, sort, order)
    return {
        "profile": profile,
        "territory": profile.territory,
        "map_indicator": indicator,
        "map_query": urlencode(base_query),
        "year_query": urlencode({"year": profile.year}),
        "sort": sort,
        "order": order,
        "parts": parts,
        "municipality_rows": municipality_rows(profile, parts),
        "sort_links": {
            code: "?"
            + urlencode(
                {
                    **base_query,
                    "sort": code,
                    "order": "asc" if sort == code and order == "desc" else "desc",
                }
            )
            + "#tabella-comuni"
            for code in ["name", *(i.code for i in profile.indicators)]
        },
        "map_rows": _map_rows(profile, indicator),
        "trend_rows": _trend_rows(profile),
        "trend_indicator": trend_indicator,
        "trend_series": trend_series(profile, trend_indicator),
    }


def _map_rows(profile: Profile, indicator: Indicator) -> list[dict[str, Any]]:
    return [
        {
            "name": part.municipality.name,
            "code": part.municipality.code,
            "value": part.values.get(indicator.code),
            "rank": part.ranks.get(indicator.code),
        }
        for part in sorted(profile.parts, key=lambda p: p.municipality.name)
    ]


def trend_series(
    profile: Profile, indicator: Indicator
) -> list[tuple[str, list[tuple[int, float | None]]]]:
    """The indicator over the loaded years: the territory and, for rates, region and Italy."""
    series = [
        (
            profile.territory.name,
            [(y, profile.by_year.get(y, {}).get(indicator.code)) for y in profile.years],
        )
    ]
    if not indicator.additive:
        if profile.region_name and profile.territory.kind != TerritoryKind.REGION:
            series.append(
                (
                    profile.region_name,
                    [
                        (y, profile.region_by_year.get(y, {}).get(indicator.code))
                        for y in profile.years
                    ],
                )
            )
        if profile.territory.kind != TerritoryKind.ITALY:
            series.append(
                (
                    _("Italia"),
                    [
                        (y, profile.italy_by_year.get(y, {}).get(indicator.code))
                        for y in profile.years
                    ],
                )
            )
    return series


def trend_svg(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    if kind not in (TerritoryKind.DISTRICT, TerritoryKind.MUNICIPALITY):
        raise Http404
    try:
        profile = _load(kind, code, request)
    except DomainError as exc:
        return HttpResponseBadRequest(exc.message)
    indicator = _trend_indicator(profile, _chosen_indicator(profile, request))
    title = exports.trend_title(profile, indicator)
    return HttpResponse(
        charts.trend(trend_series(profile, indicator), title=title, unit=str(indicator.unit)),
        content_type=SVG,
    )


def _trend_rows(profile: Profile) -> list[dict[str, Any]]:
    rows = []
    for indicator in profile.indicators:
        if indicator.imported:
            continue
        values = [profile.by_year.get(year, {}).get(indicator.code) for year in profile.years]
        if all(v is None for v in values):
            continue
        first, last = values[0], values[-1]
        change = None if first is None or last is None else last - first
        rows.append({"indicator": indicator, "values": values, "change": change})
    return rows


def district_profile(request: HttpRequest, code: str) -> HttpResponse:
    try:
        profile = _load(TerritoryKind.DISTRICT, code, request)
    except DomainError as exc:
        return _error(request, exc)
    district = profile.territory.district
    context = _page_context(request, profile)
    context.update(
        {
            "district": district,
            "needs": selectors.public_needs(district) if district else [],
            "can_import": bool(district)
            and request.user.has_perm("profile.import_series", district),
        }
    )
    if getattr(request, "htmx", False):
        # The map form, sent by htmx: only the map's section (the page works without it).
        return render(request, "profile/district_profile.html#map-section", context)
    return render(request, "profile/district_profile.html", context)


def municipality_profile(request: HttpRequest, istat: str) -> HttpResponse:
    try:
        profile = _load(TerritoryKind.MUNICIPALITY, istat, request)
    except DomainError as exc:
        return _error(request, exc)
    municipality = profile.territory.municipalities[0]
    districts = list(municipality.districts.all())
    context = _page_context(request, profile)
    context.update({"municipality": municipality, "districts": districts})
    return render(request, "profile/municipality_profile.html", context)


def _territory_for(kind: str, code: str) -> Territory:
    try:
        return selectors.resolve(kind, code)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def pyramid_svg(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    if kind not in (TerritoryKind.DISTRICT, TerritoryKind.MUNICIPALITY):
        raise Http404
    try:
        profile = _load(kind, code, request)
    except DomainError as exc:
        return HttpResponseBadRequest(exc.message)
    groups = pyramid_groups(profile)
    return HttpResponse(charts.pyramid(groups, title=pyramid_title(profile)), content_type=SVG)


def pyramid_groups(profile: Profile) -> list[tuple[str, int, int]]:
    from django.db.models import Q

    ids = profile.territory.municipality_ids
    return charts.group_pyramid(age_pyramid(where=Q(municipality_id__in=ids), year=profile.year))


def pyramid_title(profile: Profile) -> str:
    return _("Popolazione per età e sesso, %(name)s, 1° gennaio %(year)s") % {
        "name": profile.territory.name,
        "year": profile.year,
    }


def map_title(profile: Profile, indicator: Indicator) -> str:
    return _("%(indicator)s nei comuni di %(name)s, %(year)s") % {
        "indicator": indicator.name,
        "name": profile.territory.name,
        "year": profile.year,
    }


def map_image(profile: Profile, indicator: Indicator, *, fmt: str = "svg") -> bytes:
    from tessere.territory.models import Municipality

    boundaries = dict(
        Municipality.objects.filter(pk__in=profile.territory.municipality_ids).values_list(
            "pk", "boundary"
        )
    )
    areas = [
        charts.MapArea(
            name=part.municipality.name,
            boundary=boundaries.get(part.municipality.pk, ""),
            value=part.values.get(indicator.code),
        )
        for part in sorted(profile.parts, key=lambda p: p.municipality.name)
    ]
    unit = str(indicator.unit)
    return charts.choropleth(
        areas,
        title=map_title(profile, indicator),
        legend_title=unit,
        decimals=indicator.decimals,
        fmt=fmt,
    )


def district_map_svg(request: HttpRequest, code: str) -> HttpResponse:
    try:
        profile = _load(TerritoryKind.DISTRICT, code, request)
    except DomainError as exc:
        return HttpResponseBadRequest(exc.message)
    indicator = _chosen_indicator(profile, request)
    return HttpResponse(map_image(profile, indicator), content_type=SVG)


def _attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def profile_csv(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    if kind not in (TerritoryKind.DISTRICT, TerritoryKind.MUNICIPALITY):
        raise Http404
    try:
        profile = _load(kind, code, request)
    except DomainError as exc:
        return HttpResponseBadRequest(exc.message)
    return _attachment(
        exports.profile_csv(profile).encode("utf-8"),
        "text/csv; charset=utf-8",
        f"profilo-{profile.territory.code}-{profile.year}.csv",
    )


def district_chapter(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    try:
        profile = _load(TerritoryKind.DISTRICT, code, request)
    except DomainError as exc:
        return HttpResponseBadRequest(exc.message)
    district = profile.territory.district
    needs = list(selectors.public_needs(district)) if district else []
    filename = f"analisi-del-contesto-{profile.territory.code}-{profile.year}"
    if fmt == "pdf":
        try:
            data = exports.chapter_pdf(profile, needs=needs)
        except exports.DocumentUnavailable as exc:
            return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
        return _attachment(data, "application/pdf", f"{filename}.pdf")
    data = exports.chapter_odt(profile, needs=needs)
    return _attachment(data, "application/vnd.oasis.opendocument.text", f"{filename}.odt")


__all__ = ["format_value"]
