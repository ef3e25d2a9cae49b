"""Accounts, per-district roles and the audit log."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in. What they may do depends on their roles in each district."""

    class Meta:
        verbose_name = _("utente")
        verbose_name_plural = _("utenti")

    def __str__(self) -> str:
        full_name = self.get_full_name()
        return full_name or self.username


class Role(models.TextChoices):
    PLANNER = "planner", _("Ufficio di Piano")
    MAYOR = "mayor", _("Sindaco (Assemblea dei Sindaci)")
    SOCIAL_WORKER = "social_worker", _("Assistente sociale")
    ACCESS_OPERATOR = "access_operator", _("Operatore di sportello (PUA / One Stop Shop)")
    EMPLOYMENT_OPERATOR = "employment_operator", _("Operatore del Centro per l'impiego")
    PROVIDER = "provider", _("Ente erogatore")
    VIEWER = "viewer", _("Consultazione")


class Membership(models.Model):
    """A role held by a user in one district. A user may hold several, in several districts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    district = models.ForeignKey(
        "territory.District", on_delete=models.CASCADE, related_name="staff_memberships"
    )
    role = models.CharField(_("ruolo"), max_length=30, choices=Role.choices)
    # The organisation a provider works for: a directory organisation's UUID. The directory
    # resolves it; the ground floor only keeps the binding so that it never depends on the
    # directory.
    organisation_id = models.UUIDField(_("ente"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ruolo nell'ambito")
        verbose_name_plural = _("ruoli negli ambiti")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "district", "role"], name="membership_unique_role"
            ),
            models.CheckConstraint(
                condition=~models.Q(role="provider") | models.Q(organisation_id__isnull=False),
                name="provider_has_organisation",
            ),
        ]
        indexes = [models.Index(fields=["district", "role"], name="membership_district_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.district_id}"


class AuditEntry(models.Model):
    """Who changed what, when: written by services, never by views."""

    class Action(models.TextChoices):
        CREATE = "create", _("creazione")
        UPDATE = "update", _("modifica")
        DELETE = "delete", _("eliminazione")

    at = models.DateTimeField(_("quando"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chi"),
    )
    actor_label = models.CharField(_("chi"), max_length=150, blank=True)
    district = models.ForeignKey(
        "territory.District",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    action = models.CharField(_("azione"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("tipo di oggetto"), max_length=100)
    object_id = models.CharField(_("identificativo"), max_length=64)
    object_repr = models.CharField(_("oggetto"), max_length=200)
    changes = models.JSONField(_("campi modificati"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("voce del registro delle modifiche")
        verbose_name_plural = _("registro delle modifiche")
        indexes = [
            models.Index(fields=["district", "-at"], name="audit_district_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"


class ReadAccessEntry(models.Model):
    """A record that someone read a person's data (used by the access point)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    at = models.DateTimeField(_("quando"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_label = models.CharField(_("chi"), max_length=150)
    district = models.ForeignKey(
        "territory.District", on_delete=models.CASCADE, related_name="read_entries"
    )
    object_type = models.CharField(_("tipo di oggetto"), max_length=100)
    object_id = models.CharField(_("identificativo"), max_length=64)
    purpose = models.CharField(_("motivo"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("accesso in lettura")
        verbose_name_plural = _("accessi in lettura")
        indexes = [models.Index(fields=["district", "-at"], name="read_district_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.object_type} {self.object_id}"
