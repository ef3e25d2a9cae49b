"""Time the funding optimiser on a plan of 200 actions, 12 funds and 3 years.

Usage: .venv/bin/python bench/optimizer.py [--seed N]

Prints the seconds to solve (best of three runs, to optimality, tie-breaking solve included)
and the ratio to a baseline measured in the same run: building the same model without solving
it (input checks, variables and constraints, passed to HiGHS).
"""

from __future__ import annotations

import argparse
import os
import random
import time
from typing import Any

AREAS = [
    "famiglia_minori",
    "disabili",
    "anziani",
    "poverta",
    "immigrati",
    "dipendenze",
    "multiutenza",
]
YEARS = [2025, 2026, 2027]


def problem(seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    actions = []
    for n in range(200):
        cost = rng.randint(10, 200) * 1000
        actions.append(
            {
                "code": f"A{n + 1:03d}",
                "area": rng.choice(AREAS),
                "priority": rng.randint(0, 5),
                "costs": {str(y): cost + rng.randint(0, 20) * 1000 for y in YEARS},
                "mandatory": n % 25 == 0,
            }
        )
    funds = []
    for n in range(12):
        eligible = None if n % 3 == 0 else sorted(rng.sample(AREAS, 3))
        fund: dict[str, Any] = {
            "code": f"F{n + 1:02d}",
            "amounts": {str(y): rng.randint(500, 1500) * 1000 for y in YEARS},
            "eligible_areas": eligible,
        }
        if eligible is None:
            fund["min_share"] = {"famiglia_minori": 0.2}
            fund["max_share"] = {"anziani": 0.4}
        funds.append(fund)
    return {"years": YEARS, "funds": funds, "actions": actions}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=2026)
    seed = parser.parse_args().seed
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tessere.settings")
    import django

    django.setup()
    from tessere.planning import optimizer

    data = problem(seed)

    def build() -> None:
        parsed = optimizer.parse(data)
        model, objective, _ = optimizer._build(parsed, elastic=False)
        optimizer._solver(model, objective, maximise=True)

    build()  # warm-up (imports, the HiGHS banner)
    baseline = min(_timed(build) for _ in range(3))
    result: dict[str, Any] = {}

    def solve() -> None:
        result.update(optimizer.optimise(data))

    solve_time = min(_timed(solve) for _ in range(3))
    funded = sum(a["amount"] for a in result["allocations"])
    print(
        f"optimiser: 200 actions, 12 funds, 3 years: status {result['status']}, "
        f"{len(result['allocations'])} allocations, {funded:,.0f} EUR allocated"
    )
    print(f"solve: {solve_time:.3f} s (aim: under 2 s)")
    print(f"baseline (build the model, no solve): {baseline:.3f} s")
    print(f"ratio solve / baseline: {solve_time / baseline:.1f}")


def _timed(function: Any) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
