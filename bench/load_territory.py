"""Time `load_territory` for all of Italy on a fresh database, then a second (idempotent) run.

Usage: .venv/bin/python bench/load_territory.py   [DATABASE_URL=postgres://... to use PostgreSQL]

Prints the seconds of the first load, of the second run, and their ratio to a baseline measured
in the same run: reading the package's population files and summing them with pyarrow (the
least work any loader must do).
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

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    from tessere.territory import loader
    from tessere.territory.models import Municipality, PopulationCount

    old = (
        setup_databases(verbosity=0, interactive=False) if os.environ.get("DATABASE_URL") else None
    )
    if old is None:
        call_command("migrate", verbosity=0)

    started = time.perf_counter()
    for year in loader.available_years():
        table = loader._read(loader._data_dir(), f"{year}_italy_pop")
        sum(table.column("tot").to_pylist())
    baseline = time.perf_counter() - started

    first = loader.load_territory()
    second = loader.load_territory()
    municipalities_2023 = Municipality.objects.filter(last_year__gte=2023).count()
    rows = PopulationCount.objects.count()
    print(f"database: {connection.vendor}")
    print(f"municipalities in 2023: {municipalities_2023}; population rows: {rows}")
    print(f"first load: {first.seconds:.1f} s ({first.seconds / baseline:.0f}x baseline)")
    print(f"second run: {second.seconds:.2f} s ({second.seconds / baseline:.1f}x baseline)")
    print(f"baseline (read and sum the population files): {baseline:.2f} s")
    if old is not None:
        teardown_databases(old, verbosity=0)
    sys.exit(0 if not second.changed_anything else 1)


if __name__ == "__main__":
    main()
