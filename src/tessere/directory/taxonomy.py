"""Reference classifications: the Nomenclatore CISIS (from a shipped CSV) and the user areas."""

from __future__ import annotations

import csv
import uuid
from pathlib import Path

from tessere.core.areas import UserArea
from tessere.directory.models import Taxonomy, TaxonomyTerm

DATA_DIR = Path(__file__).parent / "data"
NAMESPACE = uuid.UUID("0b6f1a52-8f0e-4c1e-a6d5-3a2e4f6b9c11")

NOMENCLATURE = "nomenclatore-cisis"
AREAS = "aree-utenza"
KINDS = "tipi-ente"


def term_id(taxonomy_key: str, code: str) -> uuid.UUID:
    """Stable identifiers, the same in every installation (and so in HSDS exchanges)."""
    return uuid.uuid5(NAMESPACE, f"{taxonomy_key}:{code}")


def taxonomy_id(taxonomy_key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, taxonomy_key)


#: Where rows of ``data/nomenclatore_cisis.csv`` come from (see ``data/README.md``).
SOURCES = {
    "cisis-2009-presentazione": "http://www.cisis.it/nomenclatore/cd-rom/index.html",
    "regioni-2009": (
        "http://www.regioni.it/sociale/2009/11/16/servizi-sociali-nomenclatore-interregionale-31559/"
    ),
    "none": "",
}


def nomenclature_rows() -> list[dict[str, str]]:
    with (DATA_DIR / "nomenclatore_cisis.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for number, row in enumerate(rows, start=2):
        if row.get("source") not in SOURCES or row.get("verified") not in {"yes", "no"}:
            raise ValueError(f"nomenclatore_cisis.csv, riga {number}: fonte o verifica non valida")
        if row["verified"] == "yes" and row["source"] == "none":
            raise ValueError(f"nomenclatore_cisis.csv, riga {number}: verificata senza fonte")
    return rows


def _row_description(row: dict[str, str]) -> str:
    if row["verified"] == "yes":
        return f"Verificata sulla fonte: {SOURCES[row['source']]}"
    return "Voce non verificata sul documento ufficiale."


def _upsert_taxonomy(key: str, name: str, description: str, uri: str, version: str) -> Taxonomy:
    taxonomy, _ = Taxonomy.objects.update_or_create(
        id=taxonomy_id(key),
        defaults={
            "key": key,
            "name": name,
            "description": description,
            "uri": uri,
            "version": version,
        },
    )
    return taxonomy


def ensure_loaded() -> int:
    """Create or update the reference taxonomies; return the number of terms. Idempotent."""
    nomenclature = _upsert_taxonomy(
        NOMENCLATURE,
        "Nomenclatore interregionale degli interventi e dei servizi sociali (CISIS)",
        "Classificazione nazionale dei servizi sociali, CISIS 2009.",
        "http://www.cisis.it/nomenclatore/cd-rom/index.html",
        "2009",
    )
    areas = _upsert_taxonomy(
        AREAS, "Aree di utenza", "Aree di intervento dei servizi sociali.", "", "1"
    )
    existing = set(TaxonomyTerm.objects.values_list("id", flat=True))
    count = 0
    for row in nomenclature_rows():
        tid = term_id(NOMENCLATURE, row["code"])
        parent = term_id(NOMENCLATURE, row["parent_code"]) if row["parent_code"] else None
        defaults = {
            "taxonomy": nomenclature,
            "code": row["code"],
            "name": row["name"],
            "description": _row_description(row),
        }
        if tid in existing:
            TaxonomyTerm.objects.filter(id=tid).update(parent_id=parent, **defaults)
        else:
            TaxonomyTerm.objects.create(id=tid, parent_id=parent, **defaults)
        count += 1
    for value, label in UserArea.choices:
        tid = term_id(AREAS, value)
        defaults = {"taxonomy": areas, "code": value, "name": str(label)}
        if tid in existing:
            TaxonomyTerm.objects.filter(id=tid).update(**defaults)
        else:
            TaxonomyTerm.objects.create(id=tid, **defaults)
        count += 1
    return count


def nomenclature_term(code: str) -> TaxonomyTerm | None:
    if not code:
        return None
    return TaxonomyTerm.objects.filter(taxonomy__key=NOMENCLATURE, code=code).first()
