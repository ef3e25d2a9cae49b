"""Reads of the ground floor, scoped to what the acting user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from tessere.core.models import AuditEntry, Membership
from tessere.territory.models import District


def audit_entries(
    *,
    actor: Any,
    district: District,
    action: str = "",
    actor_name: str = "",
    object_type: str = "",
) -> QuerySet[AuditEntry]:
    """The audit log of one district; empty for those not allowed to read it."""
    if not actor.has_perm("core.view_audit_log", district):
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.filter(district=district)
    if action in AuditEntry.Action.values:
        entries = entries.filter(action=action)
    if actor_name:
        entries = entries.filter(actor_label__icontains=actor_name)
    if object_type:
        entries = entries.filter(object_type__icontains=object_type)
    return entries.order_by("-at", "-id")


def district_staff(*, actor: Any, district: District) -> QuerySet[Membership]:
    """The roles held in a district; only for those who manage its staff."""
    if not actor.has_perm("core.manage_staff", district):
        return Membership.objects.none()
    return (
        Membership.objects.filter(district=district)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username", "role")
    )
