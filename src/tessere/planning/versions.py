"""Differences between two versions of a plan (the annual update and the one it replaces)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from tessere.planning.checks import PlanData, totals
from tessere.planning.optimizer import euro


@dataclass
class Change:
    kind: str  # added, removed, changed
    subject: str
    details: list[str] = field(default_factory=list)


def differences(old: PlanData, new: PlanData) -> list[Change]:
    """What changed from ``old`` to ``new``: areas, objectives, actions and funds, matched by
    code (areas, actions, funds) or by title (objectives)."""
    changes: list[Change] = []

    old_areas = {a.code: a for a in old.areas}
    new_areas = {a.code: a for a in new.areas}
    for code in new_areas.keys() - old_areas.keys():
        changes.append(Change("added", _("Area %(name)s") % {"name": new_areas[code].name}))
    for code in old_areas.keys() - new_areas.keys():
        changes.append(Change("removed", _("Area %(name)s") % {"name": old_areas[code].name}))

    old_obj = {o.title: o for o in old.objectives}
    new_obj = {o.title: o for o in new.objectives}
    for title in sorted(new_obj.keys() - old_obj.keys()):
        changes.append(Change("added", _("Obiettivo «%(title)s»") % {"title": title}))
    for title in sorted(old_obj.keys() - new_obj.keys()):
        changes.append(Change("removed", _("Obiettivo «%(title)s»") % {"title": title}))
    for title in sorted(old_obj.keys() & new_obj.keys()):
        a, b = old_obj[title], new_obj[title]
        details = []
        if a.priority != b.priority:
            details.append(_("priorità da %(a)s a %(b)s") % {"a": a.priority, "b": b.priority})
        if a.area.code != b.area.code:
            details.append(_("area da %(a)s a %(b)s") % {"a": a.area.name, "b": b.area.name})
        if details:
            changes.append(
                Change("changed", _("Obiettivo «%(title)s»") % {"title": title}, details)
            )

    old_t, new_t = totals(old), totals(new)
    old_act = {a.code: a for a in old.actions}
    new_act = {a.code: a for a in new.actions}
    for code in sorted(new_act.keys() - old_act.keys()):
        changes.append(Change("added", f"{code} {new_act[code].title}"))
    for code in sorted(old_act.keys() - new_act.keys()):
        changes.append(Change("removed", f"{code} {old_act[code].title}"))
    for code in sorted(old_act.keys() & new_act.keys()):
        act_a, act_b = old_act[code], new_act[code]
        details = []
        if act_a.title != act_b.title:
            details.append(_("titolo: «%(a)s» → «%(b)s»") % {"a": act_a.title, "b": act_b.title})
        if act_a.objective.title != act_b.objective.title:
            details.append(
                _("obiettivo: «%(a)s» → «%(b)s»")
                % {"a": act_a.objective.title, "b": act_b.objective.title}
            )
        for year in sorted(set(old.years) | set(new.years)):
            ca, cb = old.cost(act_a, year), new.cost(act_b, year)
            if ca != cb:
                details.append(
                    _("costo %(year)s: %(a)s → %(b)s")
                    % {"year": year, "a": euro(ca), "b": euro(cb)}
                )
            fa = old_t.funded.get((act_a.pk, year), 0)
            fb = new_t.funded.get((act_b.pk, year), 0)
            if fa != fb:
                details.append(
                    _("finanziato %(year)s: %(a)s → %(b)s")
                    % {"year": year, "a": euro(fa), "b": euro(fb)}
                )
        if details:
            changes.append(Change("changed", f"{code} {act_b.title}", details))

    old_funds = {f.code: f for f in old.funds}
    new_funds = {f.code: f for f in new.funds}
    for code in sorted(new_funds.keys() - old_funds.keys()):
        changes.append(Change("added", _("Fondo %(code)s") % {"code": code}))
    for code in sorted(old_funds.keys() - new_funds.keys()):
        changes.append(Change("removed", _("Fondo %(code)s") % {"code": code}))
    for code in sorted(old_funds.keys() & new_funds.keys()):
        details = []
        for year in sorted(set(old.years) | set(new.years)):
            amount_a = old.fund_amount(old_funds[code], year)
            amount_b = new.fund_amount(new_funds[code], year)
            if amount_a != amount_b:
                details.append(
                    _("importo %(year)s: %(a)s → %(b)s")
                    % {"year": year, "a": euro(amount_a), "b": euro(amount_b)}
                )
        if details:
            changes.append(Change("changed", _("Fondo %(code)s") % {"code": code}, details))
    return changes
