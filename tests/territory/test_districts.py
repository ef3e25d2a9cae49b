from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from tessere.core.models import AuditEntry
from tessere.territory import services
from tessere.territory.models import District, DistrictMunicipality, Neighbourhood, SubDistrict

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int]:
    return (
        District.objects.count(),
        DistrictMunicipality.objects.count(),
        AuditEntry.objects.count(),
    )


def test_create_district_with_its_municipalities_and_audit():
    district = services.create_district(
        actor=None,
        code="media-valle",
        name="Ambito Media Valle del Serchio",
        region="Toscana",
        lead="046003",
        municipalities=["46003", "046004", "046009"],
    )
    assert district.region.code == "09"
    assert sorted(district.municipalities.values_list("code", flat=True)) == [
        "046003",
        "046004",
        "046009",
    ]
    entry = AuditEntry.objects.get(object_type="territory.district", object_id=str(district.pk))
    assert entry.action == "create"
    assert entry.changes["code"] == [None, "media-valle"]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"municipalities": ["046003", "999999", "888888"]}, "999999, 888888"),
        ({"municipalities": ["046003", "035001"]}, "035001"),
        ({"municipalities": ["046003", "046017"]}, "046017 (piana-di-lucca)"),
        ({"lead": "999999"}, "999999"),
        ({"lead": "046004"}, "capofila 046004"),
        ({"region": "Atlantide"}, "Atlantide"),
        ({"code": "Codice Con Spazi"}, "Codice Con Spazi"),
        ({"code": "cremona"}, "cremona"),
        ({"municipalities": []}, "nessun comune"),
        ({"municipalities": ["046003", "046003"]}, "ripetuti: 046003"),
    ],
)
def test_bad_district_is_refused_naming_the_codes_and_nothing_is_written(kwargs, expected):
    args = {
        "actor": None,
        "code": "nuovo",
        "name": "Nuovo ambito",
        "region": "09",
        "lead": "046003",
        "municipalities": ["046003"],
        **kwargs,
    }
    before = _counts()
    with pytest.raises(services.DistrictError) as error:
        services.create_district(**args)
    text = str(error.value)
    if expected == "999999, 888888":
        assert "888888" in text and "999999" in text
    else:
        assert expected in text
    assert _counts() == before


def test_a_municipality_may_be_in_one_district_of_each_kind():
    district = services.create_district(
        actor=None,
        code="distretto-sanitario-lucca",
        name="Distretto sanitario di Lucca",
        kind=District.Kind.HEALTH,
        region="09",
        lead="046017",
        municipalities=["046017"],
    )
    assert district.kind == "health"


CSV_OK = """codice_ambito;nome_ambito;tipo;regione;capofila;comune
media-valle;Media Valle;social;09;046003;046003
media-valle;Media Valle;social;09;046003;046004
garfagnana;Garfagnana;social;Toscana;046010;046010
"""


def test_csv_import_creates_every_district():
    districts = services.import_districts_csv(actor=None, content=CSV_OK)
    assert [d.code for d in districts] == ["media-valle", "garfagnana"]
    assert District.objects.get(code="media-valle").municipalities.count() == 2


def test_csv_with_any_bad_row_writes_nothing_and_reports_each():
    content = (
        CSV_OK
        + "serchio;Serchio;social;09;046011;999999\nserchio;Serchio;social;09;046011;046017\n"
    )
    before = _counts()
    with pytest.raises(services.DistrictError) as error:
        services.import_districts_csv(actor=None, content=content)
    details = "\n".join(error.value.details)
    assert "999999" in details
    assert "046017 (piana-di-lucca)" in details
    assert "riga 5" in details
    assert _counts() == before


def test_csv_rows_of_one_district_must_agree():
    content = (
        "codice_ambito,nome_ambito,regione,capofila,comune\n"
        "x,X,09,046003,046003\nx,Y,09,046003,046004\n"
    )
    with pytest.raises(services.DistrictError) as error:
        services.import_districts_csv(actor=None, content=content)
    assert "riga 3" in error.value.details[0]


def test_csv_two_new_districts_may_not_share_a_municipality():
    content = (
        "codice_ambito,nome_ambito,regione,capofila,comune\n"
        "x,X,09,046003,046003\ny,Y,09,046004,046004\ny,Y,09,046004,046003\n"
    )
    before = _counts()
    with pytest.raises(services.DistrictError) as error:
        services.import_districts_csv(actor=None, content=content)
    assert "046003 (x)" in str(error.value)
    assert _counts() == before


def test_csv_header_is_checked():
    with pytest.raises(services.DistrictError) as error:
        services.import_districts_csv(actor=None, content="a,b\n1,2\n")
    assert "colonne mancanti" in str(error.value)


def test_command_create_and_import(tmp_path, capsys):
    call_command(
        "district",
        "create",
        "--code=media-valle",
        "--name=Media Valle",
        "--region=09",
        "--lead=046003",
        "046003",
        "046004",
    )
    assert "Media Valle" in capsys.readouterr().out
    path = tmp_path / "ambiti.csv"
    path.write_text("codice_ambito,nome_ambito,regione,capofila,comune\ng,G,09,046010,046010\n")
    call_command("district", "import", str(path))
    assert District.objects.filter(code="g").exists()
    with pytest.raises(CommandError, match="999999"):
        call_command(
            "district", "create", "--code=z", "--name=Z", "--region=09", "--lead=046011", "999999"
        )
    with pytest.raises(CommandError, match="Impossibile leggere"):
        call_command("district", "import", str(tmp_path / "missing.csv"))


def test_subdistricts_and_neighbourhoods_stay_inside_the_district(districts):
    sub = services.create_subdistrict(
        actor=None, district=districts.a, code="nord", name="Nord", municipalities=["046007"]
    )
    assert list(sub.municipalities.values_list("code", flat=True)) == ["046007"]
    with pytest.raises(services.DistrictError, match="035033"):
        services.create_subdistrict(
            actor=None, district=districts.a, code="sud", name="Sud", municipalities=["035033"]
        )
    assert not SubDistrict.objects.filter(code="sud").exists()
    hood = services.create_neighbourhood(
        actor=None, district=districts.a, municipality="046017", code="centro", name="Centro"
    )
    assert hood.district == districts.a
    with pytest.raises(services.DistrictError):
        services.create_neighbourhood(
            actor=None, district=districts.a, municipality="019036", code="x", name="X"
        )
    assert not Neighbourhood.objects.filter(code="x").exists()


def test_demo_districts_are_those_of_the_seeds(districts):
    assert districts.a.municipalities.count() == 7
    assert districts.b.municipalities.count() == 7
    assert districts.c.municipalities.count() == 47
    assert districts.a.lead_municipality.name == "Lucca"
    assert districts.b.lead_municipality.name == "Reggio nell'Emilia"
    assert districts.c.lead_municipality.name == "Cremona"
    assert {d.region.name for d in (districts.a, districts.b, districts.c)} == {
        "Toscana",
        "Emilia-Romagna",
        "Lombardia",
    }
