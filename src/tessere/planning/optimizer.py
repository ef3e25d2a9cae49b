"""The funding optimiser: which fund pays how much of which action in which year.

A pure function over plain data (no database): ``optimise(data)`` takes the input described in
``docs/planning.md`` (years, funds with their rules, actions with their costs) and returns a
JSON-ready dictionary. The model is a linear programme solved with HiGHS:

- one variable ``x[f, a, y] >= 0`` for each fund ``f``, action ``a`` and year ``y`` where the
  fund may finance the action's area and both the fund's amount and the action's cost in that
  year are positive;
- each action year receives at most its cost (exactly its cost when the action is mandatory);
- each fund year gives at most its amount;
- for each fund and area with a share rule, the total over all years lies between
  ``min_share * total`` and ``max_share * total`` (``total`` = the fund's amounts over all years);
- the objective maximises ``sum(priority * x)``.

Ties are broken deterministically by a second solve that keeps the optimal priority total and
then prefers, in this order of weight, actions listed earlier, funds listed earlier and earlier
years; actions of priority 0 are then funded only as far as a rule requires it (a mandatory
action or a minimum share).

When the rules cannot all hold, an elastic model (mandatory costs and shares may be violated at
a cost of one per euro) finds the smallest violations; each violated rule becomes a conflict
with a sentence a planner can read.
"""

from __future__ import annotations

import math
import os
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import highspy
import numpy as np
from django.utils.translation import gettext as _

#: Amounts are rounded to cents; a rule counts as met within this tolerance per term.
CENT = 0.01
_EPS = 1e-6


class OptimizerInputError(ValueError):
    """The input is malformed; ``field`` names where (e.g. ``funds[0].amounts.2025``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass
class Fund:
    code: str
    amounts: dict[int, float]
    eligible_areas: set[str] | None
    min_share: dict[str, float]
    max_share: dict[str, float]

    @property
    def total(self) -> float:
        return sum(self.amounts.values())

    def may_finance(self, area: str) -> bool:
        return self.eligible_areas is None or area in self.eligible_areas


@dataclass
class Action:
    code: str
    area: str
    priority: float
    costs: dict[int, float]
    mandatory: bool


@dataclass
class Problem:
    years: list[int]
    funds: list[Fund]
    actions: list[Action]


# --------------------------------------------------------------------------- input parsing


def _number(value: Any, where: str, *, upper: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise OptimizerInputError(where, _("deve essere un numero"))
    number = float(value)
    if not math.isfinite(number) or number < 0:
        raise OptimizerInputError(where, _("deve essere un numero maggiore o uguale a zero"))
    if upper is not None and number > upper:
        raise OptimizerInputError(where, _("deve essere compreso tra 0 e 1"))
    return number


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise OptimizerInputError(where, _("deve essere un oggetto JSON"))
    return value


def _keys(data: dict[str, Any], where: str, required: set[str], optional: set[str]) -> None:
    for key in sorted(required):
        if key not in data:
            raise OptimizerInputError(f"{where}.{key}" if where else key, _("campo obbligatorio"))
    for key in sorted(data):
        if key not in required | optional:
            raise OptimizerInputError(f"{where}.{key}" if where else key, _("campo sconosciuto"))


def _per_year(value: Any, where: str, years: list[int]) -> dict[int, float]:
    data = _object(value, where)
    result = dict.fromkeys(years, 0.0)
    for key, amount in data.items():
        try:
            year = int(key)
        except (TypeError, ValueError):
            raise OptimizerInputError(
                f"{where}.{key}", _('la chiave deve essere un anno, ad esempio "2025"')
            ) from None
        if year not in result:
            raise OptimizerInputError(f"{where}.{key}", _("l'anno non è tra quelli indicati"))
        result[year] = _number(amount, f"{where}.{key}")
    return result


def _shares(value: Any, where: str) -> dict[str, float]:
    if value is None:
        return {}
    data = _object(value, where)
    return {str(area): _number(share, f"{where}.{area}", upper=1.0) for area, share in data.items()}


def _code(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise OptimizerInputError(where, _("deve essere un testo non vuoto"))
    return value


def parse(data: Any) -> Problem:
    """Check the input and turn it into a ``Problem``; raise ``OptimizerInputError``."""
    root = _object(data, "input")
    _keys(root, "", {"years", "funds", "actions"}, set())
    raw_years = root["years"]
    if not isinstance(raw_years, list) or not raw_years:
        raise OptimizerInputError("years", _("deve essere un elenco non vuoto di anni"))
    years: list[int] = []
    for i, year in enumerate(raw_years):
        if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2200:
            raise OptimizerInputError(f"years[{i}]", _("deve essere un anno, ad esempio 2025"))
        if year in years:
            raise OptimizerInputError(f"years[{i}]", _("anno ripetuto"))
        years.append(year)

    if not isinstance(root["funds"], list):
        raise OptimizerInputError("funds", _("deve essere un elenco"))
    funds: list[Fund] = []
    for i, raw in enumerate(root["funds"]):
        where = f"funds[{i}]"
        item = _object(raw, where)
        _keys(item, where, {"code", "amounts"}, {"eligible_areas", "min_share", "max_share"})
        code = _code(item["code"], f"{where}.code")
        if any(f.code == code for f in funds):
            raise OptimizerInputError(f"{where}.code", _("codice ripetuto"))
        eligible = item.get("eligible_areas")
        if eligible is not None and (
            not isinstance(eligible, list) or not all(isinstance(a, str) for a in eligible)
        ):
            raise OptimizerInputError(
                f"{where}.eligible_areas", _("deve essere null o un elenco di aree")
            )
        fund = Fund(
            code=code,
            amounts=_per_year(item["amounts"], f"{where}.amounts", years),
            eligible_areas=None if eligible is None else set(eligible),
            min_share=_shares(item.get("min_share"), f"{where}.min_share"),
            max_share=_shares(item.get("max_share"), f"{where}.max_share"),
        )
        for area, low in fund.min_share.items():
            if area in fund.max_share and fund.max_share[area] < low:
                raise OptimizerInputError(
                    f"{where}.min_share.{area}",
                    _("la quota minima supera la quota massima della stessa area"),
                )
        funds.append(fund)

    if not isinstance(root["actions"], list):
        raise OptimizerInputError("actions", _("deve essere un elenco"))
    actions: list[Action] = []
    for i, raw in enumerate(root["actions"]):
        where = f"actions[{i}]"
        item = _object(raw, where)
        _keys(item, where, {"code", "area", "priority", "costs"}, {"mandatory"})
        code = _code(item["code"], f"{where}.code")
        if any(a.code == code for a in actions):
            raise OptimizerInputError(f"{where}.code", _("codice ripetuto"))
        mandatory = item.get("mandatory", False)
        if not isinstance(mandatory, bool):
            raise OptimizerInputError(f"{where}.mandatory", _("deve essere true o false"))
        actions.append(
            Action(
                code=code,
                area=_code(item["area"], f"{where}.area"),
                priority=_number(item["priority"], f"{where}.priority"),
                costs=_per_year(item["costs"], f"{where}.costs", years),
                mandatory=mandatory,
            )
        )
    return Problem(years=years, funds=funds, actions=actions)


# --------------------------------------------------------------------------- the model


@dataclass
class _Model:
    """Column-wise sparse LP: columns are x[f, a, y] (then slacks in the elastic model)."""

    keys: list[tuple[int, int, int]] = field(default_factory=list)
    columns: list[list[tuple[int, float]]] = field(default_factory=list)
    row_lower: list[float] = field(default_factory=list)
    row_upper: list[float] = field(default_factory=list)
    # What each row means, for the elastic model's explanations.
    rows: list[tuple[Any, ...]] = field(default_factory=list)

    def add_row(self, lower: float, upper: float, meaning: tuple[Any, ...]) -> int:
        self.row_lower.append(lower)
        self.row_upper.append(upper)
        self.rows.append(meaning)
        return len(self.rows) - 1


def _build(problem: Problem, *, elastic: bool) -> tuple[_Model, list[float], list[int]]:
    """The constraints; returns the model, the objective and the slack columns' rows."""
    inf = highspy.kHighsInf
    model = _Model()
    action_rows: dict[tuple[int, int], int] = {}
    for a, action in enumerate(problem.actions):
        for y, year in enumerate(problem.years):
            cost = action.costs[year]
            if cost <= 0:
                continue
            low = cost if action.mandatory else -inf
            action_rows[a, y] = model.add_row(low, cost, ("action", a, year, cost))
    fund_rows: dict[tuple[int, int], int] = {}
    share_rows: dict[tuple[int, str], int] = {}
    for f, fund in enumerate(problem.funds):
        for y, year in enumerate(problem.years):
            if fund.amounts[year] > 0:
                fund_rows[f, y] = model.add_row(-inf, fund.amounts[year], ("fund", f, year))
        total = fund.total
        for area in sorted(set(fund.min_share) | set(fund.max_share)):
            low = fund.min_share.get(area, 0.0) * total
            high = fund.max_share.get(area, 1.0) * total
            if low <= 0 and high >= total:
                continue
            share_rows[f, area] = model.add_row(low, high, ("share", f, area, low, high))

    objective: list[float] = []
    for f, fund in enumerate(problem.funds):
        for a, action in enumerate(problem.actions):
            if not fund.may_finance(action.area):
                continue
            for y, _year in enumerate(problem.years):
                if (a, y) not in action_rows or (f, y) not in fund_rows:
                    continue
                entries = [(action_rows[a, y], 1.0), (fund_rows[f, y], 1.0)]
                if (f, action.area) in share_rows:
                    entries.append((share_rows[f, action.area], 1.0))
                model.keys.append((f, a, y))
                model.columns.append(entries)
                objective.append(0.0 if elastic else action.priority)

    slack_rows: list[int] = []
    if elastic:
        for row, meaning in enumerate(model.rows):
            kind = meaning[0]
            if kind == "action" and model.row_lower[row] > -inf:
                # Shortfall of a mandatory action: sum(x) + s = cost.
                model.columns.append([(row, 1.0)])
                objective.append(1.0)
                slack_rows.append(row)
            elif kind == "share":
                if model.row_lower[row] > 0:
                    model.columns.append([(row, 1.0)])
                    objective.append(1.0)
                    slack_rows.append(row)
                if model.row_upper[row] < inf:
                    model.columns.append([(row, -1.0)])
                    objective.append(1.0)
                    slack_rows.append(-row - 1)  # negative: the upper side
    return model, objective, slack_rows


_banner_shown = False


def _new_highs() -> highspy.Highs:
    """A HiGHS instance; the first one in a process prints a banner on the standard output
    before any option can silence it, which would spoil the command's JSON: divert it."""
    global _banner_shown
    if _banner_shown:
        return highspy.Highs()
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            highs = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    _banner_shown = True
    return highs


def _solver(model: _Model, objective: list[float], *, maximise: bool) -> highspy.Highs:
    lp = highspy.HighsLp()
    n = len(model.columns)
    lp.num_col_ = n
    lp.num_row_ = len(model.rows)
    lp.col_cost_ = np.array(objective, dtype=np.float64)
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.full(n, highspy.kHighsInf)
    lp.row_lower_ = np.array(model.row_lower, dtype=np.float64)
    lp.row_upper_ = np.array(model.row_upper, dtype=np.float64)
    starts = [0]
    index: list[int] = []
    value: list[float] = []
    for entries in model.columns:
        for row, coefficient in entries:
            index.append(row)
            value.append(coefficient)
        starts.append(len(index))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(value, dtype=np.float64)
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = len(model.rows)
    lp.sense_ = highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
    highs = _new_highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("random_seed", 0)
    highs.passModel(lp)
    return highs


def _tie_weights(problem: Problem, model: _Model) -> list[float]:
    """Secondary objective: earlier actions, then earlier funds, then earlier years first;
    priority-0 actions as little as the rules allow."""
    n_a = max(len(problem.actions), 1)
    n_f = max(len(problem.funds), 1)
    n_y = max(len(problem.years), 1)
    weights = []
    for f, a, y in model.keys:
        if problem.actions[a].priority <= 0:
            weights.append(-1.0)
            continue
        weight = 1.0 + (n_a - a) / n_a
        weight += 1e-3 * (n_f - f) / n_f + 1e-5 * (n_y - y) / n_y
        weights.append(weight)
    return weights


def _money(value: float) -> float:
    rounded = round(value + 0.0, 2)
    return 0.0 if rounded == 0 else rounded


def optimise(data: Any) -> dict[str, Any]:
    """Solve the funding problem described by ``data`` (see the module docstring)."""
    problem = parse(data)
    model, objective, _slacks = _build(problem, elastic=False)
    touched = {row for entries in model.columns for row, _coefficient in entries}
    if any(
        low > _EPS and row not in touched for row, low in enumerate(model.row_lower)
    ):  # A rule asks for money that no variable can give: HiGHS would drop the empty row.
        return _infeasible(problem)
    highs = _solver(model, objective, maximise=True)
    highs.run()
    status = highs.getModelStatus()
    if status == highspy.HighsModelStatus.kModelEmpty:
        return _result(problem, model, [], 0.0)
    if status == highspy.HighsModelStatus.kInfeasible:
        return _infeasible(problem)
    if status != highspy.HighsModelStatus.kOptimal:  # pragma: no cover - bounded by design
        raise RuntimeError(f"HiGHS: {highs.modelStatusToString(status)}")
    best = highs.getInfo().objective_function_value
    if model.keys:
        # Second solve: keep the best priority total, break ties deterministically.
        n = len(model.keys)
        slack = max(abs(best) * 1e-9, _EPS)
        highs.addRow(
            best - slack,
            highspy.kHighsInf,
            n,
            np.arange(n, dtype=np.int32),
            np.array(objective, dtype=np.float64),
        )
        highs.changeColsCost(
            n,
            np.arange(n, dtype=np.int32),
            np.array(_tie_weights(problem, model), dtype=np.float64),
        )
        highs.run()
    values = list(highs.getSolution().col_value) if model.keys else []
    return _result(problem, model, values, best)


def _infeasible(problem: Problem) -> dict[str, Any]:
    return {
        "status": "infeasible",
        "objective": None,
        "allocations": [],
        "unfunded": [],
        "conflicts": _conflicts(problem),
    }


def _result(problem: Problem, model: _Model, values: list[float], best: float) -> dict[str, Any]:
    allocations = []
    funded: dict[tuple[int, int], float] = {}
    for (f, a, y), value in zip(model.keys, values, strict=True):
        amount = _money(value)
        if amount <= 0:
            continue
        allocations.append(
            {
                "fund": problem.funds[f].code,
                "action": problem.actions[a].code,
                "year": problem.years[y],
                "amount": amount,
            }
        )
        funded[a, y] = funded.get((a, y), 0.0) + amount
    unfunded = []
    for a, action in enumerate(problem.actions):
        for y, year in enumerate(problem.years):
            missing = _money(action.costs[year] - funded.get((a, y), 0.0))
            if missing > 0:
                unfunded.append({"action": action.code, "year": year, "amount": missing})
    return {
        "status": "optimal",
        "objective": _money(best),
        "allocations": allocations,
        "unfunded": unfunded,
        "conflicts": [],
    }


# --------------------------------------------------------------------------- conflicts


def euro(value: float | Decimal) -> str:
    """Italian money: 1.234.567 € (cents only when there are any)."""
    value = float(value)
    if abs(value - round(value)) < 0.005:
        text = f"{round(value):,}".replace(",", ".")
    else:
        text = f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return f"{text} €"


def _percent(value: float) -> str:
    text = f"{value * 100:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text}%"


def _conflicts(problem: Problem) -> list[dict[str, Any]]:
    """Minimise the violations of mandatory costs and shares; explain each violated rule."""
    model, objective, slack_rows = _build(problem, elastic=True)
    highs = _solver(model, objective, maximise=False)
    highs.run()
    values = list(highs.getSolution().col_value)
    n_x = len(model.keys)
    conflicts: list[dict[str, Any]] = []
    for offset, signed_row in enumerate(slack_rows):
        violation = values[n_x + offset]
        if violation <= CENT / 2:
            continue
        row = signed_row if signed_row >= 0 else -signed_row - 1
        meaning = model.rows[row]
        if meaning[0] == "action":
            conflicts.append(_mandatory_conflict(problem, meaning, violation))
        elif signed_row >= 0:
            conflicts.append(_min_share_conflict(problem, meaning, violation))
        else:
            conflicts.append(_max_share_conflict(problem, meaning, violation))
    return conflicts


def _mandatory_conflict(problem: Problem, meaning: tuple[Any, ...], shortfall: float) -> dict:
    _kind, a, year, cost = meaning
    action = problem.actions[a]
    usable = [f.code for f in problem.funds if f.may_finance(action.area) and f.amounts[year] > 0]
    covered = max(cost - shortfall, 0.0)
    if not usable:
        message = _(
            "%(action)s: l'azione è obbligatoria e nel %(year)s costa %(cost)s, ma nessun fondo "
            "con risorse in quell'anno può finanziare l'area %(area)s."
        ) % {"action": action.code, "year": year, "cost": euro(cost), "area": action.area}
    else:
        message = _(
            "%(action)s: l'azione è obbligatoria e nel %(year)s costa %(cost)s, ma rispettando "
            "le altre regole i fondi ammessi (%(funds)s) ne possono coprire solo %(covered)s."
        ) % {
            "action": action.code,
            "year": year,
            "cost": euro(cost),
            "funds": ", ".join(usable),
            "covered": euro(covered),
        }
    return {
        "rule": "mandatory",
        "action": action.code,
        "year": year,
        "required": _money(cost),
        "achievable": _money(covered),
        "message": message,
    }


def _min_share_conflict(problem: Problem, meaning: tuple[Any, ...], shortfall: float) -> dict:
    _kind, f, area, low, _high = meaning
    fund = problem.funds[f]
    share = fund.min_share.get(area, 0.0)
    achievable = max(low - shortfall, 0.0)
    area_cost = sum(
        min(action.costs[year], fund.amounts[year])
        for action in problem.actions
        if action.area == area
        for year in problem.years
    )
    params = {
        "fund": fund.code,
        "share": _percent(share),
        "area": area,
        "needed": euro(low),
        "cost": euro(area_cost),
        "achievable": euro(achievable),
    }
    if not fund.may_finance(area):
        message = (
            _(
                "%(fund)s: la quota minima del %(share)s per %(area)s non può essere rispettata: "
                "servono %(needed)s ma l'area non è tra quelle che il fondo può finanziare."
            )
            % params
        )
    elif area_cost + CENT < low:
        message = (
            _(
                "%(fund)s: la quota minima del %(share)s per %(area)s non può essere rispettata: "
                "servono %(needed)s ma le azioni dell'area costano %(cost)s."
            )
            % params
        )
    else:
        message = (
            _(
                "%(fund)s: la quota minima del %(share)s per %(area)s non può essere rispettata: "
                "servono %(needed)s ma, insieme alle altre regole, se ne possono assegnare "
                "solo %(achievable)s."
            )
            % params
        )
    return {
        "rule": "min_share",
        "fund": fund.code,
        "area": area,
        "required": _money(low),
        "achievable": _money(achievable),
        "message": message,
    }


def _max_share_conflict(problem: Problem, meaning: tuple[Any, ...], excess: float) -> dict:
    _kind, f, area, _low, high = meaning
    fund = problem.funds[f]
    message = _(
        "%(fund)s: la quota massima del %(share)s per %(area)s (%(limit)s) non può essere "
        "rispettata: le azioni obbligatorie dell'area richiedono almeno %(needed)s dal fondo."
    ) % {
        "fund": fund.code,
        "share": _percent(fund.max_share.get(area, 1.0)),
        "area": area,
        "limit": euro(high),
        "needed": euro(high + excess),
    }
    return {
        "rule": "max_share",
        "fund": fund.code,
        "area": area,
        "required": _money(high + excess),
        "achievable": _money(high),
        "message": message,
    }
