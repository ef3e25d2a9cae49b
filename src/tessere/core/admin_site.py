from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class TessereAdminSite(admin.AdminSite):
    """The admin site, for superusers only: district staff work through Tessere's pages."""

    site_header = _("Amministrazione di Tessere")
    site_title = _("Tessere")
    index_title = _("Amministrazione del sistema")

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)
