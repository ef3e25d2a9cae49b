"""The plan's funding in memory: totals, the rules of the funds met or broken, the optimiser's
input. Everything here works on a ``PlanData`` loaded by ``selectors.plan_data`` (a fixed number
of queries) and runs no query itself."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from tessere.planning.models import Action, Allocation, Area, Fund, Objective, Plan, Resource
from tessere.planning.optimizer import euro

ZERO = Decimal("0")
TOLERANCE = Decimal("0.01")


class AllocationRow(NamedTuple):
    """A cell of the funding table as ``plan_data`` reads it: the fields the checks, totals
    and charts use, without building 1,200 model instances for a large plan."""

    fund_id: int
    action_id: int
    year: int
    amount: Decimal


@dataclass
class PlanData:
    plan: Plan
    areas: list[Area]
    objectives: list[Objective]
    actions: list[Action]
    funds: list[Fund]
    allocations: list[AllocationRow] | list[Allocation]
    resources: list[Resource] = field(default_factory=list)
    #: action id -> year -> yearly cost, read as values (a large plan has 600 of them);
    #: ``None``: read each action's prefetched ``costs``.
    costs: dict[int, dict[int, Decimal]] | None = None

    # ------------------------------------------------------------------ lookups
    @property
    def years(self) -> list[int]:
        return self.plan.years

    def costs_of(self, action: Action) -> dict[int, Decimal]:
        if self.costs is not None:
            return self.costs.get(action.pk, {})
        return {row.year: row.amount for row in action.costs.all()}

    def cost(self, action: Action, year: int) -> Decimal:
        return self.costs_of(action).get(year, ZERO)

    def total_cost(self, action: Action) -> Decimal:
        return sum(self.costs_of(action).values(), ZERO)

    def fund_amount(self, fund: Fund, year: int) -> Decimal:
        for row in fund.amounts.all():
            if row.year == year:
                return row.amount
        return ZERO

    def fund_total(self, fund: Fund) -> Decimal:
        return sum((row.amount for row in fund.amounts.all()), ZERO)

    def area_of(self, action: Action) -> Area:
        return action.objective.area

    def eligible(self, fund: Fund, area: Area) -> bool:
        return fund.any_area or any(a.pk == area.pk for a in fund.eligible_areas.all())

    def cells(self) -> dict[tuple[int, int, int], Decimal]:
        return {(a.fund_id, a.action_id, a.year): a.amount for a in self.allocations}

    def mandatory_action_ids(self) -> set[int]:
        return {a.pk for fund in self.funds for a in fund.mandatory_actions.all()}

    def action_priority(self, action: Action) -> int:
        """The optimiser's weight: objective of rank 1 weighs most, the last rank weighs 1."""
        worst = max((o.priority for o in self.objectives), default=1)
        return worst + 1 - action.objective.priority


@dataclass
class Check:
    ok: bool
    rule: str
    message: str


@dataclass
class Totals:
    by_fund: dict[int, dict[int, Decimal]]  # fund id → year → allocated
    by_area: dict[int, dict[int, Decimal]]  # area id → year → allocated
    by_year: dict[int, Decimal]
    cost_by_year: dict[int, Decimal]
    funded: dict[tuple[int, int], Decimal]  # (action id, year) → allocated
    unfunded: dict[tuple[int, int], Decimal]
    total: Decimal
    total_cost: Decimal

    @property
    def total_unfunded(self) -> Decimal:
        return sum(self.unfunded.values(), ZERO)


def totals(data: PlanData) -> Totals:
    by_fund: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    by_area: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    by_year: dict[int, Decimal] = dict.fromkeys(data.years, ZERO)
    funded: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    actions = {a.pk: a for a in data.actions}
    for allocation in data.allocations:
        action = actions[allocation.action_id]
        by_fund[allocation.fund_id][allocation.year] += allocation.amount
        by_area[action.objective.area_id][allocation.year] += allocation.amount
        by_year[allocation.year] = by_year.get(allocation.year, ZERO) + allocation.amount
        funded[action.pk, allocation.year] += allocation.amount
    cost_by_year = dict.fromkeys(data.years, ZERO)
    unfunded: dict[tuple[int, int], Decimal] = {}
    for action in data.actions:
        for year in data.years:
            cost = data.cost(action, year)
            cost_by_year[year] += cost
            missing = cost - funded.get((action.pk, year), ZERO)
            if missing > ZERO:
                unfunded[action.pk, year] = missing
    return Totals(
        by_fund={k: dict(v) for k, v in by_fund.items()},
        by_area={k: dict(v) for k, v in by_area.items()},
        by_year=by_year,
        cost_by_year=cost_by_year,
        funded=dict(funded),
        unfunded=unfunded,
        total=sum(by_year.values(), ZERO),
        total_cost=sum(cost_by_year.values(), ZERO),
    )


def checks(data: PlanData, result: Totals | None = None) -> list[Check]:
    """Every rule of every fund, and the costs of the actions, each met or broken."""
    t = result or totals(data)
    out: list[Check] = []
    actions = {a.pk: a for a in data.actions}
    for fund in data.funds:
        for year in data.years:
            amount = data.fund_amount(fund, year)
            used = t.by_fund.get(fund.pk, {}).get(year, ZERO)
            out.append(
                Check(
                    ok=used <= amount + TOLERANCE,
                    rule="fund_year",
                    message=_("%(fund)s %(year)s: assegnati %(used)s su %(amount)s disponibili.")
                    % {"fund": fund.code, "year": year, "used": euro(used), "amount": euro(amount)},
                )
            )
        ineligible = [
            a
            for a in data.allocations
            if a.fund_id == fund.pk and not data.eligible(fund, data.area_of(actions[a.action_id]))
        ]
        if not fund.any_area:
            names = ", ".join(a.name for a in fund.eligible_areas.all()) or _("nessuna")
            bad = sum((a.amount for a in ineligible), ZERO)
            out.append(
                Check(
                    ok=not ineligible,
                    rule="eligible",
                    message=(
                        _("%(fund)s finanzia solo le aree: %(areas)s.")
                        % {"fund": fund.code, "areas": names}
                        if not ineligible
                        else _(
                            "%(fund)s finanzia solo le aree: %(areas)s; %(bad)s sono assegnati "
                            "ad azioni di altre aree."
                        )
                        % {"fund": fund.code, "areas": names, "bad": euro(bad)}
                    ),
                )
            )
        total = data.fund_total(fund)
        for share in fund.shares.all():
            # Only this fund's money counts.
            used = sum(
                (
                    a.amount
                    for a in data.allocations
                    if a.fund_id == fund.pk
                    and actions[a.action_id].objective.area_id == share.area_id
                ),
                ZERO,
            )
            if share.min_share is not None:
                needed = (share.min_share * total).quantize(TOLERANCE)
                out.append(
                    Check(
                        ok=used + TOLERANCE >= needed,
                        rule="min_share",
                        message=_(
                            "%(fund)s: almeno il %(share)s per %(area)s, cioè %(needed)s; "
                            "assegnati %(used)s."
                        )
                        % {
                            "fund": fund.code,
                            "share": _pct(share.min_share),
                            "area": share.area.name,
                            "needed": euro(needed),
                            "used": euro(used),
                        },
                    )
                )
            if share.max_share is not None:
                limit = (share.max_share * total).quantize(TOLERANCE)
                out.append(
                    Check(
                        ok=used <= limit + TOLERANCE,
                        rule="max_share",
                        message=_(
                            "%(fund)s: al massimo il %(share)s per %(area)s, cioè %(limit)s; "
                            "assegnati %(used)s."
                        )
                        % {
                            "fund": fund.code,
                            "share": _pct(share.max_share),
                            "area": share.area.name,
                            "limit": euro(limit),
                            "used": euro(used),
                        },
                    )
                )
        for action in fund.mandatory_actions.all():
            action = actions.get(action.pk, action)
            missing = sum(t.unfunded.get((action.pk, y), ZERO) for y in data.years)
            out.append(
                Check(
                    ok=missing <= TOLERANCE,
                    rule="mandatory",
                    message=_(
                        "%(fund)s: l'azione obbligatoria %(action)s deve essere finanziata per "
                        "intero; mancano %(missing)s."
                    )
                    % {"fund": fund.code, "action": action.code, "missing": euro(missing)},
                )
            )
    for action in data.actions:
        for year in data.years:
            cost = data.cost(action, year)
            got = t.funded.get((action.pk, year), ZERO)
            if got > cost + TOLERANCE:
                out.append(
                    Check(
                        ok=False,
                        rule="cost",
                        message=_(
                            "%(action)s %(year)s: assegnati %(got)s, più del costo di %(cost)s."
                        )
                        % {
                            "action": action.code,
                            "year": year,
                            "got": euro(got),
                            "cost": euro(cost),
                        },
                    )
                )
    return out


def _pct(value: Decimal) -> str:
    text = f"{float(value) * 100:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text}%"


def optimizer_input(data: PlanData) -> dict[str, Any]:
    """The plan's funds, rules and actions in the optimiser's JSON format."""
    mandatory = data.mandatory_action_ids()
    funds = []
    for fund in data.funds:
        shares_min = {
            s.area.code: float(s.min_share) for s in fund.shares.all() if s.min_share is not None
        }
        shares_max = {
            s.area.code: float(s.max_share) for s in fund.shares.all() if s.max_share is not None
        }
        funds.append(
            {
                "code": fund.code,
                "amounts": {str(y): float(data.fund_amount(fund, y)) for y in data.years},
                "eligible_areas": None
                if fund.any_area
                else sorted(a.code for a in fund.eligible_areas.all()),
                "min_share": shares_min,
                "max_share": shares_max,
            }
        )
    actions = [
        {
            "code": action.code,
            "area": action.objective.area.code,
            "priority": data.action_priority(action),
            "costs": {str(y): float(data.cost(action, y)) for y in data.years},
            "mandatory": action.pk in mandatory,
        }
        for action in data.actions
    ]
    return {"years": data.years, "funds": funds, "actions": actions}
