"""Demo data of this room for the demo districts (called by `tessere setup`): for each district
an approved Piano di Zona 2025-2027, clearly marked as example data, with objectives, actions,
funds with their rules and allocations that satisfy them (computed by the optimiser)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import F

from tessere.directory.models import Organisation, Service
from tessere.participation.models import Contribution, Table
from tessere.planning import funding, services
from tessere.planning.models import Action, Leps, Plan, Resource
from tessere.territory.models import District
from tessere.territory.selectors import district_population

FIRST_YEAR = 2025
TITLE = "Piano di Zona (esempio)"

OBJECTIVES = [
    # area, priority, title, rationale
    (
        "famiglia_minori",
        1,
        "Sostenere le famiglie con figli nei compiti di cura",
        "Crescono le famiglie monogenitoriali e i minori in carico ai servizi; i tavoli "
        "chiedono un centro per le famiglie in ogni sub-ambito.",
    ),
    (
        "anziani",
        1,
        "Permettere agli anziani di restare a casa il più a lungo possibile",
        "L'indice di vecchiaia sale e molti anziani vivono soli.",
    ),
    (
        "poverta",
        2,
        "Accompagnare le persone in povertà verso l'autonomia",
        "Più nuclei con Assegno di inclusione; servono presa in carico e pronto intervento.",
    ),
    (
        "disabilita",
        2,
        "Vita indipendente e inclusione delle persone con disabilità",
        "Le famiglie chiedono percorsi per il dopo di noi e per il lavoro.",
    ),
    (
        "immigrazione",
        3,
        "Favorire l'integrazione delle persone straniere",
        "Mediazione linguistica e culturale nelle scuole e nei servizi.",
    ),
    (
        "giovani",
        3,
        "Spazi e opportunità per i giovani",
        "Contrasto all'abbandono scolastico e promozione della partecipazione.",
    ),
]

# objective index, code, title, kind, target group, cost per year, LEPS codes
ACTIONS = [
    (0, "A01", "Centro per le famiglie", "continuing", "Famiglie con figli minori", 90000, []),
    (0, "A02", "Programma P.I.P.P.I.", "continuing", "Famiglie vulnerabili", 60000, ["PIPPI"]),
    (0, "A03", "Educativa domiciliare per minori", "continuing", "Minori e famiglie", 75000, []),
    (0, "A04", "Mediazione familiare", "new", "Coppie in separazione", 25000, []),
    (
        1,
        "A05",
        "Assistenza domiciliare integrata sociale",
        "continuing",
        "Anziani non autosufficienti",
        160000,
        [],
    ),
    (
        1,
        "A06",
        "Dimissioni protette",
        "continuing",
        "Anziani fragili dimessi dall'ospedale",
        45000,
        ["DIM"],
    ),
    (1, "A07", "Custode sociale per anziani soli", "new", "Anziani soli", 30000, []),
    (
        2,
        "A08",
        "Pronto intervento sociale",
        "continuing",
        "Persone in emergenza sociale",
        55000,
        ["PIS"],
    ),
    (
        2,
        "A09",
        "Équipe per l'Assegno di inclusione",
        "continuing",
        "Nuclei beneficiari ADI",
        80000,
        ["ADI", "SSP"],
    ),
    (
        2,
        "A10",
        "Residenza fittizia e fermo posta",
        "continuing",
        "Persone senza dimora",
        8000,
        ["RES"],
    ),
    (3, "A11", "Progetti di vita indipendente", "new", "Persone con disabilità", 70000, []),
    (4, "A12", "Mediazione linguistico-culturale", "continuing", "Famiglie straniere", 30000, []),
    (5, "A13", "Centro di aggregazione giovanile", "continuing", "Ragazzi 14-25 anni", 40000, []),
]


# Accepted example contributions of the tables (participation's demo) and the actions that
# take them up.
ORIGINS = [
    ("A07", "Anziani soli nelle frazioni"),
    ("A09", "Un punto unico di accesso con il Centro per l'impiego"),
]


def load(*, districts: list[District]) -> list[str]:
    """Create what is missing; return lines to print."""
    lines = []
    for district in districts:
        if Plan.objects.filter(district=district, first_year=FIRST_YEAR, version=1).exists():
            continue
        plan = _build(district)
        lines.append(
            f"Piano di Zona di esempio per {district.name}: "
            f"{plan.actions.count()} azioni, {plan.funds.count()} fondi, approvato."
        )
    return lines


def _link_contributions(plan: Plan, actions: dict[str, Action]) -> None:
    """Link accepted example contributions of the district's public tables to actions, while
    the plan is still a draft (an approved plan is frozen). Nothing when there are none."""
    for code, title in ORIGINS:
        found = Contribution.objects.filter(
            district_id=plan.district_id,
            is_demo=True,
            title=title,
            status=Contribution.Status.ACCEPTED,
            moderation=Contribution.Moderation.PUBLISHED,
            table__visibility=Table.Visibility.PUBLIC,
        ).order_by("table__title", "pk")
        # Prefer the table of the contribution's own area (e.g. the elderly's table).
        contribution = found.filter(table__area=F("area")).first() or found.first()
        if contribution is not None:
            services.accept_contribution_into_action(
                actor=None, action=actions[code], contribution=contribution
            )


def _build(district: District) -> Plan:
    plan = services.create_plan(
        actor=None,
        district=district,
        title=TITLE,
        first_year=FIRST_YEAR,
        last_year=FIRST_YEAR + 2,
        is_example=True,
    )
    areas = {a.code: a for a in plan.areas.all()}
    population = district_population(district).total or 100000
    scale = Decimal(max(population, 50000)) / Decimal(150000)
    organisations = list(Organisation.objects.filter(district=district).order_by("name")[:6])
    service_list = list(
        Service.objects.filter(district=district, status=Service.Status.ACTIVE).order_by("name")[
            :20
        ]
    )
    leps = {le.code: le for le in Leps.objects.filter(plan_period="2024-2026")}
    objectives = [
        services.save_objective(
            actor=None,
            plan=plan,
            area=areas[area],
            title=title,
            priority=priority,
            rationale=rationale + " (Dato di esempio.)",
        )
        for area, priority, title, rationale in OBJECTIVES
    ]
    actions = {}
    for n, (index, code, title, kind, target, cost, leps_codes) in enumerate(ACTIONS):
        yearly = (Decimal(cost) * scale).quantize(Decimal("1"))
        responsible = organisations[n % len(organisations)] if organisations else None
        partners = (
            [(organisations[(n + 1) % len(organisations)], "partner di rete")]
            if len(organisations) > 1
            else []
        )
        actions[code] = services.save_action(
            actor=None,
            plan=plan,
            objective=objectives[index],
            code=code,
            title=title,
            description=f"{title}: azione di esempio del piano, con dati fittizi.",
            kind=kind,
            target_group=target,
            expected_people={y: int(yearly / 2500) + 5 for y in range(FIRST_YEAR, FIRST_YEAR + 3)},
            responsible=responsible,
            partners=partners,
            services=[service_list[n % len(service_list)]] if service_list else [],
            leps=[leps[c] for c in leps_codes if c in leps],
            start_date=datetime.date(FIRST_YEAR, 1 + n % 6, 1),
            end_date=datetime.date(FIRST_YEAR + 2, 12, 31),
            milestones=[
                {"date": f"{FIRST_YEAR}-{3 + n % 6:02d}-01", "title": "Avvio"},
                {"date": f"{FIRST_YEAR + 1}-06-30", "title": "Verifica intermedia"},
            ],
            costs=dict.fromkeys(range(FIRST_YEAR, FIRST_YEAR + 3), yearly),
        )

    def amounts(value: int) -> dict[int, Decimal]:
        total = (Decimal(value) * scale).quantize(Decimal("1"))
        return dict.fromkeys(range(FIRST_YEAR, FIRST_YEAR + 3), total)

    funding.save_fund(
        actor=None,
        plan=plan,
        code="FNPS",
        source="FNPS",
        name="Fondo nazionale per le politiche sociali",
        amounts=amounts(200000),
        shares={areas["famiglia_minori"]: ("0.40", None)},
    )
    funding.save_fund(
        actor=None,
        plan=plan,
        code="FNA",
        source="FNA",
        name="Fondo per le non autosufficienze",
        amounts=amounts(150000),
        eligible_areas=[areas["anziani"], areas["disabilita"]],
        mandatory_actions=[actions["A05"]],
    )
    funding.save_fund(
        actor=None,
        plan=plan,
        code="POVERTA",
        source="POVERTA",
        name="Fondo Povertà, quota servizi",
        amounts=amounts(120000),
        eligible_areas=[areas["poverta"]],
        mandatory_actions=[actions["A08"], actions["A09"]],
    )
    funding.save_fund(
        actor=None,
        plan=plan,
        code="REGIONALE",
        source="REGIONALE",
        name="Fondo sociale regionale",
        amounts=amounts(100000),
        shares={areas["anziani"]: (None, "0.50")},
    )
    funding.save_fund(
        actor=None,
        plan=plan,
        code="COMUNALE",
        source="COMUNALE",
        name="Quote dei comuni",
        amounts=amounts(180000),
    )
    funding.apply_proposal(actor=None, plan=plan)
    social_workers = (Decimal(population) / Decimal(5000)).quantize(Decimal("0.1"))
    services.save_resource(
        actor=None,
        plan=plan,
        kind=Resource.Kind.STAFF,
        description="Assistenti sociali dell'ambito (LEPS: 1 ogni 5.000 abitanti)",
        profession="Assistente sociale",
        fte=social_workers,
    )
    services.save_resource(
        actor=None,
        plan=plan,
        kind=Resource.Kind.VOLUNTEERS,
        description="Volontari delle associazioni nei progetti del piano",
        count=120,
    )
    services.save_resource(
        actor=None,
        plan=plan,
        kind=Resource.Kind.FACILITY,
        description="Sedi del centro per le famiglie e del centro giovani",
        count=2,
    )
    _link_contributions(plan, actions)
    services.change_status(actor=None, plan=plan, status=Plan.Status.CONSULTATION)
    return services.approve_plan(
        actor=None,
        plan=plan,
        act_number="3/2025",
        act_date=datetime.date(FIRST_YEAR, 3, 28),
    )
