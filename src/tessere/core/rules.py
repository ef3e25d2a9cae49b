"""Who may do what: small predicates composed into permissions (the `rules` package).

Permissions on a district take the district as the object: ``user.has_perm(perm, district)``.
"""

from __future__ import annotations

from typing import Any

import rules

from tessere.core.models import Role
from tessere.core.scoping import district_access

STAFF_ROLES = {role.value for role in Role}


def has_role(*roles: str) -> Any:
    names = "_or_".join(roles)

    @rules.predicate(name=f"has_role_{names}")
    def predicate(user: Any, district: Any) -> bool:
        if district is None or not user.is_authenticated:
            return False
        return district_access(user).has_role(district, *roles)

    return predicate


is_superuser = rules.is_superuser
is_planner = has_role(Role.PLANNER)
is_district_staff = has_role(*STAFF_ROLES)

rules.add_perm("core.view_audit_log", is_superuser | is_planner)
rules.add_perm("core.work_in_district", is_superuser | is_district_staff)
rules.add_perm("territory.manage_district", is_superuser | is_planner)
rules.add_perm("core.manage_staff", is_planner)
