"""Time a table's page with 5,000 contributions and 200 meetings against a bare Django view.

Usage: .venv/bin/python bench/participation.py   [DATABASE_URL=postgres://... for PostgreSQL]

Both go through the whole stack (middleware, sessions, templates) with Django's test client, in
the same run: the bare view returns a fixed string, so the difference is the page's own work.
Prints p50 and p95 in milliseconds and the number of SQL queries of each page.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from typing import Any

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))
CONTRIBUTIONS = 5000
MEETINGS = 200


urlpatterns: list[Any] = []  # filled once Django is set up: the bare view, then the site


def bare(request: Any) -> Any:
    from django.http import HttpResponse

    return HttpResponse("ok")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    var_dir = tempfile.mkdtemp(prefix="tessere-bench-")
    os.environ.setdefault("TESSERE_VAR_DIR", var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tessere.settings")
    import django

    django.setup()
    import datetime

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_databases, teardown_databases
    from django.urls import include, path
    from django.utils import timezone

    from tessere.participation import services
    from tessere.participation.models import Contribution, Meeting, Score
    from tessere.territory import demo as territory_demo
    from tessere.territory.loader import load_territory

    urlpatterns.extend([path("bare/", bare), path("", include("tessere.urls"))])
    settings.ROOT_URLCONF = __name__
    settings.ALLOWED_HOSTS = ["*"]
    old = (
        setup_databases(verbosity=0, interactive=False) if os.environ.get("DATABASE_URL") else None
    )
    if old is None:
        call_command("migrate", verbosity=0)
    load_territory(province_codes=territory_demo.DEMO_PROVINCES)
    district = {d.code: d for d in territory_demo.load()}["piana-di-lucca"]
    today = timezone.localdate()
    table = services.create_table(
        actor=None,
        district=district,
        kind="thematic",
        title="Tavolo di prova del banco",
        plan_cycle="2025-2027",
        phases={"prioritisation": (today, today + datetime.timedelta(days=30))},
    )
    member = services.add_member(actor=None, table=table, name="Persona (esempio)")
    now = timezone.now()
    Contribution.objects.bulk_create(
        Contribution(
            district=district,
            table=table,
            kind=("need", "proposal", "recommendation")[n % 3],
            title=f"Proposta numero {n}",
            text="Testo della proposta. " * 20,
            author_name=f"Ente {n % 50}",
            status=("received", "under_evaluation", "accepted")[n % 3],
        )
        for n in range(CONTRIBUTIONS)
    )
    Meeting.objects.bulk_create(
        Meeting(
            district=district,
            table=table,
            title=f"Incontro {n}",
            starts_at=now + datetime.timedelta(days=n - MEETINGS // 2),
            ends_at=now + datetime.timedelta(days=n - MEETINGS // 2, hours=2),
            place="Sala",
        )
        for n in range(MEETINGS)
    )
    criteria = list(table.criteria.all())
    Score.objects.bulk_create(
        Score(
            district=district,
            contribution_id=pk,
            criterion=criterion,
            member=member,
            value=1 + pk % 5,
        )
        for pk in Contribution.objects.filter(table=table).values_list("pk", flat=True)
        for criterion in criteria
    )

    client = Client()
    base = f"/tavoli/{district.code}/{table.pk}/"
    pages = {
        "bare view": "/bare/",
        "table page": base,
        "table page, page 200": base + "?page=200",
        "table page, filtered": base + "?stato=accepted&tipo=proposal",
        "district page": f"/tavoli/{district.code}/",
        "API contributions": f"/api/v1/participation/tables/{table.pk}/contributions",
        "ranking page": base + "classifica/",
        "ranking CSV (5,000 rows)": base + "classifica.csv",
    }
    print(f"database: {connection.vendor}; {CONTRIBUTIONS} contributions, {MEETINGS} meetings")
    print(f"{'page':<24} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8}")
    results = {}
    executed: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        executed.append(sql)
        return execute(sql, params, many, context)

    for name, url in pages.items():
        rounds = ROUNDS if "CSV" not in name else max(10, ROUNDS // 10)
        assert client.get(url).status_code == 200, url
        executed.clear()
        with connection.execute_wrapper(count):
            client.get(url)
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        results[name] = percentile(times, 0.95)
        print(
            f"{name:<24} {len(executed):>7} {statistics.median(times):>8.1f} {results[name]:>8.1f}"
        )
    print(f"table page p95 / bare view p95: {results['table page'] / results['bare view']:.1f}x")
    if old is not None:
        teardown_databases(old, verbosity=0)
    sys.exit(0 if results["table page"] < 200 else 1)


if __name__ == "__main__":
    main()
