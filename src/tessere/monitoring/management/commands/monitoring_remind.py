from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django_tasks import TaskResultStatus

from tessere.monitoring.tasks import remind_responsibles


class Command(BaseCommand):
    help = (
        "Ricorda ai responsabili degli indicatori le misurazioni scadute e non inserite "
        "(da eseguire ogni giorno)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = remind_responsibles.enqueue()
        if result.status == TaskResultStatus.FAILED:
            raise CommandError("Invio dei promemoria non riuscito: vedi il registro.")
        if result.status == TaskResultStatus.SUCCESSFUL:
            self.stdout.write(f"{result.return_value} promemoria inviati")
        else:
            self.stdout.write(f"Promemoria in coda (attività {result.id})")
