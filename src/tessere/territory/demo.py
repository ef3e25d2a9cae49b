"""The demo districts, from the seed documents (ISTAT codes of 2023)."""

from __future__ import annotations

from tessere.core.models import User
from tessere.territory import services
from tessere.territory.models import District, Municipality

DEMO_DISTRICTS: list[dict] = [
    {
        "code": "piana-di-lucca",
        "name": "Zona Distretto Piana di Lucca",
        "kind": District.Kind.SOCIAL,
        "region": "09",
        "lead": "046017",
        "municipalities": ["046001", "046007", "046017", "046021", "046022", "046026", "046034"],
    },
    {
        "code": "reggio-emilia",
        "name": "Distretto di Reggio Emilia",
        "kind": District.Kind.SOCIAL,
        "region": "08",
        "lead": "035033",
        "municipalities": ["035033", "035001", "035002", "035008", "035015", "035030", "035043"],
    },
    {
        "code": "cremona",
        "name": "Ambito distrettuale di Cremona",
        "kind": District.Kind.SOCIAL,
        "region": "03",
        "lead": "019036",
        "municipalities": [
            "019001",
            "019003",
            "019004",
            "019006",
            "019007",
            "019013",
            "019014",
            "019016",
            "019022",
            "019026",
            "019027",
            "019028",
            "019030",
            "019032",
            "019033",
            "019036",
            "019038",
            "019040",
            "019044",
            "019045",
            "019046",
            "019048",
            "019050",
            "019051",
            "019053",
            "019056",
            "019063",
            "019064",
            "019065",
            "019068",
            "019069",
            "019070",
            "019074",
            "019075",
            "019076",
            "019077",
            "019085",
            "019088",
            "019089",
            "019093",
            "019095",
            "019098",
            "019099",
            "019100",
            "019103",
            "019113",
            "019114",
        ],
    },
]

DEMO_PROVINCES = ["046", "035", "019"]

# Neighbourhoods of Reggio nell'Emilia, where the "tavoli di quartiere" meet.
DEMO_NEIGHBOURHOODS = [
    ("reggio-emilia", "035033", "centro-storico", "Centro storico"),
    ("reggio-emilia", "035033", "ospizio", "Ospizio"),
    ("reggio-emilia", "035033", "rosta-nuova", "Rosta Nuova"),
    ("reggio-emilia", "035033", "mirabello", "Mirabello"),
]

DEMO_SUBDISTRICTS = [
    ("cremona", "cremona-citta", "Sub-ambito Cremona città", ["019036"]),
    (
        "cremona",
        "cremona-nord",
        "Sub-ambito Nord",
        ["019001", "019003", "019004", "019006", "019007", "019013", "019014"],
    ),
]


def load(*, actor: User | None = None) -> list[District]:
    """Create the demo districts that do not exist yet; return all of them."""
    missing = [
        spec for spec in DEMO_DISTRICTS if not District.objects.filter(code=spec["code"]).exists()
    ]
    if missing and Municipality.objects.filter(code__in=["046017", "035033", "019036"]).count() < 3:
        raise RuntimeError("Carica prima il territorio: tessere load-territory")
    if missing:
        services.create_districts(
            actor=actor,
            specs=[
                services.DistrictSpec(
                    code=spec["code"],
                    name=spec["name"],
                    kind=spec["kind"],
                    region=spec["region"],
                    lead=spec["lead"],
                    municipalities=spec["municipalities"],
                    is_demo=True,
                )
                for spec in missing
            ],
        )
    districts = {
        d.code: d for d in District.objects.filter(code__in=[s["code"] for s in DEMO_DISTRICTS])
    }
    for code, sub_code, name, members in DEMO_SUBDISTRICTS:
        district = districts[code]
        if not district.subdistricts.filter(code=sub_code).exists():
            services.create_subdistrict(
                actor=actor, district=district, code=sub_code, name=name, municipalities=members
            )
    for code, municipality, n_code, name in DEMO_NEIGHBOURHOODS:
        district = districts[code]
        if not district.neighbourhoods.filter(code=n_code).exists():
            services.create_neighbourhood(
                actor=actor, district=district, municipality=municipality, code=n_code, name=name
            )
    return [districts[spec["code"]] for spec in DEMO_DISTRICTS]
