"""Who may do what in the directory.

- ``directory.manage`` (on a district): planners edit every service of their district,
  publish and unpublish, run the verification queue, import and export.
- ``directory.contribute`` (on a district): planners and providers may open the staff pages.
- ``directory.change_service`` (on a service), ``directory.change_organisation`` (on an
  organisation): planners of its district, and providers bound to its organisation.
- ``directory.view_staff`` (on a district): district staff see unpublished services and the
  "da verificare" state.
"""

from __future__ import annotations

from typing import Any

import rules

from tessere.core.models import Role
from tessere.core.rules import is_district_staff, is_planner, is_superuser
from tessere.core.scoping import district_access


@rules.predicate
def is_planner_of_object_district(user: Any, obj: Any) -> bool:
    if obj is None or not user.is_authenticated:
        return False
    return district_access(user).has_role(obj.district_id, Role.PLANNER)


def _organisation_id(obj: Any) -> str:
    if hasattr(obj, "organisation_id"):
        return str(obj.organisation_id)
    return str(obj.pk)


@rules.predicate
def is_provider_of_object(user: Any, obj: Any) -> bool:
    """The user is a provider in the object's district, bound to its organisation."""
    if obj is None or not user.is_authenticated:
        return False
    access = district_access(user)
    if not access.has_role(obj.district_id, Role.PROVIDER):
        return False
    return _organisation_id(obj) in access.organisations.get(obj.district_id, set())


is_provider = rules.predicate(
    lambda user, district: (
        district is not None
        and user.is_authenticated
        and district_access(user).has_role(district, Role.PROVIDER)
    ),
    name="is_provider_in_district",
)

rules.add_perm("directory.manage", is_superuser | is_planner)
rules.add_perm("directory.contribute", is_superuser | is_planner | is_provider)
rules.add_perm("directory.view_staff", is_superuser | is_district_staff)
rules.add_perm(
    "directory.change_service",
    is_superuser | is_planner_of_object_district | is_provider_of_object,
)
rules.add_perm(
    "directory.change_organisation",
    is_superuser | is_planner_of_object_district | is_provider_of_object,
)
