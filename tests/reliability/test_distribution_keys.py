"""Every model is placed for a PostgreSQL sharded by district (tessere.core.distribution)."""

from __future__ import annotations

from django.apps import apps
from django.db import models

from tessere.core import distribution


def _labels() -> dict[str, type[models.Model]]:
    return {m._meta.label: m for m in apps.get_models(include_auto_created=True)}


def _district_field(model: type[models.Model]) -> models.Field | None:  # type: ignore[type-arg]
    try:
        field = model._meta.get_field("district")
    except Exception:
        return None
    return field if isinstance(field, models.ForeignKey) else None


def test_every_model_is_placed():
    unplaced = sorted(label for label in _labels() if distribution.group_of(label) is None)
    assert not unplaced, (
        "These models are neither distributed by district, nor reference, local or a listed "
        f"gap in tessere/core/distribution.py: {unplaced}. Give a district-scoped model its own "
        "`district` foreign key and add it to DISTRIBUTED, or add it to REFERENCE with a reason."
    )


def test_groups_do_not_overlap_and_name_real_models():
    groups = [
        set(distribution.DISTRIBUTED),
        set(distribution.REFERENCE),
        set(distribution.LOCAL),
        set(distribution.GAPS),
    ]
    seen: set[str] = set()
    for group in groups:
        assert not (group & seen), group & seen
        seen |= group
    assert not (seen - set(_labels())), f"listed but no such model: {seen - set(_labels())}"


def test_distributed_tables_carry_a_non_null_district_key():
    labels = _labels()
    for label in distribution.DISTRIBUTED:
        field = _district_field(labels[label])
        assert field is not None, f"{label} has no district foreign key"
        assert field.related_model._meta.label == "territory.District", label
        assert not field.null, f"{label}.district may be null: not a distribution column"
        assert field.column == distribution.DISTRIBUTION_COLUMN, label


def test_no_gap_is_left():
    """Every table is distributed, reference or local: nothing waits for a later migration."""
    assert distribution.GAPS == {}


def test_unique_rules_of_distributed_tables_include_the_district():
    """On Citus a unique index of a distributed table must contain the distribution column."""
    labels = _labels()
    missing = []
    for label in sorted(distribution.DISTRIBUTED):
        meta = labels[label]._meta
        for constraint in meta.constraints:
            if isinstance(constraint, models.UniqueConstraint):
                fields = list(constraint.fields)
                if not fields or fields[0] != "district":
                    missing.append(f"{label}: {constraint.name} {fields}")
        for group in meta.unique_together:
            if "district" not in group:
                missing.append(f"{label}: unique_together {group}")
        for field in meta.local_fields:
            if field.unique and not field.primary_key:
                missing.append(f"{label}.{field.name} is unique on its own")
    assert not missing, (
        "Unique rules of distributed tables must start with `district`: " + "; ".join(missing)
    )


def test_foreign_keys_follow_the_groups():
    """No reference or local table points at a distributed one, and no distributed table at
    a local one: Citus could not keep those foreign keys."""
    assert distribution.foreign_key_violations() == []


def test_many_to_many_tables_are_through_models_with_district():
    for model in _labels().values():
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if distribution.group_of(model._meta.label) != "distributed":
                continue
            assert not through._meta.auto_created, f"{model._meta.label}.{field.name}"
            assert through._meta.label in distribution.DISTRIBUTED, through._meta.label


def test_gaps_are_real():
    """A listed gap that gained a non-null district key belongs in DISTRIBUTED now."""
    labels = _labels()
    for label in distribution.GAPS:
        field = _district_field(labels[label])
        assert field is None or field.null, f"{label} has its district key: move it"


def test_a_foreign_key_across_groups_is_found(monkeypatch):
    """A distributed table pointing at a local one is reported (here: plans made local)."""
    monkeypatch.setattr(distribution, "DISTRIBUTED", distribution.DISTRIBUTED - {"planning.Plan"})
    monkeypatch.setattr(distribution, "LOCAL", {**distribution.LOCAL, "planning.Plan": "test"})
    found = distribution.foreign_key_violations()
    assert "planning.Action.plan (distributed) -> planning.Plan (local)" in found
