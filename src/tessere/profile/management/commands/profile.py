"""``tessere profile district:cremona --year 2023 --format json|csv``: a territory's profile."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tessere.core.errors import DomainError
from tessere.profile import exports, selectors
from tessere.profile.api import profile_out


class Command(BaseCommand):
    help = (
        "Stampa il profilo di un territorio (tutti gli indicatori, con regione e Italia). "
        "Territorio: municipality:046007, subdistrict:cremona/cremona-nord, "
        "district:piana-di-lucca, province:046, region:09 o italy."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("territory", help="tipo:codice, per esempio district:cremona, o italy")
        parser.add_argument("--year", type=int, help="anno (predefinito: l'ultimo caricato)")
        parser.add_argument(
            "--format", choices=["json", "csv"], default="json", help="formato di uscita"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            territory = selectors.resolve_ref(options["territory"])
            profile = selectors.territory_profile(territory, year=options["year"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if options["format"] == "csv":
            self.stdout.write(exports.profile_csv(profile), ending="")
        else:
            self.stdout.write(json.dumps(profile_out(profile), ensure_ascii=False, indent=2))
