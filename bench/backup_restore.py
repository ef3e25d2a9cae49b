"""Time `tessere backup` and `tessere restore` on an existing database (the demo one).

Usage (the database must already hold data, for example after `tessere setup`):

    export DATABASE_URL=sqlite:////path/demo.sqlite3    # or postgres://…/tessere_demo
    .venv/bin/python bench/backup_restore.py

The restore REPLACES the database's content with the backup just made (the same data).
Prints the seconds of the backup and of the restore (each including its verification of
counts and checksums), and their ratio to a baseline measured in the same run: reading every
table once in primary-key order and hashing it (the figures of the manifest), the least work
any verified backup must do.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tessere.settings")
    import django

    django.setup()
    from django.db import connection

    from tessere.core import backup

    started = time.perf_counter()
    tables = backup.figures()
    baseline = time.perf_counter() - started
    rows = sum(f.rows for f in tables.values())
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "backup"
        started = time.perf_counter()
        backup.backup(target)
        backup_seconds = time.perf_counter() - started
        size = sum(p.stat().st_size for p in target.iterdir())
        started = time.perf_counter()
        backup.restore(target, force=True)
        restore_seconds = time.perf_counter() - started
    print(f"{connection.vendor}: {len(tables)} tables, {rows:,} rows, backup {size / 1e6:.1f} MB")
    print(f"baseline (read and hash every table): {baseline:.2f} s")
    print(f"backup:  {backup_seconds:.2f} s  ({backup_seconds / baseline:.1f}× baseline)")
    print(f"restore: {restore_seconds:.2f} s  ({restore_seconds / baseline:.1f}× baseline)")


if __name__ == "__main__":
    main()
