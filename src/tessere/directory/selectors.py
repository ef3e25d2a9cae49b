"""Reads of the directory, scoped and shaped for pages and the API (fixed query counts)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, cast

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Case,
    Count,
    FloatField,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone

from tessere.core.models import Role
from tessere.core.scoping import district_access
from tessere.directory import text
from tessere.directory.models import (
    Organisation,
    Schedule,
    Service,
    ServiceAtLocation,
)
from tessere.territory.models import District


def verify_months() -> int:
    return int(getattr(settings, "TESSERE_DIRECTORY_VERIFY_MONTHS", 12))


def verification_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    now = now or timezone.now()
    return now - datetime.timedelta(days=round(verify_months() * 30.44))


def needs_verification(service: Service, now: datetime.datetime | None = None) -> bool:
    return service.verified_at is None or service.verified_at < verification_cutoff(now)


def locations_prefetch(lookup: str = "at_locations") -> Prefetch:
    """A service's locations with their municipality and opening hours, in two queries."""
    return Prefetch(
        lookup,
        queryset=ServiceAtLocation.objects.select_related("location__municipality__province")
        .prefetch_related(
            Prefetch("schedules", queryset=Schedule.objects.order_by("weekday", "opens_at"))
        )
        .order_by("location__name"),
    )


def _with_locations(qs: QuerySet[Service]) -> QuerySet[Service]:
    return qs.select_related("organisation", "nomenclature__taxonomy").prefetch_related(
        locations_prefetch()
    )


def public_services(district: District) -> QuerySet[Service]:
    return Service.objects.filter(district=district, is_published=True).exclude(
        status=Service.Status.CLOSED
    )


def public_service(district: District, service_id: Any) -> Service | None:
    return _with_locations(public_services(district)).filter(pk=service_id).first()


def public_organisation(district: District, organisation_id: Any) -> Organisation | None:
    return Organisation.objects.filter(district=district, pk=organisation_id).first()


# --- search --------------------------------------------------------------------------------


@dataclass
class SearchFilters:
    q: str = ""
    area: str = ""
    municipality: str = ""
    kind: str = ""
    cost: str = ""
    language: str = ""
    accessibility: list[str] = field(default_factory=list)
    age: int | None = None
    projects: str = ""  # "", "services", "projects"

    def is_empty(self) -> bool:
        return not any(
            [
                self.q,
                self.area,
                self.municipality,
                self.kind,
                self.cost,
                self.language,
                self.accessibility,
                self.age is not None,
                self.projects,
            ]
        )


def _apply_filters(qs: QuerySet[Service], filters: SearchFilters) -> QuerySet[Service]:
    if filters.area:
        qs = qs.filter(areas__contains=f"|{filters.area}|")
    if filters.municipality:
        qs = qs.filter(municipality_codes__contains=f"|{filters.municipality}|")
    if filters.kind:
        qs = qs.filter(organisation__kind=filters.kind)
    if filters.cost:
        qs = qs.filter(cost_kind=filters.cost)
    if filters.language:
        qs = qs.filter(languages__contains=f"|{filters.language}|")
    for feature in filters.accessibility:
        qs = qs.filter(accessibility__contains=f"|{feature}|")
    if filters.age is not None:
        qs = qs.filter(Q(min_age__isnull=True) | Q(min_age__lte=filters.age)).filter(
            Q(max_age__isnull=True) | Q(max_age__gte=filters.age)
        )
    if filters.projects == "projects":
        qs = qs.filter(start_date__isnull=False)
    elif filters.projects == "services":
        qs = qs.filter(start_date__isnull=True)
    return qs


def search(qs: QuerySet[Service], filters: SearchFilters) -> QuerySet[Service]:
    """Filter and rank by relevance: full text on PostgreSQL, stems on SQLite."""
    qs = _apply_filters(qs, filters)
    words = text.tokens(filters.q)
    if not words:
        return qs.order_by("name")
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField

        # The same pipeline as the indexed column: accent-free light stems, then the Italian
        # configuration (Snowball alone splits "anziano" -> "anzi" and "anziani" -> "anzian").
        raw = " & ".join(f"{text.stem(w)}:*" for w in words)
        query = SearchQuery(raw, config="italian", search_type="raw")
        vector = RawSQL('"directory_service"."search_vector"', [], output_field=SearchVectorField())
        return (
            qs.annotate(fts=vector)
            .filter(fts=query)
            .annotate(rank=SearchRank(vector, query))
            .order_by("-rank", "name")
        )
    stems = [text.stem(w) for w in words]
    if connection.vendor == "sqlite":
        # The FTS5 index (migration 0003) finds the rows; the filters above narrow them.
        match = " AND ".join(f'"{s}"*' for s in stems)
        qs = qs.extra(
            where=[
                '"directory_service"."rowid" IN (SELECT rowid FROM directory_service_fts '
                "WHERE directory_service_fts MATCH %s)"
            ],
            params=[match],
        )
    else:  # pragma: no cover - other databases: a plain scan of the stems
        for s in stems:
            qs = qs.filter(search_stems__contains=f" {s}")
    score: Any = Value(0.0, output_field=FloatField())
    for s in stems:
        score = score + Case(
            When(name_stems__contains=f" {s} ", then=Value(3.0)),
            When(name_stems__contains=f" {s}", then=Value(2.0)),
            default=Value(1.0),
            output_field=FloatField(),
        )
    return qs.annotate(rank=score).order_by("-rank", "name")


def search_public(district: District, filters: SearchFilters) -> QuerySet[Service]:
    return _with_locations(search(public_services(district), filters))


class _Window:
    """The fetched page of a result list that knows its total (for ``Paginator``)."""

    def __init__(self, items: list[Any], total: int, offset: int) -> None:
        self.items, self.total, self.offset = items, total, offset

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, key: slice) -> list[Any]:
        start = (key.start or 0) - self.offset
        stop = (self.total if key.stop is None else key.stop) - self.offset
        return self.items[max(start, 0) : max(stop, 0)]


def _page_number(value: Any) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def search_page(district: District, filters: SearchFilters, page: Any, size: int) -> Page:
    """One page of the public search, as ``Paginator.get_page`` would give it, in a fixed
    number of queries that read as little as possible:

    - without words: the page in name order and the count both come from the covering index
      ``dir_service_guide_idx`` (district, name, the filters' columns), never the wide rows;
    - with words: the ranked page is first taken as bare ids with the total as a window count
      (``COUNT(*) OVER ()``), so the full-text index (GIN or FTS5) is read once and the sort
      carries no wide row and no join; then the page's rows are read with their organisations,
      locations and opening hours.
    """
    if not text.tokens(filters.q):
        return Paginator(search_public(district, filters), size).get_page(page)
    counted = search(public_services(district), filters).annotate(
        total_count=Window(expression=Count("pk"))
    )

    def ids_of(n: int) -> list[tuple[Any, int]]:
        rows = counted.values_list("pk", "total_count")[(n - 1) * size : n * size]
        return [(pk, int(total)) for pk, total in rows]

    number = _page_number(page)
    found = ids_of(number)
    if found:
        total = found[0][1]
    elif number == 1:
        total = 0
    else:  # past the end: the last page, as get_page does
        first = ids_of(1)
        total = first[0][1] if first else 0
        number = max(1, -(-total // size))
        found = ids_of(number) if total else []
    order = {pk: index for index, (pk, _total) in enumerate(found)}
    rows = sorted(
        _with_locations(Service.objects.filter(pk__in=list(order))) if order else [],
        key=lambda s: order[s.pk],
    )
    return Paginator(cast(Any, _Window(rows, total, (number - 1) * size)), size).get_page(number)


# --- staff ---------------------------------------------------------------------------------


def staff_services(actor: Any, district: District) -> QuerySet[Service]:
    """What the actor may see on the staff pages: planners all, providers their own."""
    qs = Service.objects.filter(district=district).select_related("organisation", "verified_by")
    if actor.is_superuser:
        return qs
    access = district_access(actor)
    if access.has_role(district, Role.PLANNER):
        return qs
    if access.has_role(district, Role.PROVIDER):
        return qs.filter(organisation_id__in=access.organisations.get(district.pk, set()))
    if access.has_role(district, *[r.value for r in Role]):
        return qs
    return qs.none()


def staff_service(actor: Any, district: District, service_id: Any) -> Service | None:
    return _with_locations(staff_services(actor, district)).filter(pk=service_id).first()


def verification_queue(actor: Any, district: District) -> QuerySet[Service]:
    cutoff = verification_cutoff()
    return (
        staff_services(actor, district)
        .filter(Q(verified_at__isnull=True) | Q(verified_at__lt=cutoff))
        .exclude(status=Service.Status.CLOSED)
        .annotate(
            never=Case(
                When(verified_at__isnull=True, then=0), default=1, output_field=IntegerField()
            )
        )
        .order_by("never", "verified_at", "name")
    )


def staff_organisations(actor: Any, district: District) -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(district=district)
    if actor.is_superuser:
        return qs
    access = district_access(actor)
    if access.has_role(district, Role.PLANNER):
        return qs
    return qs.filter(pk__in=access.organisations.get(district.pk, set()))
