"""The one-time conversion of a PostgreSQL database to a database sharded by district (Citus).

Everything is derived from the models and from ``tessere.core.distribution``:

1. every foreign key between two distributed tables that Django created on one column
   (``FOREIGN KEY (case_id) REFERENCES access_case (id)``) is dropped;
2. every distributed table gets ``PRIMARY KEY (district_id, id)`` instead of ``(id)``, and a
   plain index on ``id`` for the lookups and joins that follow a foreign key without its
   district;
3. those foreign keys come back with the district in front:
   ``FOREIGN KEY (district_id, case_id) REFERENCES access_case (district_id, id)``, deferrable
   like Django's; creating them checks every existing row, so no row may point into another
   district;
4. with Citus: reference tables (``create_reference_table``), distributed tables
   (``create_distributed_table`` by ``district_id``, all co-located with ``planning_plan``)
   and local tables with foreign keys to reference tables
   (``citus_add_local_table_to_metadata``), parents before children.

Each step reads the catalogue first, so running it again changes nothing. Unique constraints
need no step: they already start with ``district`` (tested).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

from tessere.core import distribution

COLUMN = distribution.DISTRIBUTION_COLUMN
#: The table every distributed table is co-located with.
ANCHOR = "planning.Plan"


@dataclass(frozen=True)
class Link:
    """A foreign key between two distributed tables."""

    table: str
    column: str
    target: str
    target_column: str


@dataclass(frozen=True)
class Constraint:
    name: str
    kind: str  # "p" or "f"
    columns: tuple[str, ...]
    target: str | None
    target_columns: tuple[str, ...]


def _models(group: str) -> list[type[models.Model]]:
    found = [
        m
        for m in apps.get_models(include_auto_created=True)
        if distribution.group_of(m._meta.label) == group
    ]
    return sorted(found, key=lambda m: m._meta.db_table)


def _parents(model: type[models.Model], group: str) -> set[type[models.Model]]:
    return {
        f.related_model
        for f in model._meta.local_fields
        if f.is_relation
        and f.related_model is not None
        and f.related_model is not model
        and distribution.group_of(f.related_model._meta.label) == group
    }


def ordered(group: str, first: str | None = None) -> list[type[models.Model]]:
    """The group's models, every one after the models of the same group it points at."""
    pending = _models(group)
    done: list[type[models.Model]] = []
    while pending:
        ready = [m for m in pending if not (_parents(m, group) - set(done))]
        if not ready:
            raise RuntimeError(f"foreign keys in a cycle among {[m._meta.label for m in pending]}")
        ready.sort(key=lambda m: (m._meta.label != first, m._meta.db_table))
        done.append(ready[0])
        pending.remove(ready[0])
    return done


def links() -> list[Link]:
    """The foreign keys between distributed tables, from the models."""
    found = []
    for model in _models("distributed"):
        for field in model._meta.local_fields:
            # Also those declared with db_constraint=False: on a converted database a new
            # foreign key between distributed tables can only be added that way (the
            # target's id is no longer unique on its own), and gets its key here.
            if not isinstance(field, models.ForeignKey):
                continue
            target = field.related_model
            if distribution.group_of(target._meta.label) != "distributed":
                continue
            target_field = field.target_field
            if not target_field.primary_key:
                raise RuntimeError(f"{model._meta.label}.{field.name} does not point at a key")
            if field.column == COLUMN or target_field.column is None:
                continue
            found.append(
                Link(
                    table=model._meta.db_table,
                    column=field.column,
                    target=target._meta.db_table,
                    target_column=target_field.column,
                )
            )
    return found


def constraint_name(table: str, column: str, suffix: str = "dfk") -> str:
    """A stable name within PostgreSQL's 63 characters for a composite foreign key (or, with
    another ``suffix``, an index)."""
    name = f"{table}_{column}_{suffix}"
    if len(name) <= 63:
        return name
    digest = hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()[:8]
    return f"{table[:40]}_{column[:10]}_{digest}_{suffix}"


def index_names(connection: BaseDatabaseWrapper) -> set[str]:
    """The names of the current schema's indexes."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
        return {name for (name,) in cursor.fetchall()}


CATALOGUE = """
SELECT rel.relname, c.conname, c.contype,
       ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(num, pos)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num
             ORDER BY k.pos),
       frel.relname,
       ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(num, pos)
             JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.num
             ORDER BY k.pos)
FROM pg_constraint c
JOIN pg_class rel ON rel.oid = c.conrelid
LEFT JOIN pg_class frel ON frel.oid = c.confrelid
WHERE c.contype IN ('p', 'f') AND rel.relnamespace = current_schema()::regnamespace
"""


def catalogue(connection: BaseDatabaseWrapper) -> dict[str, list[Constraint]]:
    """Primary and foreign keys of the current schema's tables, by table."""
    found: dict[str, list[Constraint]] = {}
    with connection.cursor() as cursor:
        cursor.execute(CATALOGUE)
        for table, name, kind, columns, target, target_columns in cursor.fetchall():
            found.setdefault(table, []).append(
                Constraint(
                    name=name,
                    kind=kind,
                    columns=tuple(columns),
                    target=target,
                    target_columns=tuple(target_columns or ()),
                )
            )
    return found


def key_statements(connection: BaseDatabaseWrapper) -> list[str]:
    """The SQL that is still needed for the primary and foreign keys (empty when done)."""
    q = connection.ops.quote_name
    current = catalogue(connection)
    drops, keys, adds = [], [], []
    for link in links():
        constraints = [c for c in current.get(link.table, []) if c.kind == "f"]
        for c in constraints:
            if c.columns == (link.column,) and c.target == link.target:
                drops.append(f"ALTER TABLE {q(link.table)} DROP CONSTRAINT {q(c.name)};")
        composite = (COLUMN, link.column)
        target_key = (COLUMN, link.target_column)
        if not any(
            c.columns == composite and c.target == link.target and c.target_columns == target_key
            for c in constraints
        ):
            adds.append(
                f"ALTER TABLE {q(link.table)} ADD CONSTRAINT "
                f"{q(constraint_name(link.table, link.column))} "
                f"FOREIGN KEY ({q(COLUMN)}, {q(link.column)}) "
                f"REFERENCES {q(link.target)} ({q(COLUMN)}, {q(link.target_column)}) "
                "DEFERRABLE INITIALLY DEFERRED;"
            )
    indexes = index_names(connection)
    for model in _models("distributed"):
        table, pk = model._meta.db_table, model._meta.pk
        assert pk is not None and pk.column is not None
        wanted = (COLUMN, pk.column)
        # Joins and lookups by ``id`` alone (a foreign key followed without its district)
        # keep an index of their own once the primary key starts with the district: without
        # it, the case list and the referral inbox took twice as long at Milan's volumes.
        by_id = constraint_name(table, pk.column, "idx")
        if by_id not in indexes:
            keys.append(f"CREATE INDEX {q(by_id)} ON {q(table)} ({q(pk.column)});")
        primary = next((c for c in current.get(table, []) if c.kind == "p"), None)
        if primary is not None and primary.columns == wanted:
            continue
        if primary is not None:
            keys.append(f"ALTER TABLE {q(table)} DROP CONSTRAINT {q(primary.name)};")
        keys.append(
            f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(table + '_pkey')} "
            f"PRIMARY KEY ({q(COLUMN)}, {q(pk.column)});"
        )
    return drops + keys + adds


def citus_statements() -> list[str]:
    """The Citus calls, in order; each one skips a table Citus already knows."""

    def unless_known(table: str, call: str) -> str:
        # Table names come from the models, never from input.
        return (
            f"SELECT {call} WHERE NOT EXISTS (SELECT 1 FROM pg_dist_partition "  # noqa: S608
            f"WHERE logicalrelid = '{table}'::regclass);"
        )

    # DDL and distribution in one transaction need Citus's sequential mode.
    out = ["SET LOCAL citus.multi_shard_modify_mode TO 'sequential';"]
    for model in ordered("reference"):
        table = model._meta.db_table
        out.append(unless_known(table, f"create_reference_table('{table}')"))
    distributed = ordered("distributed", first=ANCHOR)
    anchor = distributed[0]._meta.db_table
    for model in distributed:
        table = model._meta.db_table
        colocate = "default" if table == anchor else anchor
        out.append(
            unless_known(
                table,
                f"create_distributed_table('{table}', '{COLUMN}', colocate_with => '{colocate}')",
            )
        )
    for model in _models("local"):
        if _parents(model, "reference"):
            table = model._meta.db_table
            out.append(unless_known(table, f"citus_add_local_table_to_metadata('{table}')"))
    return out


def has_citus(connection: BaseDatabaseWrapper) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'")
        return cursor.fetchone() is not None


def citus_pending(connection: BaseDatabaseWrapper) -> bool:
    """True when some table is not yet known to Citus."""
    tables = [m._meta.db_table for m in _models("reference") + _models("distributed")]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_dist_partition WHERE logicalrelid::regclass::text = ANY(%s)",
            [tables],
        )
        row: Any = cursor.fetchone()
    return bool(row[0] < len(tables))
