"""The annual monitoring report: PDF/A and ODT with real content, permissions, bad input."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from xml.etree import ElementTree

import pytest

from tessere.monitoring import report, services
from tessere.monitoring.models import ActionIndicator, MonitoringReport
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


def _ask(client, code: str, year, fmt: str, capture):  # type: ignore[no-untyped-def]
    with capture(execute=True):
        return client.post(f"/monitoraggio/{code}/lavoro/rapporto/", {"anno": year, "formato": fmt})


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("no_role", 403),
        ("social_worker_a", 403),
        ("viewer_a", 403),
        ("planner_b", 403),
        ("mayor_a", 302),
        ("planner_a", 302),
    ],
)
def test_report_by_persona(  # type: ignore[no-untyped-def]
    as_user, built, persona, expected, django_capture_on_commit_callbacks
) -> None:
    code = built.plan.district.code
    client = as_user(persona)
    response = _ask(client, code, 2025, "odt", django_capture_on_commit_callbacks)
    assert response.status_code == expected
    if persona == "anonymous":
        assert "/accedi/" in response["Location"]
    if persona not in ("mayor_a", "planner_a"):
        assert not MonitoringReport.objects.exists()
        return
    status_url = response["Location"]
    page = client.get(status_url).content.decode()
    assert "Rapporto di monitoraggio 2025 (ODT)" in page and "pronto" in page
    item = MonitoringReport.objects.get()
    assert item.status == "done" and item.year == 2025
    download = client.get(f"/monitoraggio/{code}/lavoro/rapporto/{item.pk}/scarica/")
    assert download["Content-Type"] == "application/vnd.oasis.opendocument.text"
    assert "rapporto-monitoraggio-piana-di-lucca-2025.odt" in download["Content-Disposition"]
    assert "Rapporto di monitoraggio 2025" in zipfile.ZipFile(io.BytesIO(download.content)).read(
        "content.xml"
    ).decode("utf-8")
    # Another district's planner, a viewer and a citizen cannot follow or download it.
    for other, status in (("planner_b", 403), ("viewer_a", 403), ("anonymous", 302)):
        assert as_user(other).get(status_url).status_code == status
        assert (
            as_user(other)
            .get(f"/monitoraggio/{code}/lavoro/rapporto/{item.pk}/scarica/")
            .status_code
            == status
        )


def test_report_pdf_download(as_user, built, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("weasyprint", reason="WeasyPrint cannot be imported here")
    client = as_user("mayor_a")
    code = built.plan.district.code
    response = _ask(client, code, "2026", "pdf", django_capture_on_commit_callbacks)
    item = MonitoringReport.objects.get()
    assert response["Location"].endswith(f"/rapporto/{item.pk}/")
    download = client.get(f"/monitoraggio/{code}/lavoro/rapporto/{item.pk}/scarica/")
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF-")


def test_report_bad_input(as_user, built, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    client = as_user("planner_a")
    code = built.plan.district.code
    capture = django_capture_on_commit_callbacks
    response = _ask(client, code, "2031", "pdf", capture)
    assert response.status_code == 400
    assert "L'anno «2031» non è tra gli anni del piano (2025-2027)." in response.content.decode()
    response = _ask(client, code, "anno", "doc", capture)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Formato del rapporto non valido" in text and "«anno»" in text
    assert not MonitoringReport.objects.exists()
    base = f"/monitoraggio/{code}/lavoro/rapporto/"
    assert client.get(base).status_code == 405
    assert client.get(base + "999999/").status_code == 404
    assert client.get(base + "999999/scarica/").status_code == 404
    assert client.post("/monitoraggio/non-esiste/lavoro/rapporto/").status_code == 404
    # Asked but not built yet: nothing to download.
    response = client.post(base, {"anno": 2025, "formato": "odt"})  # callbacks not run
    item = MonitoringReport.objects.get()
    assert item.status == "pending"
    assert client.get(base + f"{item.pk}/").status_code == 200
    assert client.get(base + f"{item.pk}/scarica/").status_code == 404


def test_download_buttons_for_planners_and_mayors_only(as_user, built) -> None:  # type: ignore[no-untyped-def]
    code = built.plan.district.code
    for persona, shown in (("mayor_a", True), ("planner_a", True), ("viewer_a", False)):
        client = as_user(persona)
        for url in (f"/monitoraggio/{code}/cruscotto/", f"/monitoraggio/{code}/lavoro/"):
            page = client.get(url).content.decode()
            assert (f'action="/monitoraggio/{code}/lavoro/rapporto/"' in page) is shown
            assert ("Rapporto 2027 (ODT)" in page) is shown


def test_report_runs_a_fixed_number_of_queries(districts) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import build_plan
    from .test_pages import _fill

    small = build_plan(districts.a, budgets=(100, 200))
    _fill(small, 1)
    large = build_plan(districts.b, budgets=tuple(range(100, 1300, 100)))
    _fill(large, 4)
    counts = []
    for built in (small, large):
        report.report_odt(built.plan, 2025)  # warm
        with CaptureQueriesContext(connection) as context:
            report.report_odt(built.plan, 2025)
        counts.append(len(context))
    assert counts[0] == counts[1]
