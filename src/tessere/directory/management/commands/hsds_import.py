import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tessere.directory.exchange import ImportFailed, import_document, load_path
from tessere.territory.models import District


class Command(BaseCommand):
    help = "Importa servizi ed enti HSDS 3.0 (JSON) nella guida di un ambito."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--district", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        district = District.objects.filter(code=options["district"]).first()
        if district is None:
            raise CommandError(f"Ambito sconosciuto: {options['district']}")
        try:
            data = load_path(Path(options["path"]))
            report = import_document(actor=None, district=district, data=data)
        except (OSError, ValueError) as error:
            raise CommandError(f"File non leggibile: {error}") from error
        except ImportFailed as error:
            raise CommandError(
                "Nessun dato importato.\n" + "\n".join(f"- {p}" for p in error.details)
            ) from error
        self.stdout.write(
            json.dumps({"organizations": report.organisations, "services": report.services})
        )
