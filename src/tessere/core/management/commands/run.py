from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Prepara Tessere (come `tessere setup`) e avvia il server su http://127.0.0.1:8000."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-demo", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("setup", no_demo=options["no_demo"], stdout=self.stdout)
        self.stdout.write(f"Tessere è su http://{options['addrport']}/ (Ctrl+C per fermarlo)")
        call_command("runserver", options["addrport"], use_reloader=False)
