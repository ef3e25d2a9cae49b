"""Counts for monitoring and the community profile: never persons, never a small cell.

Every function returns an ``AggregateTable``: labelled counts and a total, where a cell under
the disclosure threshold (``settings.TESSERE_DISCLOSURE_THRESHOLD``, default 5) is suppressed
(``None``), and further cells are suppressed (secondary suppression) so that the total cannot
give a suppressed cell back: at least two cells are hidden, and together they hold at least the
threshold; if that cannot be done, the total is hidden too.
"""

from __future__ import annotations

import datetime
import statistics
from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Count, F, Min, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from tessere.access.models import Case, Contact, PersonalisedProject, Referral
from tessere.core.areas import UserArea
from tessere.territory.models import District

K = TypeVar("K", bound=Hashable)

AGE_BANDS = [(0, 17), (18, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 74), (75, 200)]
DAY_BANDS = [(0, 30), (31, 60), (61, 90), (91, 180), (181, 100_000)]


def threshold() -> int:
    return int(getattr(settings, "TESSERE_DISCLOSURE_THRESHOLD", 5))


@dataclass
class AggregateTable:
    title: str
    rows: list[tuple[str, int | None]] = field(default_factory=list)
    total: int | None = None
    suppressed: int = 0

    @property
    def has_suppressed(self) -> bool:
        return self.suppressed > 0


def suppress(
    counts: Mapping[K, int], limit: int | None = None
) -> tuple[dict[K, int | None], int | None]:
    """Primary and secondary suppression of one row of counts and its total."""
    limit = threshold() if limit is None else limit
    total = sum(counts.values())
    hidden = {key for key, value in counts.items() if 0 < value < limit}
    if hidden:
        # Hide the smallest remaining cells until the hidden ones are at least two and hold
        # together at least the threshold: the total then gives back only their sum.
        # Zeros are never hidden: they would add nothing to the hidden sum.
        remaining = sorted(
            (k for k in counts if k not in hidden and counts[k] > 0), key=lambda k: counts[k]
        )
        while remaining and (len(hidden) < 2 or sum(counts[k] for k in hidden) < limit):
            hidden.add(remaining.pop(0))
    hidden_sum = sum(counts[k] for k in hidden)
    unsafe = bool(hidden) and (len(hidden) < 2 or hidden_sum < limit)
    shown_total: int | None = None if (0 < total < limit or unsafe) else total
    return {key: (None if key in hidden else value) for key, value in counts.items()}, shown_total


def _table(title: str, labelled: list[tuple[str, int]]) -> AggregateTable:
    counts = dict(labelled)
    cells, total = suppress(counts)
    return AggregateTable(
        title=title,
        rows=[(label, cells[label]) for label, _value in labelled],
        total=total,
        suppressed=sum(1 for value in cells.values() if value is None),
    )


def _in_charge(district: District, on: datetime.date | None = None) -> QuerySet[Case]:
    on = on or timezone.localdate()
    return Case.objects.filter(district=district, opened_on__lte=on).exclude(
        status=Case.Status.CLOSED, closed_on__lt=on
    )


def people_in_charge_by_area(district: District) -> AggregateTable:
    rows = dict(
        _in_charge(district)
        .values("area")
        .annotate(n=Count("person", distinct=True))
        .values_list("area", "n")
    )
    return _table(
        _("Persone in carico per area"),
        [(str(label), rows.get(value, 0)) for value, label in UserArea.choices],
    )


def people_in_charge_by_municipality(district: District) -> AggregateTable:
    rows = dict(
        _in_charge(district)
        .values("person__residence_municipality__name")
        .annotate(n=Count("person", distinct=True))
        .values_list("person__residence_municipality__name", "n")
    )
    names = list(district.municipalities.order_by("name").values_list("name", flat=True))
    labelled = [(name, rows.get(name, 0)) for name in names]
    other = sum(n for name, n in rows.items() if name not in names)
    if other:
        labelled.append((_("Altro o non indicato"), other))
    return _table(_("Persone in carico per comune di residenza"), labelled)


def people_in_charge_by_age_band(district: District) -> AggregateTable:
    today = timezone.localdate()
    births = (
        _in_charge(district)
        .values("person")
        .annotate(birth=Min("person__birth_date"))
        .values_list("birth", flat=True)
    )
    counter: Counter[str] = Counter()
    labels = [f"{lo}-{hi}" if hi < 200 else f"{lo}+" for lo, hi in AGE_BANDS]
    for birth in births:
        if birth is None:
            counter[_("non indicata")] += 1
            continue
        age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
        for (lo, hi), label in zip(AGE_BANDS, labels, strict=True):
            if lo <= age <= hi:
                counter[label] += 1
    labelled = [(label, counter.get(label, 0)) for label in labels]
    if counter.get(_("non indicata")):
        labelled.append((_("non indicata"), counter[_("non indicata")]))
    return _table(_("Persone in carico per fascia d'età"), labelled)


def cases_opened_by_month(
    district: District, year: int, municipality_id: int | None = None
) -> AggregateTable:
    """People taken in charge by month of ``year``; only residents of one municipality when
    ``municipality_id`` is given."""
    cases = Case.objects.filter(district=district, opened_on__year=year)
    if municipality_id is not None:
        cases = cases.filter(person__residence_municipality_id=municipality_id)
    rows = dict(
        cases.annotate(month=TruncMonth("opened_on"))
        .values("month")
        .annotate(n=Count("person", distinct=True))
        .values_list("month", "n")
    )
    by_month = {key.month: n for key, n in rows.items() if key is not None}
    return _table(
        _("Persone prese in carico per mese (%(year)s)") % {"year": year},
        [(f"{month:02d}/{year}", by_month.get(month, 0)) for month in range(1, 13)],
    )


def referrals_by_outcome(district: District) -> AggregateTable:
    rows = dict(
        Referral.objects.filter(district=district)
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return _table(
        _("Invii per esito"),
        [(str(label), rows.get(value, 0)) for value, label in Referral.Status.choices],
    )


def days_to_signed_project(district: District) -> AggregateTable:
    """Days from the first intake of the person to the signature of the project."""
    first_contact = dict(
        Contact.objects.filter(district=district)
        .values("person")
        .annotate(first=Min("created_at"))
        .values_list("person", "first")
    )
    signed = PersonalisedProject.objects.filter(
        district=district, signed_on__isnull=False
    ).values_list(F("case__person"), F("signed_on"), F("case__opened_on"))
    counter: Counter[int] = Counter()
    for person_id, signed_on, opened_on in signed:
        first = first_contact.get(person_id)
        start = timezone.localtime(first).date() if first else opened_on
        days = max((signed_on - start).days, 0)
        for index, (lo, hi) in enumerate(DAY_BANDS):
            if lo <= days <= hi:
                counter[index] += 1
    labels = [
        _("%(lo)s-%(hi)s giorni") % {"lo": lo, "hi": hi}
        if hi < 100_000
        else _("oltre %(lo)s giorni") % {"lo": lo - 1}
        for lo, hi in DAY_BANDS
    ]
    return _table(
        _("Giorni dal primo accesso al progetto sottoscritto"),
        [(label, counter.get(i, 0)) for i, label in enumerate(labels)],
    )


def all_tables(district: District, year: int | None = None) -> list[AggregateTable]:
    year = year or timezone.localdate().year
    return [
        people_in_charge_by_area(district),
        people_in_charge_by_municipality(district),
        people_in_charge_by_age_band(district),
        cases_opened_by_month(district, year),
        referrals_by_outcome(district),
        days_to_signed_project(district),
    ]


# --------------------------------------------------------------------------- for monitoring


def _signed_projects(district: District, on: datetime.date | None = None) -> QuerySet[Any]:
    on = on or timezone.localdate()
    return PersonalisedProject.objects.filter(
        district=district, signed_on__isnull=False, signed_on__lte=on
    )


def projects_signed_by_area(district: District, on: datetime.date | None = None) -> AggregateTable:
    """Personalised projects signed up to ``on`` (today), by the user area of their case."""
    rows = dict(
        _signed_projects(district, on)
        .values("case__area")
        .annotate(n=Count("pk"))
        .values_list("case__area", "n")
    )
    return _table(
        _("Progetti personalizzati sottoscritti per area"),
        [(str(label), rows.get(value, 0)) for value, label in UserArea.choices],
    )


def _days_to_sign(district: District, on: datetime.date | None = None) -> list[int]:
    """For each signed project, the days from the person's first intake (the case's opening
    when there is no intake) to the signature; never negative. Two queries."""
    first_contact = dict(
        Contact.objects.filter(district=district)
        .values("person")
        .annotate(first=Min("created_at"))
        .values_list("person", "first")
    )
    days = []
    for person_id, signed_on, opened_on in _signed_projects(district, on).values_list(
        F("case__person"), F("signed_on"), F("case__opened_on")
    ):
        first = first_contact.get(person_id)
        start = timezone.localtime(first).date() if first else opened_on
        days.append(max((signed_on - start).days, 0))
    return days


def median_days_to_signed_project(
    district: District, on: datetime.date | None = None
) -> float | None:
    """Median of the days from the first intake to the signed project, over the projects
    signed up to ``on``; ``None`` when they are fewer than the disclosure threshold (a median
    of two or three people tells about each of them)."""
    days = _days_to_sign(district, on)
    if not days or len(days) < threshold():
        return None
    return float(statistics.median(days))


def cases_opened_by_municipality(
    district: District, year: int, month: int | None = None
) -> AggregateTable:
    """People taken in charge in ``year`` (and ``month``), by municipality of residence."""
    cases = Case.objects.filter(district=district, opened_on__year=year)
    if month is not None:
        cases = cases.filter(opened_on__month=month)
    rows = dict(
        cases.values("person__residence_municipality")
        .annotate(n=Count("person", distinct=True))
        .values_list("person__residence_municipality", "n")
    )
    municipalities = list(district.municipalities.order_by("name").values_list("pk", "name"))
    labelled = [(name, rows.get(pk, 0)) for pk, name in municipalities]
    known = {pk for pk, _name in municipalities}
    other = sum(n for pk, n in rows.items() if pk not in known)
    if other:
        labelled.append((_("Altro o non indicato"), other))
    return _table(
        _("Persone prese in carico per comune di residenza (%(year)s)") % {"year": year},
        labelled,
    )
