from typing import Any

from django.core.management.base import BaseCommand

from tessere.directory.tasks import remind_providers


class Command(BaseCommand):
    help = "Ricorda agli enti i servizi da verificare (non verificati da troppo tempo)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = remind_providers.enqueue()
        if result.is_finished:
            self.stdout.write(f"{result.return_value} promemoria inviati")
        else:
            self.stdout.write(f"Promemoria in coda (attività {result.id})")
