"""What every room's generator shares: the run's context, seeded randomness, sizes, batches.

Each room's module exposes ``generate(ctx) -> dict[str, int]`` (rows written per model). The
context carries the district, its municipalities, one random generator per room (seeded from
the run's seed and the room's name, so that a room's data does not change when another room's
generator changes) and what earlier rooms produced (organisations, services, plan, ...).
"""

from __future__ import annotations

import datetime
import hashlib
import random
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models

from tessere.territory.models import District, Municipality

BATCH = 5000
T = TypeVar("T", bound=models.Model)

#: Volumes at factor 1 (the single district of Milan).
VOLUMES = {
    "persons": 100_000,
    "households": 60_000,
    "cases": 60_000,
    "delivered": 300_000,
    "services": 20_000,
    "organisations": 2_000,
    "tables": 300,
    "contributions": 20_000,
    "meetings": 5_000,
    "actions": 200,
    "indicators": 2_000,
    "staff": 400,
}


def scaled(name: str, factor: float, minimum: int = 1) -> int:
    """The volume ``name`` at ``factor``, never below ``minimum``."""
    return max(minimum, round(VOLUMES[name] * factor))


@dataclass
class Context:
    district: District
    factor: float
    seed: int
    today: datetime.date
    municipalities: list[Municipality]
    prefix: str
    shared: dict[str, Any] = field(default_factory=dict)

    def rng(self, room: str) -> random.Random:
        digest = hashlib.sha256(f"{self.seed}:{self.district.code}:{room}".encode()).digest()
        return random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311 - test data

    def size(self, name: str, minimum: int = 1) -> int:
        return scaled(name, self.factor, minimum)


def new_uuid(rng: random.Random) -> uuid.UUID:
    """A version-4 UUID drawn from ``rng`` (deterministic from the seed)."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def insert(model: type[T], rows: Iterable[T], batch: int = BATCH) -> int:
    """Bulk-insert ``rows`` in batches; return how many were written."""
    count = 0
    chunk: list[T] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= batch:
            model._default_manager.bulk_create(chunk)
            count += len(chunk)
            chunk = []
    if chunk:
        model._default_manager.bulk_create(chunk)
        count += len(chunk)
    return count


def link(through: type[models.Model], pairs: Sequence[dict[str, Any]]) -> int:
    """Bulk-insert rows of a many-to-many table."""
    return insert(through, (through(**values) for values in pairs))


def days_before(today: datetime.date, rng: random.Random, most: int) -> datetime.date:
    return today - datetime.timedelta(days=rng.randint(0, most))
