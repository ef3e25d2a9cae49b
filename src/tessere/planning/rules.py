"""Who may do what with plans. Objects are plans (or districts for creating one)."""

from __future__ import annotations

from typing import Any

import rules

from tessere.core.models import Role
from tessere.core.scoping import district_access


def _district_of(obj: Any) -> Any:
    return getattr(obj, "district", obj)


def _role_in_district(*roles: str) -> Any:
    names = "_or_".join(roles)

    @rules.predicate(name=f"planning_role_{names}")
    def predicate(user: Any, obj: Any) -> bool:
        if obj is None or not user.is_authenticated:
            return False
        return district_access(user).has_role(_district_of(obj), *roles)

    return predicate


@rules.predicate
def is_public_plan(user: Any, plan: Any) -> bool:
    return plan is not None and getattr(plan, "is_public", False)


is_planner = _role_in_district(Role.PLANNER)
is_mayor = _role_in_district(Role.MAYOR)
is_reader = _role_in_district(Role.PLANNER, Role.MAYOR, Role.VIEWER)

# Reading a plan: the public once approved; planners, mayors and viewers of the district always.
rules.add_perm("planning.view_plan", is_public_plan | is_reader | rules.is_superuser)
# Reading the district's plans, drafts included (object: a district or a plan).
rules.add_perm("planning.view_drafts", is_reader | rules.is_superuser)
# Writing: planners of the district (services refuse changes to frozen plans).
rules.add_perm("planning.change_plan", is_planner)
# Recording the approval act: the mayors of the district.
rules.add_perm("planning.approve_plan", is_mayor)
