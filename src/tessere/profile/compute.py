"""Computing the indicators: conditional sums per age band in SQL, the rest in Python.

One query aggregates the population table for a set of municipalities (or for all Italy) into
one row of band counts per group and year; territories are summed from their parts in Python;
each indicator is then a function of a territory's counts (and of the previous year's).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from django.db.models import Case, F, IntegerField, Q, Sum, Value, When

from tessere.profile.indicators import BASE_BANDS, FIELDS, Counts, Indicator, Values
from tessere.territory.models import MAX_AGE, PopulationCount


def _band_sum(lo: int, hi: int, *, sex: str | None = None) -> Sum:
    people: Any = F(sex) if sex else F("males") + F("females")
    return Sum(
        Case(
            When(age__gte=lo, age__lte=min(hi, MAX_AGE), then=people),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def _aggregates() -> dict[str, Sum]:
    # Prefixed names: an annotation called "males" would shadow the column in the others.
    sums: dict[str, Sum] = {"s_males": Sum("males"), "s_females": Sum("females")}
    for name, lo, hi in BASE_BANDS:
        sums[f"s_{name}"] = _band_sum(lo, hi)
    sums["s_f80"] = _band_sum(80, MAX_AGE, sex="females")
    assert [name[2:] for name in sums] == FIELDS
    return sums


def aggregate(
    *, group: str | None = "municipality_id", where: Q | None = None
) -> dict[tuple[Any, int], Counts]:
    """Band counts by (group key, year) in one query; ``group=None`` sums everything by year.

    ``group`` is a field path of `PopulationCount` such as ``municipality_id`` or
    ``municipality__region_id``.
    """
    queryset = PopulationCount.objects.all()
    if where is not None:
        queryset = queryset.filter(where)
    keys = [group, "year"] if group else ["year"]
    sums = _aggregates()
    rows = queryset.order_by().values(*keys).annotate(**sums).values_list(*keys, *sums)
    out: dict[tuple[Any, int], Counts] = {}
    for row in rows:
        if group:
            out[(row[0], row[1])] = [int(v or 0) for v in row[2:]]
        else:
            out[(None, row[0])] = [int(v or 0) for v in row[1:]]
    return out


def add(total: Counts | None, counts: Counts) -> Counts:
    if total is None:
        return list(counts)
    return [a + b for a, b in zip(total, counts, strict=True)]


def roll_up(
    counts: dict[tuple[Any, int], Counts], members: dict[Any, Iterable[Any]]
) -> dict[tuple[Any, int], Counts]:
    """Sum the parts' counts into wholes: ``members`` maps a whole's key to its parts' keys."""
    by_part: dict[Any, dict[int, Counts]] = {}
    for (part, year), row in counts.items():
        by_part.setdefault(part, {})[year] = row
    out: dict[tuple[Any, int], Counts] = {}
    for whole, parts in members.items():
        for part in parts:
            for year, row in by_part.get(part, {}).items():
                out[(whole, year)] = add(out.get((whole, year)), row)
    return out


def values(
    indicators: Iterable[Indicator], counts: Counts | None, previous: Counts | None
) -> Values:
    """Every computed indicator's value for one territory and year (None where undefined)."""
    out: Values = {}
    for indicator in indicators:
        if indicator.compute is None:
            continue
        out[indicator.code] = None if counts is None else indicator.compute(counts, previous)
    return out


def values_by_year(indicators: list[Indicator], counts: dict[int, Counts]) -> dict[int, Values]:
    """Values for each year in ``counts``, with the change from the year before where loaded."""
    return {
        year: values(indicators, row, counts.get(year - 1)) for year, row in sorted(counts.items())
    }


def series(counts: dict[tuple[Any, int], Counts], key: Any) -> dict[int, Counts]:
    return {year: row for (k, year), row in counts.items() if k == key}


def rank(values_by_key: dict[Any, float | None], *, polarity: str) -> dict[Any, int]:
    """1 = the most need: the highest value, or the lowest where lower means more need;
    neutral indicators rank from the highest. Ties share a rank; None gets none."""
    present = [(k, v) for k, v in values_by_key.items() if v is not None]
    reverse = polarity != "lower"
    present.sort(key=lambda kv: kv[1], reverse=reverse)
    ranks: dict[Any, int] = {}
    previous: float | None = None
    position = 0
    for index, (key, value) in enumerate(present, start=1):
        if value != previous:
            position = index
            previous = value
        ranks[key] = position
    return ranks


def age_pyramid(*, where: Q, year: int) -> list[tuple[int, int, int]]:
    """(age, males, females) for each single age in ``year`` (one query)."""
    rows = (
        PopulationCount.objects.filter(where, year=year)
        .order_by()
        .values("age")
        .annotate(m=Sum("males"), f=Sum("females"))
        .values_list("age", "m", "f")
    )
    by_age = {age: (int(m or 0), int(f or 0)) for age, m, f in rows}
    return [(age, *by_age.get(age, (0, 0))) for age in range(MAX_AGE + 1)]


def series_of(
    counts: dict[tuple[Any, int], Counts], key: Any, years: Iterable[int]
) -> dict[int, Counts]:
    """Like `series`, by looking up each of ``years``: for many keys."""
    return {year: counts[(key, year)] for year in years if (key, year) in counts}


def matrices(
    counts: dict[tuple[Any, int], Counts],
) -> tuple[list[Any], list[int], dict[int, np.ndarray]]:
    """The counts as one array per year, shape (len(FIELDS), number of keys), NaN where a
    territory has no data that year: for computing every territory at once."""
    keys = sorted({key for key, _year in counts}, key=str)
    years = sorted({year for _key, year in counts})
    missing = [float("nan")] * len(FIELDS)
    out = {
        year: np.array([counts.get((key, year), missing) for key in keys], dtype=float).T
        for year in years
    }
    return keys, years, out


def values_matrix(
    indicators: Iterable[Indicator], counts: np.ndarray, previous: np.ndarray | None
) -> dict[str, np.ndarray]:
    """Every computed indicator for every territory at once (columns of ``counts``)."""
    return {
        indicator.code: np.asarray(indicator.compute(counts, previous), dtype=float)  # type: ignore[arg-type]
        for indicator in indicators
        if indicator.compute is not None
    }
