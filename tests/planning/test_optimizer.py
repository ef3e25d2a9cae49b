"""The funding optimiser: hand-solved cases, malformed input, the command, and properties."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tessere.planning.optimizer import CENT, OptimizerInputError, optimise


def fund(code: str, amounts: dict[int, float], **rules: Any) -> dict[str, Any]:
    return {"code": code, "amounts": {str(y): v for y, v in amounts.items()}, **rules}


def action(
    code: str, area: str, priority: float, costs: dict[int, float], mandatory: bool = False
) -> dict[str, Any]:
    return {
        "code": code,
        "area": area,
        "priority": priority,
        "costs": {str(y): v for y, v in costs.items()},
        "mandatory": mandatory,
    }


def table(result: dict[str, Any]) -> dict[tuple[str, str, int], float]:
    return {(a["fund"], a["action"], a["year"]): a["amount"] for a in result["allocations"]}


def test_higher_priority_is_funded_first():
    result = optimise(
        {
            "years": [2025],
            "funds": [fund("FNPS", {2025: 100})],
            "actions": [
                action("A1", "anziani", 1, {2025: 80}),
                action("A2", "famiglia_minori", 3, {2025: 60}),
            ],
        }
    )
    assert result["status"] == "optimal"
    assert table(result) == {("FNPS", "A2", 2025): 60, ("FNPS", "A1", 2025): 40}
    assert result["objective"] == 3 * 60 + 1 * 40
    assert result["unfunded"] == [{"action": "A1", "year": 2025, "amount": 40}]
    assert result["conflicts"] == []


def test_ties_go_to_the_action_listed_first_then_the_fund_listed_first():
    data = {
        "years": [2025],
        "funds": [fund("F1", {2025: 50}), fund("F2", {2025: 50})],
        "actions": [
            action("B", "anziani", 2, {2025: 70}),
            action("A", "anziani", 2, {2025: 70}),
        ],
    }
    result = optimise(data)
    # B is listed first: fully funded, from F1 first; A gets what is left.
    assert table(result) == {("F1", "B", 2025): 50, ("F2", "B", 2025): 20, ("F2", "A", 2025): 30}
    assert optimise(data) == result  # deterministic


def test_zero_priority_actions_get_nothing_unless_a_rule_needs_it():
    result = optimise(
        {
            "years": [2025],
            "funds": [fund("F", {2025: 100})],
            "actions": [
                action("Z", "anziani", 0, {2025: 50}),
                action("P", "anziani", 1, {2025: 30}),
            ],
        }
    )
    assert table(result) == {("F", "P", 2025): 30}
    assert {"action": "Z", "year": 2025, "amount": 50} in result["unfunded"]
    # A minimum share makes the fund pay for the zero-priority action, as little as needed.
    result = optimise(
        {
            "years": [2025],
            "funds": [fund("F", {2025: 100}, min_share={"disabili": 0.2})],
            "actions": [
                action("Z", "disabili", 0, {2025: 50}),
                action("P", "anziani", 1, {2025: 30}),
            ],
        }
    )
    assert table(result) == {("F", "P", 2025): 30, ("F", "Z", 2025): 20}


def test_an_ineligible_fund_is_not_used():
    result = optimise(
        {
            "years": [2025, 2026],
            "funds": [
                fund("FNA", {2025: 1000, 2026: 1000}, eligible_areas=["anziani", "disabili"]),
                fund("COM", {2025: 30, 2026: 0}),
            ],
            "actions": [action("F1", "famiglia_minori", 5, {2025: 100, 2026: 100})],
        }
    )
    assert table(result) == {("COM", "F1", 2025): 30}
    assert result["unfunded"] == [
        {"action": "F1", "year": 2025, "amount": 70},
        {"action": "F1", "year": 2026, "amount": 100},
    ]


def test_mandatory_actions_are_funded_in_full_even_at_low_priority():
    result = optimise(
        {
            "years": [2025],
            "funds": [fund("F", {2025: 100})],
            "actions": [
                action("HIGH", "anziani", 9, {2025: 100}),
                action("MUST", "anziani", 1, {2025: 40}, mandatory=True),
            ],
        }
    )
    assert table(result) == {("F", "HIGH", 2025): 60, ("F", "MUST", 2025): 40}


def test_an_infeasible_mandatory_action_is_explained():
    result = optimise(
        {
            "years": [2025],
            "funds": [
                fund("FNA", {2025: 50}, eligible_areas=["anziani"]),
                fund("FNPS", {2025: 500}, eligible_areas=["famiglia_minori"]),
            ],
            "actions": [action("RSA", "anziani", 1, {2025: 120}, mandatory=True)],
        }
    )
    assert result["status"] == "infeasible"
    assert result["allocations"] == []
    [conflict] = result["conflicts"]
    assert conflict["rule"] == "mandatory"
    assert conflict["action"] == "RSA"
    assert conflict["required"] == 120 and conflict["achievable"] == 50
    assert "RSA" in conflict["message"] and "120 €" in conflict["message"]
    assert "FNA" in conflict["message"] and "50 €" in conflict["message"]


def test_a_mandatory_action_no_fund_may_pay():
    result = optimise(
        {
            "years": [2025],
            "funds": [fund("FNA", {2025: 50}, eligible_areas=["anziani"])],
            "actions": [action("X", "dipendenze", 1, {2025: 10}, mandatory=True)],
        }
    )
    assert result["status"] == "infeasible"
    assert "nessun fondo" in result["conflicts"][0]["message"]


def test_a_minimum_share_that_cannot_be_met_is_explained():
    result = optimise(
        {
            "years": [2025, 2026],
            "funds": [
                fund("FNPS", {2025: 120000, 2026: 120000}, min_share={"famiglia_minori": 0.5})
            ],
            "actions": [action("A1", "famiglia_minori", 3, {2025: 40000, 2026: 40000})],
        }
    )
    assert result["status"] == "infeasible"
    [conflict] = result["conflicts"]
    assert conflict["rule"] == "min_share" and conflict["fund"] == "FNPS"
    assert conflict["message"] == (
        "FNPS: la quota minima del 50% per famiglia_minori non può essere rispettata: "
        "servono 120.000 € ma le azioni dell'area costano 80.000 €."
    )


def test_a_maximum_share_against_a_mandatory_action():
    result = optimise(
        {
            "years": [2025],
            "funds": [fund("F", {2025: 100}, max_share={"anziani": 0.3})],
            "actions": [action("M", "anziani", 1, {2025: 50}, mandatory=True)],
        }
    )
    assert result["status"] == "infeasible"
    rules = {c["rule"] for c in result["conflicts"]}
    assert rules & {"max_share", "mandatory"}
    assert all(c["message"] for c in result["conflicts"])


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ([], "input"),
        ({"funds": [], "actions": []}, "years"),
        ({"years": [], "funds": [], "actions": []}, "years"),
        ({"years": ["2025"], "funds": [], "actions": []}, "years[0]"),
        ({"years": [2025], "funds": {}, "actions": []}, "funds"),
        ({"years": [2025], "funds": [{"code": "F"}], "actions": []}, "funds[0].amounts"),
        (
            {"years": [2025], "funds": [{"code": "F", "amounts": {"2024": 1}}], "actions": []},
            "funds[0].amounts.2024",
        ),
        (
            {"years": [2025], "funds": [{"code": "F", "amounts": {"2025": "1"}}], "actions": []},
            "funds[0].amounts.2025",
        ),
        (
            {
                "years": [2025],
                "funds": [{"code": "F", "amounts": {}, "min_share": {"anziani": 1.5}}],
                "actions": [],
            },
            "funds[0].min_share.anziani",
        ),
        (
            {
                "years": [2025],
                "funds": [
                    {
                        "code": "F",
                        "amounts": {},
                        "min_share": {"anziani": 0.5},
                        "max_share": {"anziani": 0.2},
                    }
                ],
                "actions": [],
            },
            "funds[0].min_share.anziani",
        ),
        (
            {
                "years": [2025],
                "funds": [{"code": "F", "amounts": {}, "min_shares": {}}],
                "actions": [],
            },
            "funds[0].min_shares",
        ),
        (
            {
                "years": [2025],
                "funds": [],
                "actions": [{"code": "A", "area": "x", "priority": -1, "costs": {}}],
            },
            "actions[0].priority",
        ),
        (
            {
                "years": [2025],
                "funds": [],
                "actions": [
                    {"code": "A", "area": "x", "priority": 1, "costs": {}, "mandatory": "yes"}
                ],
            },
            "actions[0].mandatory",
        ),
        (
            {
                "years": [2025],
                "funds": [],
                "actions": [
                    {"code": "A", "area": "x", "priority": 1, "costs": {}},
                    {"code": "A", "area": "x", "priority": 1, "costs": {}},
                ],
            },
            "actions[1].code",
        ),
    ],
)
def test_malformed_input_names_the_field(data, field):
    with pytest.raises(OptimizerInputError) as caught:
        optimise(data)
    assert caught.value.field == field


def test_command_prints_json(tmp_path, capsys):
    path = tmp_path / "input.json"
    path.write_text(
        json.dumps(
            {
                "years": [2025, 2026],
                "funds": [
                    fund(
                        "FNPS",
                        {2025: 500000, 2026: 480000},
                        eligible_areas=None,
                        min_share={"famiglia_minori": 0.1},
                    )
                ],
                "actions": [action("A1", "famiglia_minori", 3, {2025: 120000, 2026: 120000})],
            }
        )
    )
    call_command("fund_optimizer", str(path))
    output = json.loads(capsys.readouterr().out)
    assert output["status"] == "optimal"
    assert len(output["allocations"]) == 2


def test_command_rejects_malformed_input_with_exit_code_2(tmp_path):
    path = tmp_path / "input.json"
    path.write_text('{"years": [2025], "funds": [], "actions": [{"code": "A"}]}')
    with pytest.raises(CommandError) as caught:
        call_command("fund_optimizer", str(path))
    assert caught.value.returncode == 2
    assert "actions[0].area" in str(caught.value)
    path.write_text("{not json")
    with pytest.raises(CommandError) as caught:
        call_command("fund_optimizer", str(path))
    assert caught.value.returncode == 2


def test_command_line_reads_stdin_and_exits_2():
    tessere = [sys.executable, "-m", "tessere.cli", "fund-optimizer", "-"]
    good = subprocess.run(
        tessere,
        input=json.dumps({"years": [2025], "funds": [], "actions": []}),
        capture_output=True,
        text=True,
        check=False,
    )
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["status"] == "optimal"
    bad = subprocess.run(
        tessere,
        input='{"years": "2025", "funds": [], "actions": []}',
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert "years" in bad.stderr


# --------------------------------------------------------------------------- properties

AREAS = ["famiglia_minori", "anziani", "disabili"]
YEARS = [2025, 2026]
money = st.integers(min_value=0, max_value=200).map(lambda v: v * 100)


@st.composite
def problems(draw: st.DrawFn) -> dict[str, Any]:
    funds = []
    for n in range(draw(st.integers(0, 3))):
        eligible = draw(st.one_of(st.none(), st.lists(st.sampled_from(AREAS), unique=True)))
        shares: dict[str, Any] = {}
        for kind in ("min_share", "max_share"):
            if draw(st.booleans()):
                area = draw(st.sampled_from(AREAS))
                low = kind == "min_share"
                shares[kind] = {
                    area: draw(st.sampled_from([0.1, 0.25, 0.5] if low else [0.5, 0.75, 0.9]))
                }
        funds.append(
            {
                "code": f"F{n}",
                "amounts": {str(y): draw(money) for y in YEARS},
                "eligible_areas": eligible,
                **shares,
            }
        )
    actions = [
        {
            "code": f"A{n}",
            "area": draw(st.sampled_from(AREAS)),
            "priority": draw(st.integers(0, 4)),
            "costs": {str(y): draw(money) for y in YEARS},
            "mandatory": draw(st.booleans()) and draw(st.booleans()),
        }
        for n in range(draw(st.integers(0, 5)))
    ]
    return {"years": YEARS, "funds": funds, "actions": actions}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_every_allocation_respects_every_rule(data):
    result = optimise(data)
    funds = {f["code"]: f for f in data["funds"]}
    actions = {a["code"]: a for a in data["actions"]}
    if result["status"] == "infeasible":
        assert result["conflicts"], "an infeasible plan must say why"
        assert result["allocations"] == []
        assert any(a["mandatory"] for a in data["actions"]) or any(
            f.get("min_share") for f in data["funds"]
        )
        return
    assert result["status"] == "optimal"
    tolerance = CENT * (len(funds) * len(actions) * len(YEARS) + 1)
    by_action_year: dict[tuple[str, int], float] = {}
    by_fund_year: dict[tuple[str, int], float] = {}
    by_fund_area: dict[tuple[str, str], float] = {}
    for allocation in result["allocations"]:
        assert allocation["amount"] > 0
        f, a, y = funds[allocation["fund"]], actions[allocation["action"]], allocation["year"]
        assert f["eligible_areas"] is None or a["area"] in f["eligible_areas"]
        key = (a["code"], y)
        by_action_year[key] = by_action_year.get(key, 0) + allocation["amount"]
        by_fund_year[f["code"], y] = by_fund_year.get((f["code"], y), 0) + allocation["amount"]
        by_fund_area[f["code"], a["area"]] = (
            by_fund_area.get((f["code"], a["area"]), 0) + allocation["amount"]
        )
    for a in actions.values():
        for y in YEARS:
            got = by_action_year.get((a["code"], y), 0)
            cost = a["costs"][str(y)]
            assert got <= cost + tolerance
            if a["mandatory"]:
                assert got >= cost - tolerance
            unfunded = next(
                (
                    u["amount"]
                    for u in result["unfunded"]
                    if (u["action"], u["year"]) == (a["code"], y)
                ),
                0,
            )
            assert abs(got + unfunded - cost) <= tolerance
    for f in funds.values():
        total = sum(f["amounts"].values())
        for y in YEARS:
            assert by_fund_year.get((f["code"], y), 0) <= f["amounts"][str(y)] + tolerance
        for area, share in (f.get("min_share") or {}).items():
            assert by_fund_area.get((f["code"], area), 0) >= share * total - tolerance
        for area, share in (f.get("max_share") or {}).items():
            assert by_fund_area.get((f["code"], area), 0) <= share * total + tolerance
    objective = sum(actions[x["action"]]["priority"] * x["amount"] for x in result["allocations"])
    assert abs(objective - result["objective"]) <= tolerance * 10
