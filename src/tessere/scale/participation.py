"""Participation at scale: tables with their members, criteria and phases, meetings with
attendance and minutes, contributions (needs, proposals, recommendations) in every status."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from tessere.core.areas import UserArea
from tessere.participation.models import (
    Attendance,
    Contribution,
    Criterion,
    Meeting,
    Member,
    Phase,
    Table,
)
from tessere.participation.services import DEFAULT_CRITERIA
from tessere.scale.base import Context, insert

ROME = ZoneInfo("Europe/Rome")
TOPICS = {
    UserArea.FAMILY_AND_MINORS: ("sostegno alla genitorialità", "centri estivi", "doposcuola"),
    UserArea.DISABILITY: ("vita indipendente", "trasporto accessibile", "inserimento lavorativo"),
    UserArea.ADDICTION: ("prevenzione nelle scuole", "riduzione del danno", "gioco d'azzardo"),
    UserArea.ELDERLY: ("assistenza domiciliare", "solitudine", "centri diurni"),
    UserArea.IMMIGRANTS: ("corsi di italiano", "mediazione culturale", "accoglienza"),
    UserArea.POVERTY: ("emergenza abitativa", "povertà alimentare", "orientamento al lavoro"),
    UserArea.MULTI: ("sportelli di prossimità", "trasporti", "informazione sui servizi"),
}
KIND_WEIGHTS = (
    (Table.Kind.THEMATIC, 50),
    (Table.Kind.NEIGHBOURHOOD, 25),
    (Table.Kind.WORKSHOP, 15),
    (Table.Kind.SUBDISTRICT, 8),
    (Table.Kind.STEERING, 2),
)
STATUS_WEIGHTS = (
    (Contribution.Status.RECEIVED, 25),
    (Contribution.Status.UNDER_EVALUATION, 25),
    (Contribution.Status.ACCEPTED, 35),
    (Contribution.Status.REJECTED, 10),
    (Contribution.Status.MERGED, 5),
)


def generate(ctx: Context) -> dict[str, int]:
    rng = ctx.rng("participation")
    organisations = ctx.shared["organisations"]
    n_tables = ctx.size("tables")
    n_meetings = ctx.size("meetings", minimum=n_tables)
    n_contributions = ctx.size("contributions", minimum=n_tables)
    first = ctx.today.year - 2  # the cycle of the plan that the planning room generates
    cycle = f"{first}-{first + 2}"
    areas = list(TOPICS)
    kinds = [k for k, _w in KIND_WEIGHTS]
    kind_weights = [w for _k, w in KIND_WEIGHTS]

    tables = []
    for n in range(n_tables):
        area = rng.choice(areas)
        kind: str = rng.choices(kinds, kind_weights)[0]
        topic = rng.choice(TOPICS[area])
        town = rng.choice(ctx.municipalities)
        where: dict[str, Any] = {"territory": "district"}
        if kind == Table.Kind.NEIGHBOURHOOD:
            where = {"territory": "municipality", "municipality": town}
        tables.append(
            Table(
                district=ctx.district,
                kind=kind,
                title=f"{Table.Kind(kind).label}: {topic} ({n + 1})",
                description=f"Il tavolo lavora su {topic} con gli enti e i cittadini.",
                area=area,
                plan_cycle=cycle,
                visibility="public" if rng.random() < 0.85 else "reserved",
                public_consultation=rng.random() < 0.3,
                **where,
            )
        )
    counts = {"participation.Table": insert(Table, tables)}

    phases, criteria, members = [], [], []
    table_members: dict[int, list[Member]] = {}
    start = datetime.date(first, 1, 15)
    for table in tables:
        for position, (name, weight) in enumerate(DEFAULT_CRITERIA):
            criteria.append(
                Criterion(
                    district=ctx.district, table=table, name=name, weight=weight, position=position
                )
            )
        day = start + datetime.timedelta(days=rng.randint(0, 60))
        for kind, length in (("listening", 60), ("proposals", 90), ("prioritisation", 45)):
            phases.append(
                Phase(
                    district=ctx.district,
                    table=table,
                    kind=kind,
                    starts_on=day,
                    ends_on=day + datetime.timedelta(days=length),
                )
            )
            day += datetime.timedelta(days=length + 1)
        chosen = rng.sample(organisations, min(len(organisations), rng.randint(6, 14)))
        table_members[table.pk] = [
            Member(
                district=ctx.district,
                table=table,
                organisation=org,
                role="coordinator" if k == 0 else "member",
            )
            for k, org in enumerate(chosen)
        ]
        members.extend(table_members[table.pk])
    counts["participation.Criterion"] = insert(Criterion, criteria)
    counts["participation.Phase"] = insert(Phase, phases)
    counts["participation.Member"] = insert(Member, members)

    meetings, attendance = [], []
    span = (ctx.today - datetime.date(first, 1, 1)).days + 120
    for n in range(n_meetings):
        table = tables[n % n_tables]
        day = datetime.date(first, 1, 1) + datetime.timedelta(days=rng.randint(0, span))
        starts = datetime.datetime.combine(
            day, datetime.time(rng.choice((9, 10, 15, 17, 18))), ROME
        )
        past = day < ctx.today
        meeting = Meeting(
            district=ctx.district,
            table=table,
            title=f"Incontro {n // n_tables + 1} del tavolo",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            place=f"Sala consiliare di {rng.choice(ctx.municipalities).name}",
            agenda="Saluti e presentazioni\nAnalisi dei bisogni\nProposte\nVarie ed eventuali",
            minutes="Il tavolo ha discusso i punti all'ordine del giorno." if past else "",
            minutes_status="approved" if past and rng.random() < 0.8 else "none",
            decisions="Si approfondiscono le proposte emerse." if past else "",
        )
        meetings.append(meeting)
        if past:
            for member in rng.sample(table_members[table.pk], min(5, len(table_members[table.pk]))):
                attendance.append(
                    Attendance(
                        district=ctx.district,
                        meeting=meeting,
                        member=member,
                        name=str(member.organisation),
                        organisation=member.organisation,
                    )
                )
    counts["participation.Meeting"] = insert(Meeting, meetings)
    counts["participation.Attendance"] = insert(Attendance, attendance)

    statuses = [s for s, _w in STATUS_WEIGHTS]
    status_weights = [w for _s, w in STATUS_WEIGHTS]
    contributions: list[Contribution] = []
    merged: list[tuple[int, int]] = []  # (index of the merged one, index of its target)
    for n in range(n_contributions):
        table = tables[n % n_tables]
        topic = rng.choice(TOPICS[UserArea(table.area)])
        kind = rng.choice(Contribution.Kind.values)
        author = rng.choice(table_members[table.pk])
        status: str = rng.choices(statuses, status_weights)[0]
        if status == Contribution.Status.MERGED and n < n_tables:
            status = Contribution.Status.ACCEPTED  # nothing earlier on this table to merge into
        reason = ""
        if status == Contribution.Status.REJECTED:
            reason = "Non rientra nelle competenze dell'ambito."
        elif status == Contribution.Status.MERGED:
            reason = "Unito a un contributo simile dello stesso tavolo."
            merged.append((n, n % n_tables))  # the table's first, never merged
        label = Contribution.Kind(kind).label
        contributions.append(
            Contribution(
                district=ctx.district,
                table=table,
                kind=kind,
                title=f"{label}: {topic} ({n + 1})",
                text=f"{label} sul tema {topic}, raccolto durante gli incontri del tavolo. "
                "Riguarda le persone seguite dai servizi e le famiglie del territorio.",
                area=table.area,
                author_member=author,
                author_name=str(author.organisation),
                status=status,
                status_reason=reason,
                support_count=rng.randint(0, 40),
            )
        )
    # A merged contribution points to an earlier one of the same table: insert the targets first.
    merged_at = {n for n, _target in merged}
    counts["participation.Contribution"] = insert(
        Contribution, (c for k, c in enumerate(contributions) if k not in merged_at)
    )
    for n, target in merged:
        contributions[n].merged_into = contributions[target]
    counts["participation.Contribution"] += insert(
        Contribution, (contributions[n] for n, _target in merged)
    )
    ctx.shared["contributions"] = [
        c for c in contributions if c.status == Contribution.Status.ACCEPTED
    ]
    return counts
