"""The plan at scale: one Piano di Zona in force with its areas, objectives, actions (services,
partners, origin contributions, costs per year) and funds allocated to the actions."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Max

from tessere.planning.models import (
    Action,
    ActionCost,
    ActionOriginContribution,
    ActionPartner,
    ActionService,
    Allocation,
    Area,
    Fund,
    FundAmount,
    Objective,
    Plan,
)
from tessere.planning.services import DEFAULT_AREAS
from tessere.scale.base import Context, insert, link

FUNDS = ("FNPS", "FNA", "POVERTA", "PNRR_M5C2", "REGIONALE", "COMUNALE", "ASL", "COMPARTECIPAZIONE")
VERBS = ("Potenziamento di", "Avvio di", "Consolidamento di", "Rete per", "Sperimentazione di")


def generate(ctx: Context) -> dict[str, int]:
    rng = ctx.rng("planning")
    first = ctx.today.year - 2
    years = list(range(first, first + 3))
    version = (
        Plan.objects.filter(district=ctx.district, first_year=first).aggregate(v=Max("version"))[
            "v"
        ]
        or 0
    ) + 1
    plan = Plan.objects.create(
        district=ctx.district,
        title=f"Piano di Zona {first}-{first + 2} · {ctx.district.name}",
        first_year=first,
        last_year=first + 2,
        status=Plan.Status.IN_FORCE,
        version=version,
        act_number=f"{rng.randint(1, 60)}/{first}",
        act_date=ctx.today.replace(year=first, month=3, day=15),
    )
    areas = Area.objects.bulk_create(
        Area(
            district=ctx.district,
            plan=plan,
            code=code,
            name=str(name),
            user_area=user_area,
            position=position,
        )
        for position, (code, name, user_area) in enumerate(DEFAULT_AREAS)
    )
    n_actions = ctx.size("actions")
    n_objectives = max(1, round(n_actions / 10))
    objectives = Objective.objects.bulk_create(
        Objective(
            district=ctx.district,
            plan=plan,
            area=areas[k % len(areas)],
            title=f"Obiettivo {k + 1}: {str(areas[k % len(areas)].name).lower()}",
            rationale="Dal profilo di comunità e dai contributi dei tavoli.",
            priority=1 + k % 5,
        )
        for k in range(n_objectives)
    )
    organisations = ctx.shared["organisations"]
    services = ctx.shared["services"]
    contributions = ctx.shared["contributions"]
    actions = []
    for k in range(n_actions):
        objective = objectives[k % n_objectives]
        actions.append(
            Action(
                district=ctx.district,
                plan=plan,
                objective=objective,
                code=f"A{k + 1:03d}",
                title=f"{rng.choice(VERBS)} {str(objective.area.name).lower()} ({k + 1})",
                description="Scheda intervento dell'azione, con destinatari e risultati attesi.",
                kind=rng.choice(Action.Kind.values),
                target_group="Persone e famiglie dell'ambito",
                expected_people={str(y): rng.randint(20, 800) for y in years},
                responsible=rng.choice(organisations),
                start_date=datetime.date(first, 1, 1),
                end_date=datetime.date(first + 2, 12, 31),
            )
        )
    counts = {
        "planning.Plan": 1,
        "planning.Area": len(areas),
        "planning.Objective": len(objectives),
        "planning.Action": insert(Action, actions),
    }
    costs, partners, service_links, origin_links = [], [], [], []
    for action in actions:
        for year in years:
            costs.append(
                ActionCost(
                    district=ctx.district,
                    action=action,
                    year=year,
                    amount=Decimal(rng.randint(10, 400) * 1000),
                )
            )
        for org in rng.sample(organisations, min(2, len(organisations))):
            if org is not action.responsible:
                partners.append(
                    ActionPartner(
                        district=ctx.district, action=action, organisation=org, role="partner"
                    )
                )
        for service in rng.sample(services, min(3, len(services))):
            service_links.append(
                {"district_id": ctx.district.pk, "action_id": action.pk, "service_id": service.pk}
            )
        for contribution in rng.sample(contributions, min(2, len(contributions))):
            origin_links.append(
                {
                    "district_id": ctx.district.pk,
                    "action_id": action.pk,
                    "contribution_id": contribution.pk,
                }
            )
    counts["planning.ActionCost"] = insert(ActionCost, costs)
    counts["planning.ActionPartner"] = insert(ActionPartner, partners)
    counts["planning.Action.services"] = link(ActionService, service_links)
    counts["planning.Action.origin_contributions"] = link(ActionOriginContribution, origin_links)

    funds = Fund.objects.bulk_create(
        Fund(district=ctx.district, plan=plan, code=source, source=source, name=str(label))
        for source, label in Fund.Source.choices
        if source in FUNDS
    )
    allocations = []
    totals: dict[tuple[int, int], Decimal] = {}
    by_cost = {(c.action.pk, c.year): c.amount for c in costs}
    for action in actions:
        chosen = rng.sample(funds, 2)
        for year in years:
            cost = by_cost[(action.pk, year)]
            share = (cost * Decimal(rng.randint(50, 90)) / 100).quantize(Decimal("1"))
            for fund, amount in ((chosen[0], share), (chosen[1], cost - share)):
                allocations.append(
                    Allocation(
                        district=ctx.district,
                        plan=plan,
                        fund=fund,
                        action=action,
                        year=year,
                        amount=amount,
                    )
                )
                totals[(fund.pk, year)] = totals.get((fund.pk, year), Decimal(0)) + amount
    counts["planning.Allocation"] = insert(Allocation, allocations)
    counts["planning.Fund"] = len(funds)
    counts["planning.FundAmount"] = insert(
        FundAmount,
        (
            FundAmount(
                district=ctx.district,
                fund=fund,
                year=year,
                amount=(totals.get((fund.pk, year), Decimal(0)) * Decimal("1.05")).quantize(
                    Decimal("1")
                ),
            )
            for fund in funds
            for year in years
        ),
    )
    ctx.shared["plan"] = plan
    ctx.shared["actions"] = actions
    ctx.shared["funds"] = funds
    ctx.shared["years"] = years
    return counts
