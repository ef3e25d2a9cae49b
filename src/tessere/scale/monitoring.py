"""Monitoring at scale: ten indicators per action with targets per year, a measurement at the
end of every month of the plan up to today, quarterly progress of each action, spending."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterator
from decimal import Decimal

from tessere.monitoring.models import ActionIndicator, Measurement, ProgressEntry, Spending
from tessere.scale.base import Context, insert

INDICATORS = (
    ("Persone raggiunte", "persone", "output"),
    ("Famiglie seguite", "famiglie", "output"),
    ("Ore di servizio erogate", "ore", "output"),
    ("Accessi allo sportello", "accessi", "output"),
    ("Incontri di gruppo svolti", "incontri", "output"),
    ("Operatori formati", "operatori", "output"),
    ("Progetti personalizzati sottoscritti", "progetti", "outcome"),
    ("Persone che hanno trovato lavoro", "persone", "outcome"),
    ("Soddisfazione degli utenti", "punti su 10", "outcome"),
    ("Enti coinvolti nella rete", "enti", "outcome"),
)


def month_ends(years: list[int], today: datetime.date) -> list[datetime.date]:
    ends = []
    for year in years:
        for month in range(1, 13):
            end = datetime.date(year, month, calendar.monthrange(year, month)[1])
            if end <= today:
                ends.append(end)
    return ends


def generate(ctx: Context) -> dict[str, int]:
    rng = ctx.rng("monitoring")
    actions = ctx.shared["actions"]
    years = ctx.shared["years"]
    per_action = max(1, round(ctx.size("indicators") / len(actions)))
    indicators = []
    for action in actions:
        for k in range(per_action):
            name, unit, kind = INDICATORS[k % len(INDICATORS)]
            base = rng.randint(10, 200)
            indicators.append(
                ActionIndicator(
                    district=ctx.district,
                    action=action,
                    name=name if k < len(INDICATORS) else f"{name} ({k + 1})",
                    kind=kind,
                    unit=unit,
                    baseline=Decimal(base),
                    targets={str(y): str(base + 10 * (n + 1)) for n, y in enumerate(years)},
                    frequency="monthly",
                    responsible=action.responsible.name if action.responsible else "",
                )
            )
    counts = {"monitoring.ActionIndicator": insert(ActionIndicator, indicators)}
    ends = month_ends(years, ctx.today)

    def measurements() -> Iterator[Measurement]:
        for indicator in indicators:
            value = float(indicator.baseline or 0)
            for end in ends:
                value = max(0.0, value + rng.uniform(-3, 5))
                yield Measurement(
                    district=ctx.district,
                    indicator=indicator,
                    date=end,
                    value=Decimal(f"{value:.2f}"),
                )

    counts["monitoring.Measurement"] = insert(Measurement, measurements())
    progress = []
    for action in actions:
        percent = 0
        for end in ends[2::3]:
            percent = min(100, percent + rng.randint(0, 12))
            progress.append(
                ProgressEntry(
                    district=ctx.district,
                    action=action,
                    date=end,
                    status="completed" if percent == 100 else "in_progress",
                    percent=percent,
                    note="Avanzamento del trimestre.",
                )
            )
    counts["monitoring.ProgressEntry"] = insert(ProgressEntry, progress)
    counts["monitoring.Spending"] = insert(
        Spending,
        (
            Spending(
                district=ctx.district,
                fund=fund,
                year=year,
                amount=Decimal(rng.randint(50, 900) * 1000),
            )
            for fund in ctx.shared["funds"]
            for year in years
            if year <= ctx.today.year
        ),
    )
    return counts
