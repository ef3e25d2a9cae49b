"""Reminders to providers whose services were not verified recently."""

from __future__ import annotations

from collections import defaultdict

from django.core.mail import send_mail
from django.db.models import Q
from django.utils.translation import gettext as _

from tessere.core.models import Membership, Role
from tessere.directory.models import Service
from tessere.directory.selectors import verification_cutoff


def stale_services_by_organisation() -> dict[str, list[Service]]:
    cutoff = verification_cutoff()
    stale = (
        Service.objects.filter(Q(verified_at__isnull=True) | Q(verified_at__lt=cutoff))
        .exclude(status=Service.Status.CLOSED)
        .order_by("name")
        .only("id", "name", "organisation_id")
    )
    grouped: dict[str, list[Service]] = defaultdict(list)
    for service in stale:
        grouped[str(service.organisation_id)].append(service)
    return grouped


def send_reminders() -> int:
    """E-mail each provider the services of their organisation to verify; return e-mails sent."""
    grouped = stale_services_by_organisation()
    memberships = Membership.objects.filter(
        role=Role.PROVIDER, organisation_id__in=list(grouped)
    ).select_related("user")
    sent = 0
    for membership in memberships:
        if not membership.user.email:
            continue
        names = "\n".join(f"- {s.name}" for s in grouped[str(membership.organisation_id)])
        send_mail(
            _("Tessere: servizi da verificare"),
            _(
                "Questi servizi della guida non sono stati verificati di recente:\n\n%(names)s\n\n"
                "Entra in Tessere, controlla i dati e conferma la verifica."
            )
            % {"names": names},
            None,
            [membership.user.email],
        )
        sent += 1
    return sent
