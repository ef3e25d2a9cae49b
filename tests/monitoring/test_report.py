"""The annual monitoring report: PDF/A and ODT with real content, permissions, bad input."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from xml.etree import ElementTree

import pytest

from tessere.monitoring import report, services
from tessere.monitoring.models import ActionIndicator
from tests.planning.test_document import _inflated


@pytest.fixture
def measured(built, settings):  # type: ignore[no-untyped-def]
    settings.TESSERE_DISCLOSURE_THRESHOLD = 5
    reached = services.save_indicator(
        actor=None,
        action=built.actions[0],
        name="Famiglie seguite",
        unit="famiglie",
        baseline=0,
        targets={2025: 10},
    )
    services.record_measurement(actor=None, indicator=reached, date="31/12/2025", value=12)
    far = services.save_indicator(
        actor=None,
        action=built.actions[1],
        name="Anziani a domicilio",
        unit="persone",
        baseline=0,
        targets={2025: 100},
    )
    services.record_measurement(actor=None, indicator=far, date="30/06/2025", value=20)
    hidden = services.save_indicator(
        actor=None,
        action=built.actions[1],
        name="Anziani in carico",
        unit="persone",
        source=ActionIndicator.Source.PEOPLE_IN_CHARGE,
    )
    services.record_measurement(actor=None, indicator=hidden, date="30/06/2025", value=3)
    services.record_progress(
        actor=None, action=built.actions[0], date="31/12/2025", status="completed", percent=100
    )
    services.set_spending(actor=None, fund=built.fund, year=2025, amount=750)
    return built


EXPECTED = [
    "Rapporto di monitoraggio 2025",
    "Sintesi",
    "Attuazione per area",
    "Esecuzione del bilancio per fondo",
    "Indicatori rispetto agli obiettivi",
    "Livelli essenziali (LEPS)",
    "Attività dei punti di accesso",
    "Il percorso partecipativo",
    "Nota metodologica e fonti dei dati",
    "Famiglie seguite",
    "verde: obiettivo raggiunto",
    "rosso: lontano dall",
    "non pubblicato (sotto soglia)",
    "FNPS Fondo nazionale politiche sociali",
    "750\u00a0€",
    "CC BY 4.0",
]


def test_outline_figures(measured) -> None:  # type: ignore[no-untyped-def]
    doc = report.outline(measured.plan, 2025)
    assert [c.title for c in doc.chapters] == report.CHAPTERS
    summary = " ".join(b.text for b in doc.chapters[0].blocks)
    # 4 actions, A001 completed; budgets 300, 900, 0, 1800 at 100, 0, 0, 0 -> 300/3000 = 10%.
    assert "conta 4 azioni, di cui 1 concluse" in summary
    assert "è del 10,0%" in summary
    assert (
        "Dei 1.000\u00a0€ assegnati alle azioni per il 2025 sono stati spesi 750\u00a0€ (75,0%)"
        in summary
    )
    items = doc.chapters[0].blocks[2].items
    assert items[0] == "1 indicatori: verde: obiettivo raggiunto"
    assert items[2] == "1 indicatori: rosso: lontano dall'obiettivo"
    assert items[3] == "1 indicatori: grigio: senza dati o senza obiettivo"


def test_odt_has_the_report(measured) -> None:  # type: ignore[no-untyped-def]
    content = report.report_odt(measured.plan, 2025)
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
    ElementTree.fromstring(archive.read("content.xml"))  # noqa: S314 - ours, well-formed
    xml = archive.read("content.xml").decode("utf-8")
    for text in EXPECTED:
        assert text.replace("'", "&apos;") in xml or text in xml, text
    for action in measured.actions:
        assert action.title in xml
    assert any(n.endswith(".svg") for n in archive.namelist())


def test_pdf_is_pdf_a_with_the_report(measured) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("weasyprint", reason="WeasyPrint cannot be imported here")
    content = report.report_pdf(measured.plan, 2025)
    assert content.startswith(b"%PDF-")
    assert b"pdfaid" in _inflated(content)
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF's text is not checked")
    text = subprocess.run(
        [pdftotext, "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode("utf-8")
    flat = " ".join(text.split())
    for expected in EXPECTED:
        assert " ".join(expected.replace("\u00a0", " ").split()) in flat.replace("\u00a0", " "), (
            expected
        )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("no_role", 403),
        ("social_worker_a", 403),
        ("viewer_a", 403),
        ("planner_b", 403),
        ("mayor_a", 200),
        ("planner_a", 200),
    ],
)
def test_report_download_by_persona(as_user, built, persona, expected) -> None:  # type: ignore[no-untyped-def]
    url = f"/monitoraggio/{built.plan.district.code}/lavoro/rapporto/2025.odt"
    response = as_user(persona).get(url)
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "application/vnd.oasis.opendocument.text"
        assert "rapporto-monitoraggio-piana-di-lucca-2025.odt" in response["Content-Disposition"]


def test_report_pdf_download(as_user, built) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("weasyprint", reason="WeasyPrint cannot be imported here")
    url = f"/monitoraggio/{built.plan.district.code}/lavoro/rapporto/2026.pdf"
    response = as_user("mayor_a").get(url)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


def test_report_bad_input(as_user, built) -> None:  # type: ignore[no-untyped-def]
    client = as_user("planner_a")
    base = f"/monitoraggio/{built.plan.district.code}/lavoro/rapporto/"
    response = client.get(base + "2031.pdf")
    assert response.status_code == 400
    assert "L'anno 2031 non è tra gli anni del piano (2025-2027)." in response.content.decode()
    assert client.get(base + "2025.doc").status_code == 404
    assert client.get(base + "anno.pdf").status_code == 404
    assert client.get("/monitoraggio/non-esiste/lavoro/rapporto/2025.pdf").status_code == 404


def test_download_buttons_for_planners_and_mayors_only(as_user, built) -> None:  # type: ignore[no-untyped-def]
    code = built.plan.district.code
    for persona, shown in (("mayor_a", True), ("planner_a", True), ("viewer_a", False)):
        client = as_user(persona)
        for url in (f"/monitoraggio/{code}/cruscotto/", f"/monitoraggio/{code}/lavoro/"):
            page = client.get(url).content.decode()
            assert (f"/monitoraggio/{code}/lavoro/rapporto/2025.pdf" in page) is shown
            assert (f"/monitoraggio/{code}/lavoro/rapporto/2027.odt" in page) is shown


def test_report_runs_a_fixed_number_of_queries(as_user, districts) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import build_plan
    from .test_pages import _fill

    small = build_plan(districts.a, budgets=(100, 200))
    _fill(small, 1)
    large = build_plan(districts.b, budgets=tuple(range(100, 1300, 100)))
    _fill(large, 4)
    counts = []
    for built, persona in [(small, "planner_a"), (large, "planner_b")]:
        client = as_user(persona)
        url = f"/monitoraggio/{built.plan.district.code}/lavoro/rapporto/2025.odt"
        client.get(url)
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        counts.append(len(context))
    assert counts[0] == counts[1]
