"""Audit trail helpers, called by services inside their transaction."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

from tessere.core.models import AuditEntry, ReadAccessEntry, User

Snapshot = dict[str, Any]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, FieldFile):
        return value.name or None
    return value


def snapshot(obj: models.Model) -> Snapshot:
    """The concrete field values of ``obj``, JSON-ready, keyed by field name."""
    data: Snapshot = {}
    for field in obj._meta.concrete_fields:
        data[field.name] = _plain(getattr(obj, field.attname))
    return data


def _label(actor: User | None) -> str:
    if actor is None:
        return "sistema"
    return actor.get_username()


def record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model,
    district_id: int | None,
    changes: dict[str, Any],
) -> AuditEntry:
    """Write one audit entry; the record_* helpers below cover the usual cases."""
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=_label(actor),
        district_id=district_id,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes,
    )


def record_create(*, actor: User | None, obj: models.Model, district_id: int | None) -> AuditEntry:
    values = snapshot(obj)
    return record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=obj,
        district_id=district_id,
        changes={name: [None, value] for name, value in values.items() if value not in (None, "")},
    )


def record_update(
    *, actor: User | None, obj: models.Model, before: Snapshot, district_id: int | None
) -> AuditEntry | None:
    """Record the fields that differ from ``before``; nothing when nothing changed."""
    after = snapshot(obj)
    changes = {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }
    if not changes:
        return None
    return record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=obj,
        district_id=district_id,
        changes=changes,
    )


def record_delete(*, actor: User | None, obj: models.Model, district_id: int | None) -> AuditEntry:
    values = snapshot(obj)
    return record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=obj,
        district_id=district_id,
        changes={name: [value, None] for name, value in values.items() if value not in (None, "")},
    )


def record_read(
    *, actor: User, obj: models.Model, district_id: int, purpose: str = ""
) -> ReadAccessEntry:
    """Log that ``actor`` read ``obj`` (a person's record)."""
    return ReadAccessEntry.objects.create(
        actor=actor,
        actor_label=_label(actor),
        district_id=district_id,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        purpose=purpose,
    )
