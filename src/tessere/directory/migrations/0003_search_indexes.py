"""Full-text search indexes, one per database engine, kept up to date by the database itself.

- PostgreSQL: a stored generated ``search_vector`` column, the ``italian`` configuration
  applied to the accent-free light stems (the name weighted A), with a GIN index; ranking
  reads the stored vector, nothing is parsed again.
- SQLite: an FTS5 table over ``search_stems`` (external content), synchronised by triggers.
"""

from django.db import migrations

POSTGRESQL = [
    "ALTER TABLE directory_service ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS ("
    "setweight(to_tsvector('italian'::regconfig, name_stems), 'A') || "
    "to_tsvector('italian'::regconfig, search_stems)) STORED",
    "CREATE INDEX IF NOT EXISTS directory_service_fts_idx ON directory_service "
    "USING gin (search_vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS directory_service_fts_idx",
    "ALTER TABLE directory_service DROP COLUMN IF EXISTS search_vector",
]
SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS directory_service_fts USING fts5("
    "search_stems, content='directory_service', content_rowid='rowid', prefix='3 5')",
    "CREATE TRIGGER IF NOT EXISTS directory_service_fts_insert AFTER INSERT ON directory_service "
    "BEGIN INSERT INTO directory_service_fts(rowid, search_stems) "
    "VALUES (new.rowid, new.search_stems); END",
    "CREATE TRIGGER IF NOT EXISTS directory_service_fts_delete AFTER DELETE ON directory_service "
    "BEGIN INSERT INTO directory_service_fts(directory_service_fts, rowid, search_stems) "
    "VALUES ('delete', old.rowid, old.search_stems); END",
    "CREATE TRIGGER IF NOT EXISTS directory_service_fts_update AFTER UPDATE OF search_stems "
    "ON directory_service BEGIN "
    "INSERT INTO directory_service_fts(directory_service_fts, rowid, search_stems) "
    "VALUES ('delete', old.rowid, old.search_stems); "
    "INSERT INTO directory_service_fts(rowid, search_stems) "
    "VALUES (new.rowid, new.search_stems); END",
    "INSERT INTO directory_service_fts(directory_service_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS directory_service_fts_insert",
    "DROP TRIGGER IF EXISTS directory_service_fts_delete",
    "DROP TRIGGER IF EXISTS directory_service_fts_update",
    "DROP TABLE IF EXISTS directory_service_fts",
]


def _run(schema_editor, statements):  # type: ignore[no-untyped-def]
    for statement in statements:
        schema_editor.execute(statement)


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRESQL)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRESQL_REVERSE)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_taxonomy_organisation_created_at_and_more")]

    operations = [migrations.RunPython(create, drop)]
