"""Demo directory for the demo districts (called by `tessere setup`): fictional, marked as such.

Organisations and services have stable UUIDs, so a second run creates nothing new.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from stdnum import luhn

from tessere.core.areas import UserArea
from tessere.core.demo import demo_organisation_id
from tessere.directory import services
from tessere.directory.models import Organisation, Service
from tessere.directory.taxonomy import ensure_loaded, nomenclature_term
from tessere.territory.models import District

EXAMPLE = " (dati di esempio)"
NAMESPACE = uuid.UUID("a3c2f0d4-5e1b-4c8a-9f27-1d6e8b4a7c35")

K = Organisation.Kind
A = UserArea


def example_vat(seed: int) -> str:
    """A checksum-valid, fictional VAT number (province code 046)."""
    body = f"{seed % 10_000_000:07d}046"
    if int(body[:7]) == 0:
        body = "1" + body[1:]
    return body + luhn.calc_check_digit(body)


@dataclass(frozen=True)
class OrgSpec:
    key: str
    kind: str
    name: str
    description: str
    runts: str = ""


ORGANISATIONS = [
    OrgSpec(
        "servizi-sociali",
        K.MUNICIPALITY,
        "Servizi sociali del Comune di {lead}",
        "Lo sportello sociale e il servizio sociale professionale dei comuni dell'ambito.",
    ),
    OrgSpec(
        "asl",
        K.HEALTH_AGENCY,
        "Azienda sanitaria locale · distretto di {lead}",
        "Consultori, servizi per le dipendenze e la salute mentale.",
    ),
    OrgSpec(
        "cooperativa-sociale-il-ponte",
        K.SOCIAL_COOPERATIVE,
        "Cooperativa sociale Il Ponte",
        "Cooperativa di tipo A: assistenza domiciliare, centri diurni, inserimento lavorativo.",
        "104522",
    ),
    OrgSpec(
        "auser",
        K.ASSOCIATION,
        "Associazione Filo d'Argento",
        "Volontari per la compagnia e l'accompagnamento delle persone anziane.",
        "88213",
    ),
    OrgSpec(
        "caritas",
        K.PARISH,
        "Caritas parrocchiale di {lead}",
        "Centro di ascolto, distribuzione di alimenti e vestiario.",
    ),
    OrgSpec(
        "cpi",
        K.EMPLOYMENT_CENTRE,
        "Centro per l'impiego di {lead}",
        "Orientamento, incontro tra domanda e offerta di lavoro, tirocini.",
    ),
    OrgSpec(
        "fondazione",
        K.FOUNDATION,
        "Fondazione Casa Comune",
        "Progetti per l'abitare e l'inclusione delle famiglie.",
        "230117",
    ),
    OrgSpec(
        "ets-mondo",
        K.THIRD_SECTOR,
        "Mondo Insieme ETS",
        "Mediazione linguistica e culturale, corsi di italiano per stranieri.",
        "310045",
    ),
]


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    org: str
    areas: tuple[str, ...]
    description: str
    nomenclature: str
    cost: str = "free"
    amount: str | None = None
    min_age: int | None = None
    max_age: int | None = None
    languages: tuple[str, ...] = ("it",)
    accessibility: tuple[str, ...] = ("step_free",)
    documents: tuple[str, ...] = ("Documento d'identità", "Tessera sanitaria")
    project: bool = False
    per_municipality: bool = False


SERVICES = [
    ServiceSpec(
        "Sportello sociale",
        "servizi-sociali",
        (A.MULTI,),
        "Informazioni, orientamento e accesso a tutti i servizi sociali del comune.",
        "1",
        per_municipality=True,
        languages=("it", "en"),
        accessibility=("step_free", "wheelchair_toilet", "easy_read"),
    ),
    ServiceSpec(
        "Assistenza domiciliare per anziani",
        "cooperativa-sociale-il-ponte",
        (A.ELDERLY,),
        "Aiuto a casa per l'igiene, i pasti e le commissioni quotidiane.",
        "2",
        cost="isee",
        min_age=65,
        accessibility=("home_visits",),
        documents=("Documento d'identità", "Attestazione ISEE", "Certificato medico"),
    ),
    ServiceSpec(
        "Centro diurno per anziani",
        "cooperativa-sociale-il-ponte",
        (A.ELDERLY,),
        "Attività, pranzo e compagnia durante il giorno, con trasporto.",
        "3",
        cost="isee",
        min_age=65,
        accessibility=("step_free", "lift", "wheelchair_toilet"),
    ),
    ServiceSpec(
        "Compagnia telefonica e accompagnamento",
        "auser",
        (A.ELDERLY,),
        "Volontari telefonano, fanno visita e accompagnano a visite mediche.",
        "2",
        min_age=65,
        accessibility=("remote", "home_visits"),
    ),
    ServiceSpec(
        "Centro diurno per persone con disabilità",
        "cooperativa-sociale-il-ponte",
        (A.DISABILITY,),
        "Laboratori e attività educative per adulti con disabilità.",
        "3",
        cost="isee",
        min_age=18,
        accessibility=("step_free", "lift", "sign_language"),
    ),
    ServiceSpec(
        "Trasporto sociale",
        "servizi-sociali",
        (A.DISABILITY, A.ELDERLY),
        "Trasporto verso ospedali, ambulatori e centri diurni.",
        "2",
        cost="fixed",
        amount="3.00",
        accessibility=("step_free",),
    ),
    ServiceSpec(
        "Servizio per le dipendenze (SerD)",
        "asl",
        (A.ADDICTION,),
        "Ascolto, cura e accompagnamento per chi ha problemi con alcol, droghe o gioco.",
        "1",
        min_age=14,
        documents=("Tessera sanitaria",),
    ),
    ServiceSpec(
        "Gruppo di auto aiuto sul gioco d'azzardo",
        "ets-mondo",
        (A.ADDICTION,),
        "Incontri settimanali per giocatori e familiari.",
        "3",
        min_age=18,
        accessibility=("step_free",),
        documents=(),
    ),
    ServiceSpec(
        "Consultorio familiare",
        "asl",
        (A.FAMILY_AND_MINORS,),
        "Sostegno a coppie, genitori, gravidanza e adolescenti.",
        "1",
        languages=("it", "en", "fr", "ar"),
    ),
    ServiceSpec(
        "Centro per le famiglie",
        "servizi-sociali",
        (A.FAMILY_AND_MINORS,),
        "Consulenza educativa, mediazione familiare, gruppi per genitori.",
        "3",
        accessibility=("step_free", "wheelchair_toilet"),
    ),
    ServiceSpec(
        "Doposcuola e centro educativo",
        "cooperativa-sociale-il-ponte",
        (A.FAMILY_AND_MINORS,),
        "Aiuto nei compiti e attività per ragazze e ragazzi.",
        "3",
        cost="isee",
        min_age=6,
        max_age=14,
    ),
    ServiceSpec(
        "Corsi di italiano per stranieri",
        "ets-mondo",
        (A.IMMIGRANTS,),
        "Corsi gratuiti di lingua italiana, livelli A1-B1, anche serali.",
        "3",
        min_age=16,
        languages=("it", "en", "ar", "fr", "uk"),
        documents=("Documento d'identità o permesso di soggiorno",),
    ),
    ServiceSpec(
        "Mediazione linguistica e culturale",
        "ets-mondo",
        (A.IMMIGRANTS,),
        "Mediatori presso scuole, ospedali e uffici, su appuntamento.",
        "1",
        languages=("it", "ar", "ro", "sq", "zh", "uk"),
    ),
    ServiceSpec(
        "Centro di ascolto e distribuzione alimenti",
        "caritas",
        (A.POVERTY,),
        "Ascolto, pacchi alimentari e vestiario per chi è in difficoltà.",
        "5",
        languages=("it", "en", "ro"),
        documents=("Documento d'identità",),
    ),
    ServiceSpec(
        "Assegno di inclusione: sostegno e patto",
        "servizi-sociali",
        (A.POVERTY,),
        "Accompagnamento al patto di inclusione per i beneficiari della misura.",
        "5",
        documents=("Documento d'identità", "Attestazione ISEE"),
    ),
    ServiceSpec(
        "Orientamento al lavoro e tirocini",
        "cpi",
        (A.POVERTY, A.MULTI),
        "Colloqui di orientamento, bilancio delle competenze, tirocini.",
        "5",
        min_age=16,
        documents=("Documento d'identità", "Curriculum vitae"),
    ),
    ServiceSpec(
        "Emporio solidale",
        "fondazione",
        (A.POVERTY, A.FAMILY_AND_MINORS),
        "Spesa gratuita con una tessera a punti per famiglie in difficoltà.",
        "5",
        documents=("Attestazione ISEE",),
    ),
    ServiceSpec(
        "Abitare solidale: coabitazioni per giovani e anziani",
        "fondazione",
        (A.ELDERLY, A.MULTI),
        "Progetto che fa incontrare anziani soli e giovani che cercano casa.",
        "4",
        project=True,
    ),
    ServiceSpec(
        "Caffè Alzheimer",
        "auser",
        (A.ELDERLY,),
        "Incontri al caffè per persone con demenza e chi se ne prende cura.",
        "3",
        project=True,
        min_age=60,
    ),
    ServiceSpec(
        "Dopo di noi: percorsi di autonomia abitativa",
        "cooperativa-sociale-il-ponte",
        (A.DISABILITY,),
        "Progetto di vita autonoma in piccoli gruppi per persone con disabilità.",
        "4",
        project=True,
        min_age=18,
    ),
]

MIN_SERVICES = 40


def _id(district: District, key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{district.code}:{key}")


def _org_id(district: District, key: str) -> uuid.UUID:
    return demo_organisation_id(f"{district.code}:{key}")


@transaction.atomic
def load_district(district: District) -> tuple[int, int]:
    municipalities = list(district.municipalities.order_by("name"))
    lead = district.lead_municipality.name if district.lead_municipality else municipalities[0].name
    created_orgs = created_services = 0
    organisations: dict[str, Organisation] = {}
    for n, org_spec in enumerate(ORGANISATIONS):
        oid = _org_id(district, org_spec.key)
        org = Organisation.objects.filter(pk=oid).first()
        if org is None:
            org = services.create_organisation(
                actor=None,
                district=district,
                id=oid,
                kind=org_spec.kind,
                name=org_spec.name.format(lead=lead),
                description=org_spec.description + EXAMPLE,
                tax_code=example_vat(int(oid.int % 9_000_000) + 1_000_000 + n),
                runts_id=org_spec.runts,
                email=f"info@{org_spec.key}.example.org",
                phone="0583 000000",
                website=f"https://{org_spec.key}.example.org",
                is_example=True,
            )
            created_orgs += 1
        organisations[org_spec.key] = org
    # Enough copies (per municipality where it makes sense) to reach MIN_SERVICES.
    plan: list[tuple[ServiceSpec, int]] = []
    for spec in SERVICES:
        copies = len(municipalities) if spec.per_municipality else 1
        plan.extend((spec, m) for m in range(copies))
    extra = 0
    while len(plan) < MIN_SERVICES:
        spec = SERVICES[extra % len(SERVICES)]
        plan.append((spec, 1000 + extra))
        extra += 1
    now = timezone.now()
    today = now.date()
    for n, (spec, copy) in enumerate(plan):
        municipality = municipalities[(n + copy) % len(municipalities)]
        sid = _id(district, f"{spec.name}:{copy}")
        if Service.objects.filter(pk=sid).exists():
            continue
        name = spec.name if copy == 0 else f"{spec.name} · {municipality.name}"
        project = spec.project
        service = services.create_service(
            actor=None,
            organisation=organisations[spec.org],
            id=sid,
            name=name,
            description=spec.description + EXAMPLE,
            areas=list(spec.areas),
            nomenclature=nomenclature_term(spec.nomenclature),
            eligibility="",
            min_age=spec.min_age,
            max_age=spec.max_age,
            access_steps="Telefona o scrivi per fissare un appuntamento.\n"
            "Al primo colloquio porta i documenti indicati.\n"
            "Ricevi la risposta entro 15 giorni.",
            required_documents="\n".join(spec.documents),
            cost_kind=spec.cost,
            cost_amount=spec.amount,
            cost_description="Tariffa agevolata in base all'ISEE." if spec.cost == "isee" else "",
            languages=list(spec.languages),
            accessibility=list(spec.accessibility),
            capacity=20 if spec.cost == "isee" else None,
            start_date=today.replace(month=1, day=1) if project else None,
            end_date=today.replace(year=today.year + 1, month=12, day=31) if project else None,
            phone="0583 000000",
            email="info@example.org",
            is_example=True,
        )
        lat = (municipality.latitude or 0) + ((n % 5) - 2) * 0.002
        lon = (municipality.longitude or 0) + ((n % 3) - 1) * 0.002
        services.set_locations(
            actor=None,
            service=service,
            locations=[
                services.LocationData(
                    id=_id(district, f"location:{spec.org}:{municipality.code}"),
                    name=f"Sede di {municipality.name}",
                    address=f"Via Roma {n + 1}",
                    municipality_code=municipality.code,
                    latitude=lat if municipality.latitude else None,
                    longitude=lon if municipality.longitude else None,
                    hours=[
                        services.OpeningHours(d, datetime.time(9), datetime.time(12, 30))
                        for d in (1, 3, 5)
                    ]
                    + [services.OpeningHours(2, datetime.time(15), datetime.time(18))],
                )
            ],
        )
        # Most verified recently, a few overdue so that the verification queue has work.
        verified = now - datetime.timedelta(days=400 if n % 9 == 0 else 30 + n)
        Service.objects.filter(pk=sid).update(is_published=True, verified_at=verified)
        created_services += 1
    return created_orgs, created_services


def load(*, districts: list[District]) -> list[str]:
    """Create what is missing; return lines to print."""
    ensure_loaded()
    lines = []
    for district in districts:
        orgs, created = load_district(district)
        total = Service.objects.filter(district=district).count()
        lines.append(
            f"Guida {district.code}: {orgs} enti e {created} servizi creati "
            f"({total} servizi di esempio in tutto)"
        )
    return lines
