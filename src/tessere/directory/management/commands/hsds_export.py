from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tessere.directory.exchange import write_export
from tessere.territory.models import District


class Command(BaseCommand):
    help = "Esporta la guida di un ambito in HSDS 3.0 (JSON e pacchetto tabellare CSV)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory")
        parser.add_argument("--district", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        district = District.objects.filter(code=options["district"]).first()
        if district is None:
            raise CommandError(f"Ambito sconosciuto: {options['district']}")
        for path in write_export(district, Path(options["directory"])):
            self.stdout.write(str(path))
