"""Reads of the tables, scoped to what the acting user may see, with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from tessere.core.errors import NotFound
from tessere.core.rules import is_district_staff
from tessere.core.scoping import district_access
from tessere.participation import rules as prules
from tessere.participation.models import (
    Attendance,
    Contribution,
    Criterion,
    Meeting,
    Member,
    Phase,
    Table,
)
from tessere.territory.models import District
from tessere.territory.selectors import public_districts

UPCOMING_LIMIT = 10
APPROVED_MINUTES_LIMIT = 10


def _visible_q(actor: Any, district: District) -> Q:
    query = Q(visibility=Table.Visibility.PUBLIC)
    if actor is None or not actor.is_authenticated:
        return query
    if actor.is_superuser or is_district_staff(actor, district.pk):
        return Q()
    organisations = district_access(actor).organisations.get(district.pk, set())
    member_tables = Member.objects.filter(
        prules.rules_member_q(user_id=actor.pk, organisations=organisations)
    ).values("table_id")
    return query | Q(pk__in=member_tables) | Q(coordinator_id=actor.pk)


def all_tables(*, actor: Any) -> QuerySet[Table]:
    """Tables of every public district that the actor may see."""
    query = Q(visibility=Table.Visibility.PUBLIC)
    if actor is not None and actor.is_authenticated:
        if actor.is_superuser:
            query = Q()
        else:
            access = district_access(actor)
            organisations = (
                set().union(*access.organisations.values()) if access.organisations else set()
            )
            member_tables = Member.objects.filter(
                prules.rules_member_q(user_id=actor.pk, organisations=organisations)
            ).values("table_id")
            query |= (
                Q(district_id__in=list(access.roles))
                | Q(pk__in=member_tables)
                | Q(coordinator_id=actor.pk)
            )
    return (
        Table.objects.filter(district__in=public_districts())
        .filter(query)
        .select_related("district", "subdistrict", "municipality", "neighbourhood")
        .order_by("district__name", "title")
    )


def get_district(code: str) -> District:
    district = public_districts().filter(code=code).first()
    if district is None:
        raise NotFound("Ambito non trovato.")
    return district


def districts_with_tables() -> QuerySet[District]:
    return public_districts().annotate(
        public_tables=Count(
            "participation_tables",
            filter=Q(participation_tables__visibility=Table.Visibility.PUBLIC),
        )
    )


def tables(*, actor: Any, district: District) -> QuerySet[Table]:
    return (
        Table.objects.filter(district=district)
        .filter(_visible_q(actor, district))
        .select_related("coordinator", "subdistrict", "municipality", "neighbourhood")
        .prefetch_related(Prefetch("phases", queryset=Phase.objects.order_by("starts_on")))
        .annotate(
            published_count=Count(
                "contributions",
                filter=Q(contributions__moderation=Contribution.Moderation.PUBLISHED),
            )
        )
        .order_by("title")
    )


def get_table(*, actor: Any, district: District, table_id: int) -> Table:
    table = (
        Table.objects.filter(district=district, pk=table_id)
        .filter(_visible_q(actor, district))
        .select_related("district", "coordinator", "subdistrict", "municipality", "neighbourhood")
        .prefetch_related(
            Prefetch("phases", queryset=Phase.objects.order_by("starts_on")),
            Prefetch("criteria", queryset=Criterion.objects.order_by("position", "id")),
        )
        .first()
    )
    if table is None:
        raise NotFound("Tavolo non trovato.")
    return table


def upcoming_meetings(*, actor: Any, district: District, table: Table | None = None) -> Any:
    visible = tables(actor=actor, district=district).values("pk")
    meetings = Meeting.objects.filter(
        district=district, table_id__in=visible, ends_at__gte=timezone.now()
    )
    if table is not None:
        meetings = meetings.filter(table=table)
    return meetings.select_related("table").order_by("starts_at")


def approved_minutes(*, actor: Any, district: District) -> QuerySet[Meeting]:
    visible = tables(actor=actor, district=district).values("pk")
    return (
        Meeting.objects.filter(
            district=district,
            table_id__in=visible,
            minutes_status=Meeting.MinutesStatus.APPROVED,
        )
        .select_related("table")
        .order_by("-starts_at")
    )


def meetings(*, table: Table) -> QuerySet[Meeting]:
    return Meeting.objects.filter(table=table).order_by("-starts_at")


def members(*, table: Table) -> QuerySet[Member]:
    return (
        Member.objects.filter(table=table)
        .select_related("organisation", "user")
        .order_by("role", "name", "id")
    )


def contributions(
    *, table: Table, status: str = "", kind: str = "", query: str = ""
) -> QuerySet[Contribution]:
    """Published contributions of a table (pending ones are in the moderation queue)."""
    rows = Contribution.objects.filter(
        table=table, moderation=Contribution.Moderation.PUBLISHED
    ).only(
        "id",
        "table_id",
        "district_id",
        "kind",
        "title",
        "status",
        "author_name",
        "area",
        "created_at",
        "support_count",
        "comment_count",
        "moderation",
    )
    if status in Contribution.Status.values:
        rows = rows.filter(status=status)
    if kind in Contribution.Kind.values:
        rows = rows.filter(kind=kind)
    if query:
        rows = rows.filter(title__icontains=query)
    return rows.order_by("-created_at", "-id")


def get_contribution(*, actor: Any, table: Table, contribution_id: int) -> Contribution:
    """A contribution of a visible table. Pending or refused ones only to their moderators."""
    contribution = (
        Contribution.objects.filter(table=table, pk=contribution_id)
        .select_related("merged_into", "author_member__organisation")
        .prefetch_related(
            "needs",
            "outcomes",
            "status_changes",
            "comments",
            "merged_from",
            "supports__member__organisation",
        )
        .first()
    )
    if contribution is None:
        raise NotFound("Contributo non trovato.")
    if not contribution.is_published and not (
        actor.has_perm("participation.moderate_table", table)
        or (actor.is_authenticated and contribution.author_user_id == actor.pk)
    ):
        raise NotFound("Contributo non trovato.")
    contribution.table = table
    return contribution


def moderation_queue(*, actor: Any, district: District) -> QuerySet[Contribution]:
    """Pending citizen contributions of the tables the actor moderates."""
    rows = Contribution.objects.filter(
        district=district, moderation=Contribution.Moderation.PENDING
    ).select_related("table")
    if actor.is_superuser or actor.has_perm("participation.moderate_in_district", district):
        return rows.order_by("created_at")
    coordinated = Member.objects.filter(
        table__district=district, user_id=actor.pk, role=Member.Role.COORDINATOR
    ).values("table_id")
    return rows.filter(Q(table_id__in=coordinated) | Q(table__coordinator_id=actor.pk)).order_by(
        "created_at"
    )


def meeting_detail(*, table: Table, meeting_id: int) -> Meeting:
    meeting = (
        Meeting.objects.filter(table=table, pk=meeting_id)
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("organisation").order_by("name"),
            ),
            "attachments",
            "approvals",
        )
        .first()
    )
    if meeting is None:
        raise NotFound("Incontro non trovato.")
    meeting.table = table
    return meeting


@dataclass
class Permissions:
    """What the actor may do on a table now, asked once for templates and the API."""

    manage: bool
    submit: bool
    submit_as_citizen: bool
    support: bool
    comment: bool
    score: bool
    vote: bool
    evaluate: bool
    approve_minutes: bool


def permissions(actor: Any, table: Table) -> Permissions:
    def has(perm: str) -> bool:
        return bool(actor.has_perm(f"participation.{perm}", table))

    return Permissions(
        manage=has("manage_table"),
        submit=has("submit_contribution"),
        submit_as_citizen=has("submit_as_citizen"),
        support=has("support_contribution"),
        comment=has("comment_contribution"),
        score=has("score_contribution"),
        vote=has("vote_contribution"),
        evaluate=has("evaluate_contribution"),
        approve_minutes=has("approve_minutes"),
    )
