from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from tessere.access import services


class Command(BaseCommand):
    help = (
        "Anonimizza le prese in carico chiuse da più del periodo di conservazione "
        "(TESSERE_ACCESS_RETENTION_YEARS, 10 anni se non indicato) e, quando non ne restano "
        "altre, le persone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--years", type=int, default=None, help="periodo di conservazione in anni"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        years = options["years"] or getattr(settings, "TESSERE_ACCESS_RETENTION_YEARS", 10)
        count = services.anonymise_expired(years=years)
        self.stdout.write(f"Prese in carico anonimizzate: {count} (conservazione: {years} anni).")
