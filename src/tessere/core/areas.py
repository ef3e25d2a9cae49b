"""Areas of users (aree di utenza / di intervento), shared by every room."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UserArea(models.TextChoices):
    FAMILY_AND_MINORS = "famiglia_minori", _("Famiglia e minori")
    DISABILITY = "disabili", _("Disabili")
    ADDICTION = "dipendenze", _("Dipendenze")
    ELDERLY = "anziani", _("Anziani")
    IMMIGRANTS = "immigrati", _("Immigrati")
    POVERTY = "poverta", _("Povertà e disagio adulti")
    MULTI = "multiutenza", _("Multiutenza")
