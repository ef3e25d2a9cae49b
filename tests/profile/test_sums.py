"""A territory's figures are the sum of its parts, computed in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db.models import Q

from tessere.profile import bands, compute, selectors
from tessere.territory.models import PopulationCount

pytestmark = pytest.mark.django_db

ADDITIVE = ["popolazione", "maschi", "femmine", "variazione", "eta_0_17", "eta_65", "eta_85"]


@pytest.mark.parametrize("code", ["piana-di-lucca", "cremona"])
def test_district_is_the_sum_of_its_municipalities(code):
    profile = selectors.territory_profile(selectors.resolve("district", code))
    for indicator in ADDITIVE:
        assert profile.row(indicator).value == sum(p.values[indicator] for p in profile.parts), (
            indicator
        )
    # The same figure as the territory room's district page.
    from tessere.territory.selectors import district_population

    assert profile.row("popolazione").value == district_population(profile.territory.district).total


def test_province_region_italy_are_consistent():
    years = {}
    for ref in ("province:046", "region:09", "province:019", "region:03", "italy"):
        years[ref] = selectors.territory_profile(selectors.resolve_ref(ref))
    # In the test world Tuscany is loaded only with Lucca, Lombardy only with Cremona.
    assert (
        years["province:046"].row("popolazione").value
        == years["region:09"].row("popolazione").value
    )
    assert (
        years["province:019"].row("popolazione").value
        == years["region:03"].row("popolazione").value
    )
    italy = years["italy"].row("popolazione").value
    assert italy == sum(
        selectors.territory_profile(selectors.resolve("region", code)).row("popolazione").value
        for code in ("03", "08", "09")
    )
    province = years["province:046"]
    assert province.row("popolazione").region == province.row("popolazione").value
    assert province.row("popolazione").italy == italy


def test_band_table_equals_the_population_table():
    direct = compute.aggregate(group="municipality_id")
    stored = bands.band_aggregate(group="municipality_id")
    assert direct == stored
    assert compute.aggregate(group=None) == bands.band_aggregate(group=None)


def test_band_table_follows_a_new_load(tiny):
    from tessere.territory.models import TerritoryLoad

    # A new load of the population changes the loader's checksums: the bands are rebuilt.
    TerritoryLoad.objects.create(
        dataset="population:test", source_version="x", checksum="y", rows=0
    )
    PopulationCount.objects.filter(municipality__code="999002").delete()
    bands.ensure_population_bands()
    assert not any(key == tiny.b.pk for key, _year in bands.band_aggregate(group="municipality_id"))


def test_subdistrict_is_the_sum_of_its_municipalities():
    profile = selectors.territory_profile(selectors.resolve_ref("subdistrict:cremona/cremona-nord"))
    assert len(profile.parts) == 7
    assert profile.row("popolazione").value == sum(p.values["popolazione"] for p in profile.parts)
    direct = compute.aggregate(
        group=None, where=Q(municipality__code__in=[p.municipality.code for p in profile.parts])
    )
    assert profile.row("popolazione").value == sum(
        row[0] + row[1] for (_k, year), row in direct.items() if year == profile.year
    )


@pytest.mark.parametrize("ref", ["district:piana-di-lucca", "district:cremona", "italy"])
def test_profile_queries_do_not_grow(ref, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        selectors.territory_profile(selectors.resolve_ref(ref))
