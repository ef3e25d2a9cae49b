"""A small approved plan with hand-chosen budgets, for the monitoring room's tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from tessere.planning import funding, services
from tessere.planning.models import Action, Area, Fund, Objective, Plan
from tessere.territory.models import District


@dataclass
class Built:
    plan: Plan
    areas: dict[str, Area]
    objectives: list[Objective]
    actions: list[Action]
    fund: Fund


def build_plan(
    district: District, *, budgets: tuple[int, ...] = (100, 300, 0, 600), approve: bool = True
) -> Built:
    """Actions A001.. with yearly cost ``budget`` (so a budget of 3 × it over 2025-2027);
    odd-numbered actions (A001, A003) in objective 1 (famiglia e minori), the others in
    objective 2 (anziani)."""
    plan = services.create_plan(
        actor=None, district=district, title="Piano di prova", first_year=2025, last_year=2027
    )
    areas = {a.code: a for a in plan.areas.all()}
    objectives = [
        services.save_objective(
            actor=None, plan=plan, area=areas["famiglia_minori"], title="Famiglie", priority=1
        ),
        services.save_objective(
            actor=None, plan=plan, area=areas["anziani"], title="Anziani", priority=2
        ),
    ]
    actions = [
        services.save_action(
            actor=None,
            plan=plan,
            objective=objectives[n % 2],
            code=f"A{n + 1:03d}",
            title=f"Azione {n + 1}",
            start_date=datetime.date(2025, 1, 1),
            end_date=datetime.date(2027, 12, 31),
            costs=dict.fromkeys(plan.years, budget),
        )
        for n, budget in enumerate(budgets)
    ]
    fund = funding.save_fund(
        actor=None,
        plan=plan,
        code="FNPS",
        source="FNPS",
        name="Fondo nazionale politiche sociali",
        amounts=dict.fromkeys(plan.years, sum(budgets)),
    )
    if approve:
        funding.apply_proposal(actor=None, plan=plan)
        services.change_status(actor=None, plan=plan, status=Plan.Status.CONSULTATION)
        services.approve_plan(
            actor=None, plan=plan, act_number="1/2025", act_date=datetime.date(2025, 3, 1)
        )
        services.change_status(actor=None, plan=plan, status=Plan.Status.IN_FORCE)
        plan.refresh_from_db()
    return Built(plan=plan, areas=areas, objectives=objectives, actions=actions, fund=fund)


@pytest.fixture
def built(districts) -> Built:  # type: ignore[no-untyped-def]
    return build_plan(districts.a)
