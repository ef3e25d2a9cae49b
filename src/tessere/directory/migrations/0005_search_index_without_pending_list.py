"""Search indexes after 0004: PostgreSQL's GIN index without pending list; SQLite's FTS5 again.

- PostgreSQL: ``fastupdate = off`` on the full-text GIN index. With it on, new rows wait in an
  unsorted pending list until a vacuum merges them, and every search scans that list: after a
  bulk import of 20,000 services a prefix query spent 12 ms in the index instead of 0.3 ms.
  Inserting straight into the index costs a little more per write (services change rarely).
- SQLite: adding a column (0004) rebuilds ``directory_service``, which drops the triggers that
  keep the FTS5 table in sync; they are created again and the FTS table rebuilt. Any later
  migration that rebuilds the table on SQLite must do the same (``search_indexes.SQLITE``).
"""

import importlib

from django.db import migrations

search_indexes = importlib.import_module("tessere.directory.migrations.0003_search_indexes")


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("ALTER INDEX directory_service_fts_idx SET (fastupdate = off)")
        schema_editor.execute("SELECT gin_clean_pending_list('directory_service_fts_idx')")
    elif vendor == "sqlite":
        for statement in search_indexes.SQLITE:
            schema_editor.execute(statement)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX directory_service_fts_idx SET (fastupdate = on)")


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_versions_and_exchange_jobs")]

    operations = [migrations.RunPython(forward, backward)]
