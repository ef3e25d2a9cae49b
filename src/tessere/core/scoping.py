"""District scoping: which districts a user works in, with which roles, and the current one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

from tessere.core.models import Membership, Role

if TYPE_CHECKING:
    from tessere.territory.models import District

SESSION_KEY = "tessere_district_id"


@dataclass
class DistrictAccess:
    """The districts a user works in and the roles held in each (one query, then memory)."""

    districts: list[District] = field(default_factory=list)
    roles: dict[int, set[str]] = field(default_factory=dict)
    organisations: dict[int, set[str]] = field(default_factory=dict)

    def roles_in(self, district: District | int | None) -> set[str]:
        if district is None:
            return set()
        district_id = district if isinstance(district, int) else district.pk
        return self.roles.get(district_id, set())

    def has_role(self, district: District | int | None, *roles: str) -> bool:
        return bool(self.roles_in(district) & set(roles))

    def find(self, district_id: int | None) -> District | None:
        for district in self.districts:
            if district.pk == district_id:
                return district
        return None


def district_access(user: Any) -> DistrictAccess:
    """The user's memberships, loaded once and cached on the user object."""
    cached = getattr(user, "_tessere_access", None)
    if cached is not None:
        return cached
    access = DistrictAccess()
    if user is not None and user.is_authenticated:
        memberships = (
            Membership.objects.filter(user=user)
            .select_related("district")
            .order_by("district__name", "role")
        )
        for membership in memberships:
            district = membership.district
            if district.pk not in access.roles:
                access.districts.append(district)
                access.roles[district.pk] = set()
                access.organisations[district.pk] = set()
            access.roles[district.pk].add(membership.role)
            if membership.organisation_id:
                access.organisations[district.pk].add(str(membership.organisation_id))
    user._tessere_access = access
    return access


def current_district(request: HttpRequest) -> District | None:
    """The district the user is working in now: the one chosen in the session or, by default,
    the first where the user does more than read."""
    access = district_access(request.user)
    if not access.districts:
        return None
    chosen = access.find(request.session.get(SESSION_KEY))
    if chosen is not None:
        return chosen
    working = [d for d in access.districts if access.roles_in(d) - {Role.VIEWER}]
    return (working or access.districts)[0]


def role_labels(roles: set[str]) -> list[str]:
    return [str(label) for value, label in Role.choices if value in roles]
