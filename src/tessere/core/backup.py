"""Backup and restore of the whole database, with a manifest that proves what was saved.

A backup is a folder::

    PATH/manifest.json       format, Tessere version, migrations, per-table row counts and
                             checksums, the data file's SHA-256
    PATH/database.sqlite3    SQLite: a copy made with sqlite3's online backup API
    PATH/database.dump       PostgreSQL: ``pg_dump --format=custom``

Consistency: on SQLite the copy is a single snapshot by construction and the manifest is
computed from the copy. On PostgreSQL the manifest is computed inside a REPEATABLE READ
transaction whose snapshot is exported to ``pg_dump --snapshot``: the dump and the figures
describe the very same instant, while the application keeps writing.

Checksums: each table's rows are read in primary-key order and hashed (SHA-256 over the
``repr`` of each batch of 5,000 rows), so two databases of the same engine holding the same
rows give the same checksum. They are compared between a backup and its restore on the same engine.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
DATA_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
BATCH = 5000


class BackupError(Exception):
    """The backup or the restore cannot go on; the message says why (Italian)."""


@dataclass(frozen=True)
class TableFigures:
    rows: int
    checksum: str


def tessere_version() -> str:
    try:
        return version("tessere")
    except PackageNotFoundError:  # pragma: no cover - always installed in practice
        return "unknown"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --------------------------------------------------------------------------- figures


def _hash_batch(digest: Any, rows: list[tuple[Any, ...]]) -> None:
    """Add one batch of rows (fetched BATCH at a time, so the boundaries are fixed) to the
    table's digest. Values are hashed by ``repr``; memoryviews (bytea with some drivers) as
    their bytes."""
    if rows and any(isinstance(v, memoryview) for v in rows[0]):
        rows = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in r) for r in rows]
    digest.update(repr(rows).encode())


def _table_figures(
    cursor: Any, quote: Callable[[str], str], table: str, order: list[str]
) -> TableFigures:
    """Count and checksum of a table read in ``order`` (its primary key)."""
    order_sql = ", ".join(quote(c) for c in order)
    cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {order_sql}")  # noqa: S608
    digest = hashlib.sha256()
    count = 0
    while rows := cursor.fetchmany(BATCH):
        _hash_batch(digest, list(rows))
        count += len(rows)
    return TableFigures(rows=count, checksum=digest.hexdigest())


def figures(conn: BaseDatabaseWrapper | None = None) -> dict[str, TableFigures]:
    """Row count and checksum of every table of the database, read in one snapshot when the
    caller holds a transaction. SQLite: read from a fresh copy with plain sqlite3 (Django's
    connection converts dates and decimals; a backup file is read without)."""
    conn = conn or connection
    if conn.vendor == "sqlite":
        conn.ensure_connection()
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "figures.sqlite3"
            target = sqlite3.connect(copy)
            try:
                conn.connection.backup(target)
            finally:
                target.close()
            return sqlite_figures(copy)
    result: dict[str, TableFigures] = {}
    with conn.cursor() as cursor:
        tables = sorted(conn.introspection.table_names(cursor))
        for table in tables:
            result[table] = _figures_of(conn, cursor, table)
    return result


def _figures_of(conn: BaseDatabaseWrapper, cursor: Any, table: str) -> TableFigures:
    columns = [c.name for c in conn.introspection.get_table_description(cursor, table)]
    pk = conn.introspection.get_primary_key_columns(cursor, table) or columns
    return _table_figures(cursor, conn.ops.quote_name, table, pk)


def sqlite_figures(path: Path) -> dict[str, TableFigures]:
    """The figures of a SQLite file (a backup), read without Django's connection."""
    raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        cursor = raw.cursor()
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
        tables = [name for (name,) in cursor.fetchall()]
        result = {}
        for table in tables:
            info = raw.execute(f'PRAGMA table_info("{table}")').fetchall()
            columns = [r[1] for r in info]
            pk = [r[1] for r in sorted(info, key=lambda r: r[5]) if r[5]] or columns
            result[table] = _table_figures(cursor, lambda n: f'"{n}"', table, pk)
        return result
    finally:
        raw.close()


def applied_migrations(conn: BaseDatabaseWrapper | None = None) -> list[str]:
    conn = conn or connection
    recorder = MigrationRecorder(conn)
    if not recorder.has_table():
        return []
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def known_migrations() -> set[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def is_empty(conn: BaseDatabaseWrapper | None = None) -> bool:
    """No table holds a row, apart from Django's own bookkeeping."""
    conn = conn or connection
    bookkeeping = {"django_migrations", "django_content_type", "auth_permission"}
    with conn.cursor() as cursor:
        for table in conn.introspection.table_names(cursor):
            if table in bookkeeping:
                continue
            cursor.execute(f"SELECT 1 FROM {conn.ops.quote_name(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                return False
    return True


# --------------------------------------------------------------------------- backup


def _manifest(
    vendor: str, data_file: Path, tables: dict[str, TableFigures], migrations: list[str]
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "tessere_version": tessere_version(),
        "created_at": timezone.now().isoformat(),
        "vendor": vendor,
        "migrations": migrations,
        "data_file": data_file.name,
        "data_sha256": file_sha256(data_file),
        "tables": {name: {"rows": f.rows, "checksum": f.checksum} for name, f in tables.items()},
    }


def backup(path: Path) -> dict[str, Any]:
    """Write a backup of the default database into the folder ``path`` (created; it must be
    empty) and return its manifest."""
    vendor = connection.vendor
    if vendor not in DATA_FILES:
        raise BackupError(f"Database non supportato: {vendor}.")
    path.mkdir(parents=True, exist_ok=True)
    if any(path.iterdir()):
        raise BackupError(f"La cartella {path} non è vuota: scegline una nuova per il backup.")
    data_file = path / DATA_FILES[vendor]
    manifest = _backup_sqlite(data_file) if vendor == "sqlite" else _backup_postgresql(data_file)
    (path / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def _backup_sqlite(data_file: Path) -> dict[str, Any]:
    connection.ensure_connection()
    source = connection.connection
    target = sqlite3.connect(data_file)
    try:
        source.backup(target)  # online backup API: one consistent copy
    finally:
        target.close()
    migrations = _sqlite_migrations(data_file)
    return _manifest("sqlite", data_file, sqlite_figures(data_file), migrations)


def _sqlite_migrations(path: Path) -> list[str]:
    raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = raw.execute("SELECT app, name FROM django_migrations").fetchall()
    except sqlite3.OperationalError:
        rows = []
    finally:
        raw.close()
    return sorted(f"{app}.{name}" for app, name in rows)


def pg_environment() -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for pg_dump / pg_restore / psql."""
    settings_dict = connection.settings_dict
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _require(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        raise BackupError(
            f"{tool} non è installato: installa il client di PostgreSQL della stessa versione "
            "del server (per esempio il pacchetto postgresql-client)."
        )
    return found


def _backup_postgresql(data_file: Path) -> dict[str, Any]:
    pg_dump = _require("pg_dump")
    args, env = pg_environment()
    name = str(connection.settings_dict["NAME"])
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            done = subprocess.run(  # noqa: S603
                [
                    pg_dump,
                    *args,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={data_file}",
                    "--dbname",
                    name,
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise BackupError(f"pg_dump non è riuscito: {done.stderr.strip()}")
            tables = figures()
            migrations = applied_migrations()
        finally:
            cursor.execute("ROLLBACK")
    return _manifest("postgresql", data_file, tables, migrations)


# --------------------------------------------------------------------------- restore


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((path / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{path / MANIFEST} non esiste: non è un backup di Tessere.") from None
    except json.JSONDecodeError as exc:
        raise BackupError(f"Il manifest del backup è illeggibile ({exc}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("Il manifest del backup ha un formato sconosciuto.")
    return manifest


def check(path: Path) -> dict[str, Any]:
    """Verify a backup before touching the database: its data file matches the manifest (and,
    for SQLite, every table's count and checksum), it fits this database, and its schema is
    not newer than this version of Tessere. Return the manifest."""
    manifest = read_manifest(path)
    vendor = connection.vendor
    if manifest.get("vendor") != vendor:
        raise BackupError(
            f"Il backup è di un database {manifest.get('vendor')}, questo è {vendor}: "
            "si ripristina sullo stesso tipo di database."
        )
    data_file = path / str(manifest.get("data_file", ""))
    if manifest.get("data_file") != DATA_FILES[vendor] or not data_file.is_file():
        raise BackupError(f"Il file dei dati {data_file} manca.")
    if file_sha256(data_file) != manifest.get("data_sha256"):
        raise BackupError(
            "Il file dei dati non corrisponde al manifest (checksum diverso): il backup è "
            "danneggiato o è stato modificato."
        )
    unknown = sorted(set(manifest.get("migrations", [])) - known_migrations())
    if unknown:
        raise BackupError(
            "Il backup è stato fatto con uno schema più recente di questa versione di "
            f"Tessere ({manifest.get('tessere_version')}); migrazioni sconosciute: "
            + ", ".join(unknown[:5])
            + (" …" if len(unknown) > 5 else "")
            + ". Aggiorna Tessere prima di ripristinarlo."
        )
    if vendor == "sqlite":
        differences = compare(manifest, sqlite_figures(data_file))
        if differences:
            raise BackupError(
                "Il contenuto del backup non corrisponde al manifest: " + "; ".join(differences)
            )
    return manifest


def compare(manifest: dict[str, Any], actual: dict[str, TableFigures]) -> list[str]:
    """What differs between the manifest's tables and ``actual`` (empty when they agree)."""
    expected = manifest.get("tables", {})
    problems = []
    for table in sorted(set(expected) | set(actual)):
        want, got = expected.get(table), actual.get(table)
        if want is None:
            problems.append(f"tabella in più {table}")
        elif got is None:
            problems.append(f"tabella mancante {table}")
        elif want["rows"] != got.rows:
            problems.append(f"{table}: {got.rows} righe invece di {want['rows']}")
        elif want["checksum"] != got.checksum:
            problems.append(f"{table}: checksum diverso")
    return problems


def restore(path: Path, *, force: bool = False) -> dict[str, Any]:
    """Replace the default database's content with the backup in ``path``; verify counts and
    checksums afterwards. Refuses a non-empty database unless ``force``."""
    manifest = check(path)
    if not force and not is_empty():
        raise BackupError(
            "Il database non è vuoto: il ripristino ne sostituirebbe tutto il contenuto. "
            "Ripeti il comando con --yes (o --force) se è proprio quello che vuoi."
        )
    data_file = path / manifest["data_file"]
    if connection.vendor == "sqlite":
        _restore_sqlite(data_file)
    else:
        _restore_postgresql(data_file)
    differences = compare(manifest, figures())
    if differences:
        raise BackupError(
            "Ripristino completato ma il contenuto non corrisponde al manifest: "
            + "; ".join(differences)
        )
    return manifest


def _restore_sqlite(data_file: Path) -> None:
    connection.ensure_connection()
    target = connection.connection
    # Copy to a temporary file first so that the source is never opened for writing.
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "restore.sqlite3"
        shutil.copyfile(data_file, copy)
        source = sqlite3.connect(copy)
        try:
            source.backup(target)
        finally:
            source.close()


def _restore_postgresql(data_file: Path) -> None:
    """Drop every table and load the dump, in ONE transaction (psql --single-transaction):
    a failure leaves the database as it was."""
    pg_restore, psql = _require("pg_restore"), _require("psql")
    args, env = pg_environment()
    name = str(connection.settings_dict["NAME"])
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    drop = "SELECT 1"
    if tables:
        drop = (
            "DROP TABLE IF EXISTS "
            + ", ".join(connection.ops.quote_name(t) for t in tables)
            + " CASCADE"
        )
    connection.close()
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "restore.sql"
        done = subprocess.run(  # noqa: S603
            [pg_restore, "--no-owner", "--no-privileges", f"--file={script}", str(data_file)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise BackupError(f"pg_restore non è riuscito: {done.stderr.strip()}")
        done = subprocess.run(  # noqa: S603
            [
                psql,
                *args,
                "--no-psqlrc",
                "--quiet",
                "--set=ON_ERROR_STOP=1",
                "--single-transaction",
                f"--command={drop}",
                f"--file={script}",
                "--dbname",
                name,
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise BackupError(
                f"Il ripristino non è riuscito e il database è rimasto com'era: "
                f"{done.stderr.strip()}"
            )
