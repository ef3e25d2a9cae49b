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


def make_case(  # type: ignore[no-untyped-def]
    district,
    *,
    key: str,
    area: str = "anziani",
    opened_on: datetime.date = datetime.date(2025, 1, 10),
    residence=None,
    signed_after: int | None = None,
    intake_before: int | None = None,
):
    """A fictional person with a case opened on ``opened_on``; a project signed
    ``signed_after`` days later (a draft when 0 is not wanted: ``None`` gives no project);
    a first intake ``intake_before`` days before the opening."""
    from django.utils import timezone

    from tessere.access.models import Case, Contact, Person, PersonalisedProject
    from tessere.core.models import User

    manager = User.objects.get(username="social_worker_a")
    person = Person.objects.create(
        district=district,
        code_kind=Person.CodeKind.INTERNAL,
        code=f"M{key}",
        last_name="Monitoraggio",
        first_name=key,
        residence_municipality=residence,
    )
    case = Case.objects.create(
        district=district,
        person=person,
        area=area,
        manager=manager,
        opened_on=opened_on,
        status=Case.Status.ACTIVE,
    )
    if signed_after is not None:
        PersonalisedProject.objects.create(
            district=district,
            case=case,
            general_objectives="Autonomia",
            status=PersonalisedProject.Status.SIGNED,
            signed_on=opened_on + datetime.timedelta(days=signed_after),
        )
    if intake_before is not None:
        contact = Contact.objects.create(
            district=district,
            person=person,
            channel=Contact.Channel.IN_PERSON,
            area=area,
            reason="Primo colloquio",
            outcome=Contact.Outcome.CASE_OPENED,
        )
        day = opened_on - datetime.timedelta(days=intake_before)
        moment = timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 10, 0))
        Contact.objects.filter(pk=contact.pk).update(created_at=moment)
    return case
