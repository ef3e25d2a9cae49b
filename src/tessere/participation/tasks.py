"""Background work of the tables: e-mails (invitations, status notifications)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django_tasks import task


@task()
def send_emails(messages: list[list[str]]) -> int:
    """Send ``[subject, body, recipient]`` messages; returns how many were sent."""
    batch = [
        (subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
        for subject, body, recipient in messages
        if recipient
    ]
    if not batch:
        return 0
    return send_mass_mail(batch, fail_silently=False)
