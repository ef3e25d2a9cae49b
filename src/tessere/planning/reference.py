"""Reference data shipped with the room: the LEPS of the national plans (see data/SOURCES.md)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

LEPS_CSV = Path(__file__).parent / "data" / "leps.csv"


def leps_rows() -> list[dict[str, Any]]:
    with LEPS_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        {
            "code": row["code"],
            "plan_period": row["plan"],
            "name": row["name"],
            "user_area": row["area"],
            "legal_basis": row["legal_basis"],
            "target": row["target"],
            "population_per_unit": int(row["population_per_unit"])
            if row["population_per_unit"]
            else None,
            "source": row["source"],
        }
        for row in rows
    ]


def load_leps(model: Any) -> int:
    """Create or update every LEPS of the CSV in ``model``; return how many were created."""
    created = 0
    for row in leps_rows():
        key = {"code": row.pop("code"), "plan_period": row.pop("plan_period")}
        _obj, was_created = model.objects.update_or_create(**key, defaults=row)
        created += int(was_created)
    return created
