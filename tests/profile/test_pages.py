"""The profile's pages: public profiles, planners' imports and needs, exports, query counts."""

from __future__ import annotations

import io
import re
import zipfile
import zlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tessere.profile.models import IndicatorDefinition, Need, SeriesValue
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

CREDIT = "Dati ISTAT elaborati da Openpolis, CC BY 4.0"


def _public_urls() -> list[str]:
    return [
        reverse("profile:district", args=["piana-di-lucca"]),
        reverse("profile:district", args=["cremona"]) + "?indicator=indice_vecchiaia",
        reverse("profile:municipality", args=["046007"]),
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_profiles_are_public(as_user, persona):
    for url in _public_urls():
        response = as_user(persona).get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert CREDIT in html
        assert "style=" not in html.split("<main", 1)[1]
        assert "<script>" not in html


def test_district_profile_shows_headline_map_table_trend(client):
    response = client.get(
        reverse("profile:district", args=["piana-di-lucca"]) + "?indicator=quota_85"
    )
    html = response.content.decode()
    assert 'data-testid="headline-popolazione"' in html
    assert 'value="quota_85" selected' in html
    assert (
        reverse("profile:district_map", args=["piana-di-lucca"])
        + "?year=2023&amp;indicator=quota_85"
        in html
    )
    assert "Capannori" in html and "Toscana" in html and "Italia" in html
    assert "Andamento negli anni caricati" in html
    # A sortable table: links that sort by an indicator.
    assert "sort=indice_vecchiaia" in html


def test_table_sorts_by_the_chosen_indicator(client):
    url = reverse("profile:district", args=["piana-di-lucca"])
    response = client.get(url + "?sort=popolazione&order=desc")
    parts = response.context["parts"]
    values = [p.values["popolazione"] for p in parts]
    assert values == sorted(values, reverse=True)
    assert parts[0].municipality.name == "Lucca"
    response = client.get(url + "?sort=popolazione&order=asc")
    assert [p.values["popolazione"] for p in response.context["parts"]] == sorted(values)


def test_bad_year_is_a_clear_400(client):
    response = client.get(reverse("profile:district", args=["cremona"]) + "?year=1990")
    assert response.status_code == 400
    assert "Anno non disponibile" in response.content.decode()
    response = client.get(reverse("profile:district", args=["cremona"]) + "?year=abc")
    assert response.status_code == 400


def test_unknown_territory_is_404(client):
    assert client.get(reverse("profile:district", args=["atlantide"])).status_code == 404
    assert client.get(reverse("profile:municipality", args=["999999"])).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        reverse("profile:district_map", args=["cremona"]) + "?indicator=indice_vecchiaia",
        reverse("profile:district_pyramid", args=["piana-di-lucca"]),
        reverse("profile:municipality_pyramid", args=["046007"]),
        reverse("profile:district_trend", args=["cremona"]) + "?indicator=quota_85",
        reverse("profile:municipality_trend", args=["046007"]),
    ],
)
def test_charts_are_svg_with_title_and_description(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert "<title" in svg and "<desc" in svg


def test_csv_export_has_every_indicator(client):
    response = client.get(reverse("profile:district_csv", args=["piana-di-lucca"]))
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("territorio,tipo,codice_territorio,indicatore")
    assert any(
        line.startswith("Zona Distretto Piana di Lucca,district,piana-di-lucca,indice_vecchiaia")
        for line in lines
    )
    assert any(",municipality,046007,quota_65," in line for line in lines)
    assert any(line.startswith("Italia,italy,it,popolazione") for line in lines)


def test_odt_export(client):
    response = client.get(reverse("profile:district_odt", args=["piana-di-lucca"]))
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.text"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    content = archive.read("content.xml").decode()
    assert "Analisi del contesto" in content and CREDIT in content
    assert any(name.startswith("Pictures/") for name in archive.namelist())


def test_pdf_export_is_pdf_a(client):
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:  # pragma: no cover - depends on the system's Pango
        pytest.skip(f"WeasyPrint non utilizzabile qui (manca Pango?): {exc}")
    response = client.get(reverse("profile:district_pdf", args=["piana-di-lucca"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert _pdfa_part(response.content) == "3"  # PDF/A-3 identification in the XMP metadata


def _pdfa_part(data: bytes) -> str | None:
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            text = zlib.decompress(match.group(1))
        except zlib.error:
            text = match.group(1)
        found = re.search(rb"pdfaid:part(?:>|=\")(\d)", text)
        if found:
            return found.group(1).decode()
    return None


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_district_profile_queries_do_not_depend_on_the_municipalities(
    client, django_assert_max_num_queries
):
    small = _queries(client, reverse("profile:district", args=["piana-di-lucca"]))  # 7
    large = _queries(client, reverse("profile:district", args=["cremona"]))  # 47
    assert small == large
    with django_assert_max_num_queries(12):
        client.get(reverse("profile:district", args=["cremona"]))
    small_map = _queries(client, reverse("profile:district_map", args=["piana-di-lucca"]))
    assert small_map == _queries(client, reverse("profile:district_map", args=["cremona"]))


IMPORT_STATUS = [
    ("anonymous", 302),
    ("planner_a", 200),
    ("mayor_a", 403),
    ("social_worker_a", 403),
    ("access_operator_a", 403),
    ("employment_operator_a", 403),
    ("provider_a", 403),
    ("viewer_a", 403),
    ("planner_b", 403),
    ("multi", 200),
    ("no_role", 403),
]


@pytest.mark.parametrize(("persona", "status"), IMPORT_STATUS)
@pytest.mark.parametrize(
    "name", ["profile:import_series", "profile:need_list", "profile:need_create"]
)
def test_planning_pages_are_for_the_districts_planners(as_user, persona, status, name):
    response = as_user(persona).get(reverse(name, args=["piana-di-lucca"]))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login"))


def test_a_viewer_elsewhere_cannot_import(as_user):
    # "multi" plans in Piana di Lucca but only views Cremona.
    assert (
        as_user("multi").get(reverse("profile:import_series", args=["cremona"])).status_code == 403
    )
    response = as_user("planner_b").post(
        reverse("profile:import_series", args=["piana-di-lucca"]), {}
    )
    assert response.status_code == 403


def _upload(client, district, content, **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {
        "code": "tasso_disoccupazione",
        "name": "Tasso di disoccupazione",
        "unit": "%",
        "polarity": "higher",
        "source": "ISTAT, dati di esempio",
        "formula": "",
        "file": SimpleUploadedFile("serie.csv", content.encode(), content_type="text/csv"),
        **fields,
    }
    return client.post(reverse("profile:import_series", args=[district]), data)


def test_planner_imports_through_the_page(as_user):
    client = as_user("planner_a")
    response = _upload(client, "piana-di-lucca", "codice,anno,valore\n046007,2022,6.1\n")
    assert response.status_code == 302
    assert SeriesValue.objects.get().value == 6.1
    page = client.get(reverse("profile:district", args=["piana-di-lucca"]))
    assert "Tasso di disoccupazione" in page.content.decode()


def test_bad_upload_shows_the_report_and_writes_nothing(as_user):
    client = as_user("planner_a")
    response = _upload(
        client, "piana-di-lucca", "codice,anno,valore\n046007,2022,6.1\n035033,2022,x\n"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="import-report"' in html
    assert "riga 3" in html and "non fa parte dell&#x27;ambito" in html
    assert "non è un numero" in html
    assert not IndicatorDefinition.objects.exists()
    assert not SeriesValue.objects.exists()


def test_planner_creates_and_edits_a_need(as_user, districts):
    client = as_user("planner_a")
    capannori = districts.a.municipalities.get(code="046007")
    response = client.post(
        reverse("profile:need_create", args=["piana-di-lucca"]),
        {
            "statement": "Anziani soli nelle frazioni",
            "area": "anziani",
            "municipalities": [capannori.pk],
            "evidence_indicators": ["indice_vecchiaia", "quota_75"],
            "evidence_note": "Vedi profilo",
        },
    )
    assert response.status_code == 302
    need = Need.objects.get(district=districts.a)
    assert list(need.municipalities.all()) == [capannori]
    assert need.evidence_indicators == ["indice_vecchiaia", "quota_75"]
    response = client.post(
        reverse("profile:need_edit", args=["piana-di-lucca", need.pk]),
        {"statement": "Anziani soli", "area": "anziani", "evidence_note": ""},
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.statement == "Anziani soli" and not need.municipalities.exists()
    page = client.get(reverse("profile:district", args=["piana-di-lucca"]))
    assert "Anziani soli" in page.content.decode()
    # Another district's planner cannot edit it.
    other = as_user("planner_b").get(reverse("profile:need_edit", args=["piana-di-lucca", need.pk]))
    assert other.status_code == 403
    assert (
        as_user("planner_b")
        .get(reverse("profile:need_edit", args=["reggio-emilia", need.pk]))
        .status_code
        == 404
    )


def test_need_with_a_municipality_outside_the_district_is_refused(as_user, districts):
    outside = districts.b.municipalities.first()
    response = as_user("planner_a").post(
        reverse("profile:need_create", args=["piana-di-lucca"]),
        {"statement": "x", "area": "anziani", "municipalities": [outside.pk]},
    )
    assert response.status_code == 400
    assert not Need.objects.exists()


def test_nav_links_to_the_current_districts_profile(as_user, client):
    html = as_user("planner_a").get(reverse("core:home")).content.decode()
    assert f'href="{reverse("profile:district", args=["piana-di-lucca"])}"' in html
    assert "Profilo di comunità" in html
    assert "Profilo di comunità" not in client.get(reverse("core:home")).content.decode()


def test_htmx_map_form_gets_only_the_map_section(client):
    url = reverse("profile:district", args=["cremona"]) + "?indicator=quota_85"
    response = client.get(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section aria-labelledby="map-title"')
    assert "indicator=quota_85" in html and "<html" not in html


# The loop of filters that wrote the table "Indicatori per comune" before it was written in
# Python (``views.municipality_rows``): both must write the same cells.
TEMPLATE_ROWS = (
    "{% load profile_tags %}{% for part in parts %}"
    '<tr><th scope="row"><a href="{% url \'profile:municipality\' part.municipality.code %}">'
    "{{ part.municipality.name }}</a></th>"
    '{% for indicator in profile.indicators %}<td class="num">'
    "{{ part.values|get_item:indicator.code|ivalue:indicator }}"
    "{% with rank=part.ranks|get_item:indicator.code %}"
    '{% if rank %} <span class="small">({{ rank }})</span>{% endif %}{% endwith %}</td>'
    "{% endfor %}</tr>\n{% endfor %}"
)


@pytest.mark.parametrize("language", ["it", "en"])
def test_municipality_rows_are_what_the_template_wrote(client, language):
    from django.template import engines
    from django.utils import translation

    from tessere.profile import selectors, views

    with translation.override(language):
        profile = selectors.territory_profile(selectors.resolve("district", "piana-di-lucca"))
        parts = sorted(profile.parts, key=lambda p: p.municipality.name)
        expected = (
            engines["django"]
            .from_string(TEMPLATE_ROWS)
            .render({"parts": parts, "profile": profile})
        )
        written = views.municipality_rows(profile, parts)
    assert written.count("<tr>") == len(parts) > 3
    assert '<span class="small">(' in written
    assert written.strip() == expected.strip()
