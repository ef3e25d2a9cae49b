"""The plan document: PDF/A and ODT with every chapter and every action's title."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
import zlib
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from tessere.planning import document
from tessere.planning.models import PlanDocument
from tests.planning.conftest import approve

pytestmark = pytest.mark.django_db

CHAPTERS = [
    "Analisi del contesto",
    "Il percorso partecipativo",
    "Aree di intervento e obiettivi strategici",
    "Schede intervento",
    "Cronoprogramma",
    "Quadro finanziario",
    "Risorse non finanziarie",
    "Governance",
    "Piano di monitoraggio",
]


def test_odt_is_a_valid_odf_package_with_every_chapter_and_action(built):
    content = document.plan_odt(built.plan)
    archive = zipfile.ZipFile(io.BytesIO(content))
    names = archive.namelist()
    assert names[0] == "mimetype"
    assert archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
    assert "content.xml" in names and "META-INF/manifest.xml" in names
    manifest = ElementTree.fromstring(archive.read("META-INF/manifest.xml"))  # noqa: S314 - ours
    listed = {
        entry.get("{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}full-path")
        for entry in manifest
    }
    assert {"/", "content.xml", "styles.xml"} <= listed
    assert all(n in listed for n in names if n.startswith("Pictures/"))
    ElementTree.fromstring(archive.read("content.xml"))  # noqa: S314 - ours, well-formed
    xml = archive.read("content.xml").decode("utf-8")
    for chapter in [*CHAPTERS, "Indice"]:
        assert chapter in xml
    for action in built.actions:
        assert action.title in xml
    assert any(n.endswith(".svg") for n in names), "charts are embedded"


def _inflated(content: bytes) -> bytes:
    """The PDF with its Flate streams decompressed (metadata may sit in object streams)."""
    out = [content]
    for match in re.finditer(rb"stream\r?\n", content):
        try:
            out.append(zlib.decompressobj().decompress(content[match.end() :]))
        except zlib.error:
            continue
    return b"".join(out)


def test_pdf_is_pdf_a_with_every_chapter_and_action(built):
    pytest.importorskip("weasyprint", reason="WeasyPrint cannot be imported here")
    content = document.plan_pdf(built.plan)
    assert content.startswith(b"%PDF-")
    assert b"pdfaid" in _inflated(content)  # PDF/A identification in the XMP metadata
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF's text is not checked")
    text = subprocess.run(
        [pdftotext, "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode("utf-8")
    for chapter in CHAPTERS:
        assert chapter in text
    for action in built.actions:
        assert action.title in text


def test_document_outline_has_every_chapter_and_sheet(built):
    outline = document.outline(built.plan)
    assert [c.title for c in outline.chapters] == CHAPTERS
    sheets = next(c for c in outline.chapters if c.key == "schede")
    headings = [b.text for b in sheets.blocks if b.kind == "h3"]
    assert headings == [f"{a.code} {a.title}" for a in built.actions]
    context = outline.chapters[0]
    assert "residenti" in context.blocks[0].text


def test_document_is_built_in_the_background_and_downloaded(
    as_user, built, django_capture_on_commit_callbacks
):
    planner = as_user("planner_a")
    url = reverse("planning:document", args=[built.plan.pk, "odt"])
    page = planner.get(url)
    assert page.status_code == 200 and "Prepara il documento" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = planner.post(url)
    assert response.status_code == 302
    item = PlanDocument.objects.get(plan=built.plan)
    assert item.status == PlanDocument.Status.DONE
    status = planner.get(response["Location"])
    assert "pronto" in status.content.decode()
    download = planner.get(reverse("planning:document_download", args=[built.plan.pk, item.pk]))
    assert download["Content-Type"] == "application/vnd.oasis.opendocument.text"
    assert zipfile.ZipFile(io.BytesIO(download.content)).namelist()[0] == "mimetype"
    # Drafts are not public.
    anonymous = as_user("anonymous")
    assert anonymous.get(url).status_code == 404
    assert anonymous.post(url).status_code == 404
    # Once approved: anyone may ask for it; then it is served at once.
    approve(built.plan)
    # The copy built on the draft is not served for the approved plan.
    assert anonymous.get(url)["Content-Type"].startswith("text/html")
    with django_capture_on_commit_callbacks(execute=True):
        assert anonymous.post(url).status_code == 302
    served = anonymous.get(url)
    assert served["Content-Type"] == "application/vnd.oasis.opendocument.text"
    assert (
        anonymous.get(reverse("planning:document", args=[built.plan.pk, "doc"])).status_code == 404
    )


def test_a_failed_build_is_reported(built, monkeypatch, django_capture_on_commit_callbacks):
    from tessere.planning import services

    def broken(plan, data=None):
        raise RuntimeError("carta finita")

    monkeypatch.setattr(document, "plan_odt", broken)
    with django_capture_on_commit_callbacks(execute=True):
        item = services.request_document(actor=None, plan=built.plan, fmt="odt")
    item.refresh_from_db()
    assert item.status == PlanDocument.Status.FAILED and "carta finita" in item.error


def test_monitoring_chapter_lists_the_leps_and_the_social_worker_ratio(built):
    from decimal import Decimal

    from tessere.planning import services
    from tessere.planning.models import Leps

    ssp = Leps.objects.get(code="SSP", plan_period="2024-2026")
    action = built.actions[0]
    services.save_action(
        actor=None,
        plan=built.plan,
        objective=action.objective,
        code=action.code,
        title=action.title,
        leps=[ssp],
        costs={2025: 10000},
        action=action,
    )
    services.save_resource(
        actor=None,
        plan=built.plan,
        kind="staff",
        description="Servizio sociale",
        profession="Assistente sociale",
        fte=Decimal("20"),
    )
    monitoring = document.outline(built.plan).chapters[-1]
    texts = [b.text for b in monitoring.blocks]
    assert "LEPS serviti" in texts
    ratio = next(t for t in texts if "assistenti sociali a tempo pieno" in t)
    assert "uno ogni 5.000" in ratio and "il piano ne indica 20,0" in ratio
