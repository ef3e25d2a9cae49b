"""Importing an indicator from CSV: every row checked, all or nothing, with a report."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tessere.core.models import AuditEntry
from tessere.profile import selectors, services
from tessere.profile.models import IndicatorDefinition, SeriesValue

pytestmark = pytest.mark.django_db

DEFINITION = {
    "code": "reddito_contribuente",
    "name": "Reddito medio per contribuente",
    "unit": "€",
    "polarity": "lower",
    "source": "MEF, dati di esempio",
}


def _import(district, content, **overrides):
    return services.import_series(
        actor=None, district=district, **{**DEFINITION, **overrides}, content=content
    )


def test_a_good_file_is_imported_and_shown_in_the_profile(districts):
    content = 'codice,anno,valore\n046007,2022,21500\n46017,2022,"23.400,5"\n'
    result = _import(districts.a, content)
    assert result.created and result.rows == 2
    values = dict(
        SeriesValue.objects.filter(indicator=result.definition).values_list(
            "territory_code", "value"
        )
    )
    assert values == {"046007": 21500.0, "046017": 23400.5}
    profile = selectors.territory_profile(selectors.resolve("district", "piana-di-lucca"))
    part = next(p for p in profile.parts if p.municipality.code == "046007")
    assert part.values["reddito_contribuente"] == 21500.0
    assert profile.indicator("reddito_contribuente").imported
    municipality = selectors.territory_profile(selectors.resolve("municipality", "046007"))
    assert municipality.row("reddito_contribuente").value == 21500.0
    assert AuditEntry.objects.filter(object_type="profile.indicatordefinition").exists()


def test_semicolon_files_and_a_second_import_replace_the_values(districts):
    _import(districts.a, "codice;anno;valore\n046007;2022;10\n046001;2022;11\n")
    result = _import(districts.a, "codice;anno;valore\n046007;2023;12,5\n", name="Nuovo nome")
    assert not result.created and result.replaced == 2 and result.rows == 1
    definition = IndicatorDefinition.objects.get(district=districts.a, code="reddito_contribuente")
    assert definition.name == "Nuovo nome"
    assert list(definition.values.values_list("year", "value")) == [(2023, 12.5)]


def test_any_bad_row_rejects_the_whole_file_with_a_report(districts):
    content = (
        "codice,anno,valore\n"
        "046007,2022,100\n"  # good
        "123456,2022,5\n"  # unknown code
        "035033,2022,5\n"  # Reggio Emilia: outside Piana di Lucca
        "046017,2022,molti\n"  # not a number
        "046007,2022,7\n"  # duplicate of line 2
        "046001,duemila,7\n"  # bad year
    )
    with pytest.raises(services.ImportRejected) as caught:
        _import(districts.a, content)
    details = caught.value.details
    assert len(details) == 5
    assert details[0].startswith("riga 3:") and "sconosciuto" in details[0]
    assert details[1].startswith("riga 4:") and "non fa parte dell'ambito" in details[1]
    assert details[2].startswith("riga 5:") and "non è un numero" in details[2]
    assert details[3].startswith("riga 6:") and "duplicato della riga 2" in details[3]
    assert details[4].startswith("riga 7:") and "anno non valido" in details[4]
    assert not IndicatorDefinition.objects.exists()
    assert not SeriesValue.objects.exists()


def test_a_rejected_file_leaves_the_earlier_import_alone(districts):
    _import(districts.a, "codice,anno,valore\n046007,2022,10\n")
    with pytest.raises(services.ImportRejected):
        _import(districts.a, "codice,anno,valore\n046007,2023,x\n")
    assert list(SeriesValue.objects.values_list("year", "value")) == [(2022, 10.0)]


@pytest.mark.parametrize(
    ("overrides", "content", "message"),
    [
        ({"code": "Not Valid"}, "codice,anno,valore\n046007,2022,1\n", "definizione"),
        ({"code": "popolazione"}, "codice,anno,valore\n046007,2022,1\n", "definizione"),
        ({"source": " "}, "codice,anno,valore\n046007,2022,1\n", "definizione"),
        ({}, "", "vuoto"),
        ({}, "codice,anno,valore\n", "solo l'intestazione"),
        ({}, "comune,quando,quanto\n046007,2022,1\n", "Intestazione"),
        ({}, b"\xff\xfe\x00bad", "UTF-8"),
    ],
)
def test_bad_definitions_and_files(districts, overrides, content, message):
    with pytest.raises(services.ImportRejected) as caught:
        _import(districts.a, content, **overrides)
    assert message in str(caught.value)
    assert not SeriesValue.objects.exists()


def test_district_and_subdistrict_codes_are_within_reach(districts):
    result = _import(
        districts.c,
        "codice,anno,valore\ncremona,2023,30\ncremona-nord,2023,4\ncremona/cremona-citta,2023,9\n",
        code="assistenti_sociali",
        unit="operatori",
    )
    assert result.rows == 3
    kinds = sorted(SeriesValue.objects.values_list("territory_kind", "territory_code"))
    assert kinds == [
        ("district", "cremona"),
        ("subdistrict", "cremona/cremona-citta"),
        ("subdistrict", "cremona/cremona-nord"),
    ]


def test_leps_ratio_from_imported_social_workers(districts):
    _import(
        districts.a,
        "codice,anno,valore\npiana-di-lucca,2023,20\n",
        code="assistenti_sociali",
        unit="operatori",
        polarity="lower",
    )
    profile = selectors.territory_profile(selectors.resolve("district", "piana-di-lucca"))
    leps = profile.leps
    population = int(profile.row("popolazione").value)
    assert leps is not None and leps.population == population
    assert leps.per_5000 == pytest.approx(20 * 5000 / population)
    assert leps.needed_essential == -(-population // 5000)
    assert leps.needed_objective == -(-population // 4000)
    assert leps.missing_essential == leps.needed_essential - 20
    assert leps.missing_objective == leps.needed_objective - 20


def test_social_workers_by_municipality_add_up_for_the_district(districts):
    codes = list(districts.a.municipalities.values_list("code", flat=True))
    content = "codice,anno,valore\n" + "".join(f"{c},2023,5\n" for c in codes)
    _import(districts.a, content, code="assistenti_sociali", unit="operatori")
    profile = selectors.territory_profile(selectors.resolve("district", "piana-di-lucca"))
    assert profile.row("assistenti_sociali").value == 5 * len(codes)
    assert profile.leps is not None and profile.leps.workers == 5 * len(codes)


@pytest.mark.parametrize("by_municipality", [False, True])
def test_the_leps_box_alone_is_the_profiles(districts, by_municipality):
    """``leps_of`` (the dashboard's box, without the rest of the profile) gives what the
    whole profile gives, for a district's own figure and for one summed from municipalities."""
    territory = selectors.resolve("district", "piana-di-lucca")
    assert selectors.leps_of(territory) is None  # nothing imported yet
    if by_municipality:
        codes = list(districts.a.municipalities.values_list("code", flat=True))
        content = "codice,anno,valore\n" + "".join(f"{c},2022,3\n" for c in codes)
    else:
        content = "codice,anno,valore\npiana-di-lucca,2022,17\npiana-di-lucca,2023,20\n"
    _import(districts.a, content, code="assistenti_sociali", unit="operatori")
    territory = selectors.resolve("district", "piana-di-lucca")
    whole = selectors.territory_profile(territory).leps
    alone = selectors.leps_of(territory)
    assert whole is not None and alone == whole


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_parse_number_reads_what_it_is_given(value):
    assert services.parse_number(repr(value)) == pytest.approx(value)
    assert services.parse_number(repr(value).replace(".", ",")) == pytest.approx(value)


@given(st.text())
def test_parse_number_never_crashes(text):
    result = services.parse_number(text)
    assert result is None or isinstance(result, float)


GOOD_CODES = ["046001", "046007", "046017", "046021", "046022", "046026", "046034"]


@given(
    rows=st.lists(
        st.tuples(st.sampled_from(GOOD_CODES), st.integers(2000, 2030), st.floats(0, 1e6)),
        min_size=1,
        max_size=12,
        unique_by=lambda r: (r[0], r[1]),
    ),
    bad=st.sampled_from(["035033,2022,1", "999999,2022,1", "046007,anno,1", "046001,2022,abc"]),
    position=st.integers(0, 12),
)
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_one_bad_row_anywhere_rejects_everything(districts, rows, bad, position):
    lines = [f"{code},{year},{value!r}" for code, year, value in rows]
    lines.insert(min(position, len(lines)), bad)
    with pytest.raises(services.ImportRejected) as caught:
        _import(districts.a, "codice,anno,valore\n" + "\n".join(lines) + "\n")
    assert len(caught.value.details) == 1
    assert caught.value.details[0].startswith(f"riga {min(position, len(rows)) + 2}:")
    assert not SeriesValue.objects.exists()
