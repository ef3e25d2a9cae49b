"""Background work of the monitoring room (django-tasks): reminders of measurements due."""

from __future__ import annotations

from django_tasks import task

from tessere.monitoring.reminders import send_reminders


@task()
def remind_responsibles() -> int:
    """E-mail the people responsible for indicators the measurements due and missing; return
    the e-mails sent."""
    return send_reminders()
