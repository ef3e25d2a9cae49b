"""Demo data of this room for the demo districts (called by `tessere setup`): for the plan
in force (or approved) of each district, one indicator per action with quarterly
measurements in the first year, two progress entries per action and what was spent from
each fund in the first year. Idempotent: a plan that already has indicators is left alone."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Sum

from tessere.monitoring import automatic, services
from tessere.monitoring.models import ActionIndicator, ProgressEntry
from tessere.planning.models import Action, Allocation, Plan
from tessere.planning.selectors import current_plan
from tessere.territory.models import District

QUARTERS = [(3, 31), (6, 30), (9, 30), (12, 31)]


#: Who receives the demo reminders (an example address: nothing is delivered).
DEMO_EMAIL = "monitoraggio@example.org"


def load(*, districts: list[District]) -> list[str]:
    """Create what is missing; return lines to print."""
    lines = []
    for district in districts:
        plan = current_plan(district)
        if plan is None:
            continue
        if not ActionIndicator.objects.filter(action__plan=plan).exists():
            n = _build(plan)
            lines.append(f"Monitoraggio di esempio per {district.name}: {n} indicatori.")
        added = _automatic(plan)
        if added:
            lines.append(
                f"Indicatori automatici di esempio per {district.name}: {added} "
                "(progetti firmati, giorni alla firma)."
            )
    return lines


def _automatic(plan: Plan) -> int:
    """Projects signed in the area and median days to the signed project, on the first
    action whose area is a user area, each refreshed once; and the person responsible for
    the first indicators gets the reminders by e-mail (the quarters after the first year are
    due and missing, so the work page lists them and ``tessere monitoring-remind`` sends
    them: see ``_build`` too). Nothing when the plan has them already."""
    sources = [
        ActionIndicator.Source.PROJECTS_SIGNED,
        ActionIndicator.Source.DAYS_TO_PROJECT,
    ]
    if ActionIndicator.objects.filter(action__plan=plan, source__in=sources).exists():
        return 0
    action = (
        Action.objects.filter(plan=plan)
        .exclude(objective__area__user_area="")
        .select_related("objective__area", "plan", "district")
        .order_by("code")
        .first()
    )
    if action is None:
        return 0
    created = [
        services.save_indicator(
            actor=None,
            action=action,
            name="Progetti personalizzati firmati nell'area",
            unit="progetti",
            kind=ActionIndicator.Kind.OUTPUT,
            source=ActionIndicator.Source.PROJECTS_SIGNED,
            frequency=ActionIndicator.Frequency.QUARTERLY,
            responsible="Servizio sociale professionale",
            responsible_email=DEMO_EMAIL,
        ),
        services.save_indicator(
            actor=None,
            action=action,
            name="Giorni (mediana) dalla presa in carico alla firma del progetto",
            unit="giorni",
            kind=ActionIndicator.Kind.OUTCOME,
            targets=dict.fromkeys(plan.years, 30),
            higher_is_better=False,
            source=ActionIndicator.Source.DAYS_TO_PROJECT,
            frequency=ActionIndicator.Frequency.HALF_YEARLY,
            responsible="Punto unico di accesso",
            responsible_email=DEMO_EMAIL,
        ),
    ]
    automatic.refresh(actor=None, plan=plan)
    return len(created)


def _build(plan: Plan) -> int:
    year = plan.first_year
    actions = list(Action.objects.filter(plan=plan).order_by("code"))
    for index, action in enumerate(actions):
        expected = int(action.expected_people.get(str(year)) or 40)
        targets = dict.fromkeys(plan.years, expected)
        indicator = services.save_indicator(
            actor=None,
            action=action,
            name="Persone raggiunte dall'azione",
            unit="persone",
            kind=ActionIndicator.Kind.OUTPUT,
            baseline=0,
            targets=targets,
            responsible="Ufficio di Piano",
            responsible_email=DEMO_EMAIL if index < 3 else "",
            frequency=ActionIndicator.Frequency.QUARTERLY,
        )
        # Cumulative values: some actions reach the target, others fall short.
        reach = Decimal([110, 80, 55, 95, 30][index % 5]) / 100
        for quarter, (month, day) in enumerate(QUARTERS, start=1):
            value = (Decimal(expected) * reach * quarter / 4).quantize(Decimal("1"))
            services.record_measurement(
                actor=None, indicator=indicator, date=datetime.date(year, month, day), value=value
            )
        services.record_progress(
            actor=None,
            action=action,
            date=datetime.date(year, 6, 30),
            status=ProgressEntry.Status.IN_PROGRESS,
            percent=15,
            note="Avvio delle attività e affidamento del servizio.",
        )
        final = [
            (ProgressEntry.Status.IN_PROGRESS, 45, "Attività regolari nel primo anno."),
            (ProgressEntry.Status.IN_PROGRESS, 30, "Ritardi nell'avvio in alcuni comuni."),
            (ProgressEntry.Status.SUSPENDED, 20, "Sospesa in attesa del nuovo affidamento."),
            (ProgressEntry.Status.IN_PROGRESS, 60, "Obiettivi del primo anno superati."),
        ][index % 4]
        services.record_progress(
            actor=None,
            action=action,
            date=datetime.date(year, 12, 31),
            status=final[0],
            percent=final[1],
            note=final[2],
        )
    allocated = (
        Allocation.objects.filter(plan=plan, year=year)
        .values("fund")
        .annotate(total=Sum("amount"))
        .values_list("fund", "total")
    )
    funds = {f.pk: f for f in plan.funds.all()}
    for fund_id, total in allocated:
        services.set_spending(
            actor=None,
            fund=funds[fund_id],
            year=year,
            amount=(total * Decimal("0.87")).quantize(Decimal("0.01")),
        )
    return len(actions)
