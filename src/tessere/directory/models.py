"""The district's directory: organisations and their services and projects (UUIDs, as HSDS)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Comune")
        HEALTH_AGENCY = "health_agency", _("Azienda sanitaria")
        ASP_CONSORTIUM = "asp_consortium", _("ASP o consorzio")
        EMPLOYMENT_CENTRE = "employment_centre", _("Centro per l'impiego")
        SCHOOL = "school", _("Scuola")
        THIRD_SECTOR = "third_sector", _("Ente del Terzo Settore")
        SOCIAL_COOPERATIVE = "social_cooperative", _("Cooperativa sociale")
        ASSOCIATION = "association", _("Associazione di volontariato o di promozione sociale")
        FOUNDATION = "foundation", _("Fondazione")
        PARISH = "parish", _("Parrocchia o Caritas")
        COMPANY = "company", _("Impresa")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    district = models.ForeignKey(
        "territory.District", on_delete=models.CASCADE, related_name="organisations"
    )
    kind = models.CharField(_("tipo"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("nome"), max_length=250)

    class Meta:
        ordering = ["name"]
        verbose_name = _("ente")
        verbose_name_plural = _("enti")

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """A service (unità d'offerta) or, when it has a start and an end, a project."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("attivo")
        SUSPENDED = "suspended", _("sospeso")
        CLOSED = "closed", _("chiuso")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    district = models.ForeignKey(
        "territory.District", on_delete=models.CASCADE, related_name="services"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(_("nome"), max_length=250)
    status = models.CharField(
        _("stato"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("servizio")
        verbose_name_plural = _("servizi")

    def __str__(self) -> str:
        return self.name
