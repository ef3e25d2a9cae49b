from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django_tasks import TaskResultStatus

from tessere.directory.tasks import remind_providers


class Command(BaseCommand):
    help = "Ricorda agli enti i servizi da verificare (non verificati da troppo tempo)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = remind_providers.enqueue()
        if result.status == TaskResultStatus.FAILED:
            raise CommandError("Invio dei promemoria non riuscito: vedi il registro.")
        if result.status == TaskResultStatus.SUCCESSFUL:
            self.stdout.write(f"{result.return_value} promemoria inviati")
        else:
            self.stdout.write(f"Promemoria in coda (attività {result.id})")
