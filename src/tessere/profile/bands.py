"""The band table (`PopulationBands`): kept in step with the loaded population."""

from __future__ import annotations

import contextlib
import hashlib
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum

from tessere.profile import compute
from tessere.profile.indicators import FIELDS, Counts
from tessere.profile.models import PopulationBands, PopulationBandsState
from tessere.territory.models import Municipality, TerritoryLoad


def population_signature() -> str:
    """What the population loaded now is: the territory loader's checksums (one query)."""
    loads = TerritoryLoad.objects.order_by("dataset").values_list("dataset", "checksum")
    text = ";".join(f"{dataset}={checksum}" for dataset, checksum in loads)
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def refresh_population_bands(*, signature: str | None = None) -> int:
    """Rebuild the band table from `PopulationCount` (one aggregate query); return its rows."""
    signature = signature or population_signature()
    counts = compute.aggregate(group="municipality_id")
    places = {
        pk: (region, province)
        for pk, region, province in Municipality.objects.values_list(
            "pk", "region_id", "province_id"
        )
    }
    PopulationBands.objects.all().delete()
    PopulationBands.objects.bulk_create(
        [
            PopulationBands(
                municipality_id=municipality,
                region_id=places[municipality][0],
                province_id=places[municipality][1],
                year=year,
                **dict(zip(FIELDS, row, strict=True)),
            )
            for (municipality, year), row in counts.items()
        ],
        batch_size=2000,
    )
    PopulationBandsState.objects.all().delete()
    PopulationBandsState.objects.create(signature=signature, rows=len(counts))
    return len(counts)


def ensure_population_bands() -> None:
    """Refresh the band table if the population was loaded again since (two small queries)."""
    signature = population_signature()
    state = PopulationBandsState.objects.first()
    if state is None or state.signature != signature:
        # If another request rebuilds the table at the same moment, theirs is as good.
        with contextlib.suppress(IntegrityError):
            refresh_population_bands(signature=signature)


def band_aggregate(*, group: str | None, where: Q | None = None) -> dict[tuple[Any, int], Counts]:
    """Like `compute.aggregate`, from the band table: ``group`` is ``region_id``,
    ``province_id``, ``municipality_id`` or None (all Italy)."""
    queryset = PopulationBands.objects.all()
    if where is not None:
        queryset = queryset.filter(where)
    keys = [group, "year"] if group else ["year"]
    sums = {f"s_{name}": Sum(name) for name in FIELDS}
    rows = queryset.order_by().values(*keys).annotate(**sums).values_list(*keys, *sums)
    out: dict[tuple[Any, int], Counts] = {}
    for row in rows:
        if group:
            out[(row[0], row[1])] = [int(v or 0) for v in row[2:]]
        else:
            out[(None, row[0])] = [int(v or 0) for v in row[1:]]
    return out
