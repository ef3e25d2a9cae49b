from typing import Any

from django.core.management.base import BaseCommand

from tessere.directory.reminders import send_reminders


class Command(BaseCommand):
    help = "Ricorda agli enti i servizi da verificare (non verificati da troppo tempo)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_reminders()
        self.stdout.write(f"{sent} promemoria inviati")
