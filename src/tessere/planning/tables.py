"""Plan data shaped for pages and documents (in memory, no queries)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tessere.planning.checks import ZERO, PlanData, Totals, totals
from tessere.planning.models import Action, Area, Fund, Objective


@dataclass
class Cell:
    fund: Fund
    name: str
    value: Decimal | None
    editable: bool


@dataclass
class Row:
    action: Action
    area: Area
    cost: Decimal
    cells: list[Cell]
    funded: Decimal
    unfunded: Decimal


@dataclass
class YearTable:
    year: int
    rows: list[Row]
    fund_totals: list[tuple[Fund, Decimal, Decimal]]  # fund, allocated, available
    cost: Decimal
    funded: Decimal
    unfunded: Decimal


def cell_name(fund_id: int, action_id: int, year: int) -> str:
    return f"c-{fund_id}-{action_id}-{year}"


def allocation_tables(
    data: PlanData, t: Totals | None = None, submitted: dict[str, str] | None = None
) -> list[YearTable]:
    """One table per year: actions in rows, funds in columns."""
    t = t or totals(data)
    cells = data.cells()
    tables = []
    for year in data.years:
        rows = []
        for action in data.actions:
            area = data.area_of(action)
            row_cells = []
            for fund in data.funds:
                value = cells.get((fund.pk, action.pk, year))
                name = cell_name(fund.pk, action.pk, year)
                row_cells.append(
                    Cell(
                        fund=fund,
                        name=name,
                        value=value,
                        editable=data.eligible(fund, area) or value is not None,
                    )
                )
                if submitted is not None and name in submitted:
                    row_cells[-1].value = submitted[name]  # type: ignore[assignment]
            cost = data.cost(action, year)
            funded = t.funded.get((action.pk, year), ZERO)
            rows.append(
                Row(
                    action=action,
                    area=area,
                    cost=cost,
                    cells=row_cells,
                    funded=funded,
                    unfunded=max(cost - funded, ZERO),
                )
            )
        fund_totals = [
            (fund, t.by_fund.get(fund.pk, {}).get(year, ZERO), data.fund_amount(fund, year))
            for fund in data.funds
        ]
        tables.append(
            YearTable(
                year=year,
                rows=rows,
                fund_totals=fund_totals,
                cost=t.cost_by_year.get(year, ZERO),
                funded=t.by_year.get(year, ZERO),
                unfunded=sum((r.unfunded for r in rows), ZERO),
            )
        )
    return tables


@dataclass
class ActionNode:
    action: Action
    cost: Decimal
    funded: Decimal
    by_year: list[tuple[int, Decimal, Decimal]]  # year, cost, funded


@dataclass
class ObjectiveNode:
    objective: Objective
    actions: list[ActionNode] = field(default_factory=list)

    @property
    def cost(self) -> Decimal:
        return sum((a.cost for a in self.actions), ZERO)

    @property
    def funded(self) -> Decimal:
        return sum((a.funded for a in self.actions), ZERO)


@dataclass
class AreaNode:
    area: Area
    objectives: list[ObjectiveNode] = field(default_factory=list)
    detailed: bool = True  # the public page shows its actions' cards, not just a list

    @property
    def cost(self) -> Decimal:
        return sum((o.cost for o in self.objectives), ZERO)

    @property
    def funded(self) -> Decimal:
        return sum((o.funded for o in self.objectives), ZERO)


def tree(data: PlanData, t: Totals | None = None) -> list[AreaNode]:
    """Areas → objectives → actions with their budgets (areas without objectives left out)."""
    t = t or totals(data)
    nodes = {o.pk: ObjectiveNode(objective=o) for o in data.objectives}
    for action in data.actions:
        by_year = [
            (y, data.cost(action, y), t.funded.get((action.pk, y), ZERO)) for y in data.years
        ]
        nodes[action.objective_id].actions.append(
            ActionNode(
                action=action,
                cost=sum((c for _y, c, _f in by_year), ZERO),
                funded=sum((f for _y, _c, f in by_year), ZERO),
                by_year=by_year,
            )
        )
    areas = []
    for area in data.areas:
        objectives = [nodes[o.pk] for o in data.objectives if o.area_id == area.pk]
        if objectives:
            areas.append(AreaNode(area=area, objectives=objectives))
    return areas


def fund_summary(data: PlanData, t: Totals | None = None) -> list[dict[str, Any]]:
    t = t or totals(data)
    rows = []
    for fund in data.funds:
        years = [
            (y, data.fund_amount(fund, y), t.by_fund.get(fund.pk, {}).get(y, ZERO))
            for y in data.years
        ]
        rows.append(
            {
                "fund": fund,
                "years": years,
                "amount": sum((a for _y, a, _u in years), ZERO),
                "allocated": sum((u for _y, _a, u in years), ZERO),
            }
        )
    return rows


def area_summary(data: PlanData, t: Totals | None = None) -> list[dict[str, Any]]:
    t = t or totals(data)
    rows = []
    for area in data.areas:
        years = [(y, t.by_area.get(area.pk, {}).get(y, ZERO)) for y in data.years]
        total = sum((v for _y, v in years), ZERO)
        if total or any(o.area_id == area.pk for o in data.objectives):
            rows.append({"area": area, "years": years, "total": total})
    return rows
