"""Search the citizen guide over 20,000 services: p50/p95 of 200 varied searches with filters.

Usage: .venv/bin/python bench/search.py
       DATABASE_URL=postgres://postgres@127.0.0.1:5432/tessere_directory_bench \
           .venv/bin/python bench/search.py

Each search does what the guide page does (``selectors.search_page``): the first page of 20
with organisations, locations and schedules, and the number of matches (for a text search, a
window count on the ranked ids; without words, a count on the covering index). The baseline,
measured in the same run, is a bare indexed lookup of one service by primary key; the ratio
p50(search) / p50(lookup) is printed.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
import uuid

SERVICES = 20_000
SEARCHES = 200
WORDS = [
    "anziano",
    "anziani",
    "caffe",
    "assistenza domiciliare",
    "disabilità",
    "famiglia",
    "lavoro",
    "italiano",
    "centro diurno",
    "trasporto",
    "ascolto",
    "dipendenze",
    "bambini",
    "casa",
    "minori",
]


def main() -> None:
    os.environ.setdefault("TESSERE_VAR_DIR", tempfile.mkdtemp(prefix="tessere-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tessere.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    from tessere.core.areas import UserArea
    from tessere.directory import demo, selectors, text
    from tessere.directory.models import (
        Location,
        Organisation,
        Service,
        ServiceAtLocation,
        join_key,
    )
    from tessere.territory import demo as territory_demo
    from tessere.territory.loader import load_territory
    from tessere.territory.models import District

    old = (
        setup_databases(verbosity=0, interactive=False) if os.environ.get("DATABASE_URL") else None
    )
    if old is None:
        call_command("migrate", verbosity=0)
    try:
        load_territory(province_codes=territory_demo.DEMO_PROVINCES)
        territory_demo.load()
        district = District.objects.get(code="cremona")
        demo.load(districts=[district])  # organisations, and realistic texts to copy
        rng = random.Random(2026)
        templates = list(Service.objects.filter(district=district).select_related("organisation"))
        organisations = list(Organisation.objects.filter(district=district))
        locations = list(Location.objects.filter(district=district).select_related("municipality"))
        started = time.perf_counter()
        rows, links = [], []
        for n in range(SERVICES - len(templates)):
            model = rng.choice(templates)
            location = rng.choice(locations)
            areas = rng.sample(UserArea.values, rng.randint(1, 2))
            name = f"{model.name} {n}"
            body = " ".join([name, name, model.description, model.organisation.name])
            service = Service(
                id=uuid.uuid4(),
                district=district,
                organisation=rng.choice(organisations),
                name=name,
                description=model.description,
                areas=join_key(areas),
                languages=model.languages,
                accessibility=model.accessibility,
                cost_kind=rng.choice(["free", "isee", "fixed"]),
                cost_amount=5 if n % 3 == 2 else None,
                min_age=model.min_age,
                max_age=model.max_age,
                is_published=n % 10 != 0,
                municipality_codes=f"|{location.municipality.code}|",
                search_stems=text.stem_key(body),
                name_stems=text.stem_key(name),
            )
            rows.append(service)
            links.append(ServiceAtLocation(district=district, service=service, location=location))
        Service.objects.bulk_create(rows, batch_size=2000)
        ServiceAtLocation.objects.bulk_create(links, batch_size=2000)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(
            f"{connection.vendor}: {Service.objects.count()} servizi creati in "
            f"{time.perf_counter() - started:.1f} s"
        )

        municipalities = list(district.municipalities.values_list("code", flat=True))
        searches = []
        for n in range(SEARCHES):
            filters = selectors.SearchFilters(q=rng.choice(WORDS))
            if n % 2:
                filters.area = rng.choice(UserArea.values)
            if n % 3 == 0:
                filters.municipality = rng.choice(municipalities)
            if n % 5 == 0:
                filters.cost = rng.choice(["free", "isee"])
            if n % 7 == 0:
                filters.age = rng.choice([8, 30, 70])
            if n % 11 == 0:
                filters.q = ""
            searches.append(filters)

        def page(filters: selectors.SearchFilters) -> int:
            found = selectors.search_page(district, filters, 1, 20)
            for service in found.object_list:
                list(service.at_locations.all())
            return int(found.paginator.count)

        for filters in searches[:10]:  # warm up
            page(filters)
        if os.environ.get("BENCH_QUERIES"):
            from django.test.utils import CaptureQueriesContext

            probe = selectors.SearchFilters(q="famiglia", area="poverta")
            qs = selectors.search_public(district, probe)
            print(qs.explain(analyze=True) if connection.vendor == "postgresql" else "")
            print(qs.order_by().explain(analyze=True) if connection.vendor == "postgresql" else "")
            for filters in searches[1:4]:
                with CaptureQueriesContext(connection) as context:
                    page(filters)
                for query in context.captured_queries:
                    print(query["time"], query["sql"][:600])
        timings, found = [], []
        for filters in searches:
            t0 = time.perf_counter()
            found.append(page(filters))
            timings.append((time.perf_counter() - t0) * 1000)
        if os.environ.get("BENCH_QUERIES"):
            slowest = sorted(zip(timings, searches, found, strict=True), key=lambda t: -t[0])
            for ms, filters, total in slowest[:12]:
                print(f"{ms:.1f} ms, {total} risultati: {filters}")
        ids = list(Service.objects.values_list("id", flat=True)[:SEARCHES])
        lookups = []
        for pk in ids:
            t0 = time.perf_counter()
            Service.objects.filter(pk=pk).first()
            lookups.append((time.perf_counter() - t0) * 1000)

        def pct(values: list[float], p: float) -> float:
            return statistics.quantiles(values, n=100)[int(p) - 1]

        p50, p95 = statistics.median(timings), pct(timings, 95)
        base = statistics.median(lookups)
        print(f"ricerche: {SEARCHES}, risultati medi {statistics.mean(found):.0f}")
        print(f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {max(timings):.1f} ms")
        print(f"ricerca per chiave primaria: p50 {base:.2f} ms; rapporto p50 {p50 / base:.0f}x")
        print("obiettivo p95 < 50 ms:", "raggiunto" if p95 < 50 else "NON raggiunto")
    finally:
        if old is not None and not os.environ.get("BENCH_KEEP"):
            teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
