"""The access point at scale: staff, access points, persons in households, intakes, cases with
team, assessments and personalised projects, consents, referrals and delivered services.

Persons are drawn from the district's own population (municipality, age and sex in proportion
to the latest year loaded), with Italian names, an address in their municipality and a valid
codice fiscale consistent with name, birth date, sex and birth place (a municipality, or a
foreign country's code for people born abroad).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db.models import Max

from tessere.access.models import (
    AccessPoint,
    AccessPointStaff,
    Assessment,
    AssessmentDomain,
    Case,
    Commitment,
    ConsentRecord,
    Contact,
    DeliveredService,
    Dimension,
    ExpectedResult,
    Household,
    HouseholdMember,
    Person,
    PersonalisedProject,
    ProjectReview,
    ProjectSupport,
    Referral,
    ReferralEvent,
    TeamMember,
)
from tessere.core.areas import UserArea
from tessere.core.models import Membership, Role, User
from tessere.scale.base import Context, days_before, insert, new_uuid
from tessere.scale.italian import FEMALE_NAMES, MALE_NAMES, STREETS, SURNAMES, fiscal_code
from tessere.territory.models import Municipality, PopulationCount

#: Country of birth for people born abroad: (citizenship, cadastral code of the country).
ABROAD = (
    ("rumena", "Z129"),
    ("marocchina", "Z330"),
    ("albanese", "Z100"),
    ("cinese", "Z210"),
    ("ucraina", "Z138"),
    ("egiziana", "Z336"),
    ("filippina", "Z216"),
    ("peruviana", "Z611"),
)
REFERRAL_STATUSES = (
    ("completed", 40),
    ("in_progress", 25),
    ("accepted", 10),
    ("sent", 12),
    ("declined", 6),
    ("no_show", 4),
    ("cancelled", 3),
)
CASE_STATUSES = (("active", 55), ("open", 10), ("suspended", 5), ("closed", 30))
UNITS = (("hours", 50), ("accesses", 30), ("days", 10), ("euros", 10))


def _weighted(pairs: tuple[tuple[str, int], ...]) -> tuple[list[str], list[int]]:
    return [k for k, _w in pairs], [w for _k, w in pairs]


def generate(ctx: Context) -> dict[str, int]:
    rng = ctx.rng("access")
    counts: dict[str, int] = {}
    staff = _staff(ctx, rng, counts)
    points = _access_points(ctx, rng, staff["social_worker"] + staff["access_operator"], counts)
    persons, households, heads = _persons(ctx, rng, counts)
    _cases(ctx, rng, persons, households, heads, staff, points, counts)
    return counts


def _staff(ctx: Context, rng: random.Random, counts: dict[str, int]) -> dict[str, list[User]]:
    n_workers = ctx.size("staff")
    n_small = max(1, n_workers // 10)
    organisations = ctx.shared["organisations"]
    unusable = make_password(None)
    users: dict[str, list[User]] = {"social_worker": [], "access_operator": [], "provider": []}
    memberships = []
    for role, number, label in (
        ("social_worker", n_workers, "as"),
        ("access_operator", n_small, "sportello"),
        ("provider", min(n_small, len(organisations)), "ente"),
    ):
        for n in range(number):
            female = rng.random() < 0.7
            user = User(
                username=f"{ctx.prefix}.{label}{n + 1}",
                first_name=rng.choice(FEMALE_NAMES if female else MALE_NAMES),
                last_name=rng.choice(SURNAMES),
                email=f"{label}{n + 1}@{ctx.district.code}.example.org",
                password=unusable,
            )
            users[role].append(user)
            memberships.append(
                Membership(
                    user=user,
                    district=ctx.district,
                    role=role,
                    organisation_id=organisations[n].pk if role == Role.PROVIDER else None,
                )
            )
    every = [u for group in users.values() for u in group]
    counts["core.User"] = insert(User, every)
    counts["core.Membership"] = insert(Membership, memberships)
    ctx.shared["staff"] = users
    return users


def _access_points(
    ctx: Context, rng: random.Random, staff: list[User], counts: dict[str, int]
) -> list[AccessPoint]:
    towns = ctx.municipalities[: max(1, min(len(ctx.municipalities), ctx.size("staff") // 20))]
    points = [
        AccessPoint(
            id=new_uuid(rng),
            district=ctx.district,
            name=f"{'Punto Unico di Accesso' if k == 0 else 'Segretariato sociale'} di {town.name}",
            kind="pua" if k == 0 else "social_desk",
            municipality=town,
            address=f"{rng.choice(STREETS)} {rng.randint(1, 100)}",
            hours="Lunedì, mercoledì e venerdì 9-12:30",
        )
        for k, town in enumerate(towns)
    ]
    counts["access.AccessPoint"] = insert(AccessPoint, points)
    counts["access.AccessPoint.staff"] = insert(
        AccessPointStaff,
        (
            AccessPointStaff(
                district=ctx.district, access_point_id=points[k % len(points)].pk, user_id=user.pk
            )
            for k, user in enumerate(staff)
        ),
    )
    return points


def _population(ctx: Context) -> tuple[list[tuple[int, int, str]], list[int]]:
    """(index of the municipality, age, sex) with cumulative weights, from the latest year."""
    index = {m.pk: k for k, m in enumerate(ctx.municipalities)}
    latest = PopulationCount.objects.filter(municipality__in=ctx.municipalities).aggregate(
        y=Max("year")
    )["y"]
    cells: list[tuple[int, int, str]] = []
    cumulative: list[int] = []
    total = 0
    rows = (
        PopulationCount.objects.filter(municipality__in=ctx.municipalities, year=latest)
        .order_by("municipality__code", "age")
        .values_list("municipality_id", "age", "males", "females")
    )
    for municipality_id, age, males, females in rows:
        for sex, people in (("M", males), ("F", females)):
            if people:
                total += people
                cells.append((index[municipality_id], age, sex))
                cumulative.append(total)
    if not cells:  # no population loaded: every age 0..99 alike in every municipality
        for k in range(len(ctx.municipalities)):
            for age in range(100):
                for sex in ("M", "F"):
                    total += 1
                    cells.append((k, age, sex))
                    cumulative.append(total)
    return cells, cumulative


def _persons(
    ctx: Context, rng: random.Random, counts: dict[str, int]
) -> tuple[list[Person], list[Household], list[int]]:
    n_persons = ctx.size("persons")
    n_households = min(n_persons, ctx.size("households"))
    cells, cumulative = _population(ctx)
    elsewhere = list(
        Municipality.objects.exclude(pk__in=[m.pk for m in ctx.municipalities])
        .exclude(cadastral_code="")
        .order_by("code")[:400]
    )
    taken = set(
        Person.objects.filter(district=ctx.district).values_list("code", flat=True)
    )  # codes already in the district (demo people, earlier imports)
    persons: list[Person] = []
    households: list[Household] = []
    household_of: list[int] = []  # index of each person's household
    members = []
    for n in range(n_persons):
        town_k, age, sex = rng.choices(cells, cum_weights=cumulative)[0]
        town = ctx.municipalities[town_k]
        if n < n_households:
            address = f"{rng.choice(STREETS)} {rng.randint(1, 200)}"
            head_k = n
        else:
            head_k = rng.randrange(n_households)
            town = households[head_k].municipality or town
            address = persons[head_k].address
        head = persons[head_k] if n >= n_households else None
        relation = "head"
        if head is not None and head.birth_date is not None:
            gap = (ctx.today - head.birth_date).days // 365 - age  # head's age - this age
            relation = "child" if gap >= 16 else "parent" if gap <= -16 else "partner"
        born = ctx.today - datetime.timedelta(days=365 * age + rng.randint(0, 364))
        abroad = rng.random() < 0.09 and age >= 3
        if abroad:
            citizenship, place = rng.choice(ABROAD)
            birth_town = None
        else:
            citizenship = "italiana"
            birth_town = town if rng.random() < 0.7 or not elsewhere else rng.choice(elsewhere)
            place = birth_town.cadastral_code
        last = head.last_name if head is not None and relation == "child" else rng.choice(SURNAMES)
        while True:
            first = rng.choice(FEMALE_NAMES if sex == "F" else MALE_NAMES)
            code = fiscal_code(last, first, sex, born, place)
            if code not in taken:
                break
            born -= datetime.timedelta(days=1)  # an omonimo: another birth day
        taken.add(code)
        person = Person(
            id=new_uuid(rng),
            district=ctx.district,
            code_kind="cf",
            code=code,
            last_name=last,
            first_name=first,
            birth_date=born,
            sex=sex,
            birth_municipality=birth_town,
            citizenship=citizenship,
            residence_municipality=town,
            address=address,
            phone=f"3{rng.randint(20, 49)} {rng.randint(1_000_000, 9_999_999)}",
            language="italiano" if not abroad or rng.random() < 0.5 else "altra lingua",
        )
        persons.append(person)
        if n < n_households:
            households.append(
                Household(
                    id=new_uuid(rng),
                    district=ctx.district,
                    name=f"Nucleo {last} ({town.name})",
                    municipality=town,
                )
            )
        household_of.append(head_k)
        members.append(
            HouseholdMember(
                id=new_uuid(rng),
                district=ctx.district,
                household=households[head_k],
                person=person,
                relation=relation,
            )
        )
    counts["access.Person"] = insert(Person, persons)
    counts["access.Household"] = insert(Household, households)
    counts["access.HouseholdMember"] = insert(HouseholdMember, members)
    return persons, households, household_of


def _area(person: Person, age: int, rng: random.Random) -> str:
    if age < 18:
        return UserArea.FAMILY_AND_MINORS
    if age >= 75:
        return UserArea.ELDERLY if rng.random() < 0.85 else UserArea.DISABILITY
    if person.citizenship != "italiana" and rng.random() < 0.5:
        return UserArea.IMMIGRANTS
    return rng.choices(
        [UserArea.POVERTY, UserArea.DISABILITY, UserArea.ADDICTION, UserArea.FAMILY_AND_MINORS],
        [50, 20, 10, 20],
    )[0]


def _cases(
    ctx: Context,
    rng: random.Random,
    persons: list[Person],
    households: list[Household],
    household_of: list[int],
    staff: dict[str, list[User]],
    points: list[AccessPoint],
    counts: dict[str, int],
) -> None:
    n_cases = min(len(persons), ctx.size("cases"))
    workers = staff["social_worker"]
    services = [s for s in ctx.shared["services"] if s.is_published and s.status == "active"]
    services = services or ctx.shared["services"]
    d = ctx.district
    statuses, status_weights = _weighted(CASE_STATUSES)
    ref_statuses, ref_weights = _weighted(REFERRAL_STATUSES)
    units, unit_weights = _weighted(UNITS)
    chosen = sorted(rng.sample(range(len(persons)), n_cases))
    cases: list[Case] = []
    rows: dict[str, list[Any]] = {
        name: []
        for name in (
            "team",
            "assessment",
            "domain",
            "project",
            "result",
            "support",
            "commitment",
            "review",
            "consent",
            "referral",
            "event",
            "contact",
        )
    }
    case_services: list[list[tuple[Any, Referral | None]]] = []
    for k in chosen:
        person = persons[k]
        age = (ctx.today - person.birth_date).days // 365 if person.birth_date else 40
        status = rng.choices(statuses, status_weights)[0]
        opened = days_before(ctx.today, rng, 5 * 365)
        closed = None
        if status == "closed":
            closed = min(ctx.today, opened + datetime.timedelta(days=rng.randint(60, 900)))
        manager = rng.choice(workers)
        path = rng.choices(["social", "work", "complex", ""], [45, 20, 25, 10])[0]
        if status == "open":
            path = ""
        case = Case(
            id=new_uuid(rng),
            district=d,
            person=person,
            household=households[household_of[k]],
            area=_area(person, age, rng),
            manager=manager,
            access_point=rng.choice(points),
            status=status,
            path=path,
            opened_on=opened,
            closed_on=closed,
        )
        cases.append(case)
        rows["contact"].append(
            Contact(
                id=new_uuid(rng),
                district=d,
                person=person,
                access_point=case.access_point,
                operator=manager,
                channel=rng.choices(["in_person", "phone", "referred", "email"], [60, 25, 10, 5])[
                    0
                ],
                area=case.area,
                reason="Richiesta di sostegno e di orientamento ai servizi.",
                outcome="case_opened",
                case=case,
            )
        )
        rows["team"].append(
            TeamMember(
                id=new_uuid(rng),
                district=d,
                case=case,
                user=manager,
                name=manager.get_full_name(),
                role="manager",
                case_opened_on=opened,
            )
        )
        if path == "complex":
            org = rng.choice(ctx.shared["organisations"])
            rows["team"].append(
                TeamMember(
                    id=new_uuid(rng),
                    district=d,
                    case=case,
                    name=f"{rng.choice(FEMALE_NAMES)} {rng.choice(SURNAMES)}",
                    organisation=org,
                    role=rng.choice(["educator", "health", "third_sector", "employment"]),
                    case_opened_on=opened,
                )
            )
        rows["consent"].append(
            ConsentRecord(
                id=new_uuid(rng),
                district=d,
                person=person,
                purpose="processing",
                recorded_by=manager,
            )
        )
        if status == "open":
            case_services.append([])
            continue
        assessed = opened + datetime.timedelta(days=rng.randint(1, 20))
        preliminary = Assessment(
            id=new_uuid(rng),
            district=d,
            case=case,
            kind="preliminary",
            assessed_on=assessed,
            assessor=manager,
            outcome=path,
            summary="Analisi preliminare dei bisogni della persona e del nucleo.",
        )
        rows["assessment"].append(preliminary)
        for dimension in rng.sample(Dimension.values, 3):
            rows["domain"].append(
                AssessmentDomain(
                    id=new_uuid(rng),
                    district=d,
                    assessment=preliminary,
                    dimension=dimension,
                    level=rng.randint(0, 3),
                )
            )
        if path == "complex":
            in_depth = Assessment(
                id=new_uuid(rng),
                district=d,
                case=case,
                kind="in_depth",
                assessed_on=assessed + datetime.timedelta(days=rng.randint(10, 40)),
                assessor=manager,
                outcome=path,
                summary="Quadro di analisi approfondito dell'équipe multidisciplinare.",
            )
            rows["assessment"].append(in_depth)
            for dimension in Dimension.values:
                rows["domain"].append(
                    AssessmentDomain(
                        id=new_uuid(rng),
                        district=d,
                        assessment=in_depth,
                        dimension=dimension,
                        level=rng.randint(0, 3),
                    )
                )
        mine: list[tuple[Any, Referral | None]] = []
        if path in ("social", "complex", "work"):
            signed = status != "closed" or rng.random() < 0.9
            project = PersonalisedProject(
                id=new_uuid(rng),
                district=d,
                case=case,
                general_objectives="Migliorare l'autonomia della persona e del nucleo.",
                status="closed" if status == "closed" else "signed" if signed else "draft",
                signed_on=assessed + datetime.timedelta(days=30) if signed else None,
                signed_by=f"{person.first_name} {person.last_name}" if signed else "",
            )
            rows["project"].append(project)
            for n in range(2):
                rows["result"].append(
                    ExpectedResult(
                        id=new_uuid(rng),
                        district=d,
                        project=project,
                        description=("Ricerca attiva del lavoro", "Cura della salute")[n],
                        deadline=assessed + datetime.timedelta(days=180 * (n + 1)),
                        achieved=rng.random() < 0.4,
                    )
                )
            rows["commitment"].append(
                Commitment(
                    id=new_uuid(rng),
                    district=d,
                    project=project,
                    description="Partecipare agli incontri concordati con i servizi.",
                )
            )
            if signed:
                rows["review"].append(
                    ProjectReview(
                        id=new_uuid(rng),
                        district=d,
                        project=project,
                        held_on=assessed + datetime.timedelta(days=120),
                        outcome=rng.choice(["on_track", "partial", "not_met", "revise"]),
                    )
                )
            sharing = ConsentRecord(
                id=new_uuid(rng), district=d, person=person, purpose="sharing", recorded_by=manager
            )
            rows["consent"].append(sharing)
            for service in rng.sample(services, min(len(services), rng.randint(1, 2))):
                rows["support"].append(
                    ProjectSupport(
                        id=new_uuid(rng),
                        district=d,
                        project=project,
                        service=service,
                        description="Sostegno previsto dal progetto.",
                    )
                )
                ref_status = rng.choices(ref_statuses, ref_weights)[0]
                referral = Referral(
                    id=new_uuid(rng),
                    district=d,
                    person=person,
                    case=case,
                    service=service,
                    organisation=service.organisation,
                    consent=sharing,
                    request="Si chiede la presa in carico per il sostegno previsto dal progetto.",
                    status=ref_status,
                    decline_reason="Posti esauriti." if ref_status == "declined" else "",
                    created_by=manager,
                )
                rows["referral"].append(referral)
                rows["event"].append(
                    ReferralEvent(
                        id=new_uuid(rng),
                        district=d,
                        referral=referral,
                        to_status="sent",
                        actor=manager,
                        actor_label=manager.get_full_name(),
                    )
                )
                if ref_status != "sent":
                    rows["event"].append(
                        ReferralEvent(
                            id=new_uuid(rng),
                            district=d,
                            referral=referral,
                            from_status="sent",
                            to_status=ref_status,
                            actor_label=service.organisation.name,
                        )
                    )
                if ref_status in ("completed", "in_progress", "accepted"):
                    mine.append((service, referral))
        case_services.append(mine)
    counts["access.Case"] = insert(Case, cases)
    for name, model in (
        ("contact", Contact),
        ("team", TeamMember),
        ("consent", ConsentRecord),
        ("assessment", Assessment),
        ("domain", AssessmentDomain),
        ("project", PersonalisedProject),
        ("result", ExpectedResult),
        ("commitment", Commitment),
        ("review", ProjectReview),
        ("support", ProjectSupport),
        ("referral", Referral),
        ("event", ReferralEvent),
    ):
        counts[f"access.{model.__name__}"] = insert(model, rows.pop(name))

    # Delivered services: to cases past intake, through their accepted referrals when they
    # have some, otherwise directly (a service the case's social worker activated).
    eligible = [k for k, case in enumerate(cases) if case.status != "open"]
    n_delivered = ctx.size("delivered") if eligible else 0

    def delivered() -> Iterator[DeliveredService]:
        for _n in range(n_delivered):
            k = rng.choice(eligible)
            case = cases[k]
            if case_services[k]:
                service, referral = rng.choice(case_services[k])
            else:
                service, referral = rng.choice(services), None
            end_limit = case.closed_on or ctx.today
            span = max(0, (end_limit - case.opened_on).days)
            start = case.opened_on + datetime.timedelta(days=rng.randint(0, span))
            unit = rng.choices(units, unit_weights)[0]
            quantity = Decimal(rng.randint(1, 40))
            amount = quantity * Decimal(rng.choice((18, 22, 25, 30)))
            if unit == "euros":
                quantity = Decimal(rng.randint(100, 1500))
                amount = quantity
            yield DeliveredService(
                id=new_uuid(rng),
                district=d,
                case=case,
                person=case.person,
                service=service,
                referral=referral,
                start=start,
                end=min(end_limit, start + datetime.timedelta(days=rng.randint(0, 90))),
                quantity=quantity,
                unit=unit,
                amount=amount,
            )

    counts["access.DeliveredService"] = insert(DeliveredService, delivered())
    ctx.shared["cases"] = cases
