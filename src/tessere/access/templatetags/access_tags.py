"""Template helpers of the access point."""

from __future__ import annotations

from typing import Any

from django import template

from tessere.core.scoping import district_access

register = template.Library()

ACCESS_ROLES = (
    "social_worker",
    "access_operator",
    "employment_operator",
    "provider",
    "planner",
    "mayor",
)


@register.simple_tag(takes_context=True)
def shows_access_nav(context: Any) -> bool:
    """Whether the user has a role of the access point in the current district."""
    user = context.get("user")
    district = context.get("current_district")
    if user is None or not user.is_authenticated or not district:
        return False
    return district_access(user).has_role(district, *ACCESS_ROLES)


@register.filter
def euro(value: Any) -> str:
    """``1234.5`` → ``1.234,50 €``."""
    if value is None or value == "":
        return ""
    whole, _, cents = f"{float(value):,.2f}".partition(".")
    return whole.replace(",", ".") + "," + cents + " €"
