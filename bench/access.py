"""The access point at scale: 100,000 persons and 60,000 cases in one district.

Usage: .venv/bin/python bench/access.py   [DATABASE_URL=postgres://... to use PostgreSQL]
       (BENCH_PERSONS / BENCH_CASES / BENCH_REQUESTS change the sizes)

Builds the data with bulk inserts, then measures, through the whole middleware stack with a
logged-in social worker verified with two-factor, the p50/p95 of her case list and of a case
page (a full one: team, assessments, signed project, referrals, delivered services), against a
bare view (it returns "ok") in the same run; and checks that the number of SQL queries is the
same on the first and on the last page.
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from typing import Any

PERSONS = int(os.environ.get("BENCH_PERSONS", "100000"))
CASES = int(os.environ.get("BENCH_CASES", "60000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
WORKERS = 40
BATCH = 5000

urlpatterns: list[Any] = []


def bare(request: Any) -> Any:
    from django.http import HttpResponse

    return HttpResponse("ok")


def main() -> None:
    var_dir = tempfile.mkdtemp(prefix="tessere-bench-access-")
    os.environ.setdefault("TESSERE_VAR_DIR", var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tessere.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_databases
    from django.urls import include, path, reverse
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

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

    from tessere.access import services
    from tessere.access.models import Case, Person, TeamMember
    from tessere.core import services as core_services
    from tessere.core.models import Role
    from tessere.directory.models import Organisation, Service
    from tessere.territory.models import District, Municipality, Province, Region

    started = time.perf_counter()
    region = Region.objects.create(code="09", name="Toscana")
    province = Province.objects.create(code="046", name="Lucca", abbreviation="LU", region=region)
    municipalities = [
        Municipality.objects.create(
            code=f"0460{n:02d}",
            name=f"Comune {n}",
            cadastral_code=f"Z{n:03d}",
            province=province,
            region=region,
            first_year=2022,
            last_year=2023,
        )
        for n in range(1, 8)
    ]
    district = District.objects.create(
        code="bench", name="Ambito di prova", region=region, lead_municipality=municipalities[0]
    )
    district.municipalities.set(municipalities, through_defaults={"kind": "social"})
    workers = []
    for n in range(WORKERS):
        user = core_services.create_user(
            actor=None,
            username=f"as{n}",
            password="x-bench-2026",  # noqa: S106 - a throw-away benchmark database
        )
        core_services.grant_role(actor=None, user=user, district=district, role=Role.SOCIAL_WORKER)
        workers.append(user)
    worker = workers[0]

    rng = random.Random(7)
    today = datetime.date.today()
    person_ids = []
    for start in range(0, PERSONS, BATCH):
        batch = []
        for n in range(start, min(start + BATCH, PERSONS)):
            pid = uuid.uuid4()
            person_ids.append(pid)
            batch.append(
                Person(
                    id=pid,
                    district=district,
                    code_kind="internal",
                    code=f"TMP{n:010d}",
                    last_name=f"Cognome{n % 5000}",
                    first_name=f"Nome{n % 300}",
                    birth_date=datetime.date(1930 + n % 90, 1 + n % 12, 1 + n % 28),
                    residence_municipality=municipalities[n % 7],
                )
            )
        Person.objects.bulk_create(batch)
    areas = ["famiglia_minori", "disabili", "anziani", "poverta", "immigrati"]
    for start in range(0, CASES, BATCH):
        cases, members = [], []
        for n in range(start, min(start + BATCH, CASES)):
            cid = uuid.uuid4()
            manager = workers[n % WORKERS]
            cases.append(
                Case(
                    id=cid,
                    district=district,
                    person_id=person_ids[n],
                    area=areas[n % 5],
                    manager=manager,
                    status="active",
                    opened_on=today - datetime.timedelta(days=rng.randint(0, 2000)),
                )
            )
            members.append(
                TeamMember(
                    district=district,
                    case_id=cid,
                    user=manager,
                    name=manager.username,
                    role="manager",
                    case_opened_on=cases[-1].opened_on,
                )
            )
        Case.objects.bulk_create(cases)
        TeamMember.objects.bulk_create(members)
    built = time.perf_counter() - started

    # One full case for the case page.
    organisation = Organisation.objects.create(
        district=district, kind="social_cooperative", name="Cooperativa"
    )
    service = Service.objects.create(district=district, organisation=organisation, name="Educativa")
    case = Case.objects.filter(manager=worker).order_by("-opened_on").first()
    assert case is not None
    services.record_consent(actor=worker, person=case.person, purpose="sharing")
    services.add_team_member(actor=worker, case=case, role="educator", name="Educatrice")
    services.record_assessment(
        actor=worker,
        case=case,
        kind="in_depth",
        outcome="social",
        domains=dict.fromkeys(services.Dimension.values, (2, "nota")),
    )
    services.save_project(actor=worker, case=case, general_objectives="Obiettivi")
    for n in range(3):
        services.add_expected_result(
            actor=worker, case=case, description=f"Risultato {n}", deadline=today
        )
        services.add_commitment(actor=worker, case=case, description=f"Impegno {n}")
        services.add_support(actor=worker, case=case, service=service)
        referral = services.send_referral(
            actor=worker, person=case.person, service=service, request="r", case=case
        )
        services.record_delivered_service(
            actor=worker,
            case=case,
            service=service,
            start=today,
            quantity=Decimal(2),
            unit="hours",
            referral=referral,
        )
    services.sign_project(actor=worker, case=case, signed_on=today, signed_by="Persona")

    client = Client()
    client.force_login(worker)
    device = TOTPDevice.objects.create(user=worker, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

    list_url = reverse("access:case_list")
    case_url = reverse("access:case_detail", args=[case.pk])
    worker_cases = Case.objects.filter(manager=worker).count()
    last_page = (worker_cases + 24) // 25

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return len(context.captured_queries)

    first_queries = count(list_url)
    last_queries = count(f"{list_url}?page={last_page}")
    page_queries = count(case_url)

    def timings(url_for: Any) -> list[float]:
        for _ in range(5):
            client.get(url_for(0))
        result = []
        for n in range(REQUESTS):
            url = url_for(n)
            t0 = time.perf_counter()
            response = client.get(url)
            result.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, url
        return result

    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[18]

    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(20):
            client.get(list_url if os.environ["BENCH_PROFILE"] == "list" else case_url)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)

    results = {
        "bare view": timings(lambda n: "/bench/bare/"),
        "case list": timings(lambda n: f"{list_url}?page={1 + n % min(last_page, 20)}"),
        "case page": timings(lambda n: case_url),
    }
    print(f"database: {connection.vendor}; python {sys.version.split()[0]}")
    print(
        f"persons: {Person.objects.count():,}; cases: {Case.objects.count():,}; "
        f"cases of the measured social worker: {worker_cases:,}; built in {built:.1f} s"
    )
    print(
        f"SQL queries: case list first page {first_queries}, last page ({last_page}) "
        f"{last_queries}; full case page {page_queries}"
    )
    for name, values in results.items():
        print(
            f"{name:<10} p50 {statistics.median(values):7.1f} ms   p95 {p95(values):7.1f} ms"
            f"   ({len(values)} requests)"
        )


if __name__ == "__main__":
    main()
