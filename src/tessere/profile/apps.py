from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfileConfig(AppConfig):
    name = "tessere.profile"
    label = "profile"
    verbose_name = _("Profilo di comunità")
