"""Who may change the profile: the planning office (Ufficio di Piano) of the district.

Profiles themselves are public: reading needs no permission.
"""

from __future__ import annotations

import rules

from tessere.core.models import Role
from tessere.core.rules import has_role

is_district_planner = has_role(Role.PLANNER)

rules.add_perm("profile.import_series", is_district_planner)
rules.add_perm("profile.manage_needs", is_district_planner)
