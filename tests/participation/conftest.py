"""A table of district A with members of every standing, in a chosen phase."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone

from tessere.core import services as core_services
from tessere.core.demo import demo_organisation_id
from tessere.core.models import User
from tessere.directory.models import Organisation
from tessere.participation import services
from tessere.participation.models import Contribution, Member, Phase, StatusChange, Table
from tests.conftest import PASSWORD

ORDER = [k.value for k in Phase.Kind]


def phases_with(active: str | None) -> dict[str, tuple[datetime.date, datetime.date]]:
    """The four phases, ten days each, with ``active`` running today (None: all in future)."""
    today = timezone.localdate()
    index = ORDER.index(active) if active else -1
    start = today - datetime.timedelta(days=5 + 10 * index)
    phases = {}
    for kind in ORDER:
        phases[kind] = (start, start + datetime.timedelta(days=9))
        start += datetime.timedelta(days=10)
    return phases


def user(username: str) -> User:
    found = User.objects.filter(username=username).first()
    return found or core_services.create_user(
        actor=None, username=username, password=PASSWORD, email=f"{username}@example.org"
    )


@dataclass
class World:
    table: Table
    organisation: Organisation
    coordinator: User
    member: User
    observer: User

    def set_phase(self, active: str | None) -> None:
        services.set_phases(actor=None, table=self.table, phases=phases_with(active))
        self.table = Table.objects.prefetch_related("phases", "criteria").get(pk=self.table.pk)


TABLE_PERSONAS = ["coordinator_t", "member_t", "observer_t"]


def build_table(
    districts,  # type: ignore[no-untyped-def]
    *,
    phase: str | None = Phase.Kind.PROPOSALS,
    visibility: str = Table.Visibility.PUBLIC,
    method: str = Table.Method.SCORING,
    consultation: bool = False,
    district=None,  # type: ignore[no-untyped-def]
    title: str = "Tavolo di prova",
) -> World:
    """A table of district A: coordinator_t, member_t, observer_t and provider_a's
    organisation as members; criteria by default; five points per member for dot voting."""
    district = district or districts.a
    coordinator, member, observer = (user(name) for name in TABLE_PERSONAS)
    organisation, _created = Organisation.objects.get_or_create(
        pk=demo_organisation_id("test"),
        defaults={"district": districts.a, "kind": "social_cooperative", "name": "Coop Test"},
    )
    table = services.create_table(
        actor=None,
        district=district,
        kind=Table.Kind.THEMATIC,
        title=title,
        plan_cycle="2025-2027",
        coordinator=coordinator,
        visibility=visibility,
        public_consultation=consultation,
        method=method,
        dot_budget=5,
        phases=phases_with(phase),
    )
    services.add_member(actor=None, table=table, user=member)
    services.add_member(actor=None, table=table, user=observer, role=Member.Role.OBSERVER)
    if organisation.district_id == district.pk:
        services.add_member(actor=None, table=table, organisation=organisation)
    table = Table.objects.prefetch_related("phases", "criteria").get(pk=table.pk)
    return World(table, organisation, coordinator, member, observer)


@pytest.fixture
def make_table(districts) -> Callable[..., World]:  # type: ignore[no-untyped-def]
    def make(**options) -> World:  # type: ignore[no-untyped-def]
        return build_table(districts, **options)

    return make


def add_contribution(
    table: Table, title: str = "Una proposta", author: Member | None = None, **fields
) -> Contribution:  # type: ignore[no-untyped-def]
    """A published contribution written straight to the database (fixture data)."""
    contribution = Contribution.objects.create(
        district_id=table.district_id,
        table=table,
        kind=fields.pop("kind", Contribution.Kind.PROPOSAL),
        title=title,
        text="Testo della proposta.",
        author_member=author,
        author_name=author.label if author else "Autore",
        author_email=fields.pop("author_email", "autore@example.org"),
        **fields,
    )
    StatusChange.objects.create(
        district_id=table.district_id,
        contribution=contribution,
        to_status=contribution.status,
        actor_label="prova",
    )
    return contribution
