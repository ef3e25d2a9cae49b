"""The directory at scale: organisations with a seat each, their services, opening hours.

Services copy the wording of the demo catalogue (name, description, areas, Nomenclatore code,
ages, cost, languages, accessibility), each offered by one organisation at its seat in one of
the district's municipalities; the denormalised search columns are filled as the directory's
own ``refresh_search`` fills them.
"""

from __future__ import annotations

import datetime

from tessere.core.areas import UserArea
from tessere.directory import text
from tessere.directory.demo import SERVICES, example_vat
from tessere.directory.models import (
    Location,
    Organisation,
    Schedule,
    Service,
    ServiceAtLocation,
    join_key,
)
from tessere.directory.taxonomy import ensure_loaded, nomenclature_term
from tessere.scale.base import Context, insert, new_uuid
from tessere.scale.italian import STREETS, SURNAMES

K = Organisation.Kind
#: Kind, share of organisations, name pattern ({word}, {town}, {surname}).
KINDS = (
    (K.SOCIAL_COOPERATIVE, 25, "Cooperativa sociale {word}"),
    (K.ASSOCIATION, 30, "Associazione {word}"),
    (K.THIRD_SECTOR, 12, "{word} ETS"),
    (K.PARISH, 10, "Caritas parrocchiale di {town}"),
    (K.FOUNDATION, 5, "Fondazione {surname}"),
    (K.SCHOOL, 6, "Istituto comprensivo {surname} di {town}"),
    (K.COMPANY, 5, "{surname} Servizi S.r.l."),
    (K.MUNICIPALITY, 4, "Servizi sociali del Comune di {town}"),
    (K.HEALTH_AGENCY, 1, "Azienda sanitaria · distretto di {town}"),
    (K.EMPLOYMENT_CENTRE, 1, "Centro per l'impiego di {town}"),
    (K.ASP_CONSORTIUM, 1, "Azienda speciale consortile {word}"),
)
WORDS = (
    "Il Ponte",
    "La Rete",
    "Insieme",
    "Arcobaleno",
    "Il Girasole",
    "Filo d'Argento",
    "Casa Aperta",
    "Orizzonti",
    "Solidarietà",
    "Il Mosaico",
    "La Bussola",
    "Nuovi Passi",
    "Il Faro",
    "Primavera",
    "L'Approdo",
    "Mani Tese",
    "Il Sorriso",
    "La Tenda",
    "Crescere",
    "Oltre",
)
RUNTS_KINDS = {K.SOCIAL_COOPERATIVE, K.ASSOCIATION, K.THIRD_SECTOR, K.FOUNDATION}


def generate(ctx: Context) -> dict[str, int]:
    rng = ctx.rng("directory")
    ensure_loaded()
    terms = {spec.nomenclature: nomenclature_term(spec.nomenclature) for spec in SERVICES}
    now = datetime.datetime.combine(ctx.today, datetime.time(9), tzinfo=datetime.UTC)
    n_orgs = ctx.size("organisations")
    n_services = ctx.size("services")
    kinds = [k for k, _share, _pattern in KINDS]
    weights = [share for _k, share, _pattern in KINDS]
    patterns = {k: pattern for k, _share, pattern in KINDS}

    organisations, locations = [], []
    for n in range(n_orgs):
        kind = rng.choices(kinds, weights)[0]
        town = rng.choice(ctx.municipalities)
        name = patterns[kind].format(
            word=rng.choice(WORDS), town=town.name, surname=rng.choice(SURNAMES)
        )
        org = Organisation(
            id=new_uuid(rng),
            district=ctx.district,
            kind=kind,
            name=f"{name} ({n + 1})",
            description=f"Ente che opera a {town.name} e nei comuni vicini.",
            tax_code=example_vat(1_000_000 + rng.randrange(8_000_000)),
            runts_id=str(rng.randint(10_000, 999_999)) if kind in RUNTS_KINDS else "",
            email=f"info{n + 1}@ente.example.org",
            phone=f"02 {rng.randint(1_000_000, 9_999_999)}",
        )
        organisations.append(org)
        lat = (town.latitude or 45.46) + rng.uniform(-0.01, 0.01)
        lon = (town.longitude or 9.19) + rng.uniform(-0.01, 0.01)
        locations.append(
            Location(
                id=new_uuid(rng),
                district=ctx.district,
                organisation=org,
                name=f"Sede di {town.name}",
                address=f"{rng.choice(STREETS)} {rng.randint(1, 180)}",
                postal_code=f"{rng.randint(10, 98)}{rng.randint(0, 999):03d}",
                municipality=town,
                latitude=round(lat, 6),
                longitude=round(lon, 6),
            )
        )
    counts = {
        "directory.Organisation": insert(Organisation, organisations),
        "directory.Location": insert(Location, locations),
    }

    services, links, hours = [], [], []
    today = ctx.today
    labels = list(UserArea.choices)
    for n in range(n_services):
        spec = rng.choice(SERVICES)
        at = rng.randrange(n_orgs)
        org, location = organisations[at], locations[at]
        town = location.municipality
        name = f"{spec.name} · {town.name} ({n + 1})"
        term = terms[spec.nomenclature]
        areas = join_key(list(spec.areas))
        area_labels = " ".join(str(label) for value, label in labels if f"|{value}|" in areas)
        body = " ".join(
            [
                name,
                name,
                spec.description,
                org.name,
                area_labels,
                term.name if term else "",
                town.name,
            ]
        )
        project = spec.project or rng.random() < 0.05
        service = Service(
            id=new_uuid(rng),
            district=ctx.district,
            organisation=org,
            name=name,
            status="active" if rng.random() < 0.95 else "inactive",
            description=spec.description,
            areas=areas,
            nomenclature=term,
            min_age=spec.min_age,
            max_age=spec.max_age,
            access_steps="Telefona o scrivi per fissare un appuntamento.\n"
            "Al primo colloquio porta i documenti indicati.",
            required_documents="\n".join(spec.documents),
            cost_kind=spec.cost,
            cost_amount=spec.amount,
            languages=join_key(list(spec.languages)),
            accessibility=join_key(list(spec.accessibility)),
            capacity=rng.choice((None, 10, 20, 30, 50)),
            start_date=today.replace(month=1, day=1) if project else None,
            end_date=today.replace(year=today.year + 1, month=12, day=31) if project else None,
            phone=org.phone,
            email=org.email,
            verified_at=now - datetime.timedelta(days=rng.randint(0, 500)),
            is_published=rng.random() < 0.9,
            municipality_codes=f"|{town.code}|",
            search_stems=text.stem_key(body),
            name_stems=text.stem_key(name),
        )
        services.append(service)
        sal = ServiceAtLocation(id=new_uuid(rng), district=ctx.district, service=service)
        sal.location = location
        links.append(sal)
        morning = rng.choice((1, 2, 3, 4, 5))
        for weekday, opens, closes in (
            (morning, datetime.time(9), datetime.time(12, 30)),
            (1 + morning % 5, datetime.time(14, 30), datetime.time(17, 30)),
        ):
            hours.append(
                Schedule(
                    id=new_uuid(rng),
                    district=ctx.district,
                    service_at_location=sal,
                    weekday=weekday,
                    opens_at=opens,
                    closes_at=closes,
                )
            )
    counts["directory.Service"] = insert(Service, services)
    counts["directory.ServiceAtLocation"] = insert(ServiceAtLocation, links)
    counts["directory.Schedule"] = insert(Schedule, hours)
    ctx.shared["organisations"] = organisations
    ctx.shared["services"] = services
    return counts
