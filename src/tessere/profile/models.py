"""The community profile: needs (and, with them, the indicators that justify them)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tessere.core.areas import UserArea


class Need(models.Model):
    """A need of the community, with the area it concerns and its evidence."""

    district = models.ForeignKey(
        "territory.District", on_delete=models.CASCADE, related_name="needs"
    )
    statement = models.TextField(_("bisogno"))
    area = models.CharField(_("area di intervento"), max_length=30, choices=UserArea.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("bisogno")
        verbose_name_plural = _("bisogni")

    def __str__(self) -> str:
        return self.statement[:80]
