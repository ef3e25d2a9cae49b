"""Funds with their rules, the allocation table and the optimiser's proposals (writes)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tessere.core.audit import record_create, record_delete, record_update, snapshot
from tessere.core.errors import DomainError
from tessere.planning import selectors
from tessere.planning.checks import optimizer_input
from tessere.planning.models import Action, Allocation, Area, Fund, FundAmount, FundShare, Plan
from tessere.planning.optimizer import optimise
from tessere.planning.services import money, per_year, require_editable

Cell = tuple[int, int, int]  # fund id, action id, year


def _share(value: Any, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        share = Decimal(str(value).replace(",", "."))
    except ArithmeticError:
        raise DomainError(_("%(label)s: quota non valida.") % {"label": label}) from None
    if not Decimal(0) <= share <= Decimal(1):
        raise DomainError(_("%(label)s: la quota è una frazione tra 0 e 1.") % {"label": label})
    return share


@transaction.atomic
def save_fund(
    *,
    actor: Any,
    plan: Plan,
    code: str,
    source: str,
    name: str,
    amounts: Mapping[int, Any],
    eligible_areas: Iterable[Area] | None = None,
    shares: Mapping[Area, tuple[Any, Any]] | None = None,
    mandatory_actions: Iterable[Action] = (),
    fund: Fund | None = None,
) -> Fund:
    """Create or change a fund; ``eligible_areas`` None means any area; ``shares`` maps an
    area to (minimum, maximum) as fractions of the fund's total over all years."""
    require_editable(actor, plan)
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise DomainError(_("Codice e nome del fondo sono obbligatori."))
    if source not in Fund.Source.values:
        raise DomainError(_("Fonte del fondo non valida."))
    clash = Fund.objects.filter(plan=plan, code=code)
    if fund is not None:
        clash = clash.exclude(pk=fund.pk)
    if clash.exists():
        raise DomainError(_("Il codice %(code)s è già usato in questo piano.") % {"code": code})
    values = per_year(plan, amounts, code)
    areas = None if eligible_areas is None else list(eligible_areas)
    mandatory = list(mandatory_actions)
    rules: dict[Area, tuple[Decimal | None, Decimal | None]] = {}
    for area, (low, high) in (shares or {}).items():
        label = f"{code} · {area.name}"
        pair = (_share(low, label), _share(high, label))
        if pair[0] is not None and pair[1] is not None and pair[0] > pair[1]:
            raise DomainError(
                _("%(label)s: la quota minima supera la quota massima.") % {"label": label}
            )
        if pair != (None, None):
            rules[area] = pair
    owned: list[Any] = [*(areas or []), *rules, *mandatory]
    for obj in owned:
        if obj.plan_id != plan.pk:
            raise DomainError(_("Aree e azioni del fondo devono essere di questo piano."))
    before = snapshot(fund) if fund is not None else None
    if fund is None:
        fund = Fund(district=plan.district, plan=plan)
    fund.code, fund.source, fund.name, fund.any_area = code, source, name, areas is None
    fund.save()
    fund.eligible_areas.set(areas or [], through_defaults={"district_id": fund.district_id})
    fund.mandatory_actions.set(mandatory, through_defaults={"district_id": fund.district_id})
    fund.amounts.all().delete()
    FundAmount.objects.bulk_create(
        FundAmount(district=plan.district, fund=fund, year=y, amount=a)
        for y, a in sorted(values.items())
    )
    fund.shares.all().delete()
    FundShare.objects.bulk_create(
        FundShare(district=plan.district, fund=fund, area=area, min_share=low, max_share=high)
        for area, (low, high) in rules.items()
    )
    if before is None:
        record_create(actor=actor, obj=fund, district_id=plan.district_id)
    else:
        record_update(actor=actor, obj=fund, before=before, district_id=plan.district_id)
    return fund


@transaction.atomic
def delete_fund(*, actor: Any, fund: Fund) -> None:
    require_editable(actor, fund.plan)
    record_delete(actor=actor, obj=fund, district_id=fund.district_id)
    fund.delete()


@transaction.atomic
def set_allocations(*, actor: Any, plan: Plan, cells: Mapping[Cell, Any]) -> int:
    """Replace the allocation table with ``cells`` (missing or zero cells are removed).
    Rules may be broken while the planner works: the page shows them; approval refuses them.
    Returns the number of cells changed."""
    require_editable(actor, plan)
    fund_ids = set(Fund.objects.filter(plan=plan).values_list("pk", flat=True))
    action_ids = set(Action.objects.filter(plan=plan).values_list("pk", flat=True))
    wanted: dict[Cell, Decimal] = {}
    for (fund_id, action_id, year), value in cells.items():
        if fund_id not in fund_ids or action_id not in action_ids or year not in plan.years:
            raise DomainError(_("La tabella contiene una cella che non appartiene al piano."))
        amount = money(value, _("Assegnazione"))
        if amount > 0:
            wanted[fund_id, action_id, year] = amount
    changed = 0
    existing = {(a.fund_id, a.action_id, a.year): a for a in Allocation.objects.filter(plan=plan)}
    for key, allocation in existing.items():
        if key not in wanted:
            record_delete(actor=actor, obj=allocation, district_id=plan.district_id)
            allocation.delete()
            changed += 1
        elif allocation.amount != wanted[key]:
            before = snapshot(allocation)
            allocation.amount = wanted[key]
            allocation.save(update_fields=["amount"])
            record_update(actor=actor, obj=allocation, before=before, district_id=plan.district_id)
            changed += 1
    for (fund_id, action_id, year), amount in wanted.items():
        if (fund_id, action_id, year) in existing:
            continue
        allocation = Allocation.objects.create(
            district=plan.district,
            plan=plan,
            fund_id=fund_id,
            action_id=action_id,
            year=year,
            amount=amount,
        )
        record_create(actor=actor, obj=allocation, district_id=plan.district_id)
        changed += 1
    return changed


def propose(plan: Plan) -> dict[str, Any]:
    """Run the optimiser on the plan's data (nothing is written)."""
    return optimise(optimizer_input(selectors.plan_data(plan)))


@transaction.atomic
def apply_proposal(*, actor: Any, plan: Plan) -> dict[str, Any]:
    """Run the optimiser and, when it finds a solution, make it the allocation table."""
    require_editable(actor, plan)
    data = selectors.plan_data(plan)
    result = optimise(optimizer_input(data))
    if result["status"] != "optimal":
        raise DomainError(
            _("Le regole dei fondi non possono essere rispettate tutte insieme."),
            details=[c["message"] for c in result["conflicts"]],
        )
    funds = {f.code: f.pk for f in data.funds}
    actions = {a.code: a.pk for a in data.actions}
    cells = {
        (funds[x["fund"]], actions[x["action"]], x["year"]): Decimal(str(x["amount"]))
        for x in result["allocations"]
    }
    set_allocations(actor=actor, plan=plan, cells=cells)
    return result
