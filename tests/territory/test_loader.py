from __future__ import annotations

import pyarrow.compute as pc
import pytest
from django.db.models import Sum

from tessere.territory import loader
from tessere.territory.models import Municipality, PopulationCount, Province, Region, TerritoryLoad
from tessere.territory.selectors import municipality_population

pytestmark = pytest.mark.django_db


def test_reference_of_all_italy_has_7899_municipalities_in_2023():
    reference = loader.read_reference(years=[2022, 2023], scope=None)
    assert reference.by_year[2023] == 7899
    assert reference.by_year[2022] == 7904
    assert len(reference.regions) == 20
    assert len(reference.provinces) == 107
    # Every municipality listed in some year is kept, with the years it was listed in.
    assert reference.municipalities["046007"]["name"] == "Capannori"
    assert reference.municipalities["005079"]["last_year"] == 2022  # merged away in 2023


def test_loaded_scope_counts_match_the_source():
    reference = loader.read_reference(years=[2023], scope={"046", "035", "019"})
    assert Municipality.objects.filter(last_year__gte=2023).count() == reference.by_year[2023]
    assert Province.objects.count() == 3
    assert Region.objects.count() == 3
    lucca = Municipality.objects.get(code="046017")
    assert lucca.name == "Lucca"
    assert lucca.cadastral_code == "E715"
    assert lucca.province.abbreviation == "LU"
    assert lucca.region.name == "Toscana"
    assert lucca.boundary.startswith('{"type":')
    assert 43.7 < lucca.latitude < 44.0
    assert 10.3 < lucca.longitude < 10.7


def test_population_years_and_ages():
    years = sorted(PopulationCount.objects.values_list("year", flat=True).distinct())
    assert years == [2022, 2023]
    capannori = Municipality.objects.get(code="046007")
    ages = list(
        PopulationCount.objects.filter(municipality=capannori, year=2023)
        .order_by("age")
        .values_list("age", flat=True)
    )
    assert ages == list(range(101))


def test_a_municipality_population_is_the_sum_of_its_ages():
    table = loader._read(loader._data_dir(), "2023_italy_pop")
    rows = table.filter(pc.equal(table.column("municipality_code"), 46007))
    expected = sum(rows.column("tot").to_pylist())
    capannori = Municipality.objects.get(code="046007")
    by_age = PopulationCount.objects.filter(municipality=capannori, year=2023).aggregate(
        m=Sum("males"), f=Sum("females")
    )
    assert by_age["m"] + by_age["f"] == expected
    assert municipality_population(capannori, 2023) == expected
    assert expected > 40_000


def test_second_run_changes_nothing(django_assert_max_num_queries):
    before = (
        Municipality.objects.count(),
        PopulationCount.objects.count(),
        list(TerritoryLoad.objects.order_by("dataset").values_list("dataset", "checksum")),
    )
    report = loader.load_territory(province_codes=["046", "035", "019"])
    assert not report.changed_anything
    assert report.population_loaded == {}
    assert report.municipalities.created == report.municipalities.updated == 0
    after = (
        Municipality.objects.count(),
        PopulationCount.objects.count(),
        list(TerritoryLoad.objects.order_by("dataset").values_list("dataset", "checksum")),
    )
    assert before == after
    assert any("nessuna modifica" in line for line in report.lines())


def test_changed_reference_is_updated_not_duplicated():
    Municipality.objects.filter(code="046017").update(name="Lucca (vecchio nome)")
    TerritoryLoad.objects.filter(dataset="reference").delete()
    report = loader.load_territory(province_codes=["046", "035", "019"])
    assert report.municipalities.updated == 1
    assert report.municipalities.created == 0
    assert Municipality.objects.get(code="046017").name == "Lucca"


def test_changed_population_year_is_replaced_whole():
    capannori = Municipality.objects.get(code="046007")
    PopulationCount.objects.filter(municipality=capannori, year=2023, age=50).update(males=0)
    TerritoryLoad.objects.filter(dataset="population:2023").update(checksum="stale")
    count = PopulationCount.objects.count()
    report = loader.load_territory(province_codes=["046", "035", "019"])
    assert 2023 in report.population_loaded and 2022 not in report.population_loaded
    assert PopulationCount.objects.count() == count
    assert PopulationCount.objects.get(municipality=capannori, year=2023, age=50).males > 0


def test_unknown_years_are_ignored_and_no_year_is_an_error():
    with pytest.raises(ValueError, match="no population year"):
        loader.load_territory(years=[1900], province_codes=["046"])


@pytest.mark.skipif(
    __import__("django.db", fromlist=["connection"]).connection.vendor != "postgresql",
    reason="solo su PostgreSQL: impostare DATABASE_URL=postgres://... per eseguirlo",
)
def test_population_is_copied_in_bulk_on_postgresql():
    from django.db import connection

    loader._insert_population([])  # an empty COPY is valid
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM territory_populationcount WHERE year = 2023")
        (count,) = cursor.fetchone()
    assert count == PopulationCount.objects.filter(year=2023).count() > 0
