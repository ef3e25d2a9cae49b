"""The public accountability page's data: the plan in force with its progress, spending,
indicators (through the disclosure control) and the history of each action.

The page lists every indicator of every action (2,000 at 200 actions) and every progress
entry: their table rows and list items are escaped and assembled here, once, in plain Python,
because the template engine spends about half a millisecond per row on them (nodes, filters,
includes), which at that size was most of the page's time.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tessere.monitoring import automatic, selectors
from tessere.monitoring.models import ActionIndicator, ProgressEntry
from tessere.planning import selectors as plan_selectors
from tessere.planning.models import Plan
from tessere.territory.models import District

#: Traffic lights: the badge's classes.
LIGHT_CLASSES = {
    "green": "bg-success",
    "yellow": "bg-warning text-dark",
    "red": "bg-danger",
    "grey": "bg-secondary",
}


def light_labels() -> dict[str, str]:
    return {
        "green": _("obiettivo raggiunto"),
        "yellow": _("vicino all'obiettivo"),
        "red": _("lontano dall'obiettivo"),
        "grey": _("senza dati"),
    }


def _indicator_table(rows: list[str], head: str) -> str:
    return (
        f'<div class="table-responsive"><table class="table table-sm">{head}'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _head() -> str:
    columns = [
        ("", _("Indicatore")),
        (' class="num"', _("Partenza")),
        (' class="num"', _("Ultimo valore")),
        (' class="num"', _("Obiettivo")),
        ("", _("Esito")),
    ]
    cells = "".join(f'<th scope="col"{css}>{escape(label)}</th>' for css, label in columns)
    return f"<caption>{escape(_('Indicatori'))}</caption><thead><tr>{cells}</tr></thead>"


def _day(value: Any, memo: dict[Any, str]) -> str:
    """``23/11/2026``; a page repeats a few dates thousands of times."""
    text = memo.get(value)
    if text is None:
        text = memo[value] = value.strftime("%d/%m/%Y")
    return text


def euro_text(amount: Decimal) -> str:
    """As the ``euro`` filter (``1.234,56 €``, no cents when whole), without the template."""
    places = 0 if amount == amount.to_integral_value() else 2
    return f"{selectors.italian_number(amount, places)}\u00a0€"


def _indicator_row(indicator: Any, year: int, words: dict[str, str], memo: dict[Any, str]) -> str:
    raw = indicator.latest_value
    value = automatic.public_value(indicator, raw)
    target_year = indicator.latest_date.year if indicator.latest_date else year
    target = indicator.target_for(target_year)
    light = selectors.light(indicator, value, target_year)
    if raw is not None and value is None:
        shown = escape(words["hidden"])
    elif value is None:
        shown = "—"
    else:
        shown = selectors.italian_number(value)
        if indicator.latest_date:
            shown += f" <small>({_day(indicator.latest_date, memo)})</small>"
    target_text = selectors.italian_number(None if target is None else Decimal(target))
    return (
        f'<tr><th scope="row">{escape(indicator.name)} <small>({escape(indicator.unit)})'
        f'</small></th><td class="num">{selectors.italian_number(indicator.baseline)}</td>'
        f'<td class="num">{shown}</td>'
        f'<td class="num">{target_text} <small>({target_year})</small></td>'
        f'<td><span class="badge {LIGHT_CLASSES[light]}">{escape(words[light])}</span></td>'
        "</tr>"
    )


def _history_item(entry: tuple[Any, ...], labels: dict[str, str], memo: dict[Any, str]) -> str:
    _action_id, date, status, percent, note = entry
    note_text = f" — {escape(note)}" if note else ""
    label = escape(str(labels.get(status, status)))
    return f"<li>{_day(date, memo)}: {label}, {percent}%{note_text}</li>"


#: Words of an action's description on the page (the whole text is on the plan's page).
DESCRIPTION_WORDS = 60


def _first_words(text: str, count: int) -> str:
    """The first ``count`` words of ``text`` and "…" if there were more: the template filter
    ``truncatewords`` without its cost, for the 200 actions of a large plan."""
    words = text.split()
    return " ".join(words[:count]) + "…" if len(words) > count else " ".join(words)


#: Up to this many actions the page shows every action's indicators and history; a larger
#: plan shows them for one area at a time (``?area=``), and every action's progress.
ALL_DETAILS = 40


def page_context(
    actor: Any, district: District, plan: Plan, today_year: int, area_key: str = ""
) -> dict[str, Any]:
    """Everything the page shows, in a fixed number of queries."""
    data = selectors.plan_outline(plan)
    every = len(data.actions) <= ALL_DETAILS
    chosen = None if every else next((a for a in data.areas if str(a.pk) == area_key), None)
    detailed = {
        a.pk for a in data.actions if every or (chosen and a.objective.area_id == chosen.pk)
    }
    # The contributions each action answers are a detail: of the actions shown in detail.
    shown = [a for a in data.actions if a.pk in detailed]
    for action in data.actions:
        if action.pk not in detailed:
            action.visible_origins = []  # type: ignore[attr-defined]
    plan_selectors.show_origins(actor, plan, selectors.load_origins(plan, shown))
    indicators = ActionIndicator.objects.filter(action__plan=plan, district=district)
    if not every:  # one area's indicators, or none (still one query)
        indicators = indicators.filter(action__objective__area=chosen)
    # Progress entries as plain tuples, newest first: the history, and the latest state
    # of each action for the roll-up.
    entries = list(
        ProgressEntry.objects.filter(action__plan=plan, district=district)
        .order_by("-date", "-pk")
        .values_list("action_id", "date", "status", "percent", "note")
    )
    states: dict[int, tuple[str, int]] = {}
    for action_id, _date, status, percent, _note in entries:
        states.setdefault(action_id, (status, percent))
    result = selectors.rollup(plan, data.actions, states)
    year = max(min(plan.last_year, today_year), plan.first_year)
    words = {**light_labels(), "hidden": _("non pubblicato (sotto soglia)")}
    rows: dict[int, list[str]] = {}
    memo: dict[Any, str] = {}
    for indicator in selectors.each_indicator(indicators.order_by("pk")):
        rows.setdefault(indicator.action_id, []).append(
            _indicator_row(indicator, year, words, memo)
        )
    head = _head()
    tables = {action_id: _indicator_table(parts, head) for action_id, parts in rows.items()}
    labels = {str(k): str(v) for k, v in ProgressEntry.Status.choices}
    history: dict[int, list[str]] = {}
    for entry in entries:
        if entry[0] in detailed:
            history.setdefault(entry[0], []).append(_history_item(entry, labels, memo))
    by_objective: dict[int, list[dict[str, Any]]] = {}
    for action in data.actions:
        progress = result.actions[action.pk]
        by_objective.setdefault(action.objective_id, []).append(
            {
                "action": action,
                "progress": progress,
                "percent_text": f"{selectors.italian_number(progress.percent, 1)}%",
                "budget_text": euro_text(progress.budget),
                "description": _first_words(action.description, DESCRIPTION_WORDS),
                "indicator_table": _safe([tables[action.pk]] if action.pk in tables else None),
                "history": _safe(history.get(action.pk)),
            }
        )
    areas = []
    for area in data.areas:
        objectives = [
            {
                "objective": objective,
                "progress": result.objectives.get(objective.pk),
                "actions": by_objective.get(objective.pk, []),
            }
            for objective in data.objectives
            if objective.area_id == area.pk
        ]
        if objectives:
            areas.append(
                {
                    "area": area,
                    "progress": result.areas.get(area.pk),
                    "objectives": objectives,
                    "detailed": every or area == chosen,
                }
            )
    spending = automatic.spending_by_fund(plan)
    return {
        "district": district,
        "plan": plan,
        "rollup": result,
        "areas": areas,
        "every_detail": every,
        "chosen_area": chosen,
        "spending": spending,
        "year": year,
        "budget_total": sum(p.budget for p in result.actions.values()),
        "spent_total": sum((r["spent"] or Decimal(0)) for r in spending),
    }


def _safe(parts: list[str] | None) -> SafeString | None:
    """Rows built from escaped values only (see the helpers above)."""
    return mark_safe("".join(parts)) if parts else None
