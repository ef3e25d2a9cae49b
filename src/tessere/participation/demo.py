"""Demo data of this room for the demo districts (called by `tessere setup`).

Tables, phases, members, meetings with minutes and attendance, contributions in every status
and scores. People are fictional and marked "(esempio)"; every row has ``is_demo`` where the
model has it. Idempotent: a table that already exists (same district and title) is skipped.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from tessere.core.demo import demo_organisation_id
from tessere.core.models import User
from tessere.directory.models import Organisation
from tessere.participation import services
from tessere.participation.models import (
    Contribution,
    DotVote,
    Member,
    Phase,
    Score,
    StatusChange,
    Table,
    Territory,
)
from tessere.profile.models import Need
from tessere.territory.models import District, Neighbourhood, SubDistrict

PEOPLE = [
    "Maria Rossi (esempio)",
    "Luca Bianchi (esempio)",
    "Anna Conti (esempio)",
    "Marco Galli (esempio)",
    "Sara Fontana (esempio)",
]

CONTRIBUTIONS = [
    (
        Contribution.Kind.NEED,
        "Anziani soli nelle frazioni",
        "Nelle frazioni collinari molti anziani vivono soli e senza rete familiare vicina.",
        "anziani",
    ),
    (
        Contribution.Kind.PROPOSAL,
        "Rete di vicinato per gli anziani soli",
        "Volontari delle associazioni che telefonano e visitano ogni settimana gli anziani "
        "segnalati dai servizi sociali.",
        "anziani",
    ),
    (
        Contribution.Kind.PROPOSAL,
        "Centro per le famiglie aperto il sabato",
        "Aprire il Centro per le famiglie anche il sabato mattina, con mediazione familiare.",
        "famiglia_minori",
    ),
    (
        Contribution.Kind.PROPOSAL,
        "Corsi di italiano serali per adulti stranieri",
        "Corsi di alfabetizzazione serali nelle scuole, con servizio di custodia dei bambini.",
        "immigrati",
    ),
    (
        Contribution.Kind.RECOMMENDATION,
        "Un punto unico di accesso con il Centro per l'impiego",
        "Integrare lo sportello sociale e il Centro per l'impiego in un'équipe unica per le "
        "famiglie vulnerabili con figli minori.",
        "poverta",
    ),
    (
        Contribution.Kind.PROPOSAL,
        "Sollievo per chi assiste un familiare disabile",
        "Ore di sollievo a domicilio per i caregiver familiari, con operatori formati.",
        "disabili",
    ),
]

# (status, reason) applied in order to the contributions above.
STATUSES = [
    (Contribution.Status.ACCEPTED, ""),
    (Contribution.Status.UNDER_EVALUATION, ""),
    (Contribution.Status.RECEIVED, ""),
    (Contribution.Status.REJECTED, "Già finanziato dal fondo regionale per l'anno in corso."),
    (Contribution.Status.ACCEPTED, ""),
    (Contribution.Status.MERGED, "Riunita alla proposta sulla rete di vicinato."),
]


def _phases(active: str) -> dict[str, tuple[datetime.date, datetime.date]]:
    """Four phases of about a month each, with ``active`` running today."""
    order = [k.value for k in Phase.Kind]
    today = timezone.localdate()
    index = order.index(active)
    start = today - datetime.timedelta(days=15 + 31 * index)
    phases = {}
    for kind in order:
        phases[kind] = (start, start + datetime.timedelta(days=30))
        start += datetime.timedelta(days=31)
    return phases


def _planner(district: District) -> User | None:
    return (
        User.objects.filter(memberships__district=district, memberships__role="planner")
        .order_by("username")
        .first()
    )


def _table(district: District, spec: dict[str, Any], lines: list[str]) -> None:
    if Table.objects.filter(district=district, title=spec["title"]).exists():
        return
    coordinator = _planner(district)
    table = services.create_table(
        actor=None,
        district=district,
        kind=spec["kind"],
        title=spec["title"],
        description=spec.get("description", ""),
        area=spec.get("area", ""),
        territory=spec.get("territory", Territory.DISTRICT),
        subdistrict=spec.get("subdistrict"),
        neighbourhood=spec.get("neighbourhood"),
        municipality=spec["neighbourhood"].municipality if spec.get("neighbourhood") else None,
        coordinator=coordinator,
        plan_cycle="2025-2027",
        visibility=spec.get("visibility", Table.Visibility.PUBLIC),
        public_consultation=spec.get("consultation", False),
        method=spec.get("method", Table.Method.SCORING),
        phases=_phases(spec["phase"]),
        is_demo=True,
    )
    if spec.get("neighbourhood"):
        table.territory = Territory.NEIGHBOURHOOD
        table.municipality = None
        table.save(update_fields=["territory", "municipality"])
    members = list(Member.objects.filter(table=table))
    cooperative = demo_organisation_id("piana-di-lucca:cooperativa-sociale-il-ponte")
    organisations = list(Organisation.objects.filter(district=district).order_by("name")[:3])
    organisations += list(
        Organisation.objects.filter(district=district, pk=cooperative).exclude(
            pk__in=[o.pk for o in organisations]
        )
    )
    for organisation in organisations:
        members.append(
            services.add_member(actor=None, table=table, organisation=organisation, is_demo=True)
        )
    for name in PEOPLE[:3]:
        slug = name.split(" (")[0].lower().replace(" ", ".")
        members.append(
            services.add_member(
                actor=None, table=table, name=name, email=f"{slug}@example.org", is_demo=True
            )
        )
    members.append(
        services.add_member(
            actor=None,
            table=table,
            name=PEOPLE[3],
            role=Member.Role.OBSERVER,
            is_demo=True,
        )
    )
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    past = services.schedule_meeting(
        actor=None,
        table=table,
        title="Primo incontro: ascolto del territorio",
        starts_at=now - datetime.timedelta(days=20, hours=-1),
        ends_at=now - datetime.timedelta(days=20, hours=-3),
        place="Sala consiliare (esempio)",
        agenda="Presentazione del profilo di comunità\nRaccolta dei bisogni\nCalendario",
        is_demo=True,
    )
    voting = [m for m in members if m.role != Member.Role.OBSERVER]
    services.record_minutes(
        actor=None,
        meeting=past,
        minutes=(
            "# Sintesi\n\nIl tavolo ha letto il **profilo di comunità** e raccolto i bisogni "
            "emersi.\n\n- anziani soli nelle frazioni\n- conciliazione tra lavoro e cura\n"
            "- corsi di italiano per adulti\n\nDati e slide: "
            "[profilo di comunità](https://example.org/profilo)"
        ),
        decisions="Aprire la fase delle proposte\nProssimo incontro tra un mese",
        present_member_ids=[m.pk for m in voting],
        guests=["Giorgio Ricci (esempio), cittadino"],
    )
    from tessere.participation.models import Meeting, MinutesApproval

    for member in voting[: len(voting) // 2 + 1]:
        MinutesApproval.objects.create(district=district, meeting=past, member=member)
    Meeting.objects.filter(pk=past.pk).update(
        minutes_status=Meeting.MinutesStatus.APPROVED, minutes_approved_at=timezone.now()
    )
    services.schedule_meeting(
        actor=None,
        table=table,
        title="Incontro sulle proposte",
        starts_at=now + datetime.timedelta(days=10, hours=1),
        ends_at=now + datetime.timedelta(days=10, hours=3),
        place="Casa di comunità (esempio)",
        online_url="https://meet.example.org/tavolo",
        agenda="Proposte ricevute\nCriteri di valutazione",
        is_demo=True,
    )
    _contributions(table, members, voting)
    lines.append(f"  tavolo «{table.title}» ({district.name})")


def _contributions(table: Table, members: list[Member], voting: list[Member]) -> None:
    created: list[Contribution] = []
    authors = [m for m in members if m.role != Member.Role.OBSERVER] or members
    for index, (kind, title, text, area) in enumerate(CONTRIBUTIONS):
        author = authors[index % len(authors)]
        contribution = Contribution.objects.create(
            district_id=table.district_id,
            table=table,
            kind=kind,
            title=title,
            text=text,
            area=area,
            author_member=author,
            author_name=author.label,
            is_demo=True,
        )
        StatusChange.objects.create(
            district_id=table.district_id,
            contribution=contribution,
            to_status=Contribution.Status.RECEIVED,
            actor_label=author.label,
        )
        # Link the profile's needs of the same area, when the profile has some.
        contribution.needs.set(
            Need.objects.filter(district_id=table.district_id, area=area)[:2],
            through_defaults={"district_id": table.district_id},
        )
        created.append(contribution)
    for contribution, (status, reason) in zip(created, STATUSES, strict=True):
        if status == Contribution.Status.RECEIVED:
            continue
        contribution.status = status
        contribution.status_reason = reason
        contribution.status_changed_at = timezone.now()
        if status == Contribution.Status.MERGED:
            contribution.merged_into = created[1]
        contribution.save()
        StatusChange.objects.create(
            district_id=table.district_id,
            contribution=contribution,
            from_status=Contribution.Status.RECEIVED,
            to_status=status,
            reason=reason,
            actor_label="Ufficio di Piano (esempio)",
        )
    Contribution.objects.create(
        district_id=table.district_id,
        table=table,
        kind=Contribution.Kind.PROPOSAL,
        title="Doposcuola nei quartieri",
        text="Un doposcuola gestito da associazioni e parrocchie in ogni quartiere.",
        author_name="Elena Greco (esempio)",
        is_citizen=True,
        moderation=Contribution.Moderation.PENDING,
        is_demo=True,
    )
    rankable = [c for c in created if c.status not in ("merged", "rejected")]
    if table.method == Table.Method.DOTS:
        for m_index, member in enumerate(voting):
            first, second = rankable[m_index % len(rankable)], rankable[-1]
            DotVote.objects.create(
                district_id=table.district_id, contribution=first, member=member, points=6
            )
            if second.pk != first.pk:
                DotVote.objects.create(
                    district_id=table.district_id, contribution=second, member=member, points=4
                )
        return
    criteria = list(table.criteria.all())
    for m_index, member in enumerate(voting):
        for c_index, contribution in enumerate(rankable):
            if (m_index + c_index) % 4 == 3:
                continue  # not everyone scores everything
            for k_index, criterion in enumerate(criteria):
                Score.objects.create(
                    district_id=table.district_id,
                    contribution=contribution,
                    criterion=criterion,
                    member=member,
                    value=1 + (m_index + 2 * c_index + k_index) % 5,
                )


def _specs(district: District) -> list[dict[str, Any]]:
    if district.code == "piana-di-lucca":
        return [
            {
                "kind": Table.Kind.THEMATIC,
                "title": "Tavolo tematico famiglia e minori",
                "area": "famiglia_minori",
                "phase": Phase.Kind.PROPOSALS,
                "consultation": True,
                "description": "Tavolo di partecipazione del Piano Integrato di Salute, aperto "
                "ai cittadini durante la consultazione pubblica.",
            },
            {
                "kind": Table.Kind.THEMATIC,
                "title": "Tavolo tematico anziani e disabili",
                "area": "anziani",
                "phase": Phase.Kind.PRIORITISATION,
            },
            {
                "kind": Table.Kind.THEMATIC,
                "title": "Tavolo tematico povertà e impoverimento",
                "area": "poverta",
                "phase": Phase.Kind.FEEDBACK,
            },
            {
                "kind": Table.Kind.STEERING,
                "title": "Cabina di regia del Piano",
                "phase": Phase.Kind.PRIORITISATION,
                "visibility": Table.Visibility.RESERVED,
            },
        ]
    if district.code == "reggio-emilia":
        return [
            {
                "kind": Table.Kind.NEIGHBOURHOOD,
                "title": f"Tavolo di quartiere {n.name}",
                "territory": Territory.NEIGHBOURHOOD,
                "neighbourhood": n,
                "phase": [Phase.Kind.PROPOSALS, Phase.Kind.PRIORITISATION][i % 2],
                "method": [Table.Method.SCORING, Table.Method.DOTS][i % 2],
            }
            for i, n in enumerate(Neighbourhood.objects.filter(district=district)[:3])
        ]
    if district.code == "cremona":
        specs: list[dict[str, Any]] = [
            {
                "kind": Table.Kind.WORKSHOP,
                "title": f"Laboratorio · {s.name}",
                "territory": Territory.SUBDISTRICT,
                "subdistrict": s,
                "phase": Phase.Kind.PRIORITISATION,
            }
            for s in SubDistrict.objects.filter(district=district).order_by("name")[:4]
        ]
        specs.append(
            {
                "kind": Table.Kind.MAYORS,
                "title": "Raccomandazioni all'Assemblea dei Sindaci",
                "phase": Phase.Kind.FEEDBACK,
            }
        )
        return specs
    return []


def load(*, districts: list[District]) -> list[str]:
    """Create what is missing; return lines to print."""
    lines: list[str] = []
    for district in districts:
        with transaction.atomic():
            for spec in _specs(district):
                _table(district, spec, lines)
    if lines:
        lines.insert(0, "Tavoli di coprogettazione di esempio:")
    return lines
