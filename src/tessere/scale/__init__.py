"""Realistic, consistent volumes for one district, proportional to a factor.

Factor 1 is the single district of Milan (see ``base.VOLUMES``); fractional factors work, every
volume has a floor of one. ``generate`` runs the rooms in the order they stand on each other,
each in its own transaction, and refuses a district that already holds generated data (its
staff accounts are named ``scala.<district code>.*``). Everything is drawn from random
generators seeded from the seed, the district's code and the room, so the same seed on the same
district and date gives the same data (``checksum`` compares two runs).
"""

from __future__ import annotations

import datetime
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tessere.core.errors import DomainError
from tessere.core.models import User
from tessere.scale import access, directory, monitoring, participation, planning
from tessere.scale.base import VOLUMES, Context
from tessere.territory.models import District

ROOMS: list[tuple[str, Callable[[Context], dict[str, int]]]] = [
    ("directory", directory.generate),
    ("participation", participation.generate),
    ("planning", planning.generate),
    ("monitoring", monitoring.generate),
    ("access", access.generate),
]


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def prefix_for(district: District) -> str:
    return f"scala.{district.code}"


def generate(
    *,
    district: District,
    factor: float,
    seed: int = 1,
    today: datetime.date | None = None,
    progress: Callable[[str, float, dict[str, int]], None] | None = None,
) -> Report:
    if not 0 < factor <= 10:
        raise DomainError(_("Il fattore deve essere maggiore di 0 e al massimo 10."))
    prefix = prefix_for(district)
    if User.objects.filter(username__startswith=prefix + ".").exists():
        raise DomainError(
            _(
                "L'ambito %(code)s contiene già dati generati: usa un altro ambito o ricrea la "
                "base di dati."
            )
            % {"code": district.code}
        )
    municipalities = list(district.municipalities.order_by("code"))
    if not municipalities:
        raise DomainError(_("L'ambito %(code)s non ha comuni.") % {"code": district.code})
    ctx = Context(
        district=district,
        factor=factor,
        seed=seed,
        today=today or timezone.localdate(),
        municipalities=municipalities,
        prefix=prefix,
    )
    report = Report()
    for room, run in ROOMS:
        started = time.perf_counter()
        with transaction.atomic():
            counts = run(ctx)
        report.seconds[room] = time.perf_counter() - started
        report.counts.update(counts)
        if progress is not None:
            progress(room, report.seconds[room], counts)
    return report


#: What ``checksum`` reads: every generated model, with the district's rows.
def _models() -> list[type[models.Model]]:
    from django.apps import apps

    names = [
        "directory.Organisation",
        "directory.Location",
        "directory.Service",
        "directory.ServiceAtLocation",
        "directory.Schedule",
        "participation.Table",
        "participation.Member",
        "participation.Meeting",
        "participation.Attendance",
        "participation.Contribution",
        "planning.Plan",
        "planning.Area",
        "planning.Objective",
        "planning.Action",
        "planning.Fund",
        "planning.Allocation",
        "monitoring.ActionIndicator",
        "monitoring.Measurement",
        "monitoring.ProgressEntry",
        "access.Person",
        "access.Household",
        "access.HouseholdMember",
        "access.Case",
        "access.TeamMember",
        "access.Assessment",
        "access.AssessmentDomain",
        "access.PersonalisedProject",
        "access.Referral",
        "access.DeliveredService",
        "access.Contact",
    ]
    return [apps.get_model(name) for name in names]


SKIPPED = {"created_at", "updated_at", "status_changed_at", "password", "last_login"}


def checksum(district: District) -> str:
    """A digest of the district's generated rows, independent of integer primary keys and
    timestamps set at insert time: integer keys are replaced by their rank in their table."""
    digest = hashlib.sha256()
    ranks: dict[str, dict[int, object]] = {
        "core.User": dict(User.objects.values_list("pk", "username"))
    }
    for model in _models():
        pk = model._meta.pk
        rows = list(model._default_manager.filter(district=district).order_by("pk").values())
        if pk.get_internal_type() in ("AutoField", "BigAutoField"):
            ranks[model._meta.label] = {row[pk.attname]: n for n, row in enumerate(rows)}
        fields = [f for f in model._meta.concrete_fields if f.name not in SKIPPED and f is not pk]
        if pk.get_internal_type() not in ("AutoField", "BigAutoField"):
            fields.insert(0, pk)
        lines = []
        for row in rows:
            values = []
            for f in fields:
                value = row[f.attname]
                target = f.related_model._meta.label if f.is_relation and f.related_model else ""
                if target in ranks and value is not None:
                    value = ranks[target][value]
                values.append(str(value))
            lines.append("|".join(values))
        for line in sorted(lines):
            digest.update(line.encode())
            digest.update(b"\n")
        digest.update(f"#{model._meta.label}:{len(rows)}\n".encode())
    return digest.hexdigest()


__all__ = ["VOLUMES", "Report", "checksum", "generate"]
