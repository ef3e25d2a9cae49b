"""Reads of the territory, shaped for pages, with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, QuerySet, Sum

from tessere.territory.models import District, Municipality, PopulationCount


def public_districts() -> QuerySet[District]:
    return District.objects.select_related("region", "lead_municipality").order_by("name")


def latest_population_year() -> int | None:
    return PopulationCount.objects.order_by("-year").values_list("year", flat=True).first()


@dataclass
class MunicipalityRow:
    municipality: Municipality
    males: int
    females: int

    @property
    def total(self) -> int:
        return self.males + self.females


@dataclass
class DistrictPopulation:
    district: District
    year: int | None
    rows: list[MunicipalityRow]

    @property
    def males(self) -> int:
        return sum(r.males for r in self.rows)

    @property
    def females(self) -> int:
        return sum(r.females for r in self.rows)

    @property
    def total(self) -> int:
        return self.males + self.females


def district_population(district: District, year: int | None = None) -> DistrictPopulation:
    """The district's municipalities with their population in ``year`` (default: latest)."""
    year = year or latest_population_year()
    municipalities = list(district.municipalities.select_related("province").order_by("name"))
    totals: dict[int, tuple[int, int]] = {}
    if year:
        for row in (
            PopulationCount.objects.filter(
                year=year, municipality__district_memberships__district=district
            )
            .values("municipality_id")
            .annotate(males=Sum("males"), females=Sum("females"))
        ):
            totals[row["municipality_id"]] = (row["males"] or 0, row["females"] or 0)
    rows = [
        MunicipalityRow(
            municipality=m,
            males=totals.get(m.pk, (0, 0))[0],
            females=totals.get(m.pk, (0, 0))[1],
        )
        for m in municipalities
    ]
    return DistrictPopulation(district=district, year=year, rows=rows)


def municipality_population(municipality: Municipality, year: int) -> int:
    result = PopulationCount.objects.filter(municipality=municipality, year=year).aggregate(
        total=Sum(F("males") + F("females"))
    )
    return int(result["total"] or 0)
