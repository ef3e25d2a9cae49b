"""`tessere restore PATH`: put a backup made by `tessere backup` back, and verify it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tessere.core import backup


class Command(BaseCommand):
    help = (
        "Ripristina il backup della cartella PATH: rifiuta un backup che non corrisponde al "
        "suo manifest o fatto con uno schema più recente; per sostituire un database non "
        "vuoto serve --yes. Dopo il ripristino confronta righe e checksum col manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="cartella del backup")
        parser.add_argument(
            "--yes",
            "--force",
            action="store_true",
            dest="force",
            help="sostituisci anche un database che contiene già dati",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="verifica soltanto il backup, senza ripristinarlo",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            if options["check"]:
                manifest = backup.check(options["path"])
                self.stdout.write(self.style.SUCCESS("Il backup corrisponde al suo manifest."))
                return
            manifest = backup.restore(options["path"], force=options["force"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Ripristinato il backup del {manifest['created_at']} "
                f"({len(manifest['tables'])} tabelle, righe e checksum verificati) in "
                f"{time.perf_counter() - started:.1f} s."
            )
        )
        pending = backup.known_migrations() - set(manifest["migrations"])
        if pending:
            self.stdout.write(
                f"Il backup precede {len(pending)} migrazioni di questa versione: "
                "esegui `tessere migrate`."
            )
