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


def test_gaps_are_real():
    """A listed gap that gained a non-null district key belongs in DISTRIBUTED now."""
    labels = _labels()
    for label in distribution.GAPS:
        field = _district_field(labels[label])
        assert field is None or field.null, f"{label} has its district key: move it"
