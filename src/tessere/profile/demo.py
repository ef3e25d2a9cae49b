"""Demo data of this room for the demo districts (called by `tessere setup`).

Invented values, marked "dati di esempio" in their source: social workers of each district,
income per taxpayer and unemployment rate of each municipality, and a few needs.
"""

from __future__ import annotations

import hashlib

from tessere.core.areas import UserArea
from tessere.profile import bands, services
from tessere.profile.models import IndicatorDefinition, Need, Polarity
from tessere.territory.models import District

EXAMPLE_SOURCE = "Dati di esempio inventati per la dimostrazione, non reali"

# Permanent social workers (full-time equivalent) of each demo district.
SOCIAL_WORKERS = {"piana-di-lucca": 29, "reggio-emilia": 52, "cremona": 30}

NEEDS: dict[str, list[tuple[str, str, list[str], list[str], str]]] = {
    "piana-di-lucca": [
        (
            "Anziani soli con bisogno di assistenza domiciliare nei comuni collinari.",
            UserArea.ELDERLY,
            ["046021", "046022"],
            ["quota_75", "indice_vecchiaia"],
            "Quota di ultrasettantacinquenni sopra la media regionale (dati di esempio).",
        ),
        (
            "Famiglie con minori in difficoltà economica dopo la perdita del lavoro.",
            UserArea.FAMILY_AND_MINORS,
            [],
            ["quota_0_17", "tasso_disoccupazione"],
            "Segnalazioni dei servizi sociali (dati di esempio).",
        ),
        (
            "Rafforzare il servizio sociale professionale fino al livello essenziale.",
            UserArea.MULTI,
            [],
            ["assistenti_sociali"],
            "Rapporto assistenti sociali/abitanti sotto 1 ogni 5.000 (dati di esempio).",
        ),
    ],
    "reggio-emilia": [
        (
            "Caregiver familiari di persone molto anziane senza sostegni di sollievo.",
            UserArea.ELDERLY,
            ["035033"],
            ["quota_85", "quota_donne_80"],
            "Dati di esempio.",
        ),
        (
            "Giovani che non studiano e non lavorano nei quartieri della città.",
            UserArea.POVERTY,
            ["035033"],
            ["tasso_disoccupazione"],
            "Dati di esempio.",
        ),
    ],
    "cremona": [
        (
            "Trasporto sociale per anziani nei piccoli comuni lontani dai servizi.",
            UserArea.ELDERLY,
            ["019001", "019003", "019004"],
            ["indice_vecchiaia", "variazione_pct"],
            "Comuni piccoli con popolazione in calo (dati di esempio).",
        ),
        (
            "Servizi per la prima infanzia nei comuni senza nido.",
            UserArea.FAMILY_AND_MINORS,
            [],
            ["quota_0_2"],
            "Dati di esempio.",
        ),
    ],
}


def _spread(code: str, salt: str) -> float:
    """A fixed number in [0, 1) from a code: the same invented value at every run."""
    digest = hashlib.sha256(f"{salt}:{code}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32


def _series(district: District) -> list[dict[str, str]]:
    codes = list(district.municipalities.order_by("code").values_list("code", flat=True))
    income = "codice,anno,valore\n" + "".join(
        f"{code},2022,{round(19000 + 8000 * _spread(code, 'reddito'))}\n" for code in codes
    )
    unemployment = "codice,anno,valore\n" + "".join(
        f"{code},2022,{3.5 + 6 * _spread(code, 'disoccupazione'):.1f}\n" for code in codes
    )
    workers = f"codice,anno,valore\n{district.code},2023,{SOCIAL_WORKERS.get(district.code, 20)}\n"
    return [
        {
            "code": "assistenti_sociali",
            "name": "Assistenti sociali a tempo indeterminato",
            "unit": "operatori",
            "polarity": Polarity.LOWER,
            "source": f"Ufficio di Piano, {EXAMPLE_SOURCE} (dati di esempio)",
            "formula": (
                "Assistenti sociali dipendenti a tempo indeterminato, in equivalenti a tempo pieno."
            ),
            "content": workers,
        },
        {
            "code": "reddito_contribuente",
            "name": "Reddito imponibile medio per contribuente",
            "unit": "€",
            "polarity": Polarity.LOWER,
            "source": f"{EXAMPLE_SOURCE} (dati di esempio)",
            "formula": "Reddito imponibile IRPEF / numero di contribuenti.",
            "content": income,
        },
        {
            "code": "tasso_disoccupazione",
            "name": "Tasso di disoccupazione",
            "unit": "%",
            "polarity": Polarity.HIGHER,
            "source": f"{EXAMPLE_SOURCE} (dati di esempio)",
            "formula": "Persone in cerca di occupazione × 100 / forze di lavoro.",
            "content": unemployment,
        },
    ]


def load(*, districts: list[District]) -> list[str]:
    """Create what is missing; return lines to print."""
    bands.ensure_population_bands()
    lines: list[str] = []
    for district in districts:
        imported = 0
        existing = set(
            IndicatorDefinition.objects.filter(district=district).values_list("code", flat=True)
        )
        for spec in _series(district):
            if spec["code"] in existing:
                continue
            services.import_series(actor=None, district=district, **spec)
            imported += 1
        created = 0
        statements = set(Need.objects.filter(district=district).values_list("statement", flat=True))
        municipalities = {m.code: m for m in district.municipalities.all()}
        for statement, area, places, evidence, note in NEEDS.get(district.code, []):
            if statement in statements:
                continue
            services.create_need(
                actor=None,
                district=district,
                statement=statement,
                area=area,
                municipalities=[municipalities[c] for c in places if c in municipalities],
                evidence_indicators=evidence,
                evidence_note=note,
            )
            created += 1
        lines.append(
            f"Profilo di {district.name}: {imported} indicatori importati, {created} bisogni "
            "(dati di esempio)."
        )
    return lines
