"""`tessere backup PATH`: a consistent copy of the whole database plus its manifest."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tessere.core import backup


class Command(BaseCommand):
    help = (
        "Salva tutto il database nella cartella PATH (nuova o vuota): SQLite con l'API di "
        "backup, PostgreSQL con pg_dump; con un manifest di righe e checksum per tabella."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="cartella del backup (nuova o vuota)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            manifest = backup.backup(options["path"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup in {options['path']}: {len(manifest['tables'])} tabelle, {rows} righe, "
                f"{time.perf_counter() - started:.1f} s."
            )
        )
