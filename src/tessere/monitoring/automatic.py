"""Indicators computed from the rest of Tessere.

People are read only through ``access.aggregates`` (counts, never persons); the figure stored
as a measurement is the raw count, and every public page passes it through the disclosure
control (``public_value``)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tessere.access import aggregates
from tessere.access.models import Referral
from tessere.core.areas import UserArea
from tessere.core.errors import DomainError
from tessere.directory.models import Service
from tessere.monitoring.models import ActionIndicator, Spending
from tessere.monitoring.selectors import IndicatorRow
from tessere.monitoring.services import _store_measurement, require_planner
from tessere.planning.models import Allocation, Plan
from tessere.territory.models import District

#: Sources whose value counts people: published only through the disclosure control.
PEOPLE_SOURCES = {
    ActionIndicator.Source.PEOPLE_IN_CHARGE,
    ActionIndicator.Source.REFERRALS_COMPLETED,
    ActionIndicator.Source.PROJECTS_SIGNED,
}


def _row(table: aggregates.AggregateTable, label: str) -> int | None:
    return dict(table.rows).get(label)


def people_in_charge(district: District, user_area: str) -> int | None:
    """People taken in charge today in ``user_area``, from the access aggregates (already
    through the disclosure control: ``None`` when the cell is suppressed)."""
    label = str(UserArea(user_area).label)
    return _row(aggregates.people_in_charge_by_area(district), label)


def referrals_completed(district: District) -> int | None:
    """Referrals concluded, from the access aggregates (``None`` when suppressed)."""
    label = str(Referral.Status.COMPLETED.label)
    return _row(aggregates.referrals_by_outcome(district), label)


def projects_signed(
    district: District, user_area: str, on: datetime.date | None = None
) -> int | None:
    """Personalised projects signed up to ``on`` in ``user_area``, from the access aggregates
    (``None`` when the cell is suppressed)."""
    label = str(UserArea(user_area).label)
    return _row(aggregates.projects_signed_by_area(district, on), label)


def median_days_to_project(district: District, on: datetime.date | None = None) -> float | None:
    """Median days from intake to the signed project (``None`` under the threshold)."""
    return aggregates.median_days_to_signed_project(district, on)


def active_services(district: District) -> int:
    return Service.objects.filter(district=district, status=Service.Status.ACTIVE).count()


def _user_area(indicator: ActionIndicator) -> str:
    area = indicator.action.objective.area.user_area
    if not area:
        raise DomainError(
            _("L'area dell'azione non corrisponde a un'area d'utenza: impossibile contare.")
        )
    return str(area)


def compute(indicator: ActionIndicator, on: datetime.date | None = None) -> float | int | None:
    district = indicator.district
    source = indicator.source
    if source == ActionIndicator.Source.PEOPLE_IN_CHARGE:
        return people_in_charge(district, _user_area(indicator))
    if source == ActionIndicator.Source.PROJECTS_SIGNED:
        return projects_signed(district, _user_area(indicator), on)
    if source == ActionIndicator.Source.DAYS_TO_PROJECT:
        return median_days_to_project(district, on)
    if source == ActionIndicator.Source.REFERRALS_COMPLETED:
        return referrals_completed(district)
    if source == ActionIndicator.Source.ACTIVE_SERVICES:
        return active_services(district)
    raise DomainError(_("L'indicatore non ha una fonte automatica."))


@transaction.atomic
def refresh(*, actor: Any, plan: Plan, on: datetime.date | None = None) -> tuple[int, int]:
    """Record today's value of every automatic indicator of ``plan``; return how many were
    recorded and how many were left out because the disclosure control hides the figure."""
    require_planner(actor, plan.district)
    on = on or timezone.localdate()
    indicators = (
        ActionIndicator.objects.filter(action__plan=plan, district=plan.district)
        .exclude(source="")
        .select_related("action__objective__area", "action__plan", "district")
    )
    done = hidden = 0
    for indicator in indicators:
        value = compute(indicator, on)
        if value is None:
            hidden += 1
            continue
        _store_measurement(actor, indicator, on, Decimal(str(value)).quantize(Decimal("0.01")))
        done += 1
    return done, hidden


def public_value(
    indicator: ActionIndicator | IndicatorRow, value: Decimal | None
) -> Decimal | None:
    """A value fit for publication: counts of people below the threshold are hidden."""
    if value is None or indicator.source not in PEOPLE_SOURCES:
        return value
    return None if 0 < value < aggregates.threshold() else value


def spending_by_fund(plan: Plan) -> list[dict[str, Any]]:
    """Per fund and year: allocated (budget) and spent; two queries."""
    allocated = {
        (fund, year): total
        for fund, year, total in Allocation.objects.filter(plan=plan)
        .values("fund", "year")
        .annotate(total=Sum("amount"))
        .values_list("fund", "year", "total")
    }
    rows = []
    spent = {
        (s.fund_id, s.year): s.amount
        for s in Spending.objects.filter(fund__plan=plan).select_related("fund")
    }
    funds = {f.pk: f for f in plan.funds.all()}
    for fund_id, fund in sorted(funds.items(), key=lambda kv: kv[1].code):
        for year in plan.years:
            budget = allocated.get((fund_id, year), Decimal(0)).quantize(Decimal("0.01"))
            amount = spent.get((fund_id, year))
            rows.append(
                {
                    "fund": fund,
                    "year": year,
                    "allocated": budget,
                    "spent": amount,
                    "share": (amount / budget * 100) if amount is not None and budget else None,
                }
            )
    return rows
