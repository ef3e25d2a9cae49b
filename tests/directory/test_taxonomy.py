"""The Nomenclatore CISIS reference data: every row says where it comes from."""

from __future__ import annotations

import pytest

from tessere.directory import taxonomy
from tessere.directory.models import TaxonomyTerm

pytestmark = pytest.mark.django_db


def test_every_row_has_a_known_source_and_no_unsourced_row_claims_to_be_verified():
    rows = taxonomy.nomenclature_rows()
    assert rows
    codes = {row["code"] for row in rows}
    for row in rows:
        assert row["source"] in taxonomy.SOURCES
        assert row["verified"] in {"yes", "no"}
        assert not (row["verified"] == "yes" and row["source"] == "none")
        assert not row["parent_code"] or row["parent_code"] in codes


def test_loaded_terms_carry_their_provenance():
    taxonomy.ensure_loaded()
    term = TaxonomyTerm.objects.get(taxonomy__key=taxonomy.NOMENCLATURE, code="1")
    assert term.description == "Voce non verificata sul documento ufficiale."


def test_a_row_without_a_known_source_is_refused(tmp_path, monkeypatch):
    (tmp_path / "nomenclatore_cisis.csv").write_text(
        "code,parent_code,name,verified,source\nZ9,,Voce,yes,none\n", encoding="utf-8"
    )
    monkeypatch.setattr(taxonomy, "DATA_DIR", tmp_path)
    with pytest.raises(ValueError, match="verificata senza fonte"):
        taxonomy.nomenclature_rows()


def test_demo_services_point_at_loaded_nomenclature_terms(districts):
    from tessere.directory import demo
    from tessere.directory.models import Service

    demo.load(districts=[districts.a])
    services = Service.objects.filter(district=districts.a, is_example=True)
    assert services.exists()
    assert not services.filter(nomenclature__isnull=True).exists()
    codes = set(services.values_list("nomenclature__code", flat=True))
    assert codes <= {row["code"] for row in taxonomy.nomenclature_rows()}
