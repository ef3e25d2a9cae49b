"""A demo-like dataset for district A, and a way to make it ten times larger.

``load_small()`` runs every room's ``demo.py`` loader (the same ones ``tessere setup`` runs) for
district A and lets the test personas see what the demo staff created. ``grow(factor)`` then
copies every row of district A's district-owned tables ``factor - 1`` more times, keeping the
copies under the same parents (more services in the same guide, more actions in the same plan,
more contributions in the same table, more cases in the same list...) and copying the children
of each copied row along with it (a copied service gets its own locations and schedules).
"""

from __future__ import annotations

import copy
import importlib
import uuid
from collections import defaultdict
from typing import Any

from django.apps import apps
from django.db import IntegrityError, models, transaction

from tessere.core import demo as core_demo
from tessere.core.demo import demo_organisation_id
from tessere.core.models import Membership, Role, User
from tessere.territory.models import District

ROOM_DEMOS = [
    "tessere.profile.demo",
    "tessere.directory.demo",
    "tessere.participation.demo",
    "tessere.planning.demo",
    "tessere.access.demo",
    "tessere.monitoring.demo",
]

# Tables whose rows are not copied when the dataset grows, and why.
NOT_GROWN = {
    # One plan per district and cycle is what every plan page stands on; the plan's content
    # (areas, objectives, actions, funds, allocations, indicators...) is what grows.
    "planning.plan",
    # Built documents are blobs made by a background task; a copy adds nothing to a page.
    "planning.plandocument",
    "directory.exchangejob",
    "monitoring.monitoringreport",
    # A person's access log grows with each read, not with the dataset.
    "core.readaccessentry",
    # Phases are one per kind and table (a unique pair): a table has a fixed set.
    "participation.phase",
}


def district_a() -> District:
    return District.objects.get(code="piana-di-lucca")


def load_small() -> District:
    """Every room's demo data for district A, visible to the test personas."""
    district = district_a()
    core_demo.load()
    for module in ROOM_DEMOS:
        importlib.import_module(module).load(districts=[district])
    _let_personas_see(district)
    return district


def _let_personas_see(district: District) -> None:
    """The demo cases belong to the demo staff: put the test social worker on their teams and
    bind the test provider to the demo cooperative that receives the demo referrals."""
    from tessere.access import services as access_services
    from tessere.access.models import Case

    worker = User.objects.get(username="social_worker_a")
    manager = User.objects.get(username="assistente.sociale")
    for case in Case.objects.filter(district=district).exclude(team__user=worker):
        access_services.add_team_member(actor=manager, case=case, role="social_worker", user=worker)
    Membership.objects.filter(user__username="provider_a", role=Role.PROVIDER).update(
        organisation_id=demo_organisation_id("piana-di-lucca:cooperativa-sociale-il-ponte")
    )


def _district_models() -> list[type[models.Model]]:
    """Concrete models with a ``district`` foreign key, parents before children."""
    found = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in NOT_GROWN or model._meta.proxy or not model._meta.managed:
            continue
        field = next((f for f in model._meta.fields if f.name == "district"), None)
        if field is not None and field.is_relation and field.related_model is District:
            found.append(model)
    ordered: list[type[models.Model]] = []
    pending = set(found)

    def visit(model: type[models.Model], seen: set[type[models.Model]]) -> None:
        if model not in pending or model in seen:
            return
        seen.add(model)
        for field in model._meta.fields:
            target = field.related_model if field.is_relation else None
            if target is not None and target is not model:
                visit(target, seen)  # type: ignore[arg-type]
        pending.discard(model)
        ordered.append(model)

    for model in sorted(found, key=lambda m: m._meta.label_lower):
        visit(model, set())
    return ordered


def _unique_text_fields(model: type[models.Model]) -> set[str]:
    """Text fields that take part in a uniqueness rule: copies get a suffix there."""
    names: set[str] = set()
    groups: list[tuple[str, ...]] = [tuple(g) for g in model._meta.unique_together]
    groups += [
        tuple(c.fields)
        for c in model._meta.constraints
        if isinstance(c, models.UniqueConstraint) and c.fields
    ]
    groups += [(f.name,) for f in model._meta.fields if f.unique and not f.primary_key]
    for group in groups:
        for name in group:
            field = model._meta.get_field(name)
            if isinstance(field, models.CharField | models.SlugField | models.TextField):
                names.add(name)
    return names


def grow(district: District, factor: int) -> dict[str, int]:
    """Copy district A's rows ``factor - 1`` times; return the number of rows per table."""
    copies: dict[type[models.Model], dict[Any, list[Any]]] = defaultdict(dict)
    counts: dict[str, int] = {}
    for model in _district_models():
        meta = model._meta
        text = _unique_text_fields(model)
        pk = meta.pk
        assert pk is not None
        rows = list(model._default_manager.filter(district=district))
        m2m = [f for f in meta.many_to_many if f.remote_field.through._meta.auto_created]
        made = 0
        for row in rows:
            originals = {f.name: list(getattr(row, f.name).all()) for f in m2m}
            copied: list[Any] = []
            for n in range(1, factor):
                clone = copy.copy(row)
                clone._state = copy.copy(row._state)
                clone._state.adding = True
                clone._state.fields_cache = {}
                clone.pk = pk.get_default() if isinstance(pk, models.UUIDField) else None
                if isinstance(pk, models.UUIDField) and clone.pk is None:
                    clone.pk = uuid.uuid4()
                for field in meta.fields:
                    if field.is_relation and field.name != "district":
                        parent = getattr(row, field.attname)
                        parent_copies = copies.get(field.related_model, {}).get(parent)  # type: ignore[arg-type]
                        if parent_copies and len(parent_copies) >= n:
                            setattr(clone, field.attname, parent_copies[n - 1])
                    elif field.name in text:
                        value = getattr(clone, field.name) or ""
                        suffix = f"-x{n}"
                        limit = getattr(field, "max_length", None) or 10_000
                        setattr(clone, field.name, value[: limit - len(suffix)] + suffix)
                try:
                    with transaction.atomic():
                        clone.save(force_insert=True)
                        for field in m2m:
                            getattr(clone, field.name).set(originals[field.name])
                except IntegrityError:
                    continue  # a rule that a copy cannot keep (one per parent, ...)
                copied.append(clone.pk)
                made += 1
            copies[model][row.pk] = copied
        counts[meta.label_lower] = len(rows) + made
    return counts
