"""Formulas against hand-computed values, on a tiny invented territory."""

from __future__ import annotations

import pytest

from tessere.core.errors import DomainError, NotFound
from tessere.profile import compute, indicators, selectors
from tessere.profile.models import Polarity

pytestmark = pytest.mark.django_db


def test_every_indicator_is_defined_once_and_completely():
    codes = [i.code for i in indicators.registered()]
    assert len(codes) == len(set(codes))
    for indicator in indicators.registered():
        assert str(indicator.name) and str(indicator.unit) and str(indicator.formula)
        assert indicator.polarity in Polarity.values
        assert indicator.source
    with pytest.raises(ValueError, match="already registered"):
        indicators.register(indicators.registered()[0])


def test_municipality_formulas_match_hand_computed_values(tiny):
    profile = selectors.territory_profile(selectors.resolve("municipality", "999001"), year=2023)
    v = {row.indicator.code: row.value for row in profile.rows}
    # 58 residents: 27 males, 31 females.
    assert (v["popolazione"], v["maschi"], v["femmine"]) == (58, 27, 31)
    assert v["variazione"] == 1
    assert v["variazione_pct"] == pytest.approx(100 / 57)
    assert v["eta_0_2"] == 2
    assert v["eta_3_5"] == 4
    assert v["eta_6_10"] == 6
    assert v["eta_11_13"] == 2
    assert v["eta_14_17"] == 5
    assert v["eta_0_17"] == 19
    assert v["eta_18_64"] == 20
    assert v["eta_65"] == 19
    assert v["eta_75"] == 12
    assert v["eta_85"] == 4
    assert v["quota_0_17"] == pytest.approx(19 * 100 / 58)
    assert v["quota_65"] == pytest.approx(19 * 100 / 58)
    # 0-14: 15; 15-64: 24; 65+: 19; 80+: 8 of whom 6 women.
    assert v["indice_vecchiaia"] == pytest.approx(19 * 100 / 15)
    assert v["dipendenza_strutturale"] == pytest.approx((15 + 19) * 100 / 24)
    assert v["dipendenza_anziani"] == pytest.approx(19 * 100 / 24)
    assert v["quota_donne_80"] == pytest.approx(75.0)
    # The year before has no earlier year: no change.
    earlier = selectors.territory_profile(selectors.resolve("municipality", "999001"), year=2022)
    assert earlier.row("variazione").value is None
    assert earlier.row("popolazione").value == 57


def test_region_and_italy_comparisons(tiny):
    profile = selectors.territory_profile(selectors.resolve("municipality", "999002"), year=2023)
    row = profile.row("popolazione")
    assert row.value == 60
    assert row.region == 58 + 60  # the tiny region is Alfa + Beta
    italy = selectors.territory_profile(selectors.resolve_ref("italy"), year=2023)
    assert row.italy == italy.row("popolazione").value
    assert profile.region_name == "Regione di prova"
    # Undefined ratios are None, not an error (Beta has no one aged 80+).
    assert profile.row("quota_donne_80").value is None


def test_district_ranks_its_municipalities(tiny):
    profile = selectors.territory_profile(selectors.resolve("district", "ambito-di-prova"))
    assert profile.row("popolazione").value == 118
    ranks = {p.municipality.code: p.ranks for p in profile.parts}
    # Higher old-age index means more need: Alfa (126.7) before Beta (50).
    assert ranks["999001"]["indice_vecchiaia"] == 1
    assert ranks["999002"]["indice_vecchiaia"] == 2
    # Population change: lower means more need; Beta (0) before Alfa (+1).
    assert ranks["999002"]["variazione"] == 1


def test_rank_ties_and_missing_values():
    ranks = compute.rank({"a": 3.0, "b": 3.0, "c": 1.0, "d": None}, polarity=Polarity.HIGHER)
    assert ranks == {"a": 1, "b": 1, "c": 3}
    assert compute.rank({"a": 3.0, "c": 1.0}, polarity=Polarity.LOWER) == {"c": 1, "a": 2}


@pytest.mark.parametrize(
    ("ref", "kind", "code"),
    [
        ("italy", "italy", "it"),
        ("italy:it", "italy", "it"),
        ("municipality:046007", "municipality", "046007"),
        ("subdistrict:cremona/cremona-nord", "subdistrict", "cremona/cremona-nord"),
        ("district:cremona", "district", "cremona"),
        ("province:046", "province", "046"),
        ("region:09", "region", "09"),
    ],
)
def test_territory_references(ref, kind, code):
    territory = selectors.resolve_ref(ref)
    assert (territory.kind, territory.code) == (kind, code)
    assert territory.ref == ("italy" if kind == "italy" else f"{kind}:{code}")


@pytest.mark.parametrize("ref", ["planet:1", "district", "municipality:"])
def test_bad_references_are_domain_errors(ref):
    with pytest.raises(DomainError):
        selectors.resolve_ref(ref)


@pytest.mark.parametrize(
    "ref", ["municipality:999999", "district:atlantide", "region:77", "subdistrict:cremona/x"]
)
def test_unknown_territories_are_not_found(ref):
    with pytest.raises(NotFound):
        selectors.resolve_ref(ref)


def test_unknown_year_is_refused():
    with pytest.raises(DomainError, match="Anno non disponibile"):
        selectors.territory_profile(selectors.resolve_ref("italy"), year=1990)
