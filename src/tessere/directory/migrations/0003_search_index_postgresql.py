"""On PostgreSQL, a GIN index on the Italian full-text vector of the services' search text."""

from django.db import migrations

INDEX = "directory_service_fts_idx"


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON directory_service "
        "USING gin (to_tsvector('italian'::regconfig, search_text))"
    )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_taxonomy_organisation_created_at_and_more")]

    operations = [migrations.RunPython(create, drop)]
