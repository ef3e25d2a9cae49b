"""Demo data of the access point (called by `tessere setup`): fictional people, clearly marked.

Every person is invented (surnames such as "Esempio", "Fittizio", "Prova") and carries the
note "Dati di esempio". For the demo staff accounts (never in production: `--no-demo` skips
this module) a TOTP device is created with a fixed, public key, so that anyone can pass
two-factor verification in the demo: see ``DEMO_TOTP_SECRET``.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from codicefiscale import codicefiscale
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tessere.access import services
from tessere.access.models import AccessPoint, Case, Person, Referral
from tessere.core.areas import UserArea
from tessere.core.demo import DEMO_NAMESPACE, demo_organisation_id
from tessere.core.models import User
from tessere.directory.models import Organisation, Service
from tessere.territory.models import District, Municipality

DEMO_NOTE = "Dati di esempio: persona fittizia, creata per la dimostrazione di Tessere."
# RFC 4226's test key ("12345678901234567890"): public, for the demo accounts only.
DEMO_TOTP_KEY_HEX = "3132333435363738393031323334353637383930"
DEMO_TOTP_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # noqa: S105 - public demo key
DEMO_STAFF = ["assistente.sociale", "sportello", "centro.impiego"]
S = Referral.Status

ORGANISATIONS = [
    (
        "cooperativa-sociale-il-ponte",
        "Cooperativa sociale Il Ponte (esempio)",
        "social_cooperative",
    ),
    (
        "centro-per-l-impiego-di-lucca",
        "Centro per l'impiego di Lucca (esempio)",
        "employment_centre",
    ),
    ("caritas-esempio", "Caritas parrocchiale (esempio)", "parish"),
]
SERVICES = [
    ("educativa-domiciliare", "cooperativa-sociale-il-ponte", "Educativa domiciliare (esempio)"),
    ("orientamento-lavoro", "centro-per-l-impiego-di-lucca", "Orientamento al lavoro (esempio)"),
    ("emporio-solidale", "caritas-esempio", "Emporio solidale (esempio)"),
]
FIRST_NAMES = [
    ("Rosa", "F"),
    ("Mario", "M"),
    ("Giulia", "F"),
    ("Paolo", "M"),
    ("Lucia", "F"),
    ("Andrea", "M"),
    ("Chiara", "F"),
    ("Stefano", "M"),
    ("Elena", "F"),
]
LAST_NAMES = ["Esempio", "Fittizio", "Prova", "Campione"]
AREAS = [a.value for a in UserArea]


def _key(code: str, name: str) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, f"{code}:{name}")


def _directory(district: District) -> dict[str, Service]:
    organisations = {}
    for key, name, kind in ORGANISATIONS:
        organisation, _ = Organisation.objects.get_or_create(
            id=demo_organisation_id(f"{district.code}:{key}"),
            defaults={"district": district, "name": name, "kind": kind},
        )
        organisations[key] = organisation
    found = {}
    for key, organisation_key, name in SERVICES:
        service, _ = Service.objects.get_or_create(
            id=_key(district.code, f"service:{key}"),
            defaults={
                "district": district,
                "organisation": organisations[organisation_key],
                "name": name,
            },
        )
        found[key] = service
    return found


def _two_factor(users: list[User]) -> None:
    for user in users:
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(
                user=user, name="Demo (chiave pubblica)", key=DEMO_TOTP_KEY_HEX, confirmed=True
            )


def _code(last: str, first: str, sex: str, birth: datetime.date, place: str) -> str:
    return str(
        codicefiscale.encode(
            lastname=last,
            firstname=first,
            gender="F" if sex == "F" else "M",
            birthdate=birth.strftime("%d/%m/%Y"),
            birthplace=place,
        )
    )


def load(*, districts: list[District]) -> list[str]:
    """Create what is missing; return lines to print."""
    lines = []
    staff = {
        u.username: u for u in User.objects.filter(username__in=[*DEMO_STAFF, "ente.cooperativa"])
    }
    _two_factor([staff[name] for name in DEMO_STAFF if name in staff])
    for district in districts:
        if district.code != "piana-di-lucca" or len(staff) < len(DEMO_STAFF) + 1:
            continue
        if Person.objects.filter(district=district, notes=DEMO_NOTE).exists():
            continue
        count = _load_district(district, staff)
        lines.append(f"Sportello: {count} persone di esempio in {district.name}.")
    if staff:
        lines.append(
            "Sportello: verifica in due passaggi degli account di esempio con la chiave "
            f"TOTP pubblica {DEMO_TOTP_SECRET}."
        )
    return lines


@transaction.atomic
def _load_district(district: District, staff: dict[str, User]) -> int:
    worker, desk, employment = (
        staff["assistente.sociale"],
        staff["sportello"],
        staff["centro.impiego"],
    )
    provider = staff["ente.cooperativa"]
    found = _directory(district)
    municipalities = list(district.municipalities.order_by("name"))
    capannori = next((m for m in municipalities if m.name == "Capannori"), municipalities[0])
    point, _ = AccessPoint.objects.get_or_create(
        id=_key(district.code, "access-point:capannori"),
        defaults={
            "district": district,
            "name": "One Stop Shop di Capannori (esempio)",
            "kind": AccessPoint.Kind.ONE_STOP_SHOP,
            "municipality": capannori,
            "address": "Piazza Aldo Moro (esempio)",
            "hours": "lunedì e giovedì 9-13, martedì 15-18 (esempio)",
        },
    )
    point.staff.add(desk, employment, worker, through_defaults={"district_id": district.pk})
    today = timezone.localdate()
    lucca = Municipality.objects.filter(name="Lucca").order_by("-last_year").first()
    created = 0
    for index in range(36):
        first, sex = FIRST_NAMES[index % len(FIRST_NAMES)]
        last = LAST_NAMES[index // len(FIRST_NAMES) % len(LAST_NAMES)]
        birth = datetime.date(1950 + (index * 7) % 55, 1 + index % 12, 1 + (index * 3) % 27)
        residence = municipalities[index % len(municipalities)]
        data = services.PersonData(
            code_kind="cf",
            code=_code(last, first, sex, birth, "Lucca"),
            last_name=last,
            first_name=first,
            birth_date=birth,
            sex=sex,
            birth_municipality=lucca,
            citizenship="italiana" if index % 5 else "marocchina",
            residence_municipality=residence,
            phone=f"0583 00{index:04d}",
            language="italiano" if index % 5 else "arabo",
            notes=DEMO_NOTE,
        )
        outcome = ["case_opened", "information", "case_opened", "referral"][index % 4]
        contact = services.record_intake(
            actor=desk,
            district=district,
            new_person=data,
            allow_similar=True,
            channel=["in_person", "phone", "referred"][index % 3],
            area=AREAS[index % len(AREAS)],
            reason="Richiesta di sostegno (esempio)",
            outcome=outcome,
            access_point=point,
            sharing_consent_given=True,
            service=found["emporio-solidale"] if outcome == "referral" else None,
            request="Accesso all'emporio per tre mesi (esempio)",
            manager=worker if outcome == "case_opened" else None,
        )
        created += 1
        case = contact.case
        if case is None:
            continue
        case.opened_on = today - datetime.timedelta(days=20 + index * 9)
        case.save(update_fields=["opened_on"])
        case.team.update(case_opened_on=case.opened_on)
        if index % 8 == 0:
            _full_path(case, worker, employment, provider, found, today)
        elif index % 8 == 2:
            services.record_assessment(
                actor=worker,
                case=case,
                kind="preliminary",
                outcome="social",
                domains={"economic": (2, ""), "networks": (1, "")},
            )
            referral = services.send_referral(
                actor=worker,
                person=case.person,
                service=found["educativa-domiciliare"],
                request="Sostegno educativo ai figli (esempio)",
                case=case,
            )
            if index % 16 == 2:
                services.transition_referral(
                    actor=provider,
                    referral=referral,
                    to_status=S.DECLINED,
                    reason="Nessun posto disponibile fino a settembre (esempio)",
                )
            else:
                services.transition_referral(
                    actor=provider, referral=referral, to_status=S.ACCEPTED
                )
                services.transition_referral(actor=provider, referral=referral, to_status=S.NO_SHOW)
        elif index % 8 == 6 and index > 20:
            services.close_case(actor=worker, case=case, closed_on=today)
    return created


def _full_path(
    case: Case,
    worker: User,
    employment: User,
    provider: User,
    found: dict[str, Service],
    today: datetime.date,
) -> None:
    """A complete path: in-depth assessment, signed project, referrals, delivered services."""
    services.add_team_member(actor=worker, case=case, role="employment", user=employment)
    services.add_note(
        actor=worker,
        case=case,
        text="Nota riservata di esempio: visibile solo all'autrice e al responsabile.",
        confidential=True,
    )
    services.record_assessment(
        actor=worker,
        case=case,
        kind="preliminary",
        outcome="complex",
        domains={"economic": (3, "Nessun reddito (esempio)"), "work": (3, "")},
    )
    services.record_assessment(
        actor=worker,
        case=case,
        kind="in_depth",
        outcome="work",
        domains={
            "functioning": (1, ""),
            "economic": (3, "Affitto arretrato (esempio)"),
            "work": (3, "Disoccupazione da 14 mesi (esempio)"),
            "education": (2, "Licenza media (esempio)"),
            "housing": (2, ""),
            "networks": (1, "Rete familiare presente (esempio)"),
        },
    )
    services.save_project(
        actor=worker,
        case=case,
        general_objectives="Recuperare autonomia economica e stabilità abitativa (esempio).",
    )
    services.add_expected_result(
        actor=worker,
        case=case,
        description="Iscrizione a un corso di formazione (esempio)",
        deadline=today + datetime.timedelta(days=60),
    )
    services.add_expected_result(
        actor=worker,
        case=case,
        description="Piano di rientro dell'affitto concordato (esempio)",
        deadline=today + datetime.timedelta(days=90),
    )
    services.add_support(actor=worker, case=case, service=found["orientamento-lavoro"])
    services.add_support(actor=worker, case=case, service=found["educativa-domiciliare"])
    services.add_commitment(
        actor=worker, case=case, description="Partecipare ai colloqui di orientamento (esempio)"
    )
    services.sign_project(
        actor=worker,
        case=case,
        signed_on=today - datetime.timedelta(days=5),
        signed_by="La persona e la responsabile del caso (esempio)",
    )
    services.add_review(actor=worker, case=case, held_on=today, outcome="on_track")
    referral = services.send_referral(
        actor=worker,
        person=case.person,
        service=found["educativa-domiciliare"],
        request="Educativa domiciliare per due pomeriggi alla settimana (esempio)",
        case=case,
    )
    for status in (S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED):
        services.transition_referral(actor=provider, referral=referral, to_status=status)
    services.record_delivered_service(
        actor=worker,
        case=case,
        service=found["educativa-domiciliare"],
        start=today - datetime.timedelta(days=30),
        end=today,
        quantity=Decimal("16"),
        unit="hours",
        amount=Decimal("384.00"),
        referral=referral,
    )
    services.send_referral(
        actor=worker,
        person=case.person,
        service=found["orientamento-lavoro"],
        request="Colloquio di orientamento (esempio)",
        case=case,
    )
