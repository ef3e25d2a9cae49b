"""Background work of the directory (django-tasks): reminders to verify services."""

from __future__ import annotations

from django_tasks import task

from tessere.directory.reminders import send_reminders


@task()
def remind_providers() -> int:
    """E-mail providers the services due for verification; return the e-mails sent."""
    return send_reminders()
