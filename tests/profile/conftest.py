"""Fixtures of the profile's tests: the band table built once, and a tiny invented territory."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tessere.profile.bands import refresh_population_bands
from tessere.territory import services as territory_services
from tessere.territory.models import District, Municipality, PopulationCount, Province, Region


@pytest.fixture(scope="session", autouse=True)
def _population_bands(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        refresh_population_bands()


# Municipality A in 2023: age → (males, females). Hand-computed figures in test_indicators.py.
TINY_A_2023 = {
    0: (1, 1),
    4: (2, 2),
    8: (3, 3),
    12: (1, 1),
    14: (1, 0),
    16: (2, 2),
    30: (10, 10),
    70: (3, 4),
    77: (2, 2),
    82: (1, 3),
    90: (0, 2),
    100: (1, 1),
}
# 2022: one man of 30 fewer.
TINY_A_2022 = {**TINY_A_2023, 30: (9, 10)}
TINY_B = {5: (5, 5), 40: (20, 20), 70: (5, 5)}


@dataclass
class Tiny:
    region: Region
    province: Province
    a: Municipality
    b: Municipality
    district: District


@pytest.fixture
def tiny(db) -> Tiny:  # type: ignore[no-untyped-def]
    region = Region.objects.create(code="99", name="Regione di prova")
    province = Province.objects.create(
        code="999", name="Provincia di prova", abbreviation="ZZ", region=region
    )
    square = (
        '{"type": "Polygon", "coordinates": [[[10.0, 45.0], [10.1, 45.0], [10.1, 45.1], '
        "[10.0, 45.1], [10.0, 45.0]]]}"
    )
    a, b = (
        Municipality.objects.create(
            code=code,
            name=name,
            cadastral_code="Z999",
            province=province,
            region=region,
            boundary=square,
            first_year=2022,
            last_year=2023,
        )
        for code, name in (("999001", "Alfa"), ("999002", "Beta"))
    )
    rows = []
    for year, data in ((2022, TINY_A_2022), (2023, TINY_A_2023)):
        for age, (m, f) in data.items():
            rows.append(PopulationCount(municipality=a, year=year, age=age, males=m, females=f))
    for year in (2022, 2023):
        for age, (m, f) in TINY_B.items():
            rows.append(PopulationCount(municipality=b, year=year, age=age, males=m, females=f))
    PopulationCount.objects.bulk_create(rows)
    district = territory_services.create_district(
        actor=None,
        code="ambito-di-prova",
        name="Ambito di prova",
        region="99",
        lead="999001",
        municipalities=["999001", "999002"],
    )
    refresh_population_bands()
    return Tiny(region=region, province=province, a=a, b=b, district=district)
