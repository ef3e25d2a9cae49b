"""The monitoring dashboard at scale: 3 years × 200 actions × 10 indicators with monthly
measurements (72,000 measurements) in one district.

Usage: .venv/bin/python bench/monitoring.py   [DATABASE_URL=postgres://... to use PostgreSQL]
       (BENCH_ACTIONS / BENCH_INDICATORS / BENCH_REQUESTS change the sizes;
       BENCH_PROFILE=1 or BENCH_PROFILE=public prints a profile of the dashboard or the public
       page)

Builds the plan with bulk inserts, then measures through the whole middleware stack, with a
logged-in mayor, the p50/p95 of the dashboard and of the public accountability page, against
a bare view (it returns "ok") in the same run; and checks that the dashboard runs the same
number of SQL queries as on a plan of two actions.
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import tempfile
import time
from decimal import Decimal
from typing import Any

ACTIONS = int(os.environ.get("BENCH_ACTIONS", "200"))
INDICATORS = int(os.environ.get("BENCH_INDICATORS", "10"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "40"))
YEARS = [2025, 2026, 2027]

urlpatterns: list[Any] = []


def bare(request: Any) -> Any:
    from django.http import HttpResponse

    return HttpResponse("ok")


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def main() -> None:
    var_dir = tempfile.mkdtemp(prefix="tessere-bench-monitoring-")
    os.environ.setdefault("TESSERE_VAR_DIR", var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tessere.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_databases
    from django.urls import include, path

    global urlpatterns
    urlpatterns = [path("bench/bare/", bare), path("", include("tessere.urls"))]
    settings.ROOT_URLCONF = __name__
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if os.environ.get("DATABASE_URL"):
        setup_databases(verbosity=0, interactive=False)
    else:
        call_command("migrate", verbosity=0)

    from tessere.core import services as core_services
    from tessere.core.models import Role
    from tessere.monitoring.models import ActionIndicator, Measurement, ProgressEntry, Spending
    from tessere.planning import services as plan_services
    from tessere.planning.models import Action, ActionCost, Allocation, Fund, Plan
    from tessere.territory.models import District, Municipality, Province, Region

    rng = random.Random(7)
    region = Region.objects.create(code="09", name="Toscana")
    province = Province.objects.create(code="046", name="Lucca", abbreviation="LU", region=region)

    def district(code: str) -> District:
        lead = Municipality.objects.create(
            code=f"0460{len(code):02d}",
            name=f"Comune {code}",
            cadastral_code=f"Z{len(code):03d}",
            province=province,
            region=region,
            first_year=2022,
            last_year=2023,
        )
        d = District.objects.create(code=code, name=code, region=region, lead_municipality=lead)
        d.municipalities.add(lead)
        return d

    def build(d: District, n_actions: int, n_indicators: int) -> Plan:
        plan = plan_services.create_plan(
            actor=None, district=d, title="Piano", first_year=2025, last_year=2027
        )
        areas = list(plan.areas.all())
        objectives = [
            plan_services.save_objective(
                actor=None,
                plan=plan,
                area=areas[k % len(areas)],
                title=f"Obiettivo {k}",
                priority=1 + k % 5,
            )
            for k in range(20)
        ]
        actions = Action.objects.bulk_create(
            Action(
                district=d,
                plan=plan,
                objective=objectives[k % len(objectives)],
                code=f"A{k:03d}",
                title=f"Azione {k}",
            )
            for k in range(n_actions)
        )
        ActionCost.objects.bulk_create(
            ActionCost(district=d, action=a, year=y, amount=Decimal(rng.randint(1, 90) * 1000))
            for a in actions
            for y in YEARS
        )
        funds = Fund.objects.bulk_create(
            Fund(district=d, plan=plan, code=f"F{k}", source="FNPS", name=f"Fondo {k}")
            for k in range(6)
        )
        Allocation.objects.bulk_create(
            Allocation(
                district=d, plan=plan, fund=funds[k % 6], action=a, year=y, amount=Decimal(1000)
            )
            for k, a in enumerate(actions)
            for y in YEARS
        )
        Spending.objects.bulk_create(
            Spending(district=d, fund=f, year=y, amount=Decimal(900)) for f in funds for y in YEARS
        )
        indicators = ActionIndicator.objects.bulk_create(
            ActionIndicator(
                district=d,
                action=a,
                name=f"Indicatore {k}",
                unit="persone",
                targets={str(y): "100" for y in YEARS},
                frequency="monthly",
            )
            for a in actions
            for k in range(n_indicators)
        )
        batch = [
            Measurement(
                district=d,
                indicator=i,
                date=datetime.date(y, m, 28),
                value=Decimal(rng.randint(0, 150)),
            )
            for i in indicators
            for y in YEARS
            for m in range(1, 13)
        ]
        Measurement.objects.bulk_create(batch, batch_size=5000)
        ProgressEntry.objects.bulk_create(
            ProgressEntry(
                district=d,
                action=a,
                date=datetime.date(y, 12, 31),
                status="in_progress",
                percent=rng.randint(0, 100),
            )
            for a in actions
            for y in YEARS
        )
        Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.IN_FORCE)
        return plan

    started = time.perf_counter()
    big, small = district("grande"), district("piccolo")
    build(big, ACTIONS, INDICATORS)
    build(small, 2, 1)
    print(
        f"data: {ACTIONS} actions × {INDICATORS} indicators × 36 months = "
        f"{Measurement.objects.filter(district=big).count()} measurements "
        f"({time.perf_counter() - started:.1f} s)"
    )
    secret = os.urandom(12).hex()
    mayor = core_services.create_user(actor=None, username="sindaco", password=secret)
    for d in (big, small):
        core_services.grant_role(actor=None, user=mayor, district=d, role=Role.MAYOR)
    client = Client()
    client.force_login(mayor)

    queries = {}
    for d in (small, big):
        url = f"/monitoraggio/{d.code}/cruscotto/?anno=2026"
        client.get(url)
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        queries[d.code] = len(context)
    print(f"dashboard queries: {queries['piccolo']} (2 actions), {queries['grande']} ({ACTIONS})")

    def timed(url: str) -> tuple[float, float]:
        samples = []
        for _ in range(REQUESTS):
            t = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - t)
            assert response.status_code == 200, url
        return percentiles(samples)

    profile = os.environ.get("BENCH_PROFILE", "")
    if profile:
        import cProfile
        import pstats

        target = (
            "/monitoraggio/grande/"
            if profile == "public"
            else "/monitoraggio/grande/cruscotto/?anno=2026"
        )
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(5):
            client.get(target)
        profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "tottime")).print_stats(
            int(os.environ.get("BENCH_LINES", "30"))
        )

    for label, url in (
        ("bare view", "/bench/bare/"),
        ("dashboard", "/monitoraggio/grande/cruscotto/?anno=2026"),
        ("public page", "/monitoraggio/grande/"),
    ):
        p50, p95 = timed(url)
        print(f"{label}: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")


if __name__ == "__main__":
    main()
