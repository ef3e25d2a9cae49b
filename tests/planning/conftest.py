"""Plans built through the services, for the planning room's tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from tessere.directory.models import Organisation, Service
from tessere.planning import funding, services
from tessere.planning.models import Action, Area, Fund, Leps, Objective, Plan
from tessere.planning.reference import load_leps
from tessere.territory.models import District


@dataclass
class Built:
    plan: Plan
    areas: dict[str, Area]
    objectives: list[Objective]
    actions: list[Action]
    funds: dict[str, Fund]


def build_plan(
    district: District,
    *,
    actions: int = 3,
    first_year: int = 2025,
    allocate: bool = True,
    title: str = "Piano di Zona di prova",
) -> Built:
    plan = services.create_plan(
        actor=None,
        district=district,
        title=title,
        first_year=first_year,
        last_year=first_year + 2,
    )
    areas = {a.code: a for a in plan.areas.all()}
    organisation = Organisation.objects.create(
        district=district, kind=Organisation.Kind.SOCIAL_COOPERATIVE, name="Cooperativa Prova"
    )
    service = Service.objects.create(
        district=district, organisation=organisation, name="Centro per le famiglie"
    )
    objectives = [
        services.save_objective(
            actor=None,
            plan=plan,
            area=areas["famiglia_minori"],
            title="Sostenere le famiglie",
            priority=1,
        ),
        services.save_objective(
            actor=None,
            plan=plan,
            area=areas["anziani"],
            title="Domiciliarità degli anziani",
            priority=2,
        ),
    ]
    built_actions = []
    for n in range(actions):
        built_actions.append(
            services.save_action(
                actor=None,
                plan=plan,
                objective=objectives[n % 2],
                code=f"A{n + 1:03d}",
                title=f"Azione di prova numero {n + 1}",
                description="Descrizione dell'azione.",
                responsible=organisation,
                partners=[(organisation, "gestore")],
                services=[service],
                start_date=datetime.date(first_year, 1, 1),
                end_date=datetime.date(first_year + 2, 12, 31),
                milestones=[{"date": f"{first_year}-06-30", "title": "Avvio"}],
                expected_people={first_year: 10 + n},
                costs=dict.fromkeys(plan.years, 10000),
            )
        )
    fnps = funding.save_fund(
        actor=None,
        plan=plan,
        code="FNPS",
        source="FNPS",
        name="Fondo nazionale politiche sociali",
        amounts=dict.fromkeys(plan.years, 10000 * actions),
        shares={areas["famiglia_minori"]: ("0.3", None)},
    )
    fna = funding.save_fund(
        actor=None,
        plan=plan,
        code="FNA",
        source="FNA",
        name="Fondo non autosufficienze",
        amounts=dict.fromkeys(plan.years, 5000),
        eligible_areas=[areas["anziani"], areas["disabilita"]],
    )
    if allocate:
        funding.apply_proposal(actor=None, plan=plan)
    return Built(
        plan=plan,
        areas=areas,
        objectives=objectives,
        actions=built_actions,
        funds={"FNPS": fnps, "FNA": fna},
    )


@pytest.fixture
def leps(db) -> None:  # type: ignore[no-untyped-def]
    """The LEPS come from a data migration; a transactional test elsewhere may have flushed
    them: load them again (idempotent)."""
    if not Leps.objects.exists():
        load_leps(Leps)


@pytest.fixture
def built(districts, leps) -> Built:  # type: ignore[no-untyped-def]
    return build_plan(districts.a)


def approve(plan: Plan) -> Plan:
    services.change_status(actor=None, plan=plan, status=Plan.Status.CONSULTATION)
    return services.approve_plan(
        actor=None, plan=plan, act_number="12/2025", act_date=datetime.date(2025, 3, 1)
    )
