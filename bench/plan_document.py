"""Time the plan document (PDF/A and ODT) of a 150-action plan.

Usage: .venv/bin/python bench/plan_document.py   [DATABASE_URL=postgres://... to use PostgreSQL]

Builds a plan of 150 actions on a fresh test database (territory of Lucca, demo districts),
then prints the seconds to load the plan's data, to build the ODT and the PDF/A, and their
ratio to a baseline measured in the same run: rendering the same document's HTML without
laying it out (what any PDF builder must at least produce).
"""

from __future__ import annotations

import datetime
import os
import tempfile
import time
from typing import Any


def main() -> None:
    os.environ.setdefault("TESSERE_VAR_DIR", tempfile.mkdtemp(prefix="tessere-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tessere.settings")
    import django

    django.setup()
    from django.test.utils import setup_databases, teardown_databases
    from django.utils import translation

    old = setup_databases(verbosity=0, interactive=False)
    try:
        run(translation)
    finally:
        teardown_databases(old, verbosity=0)


def run(translation: Any) -> None:
    from tessere.planning import document, funding, selectors, services
    from tessere.territory import demo as territory_demo
    from tessere.territory.loader import load_territory
    from tessere.territory.models import District

    load_territory(province_codes=territory_demo.DEMO_PROVINCES)
    territory_demo.load()
    district = District.objects.get(code="piana-di-lucca")
    plan = services.create_plan(
        actor=None,
        district=district,
        title="Piano di Zona (prova di carico)",
        first_year=2025,
        last_year=2027,
    )
    areas = list(plan.areas.all())
    objectives = [
        services.save_objective(
            actor=None,
            plan=plan,
            area=areas[n % len(areas)],
            title=f"Obiettivo {n + 1}",
            priority=n % 5 + 1,
            rationale="Motivazione dell'obiettivo.",
        )
        for n in range(20)
    ]
    for n in range(150):
        services.save_action(
            actor=None,
            plan=plan,
            objective=objectives[n % len(objectives)],
            code=f"A{n + 1:03d}",
            title=f"Azione numero {n + 1} del piano di prova",
            description="Descrizione dell'azione, con destinatari, modalità e risultati attesi. "
            * 3,
            target_group="Famiglie con minori",
            expected_people={2025: 20 + n, 2026: 25 + n},
            start_date=datetime.date(2025, 1 + n % 12, 1),
            end_date=datetime.date(2027, 12, 31),
            milestones=[{"date": "2025-06-30", "title": "Avvio"}],
            costs={2025: 20000 + 100 * n, 2026: 21000, 2027: 22000},
        )
    for code, source in (("FNPS", "FNPS"), ("FNA", "FNA"), ("POV", "POVERTA"), ("COM", "COMUNALE")):
        funding.save_fund(
            actor=None,
            plan=plan,
            code=code,
            source=source,
            name=code,
            amounts={2025: 800000, 2026: 800000, 2027: 800000},
        )
    funding.apply_proposal(actor=None, plan=plan)

    started = time.perf_counter()
    data = selectors.plan_data(plan)
    load = time.perf_counter() - started
    started = time.perf_counter()
    outline = document.outline(plan, data)
    with translation.override("it"):
        document._html(outline)
    baseline = time.perf_counter() - started
    started = time.perf_counter()
    odt = document.plan_odt(plan, data)
    odt_time = time.perf_counter() - started
    started = time.perf_counter()
    pdf = document.plan_pdf(plan, data)
    pdf_time = time.perf_counter() - started
    print(f"plan document, 150 actions: data {load:.2f} s")
    print(f"baseline (outline, charts and HTML, no layout): {baseline:.2f} s")
    print(f"ODT: {odt_time:.2f} s, {len(odt) // 1024} KiB, ratio {odt_time / baseline:.1f}")
    print(f"PDF/A-3b: {pdf_time:.2f} s, {len(pdf) // 1024} KiB, ratio {pdf_time / baseline:.1f}")
    print(f"total: {load + odt_time + pdf_time:.2f} s (aim: under 60 s)")


if __name__ == "__main__":
    main()
