"""Reads of the profile: territories by `kind:code`, and their indicators with comparisons.

A territory is addressed as ``kind:code``:

- ``municipality:046007`` (six-digit ISTAT code),
- ``subdistrict:cremona/cremona-nord`` (district code, slash, sub-district code),
- ``district:piana-di-lucca`` (district code),
- ``province:046`` (three-digit ISTAT code), ``region:09`` (two-digit ISTAT code),
- ``italy`` (or ``italy:it``).

Every function runs a fixed number of queries, whatever the number of municipalities.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tessere.core.errors import DomainError, NotFound
from tessere.profile import bands, compute
from tessere.profile.indicators import Counts, Indicator, Values, catalogue
from tessere.profile.models import (
    IndicatorDefinition,
    Need,
    SeriesValue,
    TerritoryKind,
)
from tessere.territory.models import District, Municipality, Province, Region, SubDistrict

KINDS = [k.value for k in TerritoryKind]
ITALY_CODES = {"", "it", "italy", "italia"}
SOCIAL_WORKERS_CODE = "assistenti_sociali"
LEPS_ESSENTIAL = 5000  # one social worker per 5,000 inhabitants: the essential level
LEPS_OBJECTIVE = 4000  # one per 4,000: the service objective


@dataclass
class Territory:
    kind: str
    code: str
    name: str
    region: Region | None = None
    municipalities: list[Municipality] = field(default_factory=list)
    district: District | None = None

    @property
    def ref(self) -> str:
        return "italy" if self.kind == TerritoryKind.ITALY else f"{self.kind}:{self.code}"

    @property
    def kind_label(self) -> str:
        return str(TerritoryKind(self.kind).label)

    @property
    def municipality_ids(self) -> list[int]:
        return [m.pk for m in self.municipalities]


def parse_ref(ref: str) -> tuple[str, str]:
    """``"district:cremona"`` → ``("district", "cremona")``; ``"italy"`` → ``("italy", "it")``."""
    kind, _sep, code = ref.strip().partition(":")
    kind = kind.strip().lower()
    if kind == TerritoryKind.ITALY:
        return kind, "it"
    if kind not in KINDS or not code.strip():
        raise DomainError(
            _(
                "Territorio non valido: %(ref)s. Usa tipo:codice, per esempio "
                "municipality:046007, district:piana-di-lucca, province:046, region:09 o italy."
            )
            % {"ref": ref}
        )
    return kind, code.strip()


def _municipalities(queryset: QuerySet[Municipality]) -> list[Municipality]:
    return list(queryset.select_related("province", "region").defer("boundary").order_by("name"))


def resolve(kind: str, code: str) -> Territory:
    """The territory ``kind:code`` with its municipalities; `NotFound` if there is none."""
    kind = kind.strip().lower()
    code = code.strip()
    missing = NotFound(
        _("Territorio non trovato: %(kind)s %(code)s.") % {"kind": kind, "code": code}
    )
    if kind == TerritoryKind.ITALY:
        if code.lower() not in ITALY_CODES:
            raise missing
        return Territory(kind=kind, code="it", name=_("Italia"))
    if kind == TerritoryKind.REGION:
        region = Region.objects.defer("boundary").filter(code=code.zfill(2)).first()
        if region is None:
            raise missing
        return Territory(kind=kind, code=region.code, name=region.name, region=region)
    if kind == TerritoryKind.PROVINCE:
        province = (
            Province.objects.select_related("region")
            .defer("boundary", "region__boundary")
            .filter(code=code.zfill(3))
            .first()
        )
        if province is None:
            raise missing
        return Territory(
            kind=kind,
            code=province.code,
            name=province.name,
            region=province.region,
            municipalities=_municipalities(Municipality.objects.filter(province=province)),
        )
    if kind == TerritoryKind.MUNICIPALITY:
        municipality = (
            Municipality.objects.select_related("region", "province")
            .defer("boundary", "region__boundary", "province__boundary")
            .filter(code=code.zfill(6) if code.isdigit() else code)
            .first()
        )
        if municipality is None:
            raise missing
        return Territory(
            kind=kind,
            code=municipality.code,
            name=municipality.name,
            region=municipality.region,
            municipalities=[municipality],
        )
    if kind == TerritoryKind.DISTRICT:
        district = District.objects.select_related("region").filter(code=code).first()
        if district is None:
            raise missing
        return Territory(
            kind=kind,
            code=district.code,
            name=district.name,
            region=district.region,
            municipalities=_municipalities(district.municipalities.all()),
            district=district,
        )
    if kind == TerritoryKind.SUBDISTRICT:
        district_code, _sep, sub_code = code.partition("/")
        subdistrict = (
            SubDistrict.objects.select_related("district", "district__region")
            .filter(district__code=district_code, code=sub_code)
            .first()
        )
        if subdistrict is None:
            raise missing
        return Territory(
            kind=kind,
            code=f"{district_code}/{sub_code}",
            name=subdistrict.name,
            region=subdistrict.district.region,
            municipalities=_municipalities(subdistrict.municipalities.all()),
            district=subdistrict.district,
        )
    raise missing


def resolve_ref(ref: str) -> Territory:
    return resolve(*parse_ref(ref))


@dataclass
class Row:
    """One indicator of a territory in a year, beside the region's and Italy's."""

    indicator: Indicator
    value: float | None
    previous: float | None = None
    region: float | None = None
    italy: float | None = None
    year: int | None = None

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass
class Part:
    """A municipality inside the territory, with its values and ranks (1 = most need)."""

    municipality: Municipality
    values: Values
    ranks: dict[str, int] = field(default_factory=dict)


@dataclass
class Leps:
    """Permanent social workers against the essential level and the service objective."""

    workers: float
    population: int
    year: int | None

    @property
    def per_5000(self) -> float:
        return self.workers * LEPS_ESSENTIAL / self.population if self.population else 0.0

    @property
    def needed_essential(self) -> int:
        return math.ceil(self.population / LEPS_ESSENTIAL)

    @property
    def needed_objective(self) -> int:
        return math.ceil(self.population / LEPS_OBJECTIVE)

    @property
    def missing_essential(self) -> float:
        return max(0.0, self.needed_essential - self.workers)

    @property
    def missing_objective(self) -> float:
        return max(0.0, self.needed_objective - self.workers)

    @property
    def meets_essential(self) -> bool:
        return self.missing_essential == 0

    @property
    def meets_objective(self) -> bool:
        return self.missing_objective == 0


@dataclass
class Profile:
    territory: Territory
    year: int
    years: list[int]
    indicators: list[Indicator]
    rows: list[Row]
    by_year: dict[int, Values]
    parts: list[Part]
    region_name: str | None
    leps: Leps | None = None
    region_by_year: dict[int, Values] = field(default_factory=dict)
    italy_by_year: dict[int, Values] = field(default_factory=dict)

    def row(self, code: str) -> Row | None:
        return next((r for r in self.rows if r.indicator.code == code), None)

    def indicator(self, code: str) -> Indicator | None:
        return next((i for i in self.indicators if i.code == code), None)

    @property
    def headline(self) -> list[Row]:
        return [r for r in self.rows if r.indicator.headline]

    @property
    def previous_year(self) -> int | None:
        earlier = [y for y in self.years if y < self.year]
        return earlier[-1] if earlier else None


def _by_year(counts: dict[tuple[Any, int], Counts], key: Any) -> dict[int, Counts]:
    return compute.series(counts, key)


def _sum_years(counts: dict[tuple[Any, int], Counts]) -> dict[int, Counts]:
    out: dict[int, Counts] = {}
    for (_key, year), row in counts.items():
        out[year] = compute.add(out.get(year), row)
    return out


def _imported_values(
    rows: Iterable[SeriesValue],
) -> dict[tuple[str, str, str], dict[int, float]]:
    out: dict[tuple[str, str, str], dict[int, float]] = {}
    for value in rows:
        key = (value.indicator.code, value.territory_kind, value.territory_code)
        out.setdefault(key, {})[value.year] = value.value
    return out


def _pick(by_year: dict[int, float] | None, year: int) -> tuple[float | None, int | None]:
    """The value of ``year`` or, failing that, of the latest year before it, or the first."""
    if not by_year:
        return None, None
    earlier = [y for y in by_year if y <= year]
    chosen = max(earlier) if earlier else min(by_year)
    return by_year[chosen], chosen


def _imports_district(territory: Territory) -> District | None:
    if territory.district is not None:
        return territory.district
    return None


def territory_profile(territory: Territory, *, year: int | None = None) -> Profile:
    """Every indicator of ``territory`` in ``year`` (default: the latest loaded)."""
    bands.ensure_population_bands()
    regions = bands.band_aggregate(group="region_id")
    italy = _sum_years(regions)
    years = sorted(italy)
    if not years:
        raise NotFound(_("Nessun dato di popolazione caricato."))
    if year is None:
        year = years[-1]
    elif year not in years:
        raise DomainError(
            _("Anno non disponibile: %(year)s. Anni caricati: %(years)s.")
            % {"year": year, "years": ", ".join(str(y) for y in years)}
        )
    region_counts = _by_year(regions, territory.region.pk) if territory.region else None

    parts_counts: dict[tuple[Any, int], Counts] = {}
    if territory.kind == TerritoryKind.ITALY:
        own = italy
    elif territory.kind == TerritoryKind.REGION:
        own = region_counts or {}
    else:
        parts_counts = bands.band_aggregate(
            group="municipality_id", where=Q(municipality_id__in=territory.municipality_ids)
        )
        own = _sum_years(parts_counts)

    # Imported series: those of the territory's district, or of the municipality's districts.
    definitions: list[IndicatorDefinition] = []
    imported: dict[tuple[str, str, str], dict[int, float]] = {}
    district = _imports_district(territory)
    if district is not None:
        definitions = list(IndicatorDefinition.objects.filter(district=district))
        imported = _imported_values(
            SeriesValue.objects.filter(district=district).select_related("indicator")
        )
    elif territory.kind == TerritoryKind.MUNICIPALITY:
        values_qs = list(
            SeriesValue.objects.filter(
                territory_kind=TerritoryKind.MUNICIPALITY, territory_code=territory.code
            ).select_related("indicator")
        )
        seen: dict[str, IndicatorDefinition] = {}
        for item in values_qs:
            seen.setdefault(item.indicator.code, item.indicator)
        definitions = list(seen.values())
        imported = _imported_values(values_qs)
    indicators = catalogue(definitions)
    computed = [i for i in indicators if not i.imported]

    by_year = compute.values_by_year(computed, own)
    region_by_year = compute.values_by_year(computed, region_counts) if region_counts else {}
    italy_by_year = compute.values_by_year(computed, italy)
    previous_year = max((y for y in years if y < year), default=None)

    rows: list[Row] = []
    for indicator in indicators:
        if indicator.imported:
            value, value_year = _imported_value(
                indicator, territory, imported, year, parts=territory.municipalities
            )
            earlier, _y = (
                _imported_value(
                    indicator, territory, imported, previous_year, parts=territory.municipalities
                )
                if previous_year
                else (None, None)
            )
            rows.append(Row(indicator=indicator, value=value, previous=earlier, year=value_year))
            continue
        rows.append(
            Row(
                indicator=indicator,
                value=by_year.get(year, {}).get(indicator.code),
                previous=by_year.get(previous_year, {}).get(indicator.code)
                if previous_year
                else None,
                region=region_by_year.get(year, {}).get(indicator.code),
                italy=italy_by_year.get(year, {}).get(indicator.code),
                year=year,
            )
        )

    parts: list[Part] = []
    if territory.kind in (
        TerritoryKind.DISTRICT,
        TerritoryKind.SUBDISTRICT,
        TerritoryKind.PROVINCE,
    ):
        for municipality in territory.municipalities:
            counts = compute.series_of(parts_counts, municipality.pk, years)
            part_values = compute.values(computed, counts.get(year), counts.get(year - 1))
            for indicator in indicators:
                if indicator.imported:
                    part_values[indicator.code] = _pick(
                        imported.get(
                            (indicator.code, TerritoryKind.MUNICIPALITY, municipality.code)
                        ),
                        year,
                    )[0]
            parts.append(Part(municipality=municipality, values=part_values))
        for indicator in indicators:
            ranks = compute.rank(
                {p.municipality.pk: p.values.get(indicator.code) for p in parts},
                polarity=indicator.polarity,
            )
            for part in parts:
                if part.municipality.pk in ranks:
                    part.ranks[indicator.code] = ranks[part.municipality.pk]

    profile = Profile(
        territory=territory,
        year=year,
        years=years,
        indicators=indicators,
        rows=rows,
        by_year=by_year,
        parts=parts,
        region_name=territory.region.name if territory.region else None,
        region_by_year=region_by_year,
        italy_by_year=italy_by_year,
    )
    workers = profile.row(SOCIAL_WORKERS_CODE)
    population = profile.row("popolazione")
    if workers and workers.value is not None and population and population.value:
        profile.leps = Leps(
            workers=workers.value, population=int(population.value), year=workers.year
        )
    return profile


def leps_of(territory: Territory) -> Leps | None:
    """The LEPS box of ``territory_profile(territory)`` without the rest of the profile (for
    the monitoring dashboard): the population of its municipalities in the latest loaded year
    and the social workers imported by its district, computed as the profile does (no
    national or regional sums, no other indicator)."""
    district = _imports_district(territory)
    if district is None or not territory.municipalities:
        return None
    bands.ensure_population_bands()
    own = _sum_years(
        bands.band_aggregate(group=None, where=Q(municipality_id__in=territory.municipality_ids))
    )
    if not own:
        return None
    year = max(own)
    definitions = IndicatorDefinition.objects.filter(district=district, code=SOCIAL_WORKERS_CODE)
    workers_indicator = next(
        (i for i in catalogue(definitions) if i.code == SOCIAL_WORKERS_CODE and i.imported), None
    )
    if workers_indicator is None:
        return None
    imported = _imported_values(
        SeriesValue.objects.filter(
            district=district, indicator__code=SOCIAL_WORKERS_CODE
        ).select_related("indicator")
    )
    workers, workers_year = _imported_value(
        workers_indicator, territory, imported, year, parts=territory.municipalities
    )
    population_indicators = [i for i in catalogue() if i.code == "popolazione"]
    population = compute.values(population_indicators, own.get(year), own.get(year - 1)).get(
        "popolazione"
    )
    if workers is None or not population:
        return None
    return Leps(workers=workers, population=int(population), year=workers_year)


def _imported_value(
    indicator: Indicator,
    territory: Territory,
    imported: dict[tuple[str, str, str], dict[int, float]],
    year: int,
    *,
    parts: list[Municipality],
) -> tuple[float | None, int | None]:
    """The territory's own imported value or, for a count given by municipality, their sum."""
    own = imported.get((indicator.code, territory.kind, territory.code))
    if own:
        return _pick(own, year)
    if territory.kind == TerritoryKind.MUNICIPALITY or not parts:
        return None, None
    picked = [
        _pick(imported.get((indicator.code, TerritoryKind.MUNICIPALITY, m.code)), year)
        for m in parts
    ]
    if not _is_count(indicator) or any(value is None for value, _y in picked):
        return None, None
    return sum(value or 0 for value, _y in picked), max(y or 0 for _v, y in picked)


COUNT_UNITS = {"persone", "persona", "numero", "n.", "n", "unità", "operatori", "posti"}


def _is_count(indicator: Indicator) -> bool:
    return indicator.additive or str(indicator.unit).strip().lower() in COUNT_UNITS


def public_needs(district: District) -> QuerySet[Need]:
    return (
        Need.objects.filter(district=district)
        .prefetch_related("municipalities")
        .order_by("area", "-created_at")
    )


def district_definitions(district: District) -> QuerySet[IndicatorDefinition]:
    return IndicatorDefinition.objects.filter(district=district).order_by("name")
