from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tessere import __version__
from tessere.core.scoping import current_district, district_access, role_labels


def base_context(request: HttpRequest) -> dict[str, Any]:
    """What the base template needs on every page: the user's districts and the current one."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"tessere_version": __version__}
    access = district_access(user)
    current = current_district(request)
    return {
        "tessere_version": __version__,
        "user_districts": access.districts,
        "current_district": current,
        "current_roles": role_labels(access.roles_in(current.pk)) if current else [],
        "can_view_audit_log": bool(current) and user.has_perm("core.view_audit_log", current),
        "can_manage_staff": bool(current) and user.has_perm("core.manage_staff", current),
    }
