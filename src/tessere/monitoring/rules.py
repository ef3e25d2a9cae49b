"""Who may do what in monitoring. Objects are plans, actions or districts."""

from __future__ import annotations

from typing import Any

import rules

from tessere.core.models import Role
from tessere.core.scoping import district_access


def _district_of(obj: Any) -> Any:
    return getattr(obj, "district", obj)


def _role_in_district(*roles: str) -> Any:
    names = "_or_".join(roles)

    @rules.predicate(name=f"monitoring_role_{names}")
    def predicate(user: Any, obj: Any) -> bool:
        if obj is None or not user.is_authenticated:
            return False
        return district_access(user).has_role(_district_of(obj), *roles)

    return predicate


is_planner = _role_in_district(Role.PLANNER)
is_reader = _role_in_district(Role.PLANNER, Role.MAYOR, Role.VIEWER)

# Entering indicators, measurements, progress and spending: planners of the district.
rules.add_perm("monitoring.change_monitoring", is_planner)
# Reading the monitoring data and the dashboard: planners, mayors and viewers of the district.
rules.add_perm("monitoring.view_monitoring", is_reader | rules.is_superuser)

is_mayor = _role_in_district(Role.MAYOR)
# Downloading the annual monitoring report: planners and mayors of the district.
rules.add_perm("monitoring.download_report", is_planner | is_mayor | rules.is_superuser)
