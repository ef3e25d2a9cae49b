"""Compute every indicator for every municipality, district, province and region of Italy.

Usage: .venv/bin/python bench/profile_all.py   [DATABASE_URL=postgres://... to use PostgreSQL]

Loads the whole territory into a fresh temporary database, then times, in the same run:
- the baseline: a plain scan of the population table (SELECT SUM(males), SUM(females));
- the profile: one GROUP BY over the population table with a conditional sum per age band,
  the roll-up in Python to districts, provinces, regions and Italy, and every indicator of
  every territory for every loaded year;
- the same from the band table (`PopulationBands`) that the pages read.
Prints the seconds and their ratio to the baseline.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time


def main() -> None:
    var_dir = tempfile.mkdtemp(prefix="tessere-bench-")
    os.environ.setdefault("TESSERE_VAR_DIR", var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tessere.settings")
    import django
    import numpy as np

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    from tessere.profile import bands, compute
    from tessere.profile.indicators import registered
    from tessere.territory import demo as territory_demo
    from tessere.territory.loader import load_territory
    from tessere.territory.models import DistrictMunicipality, Municipality, PopulationCount

    old = (
        setup_databases(verbosity=0, interactive=False) if os.environ.get("DATABASE_URL") else None
    )
    if old is None:
        call_command("migrate", verbosity=0)
    load_territory()
    territory_demo.load()

    def compute_all(counts: dict) -> dict[str, int]:
        places = list(Municipality.objects.values_list("pk", "province_id", "region_id"))
        districts: dict[int, list[int]] = {}
        for district_id, municipality_id in DistrictMunicipality.objects.values_list(
            "district_id", "municipality_id"
        ):
            districts.setdefault(district_id, []).append(municipality_id)
        provinces: dict[int, list[int]] = {}
        regions: dict[int, list[int]] = {}
        for pk, province, region in places:
            provinces.setdefault(province, []).append(pk)
            regions.setdefault(region, []).append(pk)
        levels = {
            "municipalities": counts,
            "districts": compute.roll_up(counts, districts),
            "provinces": compute.roll_up(counts, provinces),
            "regions": compute.roll_up(counts, regions),
            "italy": compute.roll_up(counts, {"it": [pk for pk, _p, _r in places]}),
        }
        indicators = [i for i in registered() if i.compute is not None]
        computed: dict[str, int] = {}
        for level, level_counts in levels.items():
            keys, years, arrays = compute.matrices(level_counts)
            values = 0
            for year in years:
                result = compute.values_matrix(indicators, arrays[year], arrays.get(year - 1))
                values += sum(int(np.count_nonzero(~np.isnan(v))) for v in result.values())
            computed[level] = len(keys)
            computed[f"{level} values"] = values
        return computed

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT SUM(males), SUM(females) FROM territory_populationcount")
        cursor.fetchall()
    baseline = time.perf_counter() - started

    started = time.perf_counter()
    counts = compute.aggregate(group="municipality_id")
    sql_seconds = time.perf_counter() - started
    computed = compute_all(counts)
    seconds = time.perf_counter() - started

    bands.refresh_population_bands()
    started = time.perf_counter()
    from_bands = compute_all(bands.band_aggregate(group="municipality_id"))
    band_seconds = time.perf_counter() - started
    assert from_bands == computed

    rows = PopulationCount.objects.count()
    print(f"database: {connection.vendor}; population rows: {rows}; cores: {os.cpu_count()}")
    print(
        "territories: "
        + ", ".join(
            f"{computed[k]} {k}"
            for k in ("municipalities", "districts", "provinces", "regions", "italy")
        )
    )
    print(
        f"indicator values computed: {sum(v for k, v in computed.items() if k.endswith('values'))}"
    )
    print(f"baseline (plain scan of the population table): {baseline:.3f} s")
    print(
        f"all indicators from the population table: {seconds:.3f} s ({seconds / baseline:.1f}x;"
        f" of which the GROUP BY query {sql_seconds:.3f} s)"
    )
    print(
        f"all indicators from the band table: {band_seconds:.3f} s ({band_seconds / baseline:.1f}x)"
    )
    if old is not None:
        teardown_databases(old, verbosity=0)
    sys.exit(0 if seconds < 2.0 else 1)


if __name__ == "__main__":
    main()
