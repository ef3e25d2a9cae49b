"""Measurements due and missing, and the reminders sent for them.

Each indicator is measured at the end of every period of its frequency (month, quarter,
half-year, year). A period is *due* from the day after it ends; it is *missing* when the
indicator has no measurement dated inside the period. Only the periods of the plan's years,
inside the action's dates and ending before today count; actions whose latest progress entry
is «annullata» are left out.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tessere.core.audit import record_create
from tessere.core.models import Membership, Role
from tessere.monitoring.models import ActionIndicator, Measurement, MeasurementReminder
from tessere.monitoring.selectors import latest_progress
from tessere.planning.models import Plan

logger = logging.getLogger(__name__)

#: Months of each frequency's periods.
MONTHS = {
    ActionIndicator.Frequency.MONTHLY: 1,
    ActionIndicator.Frequency.QUARTERLY: 3,
    ActionIndicator.Frequency.HALF_YEARLY: 6,
    ActionIndicator.Frequency.YEARLY: 12,
}


@dataclass(frozen=True)
class Due:
    indicator: ActionIndicator
    start: datetime.date
    end: datetime.date


def _month_end(year: int, month: int) -> datetime.date:
    first_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_next - datetime.timedelta(days=1)


def periods(
    frequency: str, first: datetime.date, last: datetime.date
) -> list[tuple[datetime.date, datetime.date]]:
    """The periods (start, end) of ``frequency`` that end between ``first`` and ``last``
    (inclusive), aligned on the calendar year."""
    step = MONTHS[ActionIndicator.Frequency(frequency)]
    result = []
    for year in range(first.year, last.year + 1):
        for start_month in range(1, 13, step):
            start = datetime.date(year, start_month, 1)
            end = _month_end(year, start_month + step - 1)
            if first <= end <= last:
                result.append((start, end))
    return result


def due_and_missing(plans: list[Plan], today: datetime.date | None = None) -> list[Due]:
    """The measurements due and missing for the indicators of ``plans``: three queries,
    whatever the number of plans, indicators and measurements."""
    today = today or timezone.localdate()
    if not plans:
        return []
    indicators = list(
        ActionIndicator.objects.filter(action__plan__in=plans)
        .select_related("action__plan", "district")
        .order_by("action__plan", "action__code", "pk")
    )
    cancelled = {
        action_id
        for action_id, entry in latest_progress([i.action for i in indicators]).items()
        if entry.status == "cancelled"
    }
    dates: dict[int, list[datetime.date]] = defaultdict(list)
    for indicator_id, date in Measurement.objects.filter(
        indicator__in=[i.pk for i in indicators]
    ).values_list("indicator_id", "date"):
        dates[indicator_id].append(date)
    yesterday = today - datetime.timedelta(days=1)
    result = []
    for indicator in indicators:
        action = indicator.action
        if action.pk in cancelled:
            continue
        first = datetime.date(action.plan.first_year, 1, 1)
        if action.start_date is not None:
            first = max(first, action.start_date)
        last = min(datetime.date(action.plan.last_year, 12, 31), yesterday)
        if action.end_date is not None:
            # The period in which the action ends is still due.
            last = min(last, _period_end_after(indicator.frequency, action.end_date))
        taken = dates.get(indicator.pk, [])
        for start, end in periods(indicator.frequency, first, last):
            if not any(start <= d <= end for d in taken):
                result.append(Due(indicator=indicator, start=start, end=end))
    return result


def _period_end_after(frequency: str, day: datetime.date) -> datetime.date:
    step = MONTHS[ActionIndicator.Frequency(frequency)]
    start_month = ((day.month - 1) // step) * step + 1
    return _month_end(day.year, start_month + step - 1)


def plans_to_watch() -> list[Plan]:
    """The plans whose measurements are expected: approved or in force."""
    return list(
        Plan.objects.filter(status__in=[Plan.Status.APPROVED, Plan.Status.IN_FORCE])
        .select_related("district")
        .order_by("pk")
    )


def _planner_emails() -> dict[int, list[str]]:
    emails: dict[int, list[str]] = defaultdict(list)
    for district_id, email in (
        Membership.objects.filter(role=Role.PLANNER, user__is_active=True)
        .exclude(user__email="")
        .values_list("district_id", "user__email")
        .order_by("user__email")
    ):
        if email not in emails[district_id]:
            emails[district_id].append(email)
    return emails


def _period_label(due: Due) -> str:
    return _("%(start)s-%(end)s") % {
        "start": due.start.strftime("%d/%m/%Y"),
        "end": due.end.strftime("%d/%m/%Y"),
    }


@transaction.atomic
def send_reminders(today: datetime.date | None = None) -> int:
    """E-mail the person responsible for each indicator the measurements due and missing
    that nobody was reminded of yet; record each reminder (audited) so that it is never sent
    twice. Return the number of e-mails sent."""
    today = today or timezone.localdate()
    due = due_and_missing(plans_to_watch(), today)
    sent_before = set(
        MeasurementReminder.objects.filter(indicator__in={d.indicator.pk for d in due}).values_list(
            "indicator_id", "period_end"
        )
    )
    fresh = [d for d in due if (d.indicator.pk, d.end) not in sent_before]
    planners = _planner_emails()
    # One e-mail per recipient and district, listing every indicator and period.
    letters: dict[tuple[tuple[str, ...], int], list[Due]] = defaultdict(list)
    for item in fresh:
        indicator = item.indicator
        recipients: list[str] = (
            [indicator.responsible_email]
            if indicator.responsible_email
            else planners.get(indicator.district_id, [])
        )
        if not recipients:
            logger.warning("Nessun destinatario per il promemoria dell'indicatore %s", indicator.pk)
            continue
        letters[(tuple(recipients), indicator.district_id)].append(item)
    sent = 0
    with translation.override("it"):
        for (to, _district_id), items in letters.items():
            district = items[0].indicator.district
            lines = "\n".join(
                f"- {i.indicator.action.code} · {i.indicator.name}: {_period_label(i)}"
                for i in items
            )
            send_mail(
                _("Tessere: misurazioni da inserire (%(district)s)") % {"district": district.name},
                _(
                    "Queste misurazioni del monitoraggio del piano di zona sono scadute e non "
                    "sono ancora state inserite:\n\n%(lines)s\n\nEntra in Tessere, nella pagina "
                    "di lavoro del monitoraggio, e inserisci i valori (anche con l'importazione "
                    "CSV)."
                )
                % {"lines": lines},
                None,
                list(to),
            )
            sent += 1
            for item in items:
                reminder = MeasurementReminder.objects.create(
                    district=district,
                    indicator=item.indicator,
                    period_end=item.end,
                    recipients=", ".join(to),
                )
                record_create(actor=None, obj=reminder, district_id=district.pk)
            logger.info(
                "Promemoria di monitoraggio inviato a %s: %s misurazioni",
                ", ".join(to),
                len(items),
            )
    return sent


def page_list(plan: Plan, today: datetime.date | None = None) -> list[dict[str, Any]]:
    """The «misurazioni da inserire» of ``plan`` for the planners' pages, by indicator."""
    grouped: dict[int, dict[str, Any]] = {}
    for item in due_and_missing([plan], today):
        row = grouped.setdefault(item.indicator.pk, {"indicator": item.indicator, "periods": []})
        row["periods"].append(item)
    return list(grouped.values())
