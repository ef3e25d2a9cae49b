from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tessere.core.errors import DomainError
from tessere.territory import selectors, services
from tessere.territory.models import District


class Command(BaseCommand):
    help = "Crea, importa ed elenca gli ambiti (distretti)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="crea un ambito")
        create.add_argument("--code", required=True, help="codice, per esempio piana-di-lucca")
        create.add_argument("--name", required=True)
        create.add_argument("--region", required=True, help="codice ISTAT o nome della regione")
        create.add_argument("--lead", required=True, help="codice ISTAT del comune capofila")
        create.add_argument("--kind", default=District.Kind.SOCIAL, choices=District.Kind.values)
        create.add_argument("municipalities", nargs="+", help="codici ISTAT dei comuni")
        importer = sub.add_parser("import", help="importa ambiti da un file CSV")
        importer.add_argument("path", type=Path)
        sub.add_parser("list", help="elenca gli ambiti")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "create":
                district = services.create_district(
                    actor=None,
                    code=options["code"],
                    name=options["name"],
                    region=options["region"],
                    lead=options["lead"],
                    kind=options["kind"],
                    municipalities=options["municipalities"],
                )
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Creato l'ambito {district.name} [{district.code}] con "
                        f"{district.municipalities.count()} comuni."
                    )
                )
            elif options["action"] == "import":
                try:
                    content = options["path"].read_text(encoding="utf-8-sig")
                except (OSError, UnicodeDecodeError) as exc:
                    raise CommandError(f"Impossibile leggere {options['path']}: {exc}") from exc
                districts = services.import_districts_csv(actor=None, content=content)
                for district in districts:
                    self.stdout.write(
                        self.style.SUCCESS(f"Creato l'ambito {district.name} [{district.code}]")
                    )
            else:
                for district in selectors.public_districts():
                    self.stdout.write(f"{district.code}\t{district.name}\t{district.region.name}")
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
