from __future__ import annotations

import importlib
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tessere.core import demo as core_demo
from tessere.territory import demo as territory_demo
from tessere.territory.loader import load_territory

# Each room's demo data, in the order the rooms stand on each other.
DEMO_MODULES = [
    "tessere.profile.demo",
    "tessere.directory.demo",
    "tessere.participation.demo",
    "tessere.planning.demo",
    "tessere.access.demo",
    "tessere.monitoring.demo",
]


class Command(BaseCommand):
    help = (
        "Prepara Tessere: migra il database, carica il territorio e, in sviluppo, gli ambiti "
        "dimostrativi con i loro account. Idempotente."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--no-demo", action="store_true", help="non caricare i dati di esempio")
        group.add_argument(
            "--demo", action="store_true", help="carica i dati di esempio anche se DEBUG è falso"
        )
        parser.add_argument(
            "--province",
            action="append",
            dest="provinces",
            help="carica solo queste province (codice ISTAT); utile per prove veloci",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database migrato.")
        report = load_territory(province_codes=options["provinces"])
        for line in report.lines():
            self.stdout.write("  " + line)
        with_demo = options["demo"] or (settings.DEBUG and not options["no_demo"])
        if not with_demo:
            self.stdout.write("Dati di esempio non caricati.")
            return
        try:
            districts = territory_demo.load()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        accounts = core_demo.load()
        for module_name in DEMO_MODULES:
            module = importlib.import_module(module_name)
            for line in module.load(districts=districts):
                self.stdout.write("  " + line)
        self.stdout.write(
            "Ambiti di esempio: " + ", ".join(f"{d.name} [{d.code}]" for d in districts)
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Account di esempio (password per tutti: {core_demo.DEMO_PASSWORD}):"
            )
        )
        for account in accounts:
            roles = ", ".join(f"{role} @ {code}" for code, role in account.roles) or "superutente"
            self.stdout.write(f"  {account.username:<22} {roles}")
