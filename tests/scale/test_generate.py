"""``tessere generate-scale-data``: proportional volumes, consistent rows, deterministic."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from codicefiscale import codicefiscale
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F, Q

from tessere import scale
from tessere.access.codes import check_fiscal_code
from tessere.access.models import (
    Case,
    DeliveredService,
    HouseholdMember,
    Person,
    PersonalisedProject,
    Referral,
    TeamMember,
)
from tessere.directory.models import Service
from tessere.monitoring.models import ActionIndicator, Measurement
from tessere.participation.models import Contribution, Meeting, Table
from tessere.planning.models import Action, Plan
from tessere.scale.base import VOLUMES
from tessere.territory.models import District

FACTOR = 0.002
TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def generated(db):  # type: ignore[no-untyped-def]
    district = District.objects.get(code="cremona")
    report = scale.generate(district=district, factor=FACTOR, seed=7, today=TODAY)
    return district, report


def test_volumes_are_proportional_to_the_factor(generated) -> None:  # type: ignore[no-untyped-def]
    district, report = generated
    expected = {
        Person: VOLUMES["persons"],
        Case: VOLUMES["cases"],
        DeliveredService: VOLUMES["delivered"],
        Service: VOLUMES["services"],
        Table: VOLUMES["tables"],
        Contribution: VOLUMES["contributions"],
        Meeting: VOLUMES["meetings"],
        Action: VOLUMES["actions"],
        ActionIndicator: VOLUMES["indicators"],
    }
    for model, at_one in expected.items():
        assert model.objects.filter(district=district).count() == max(1, round(at_one * FACTOR))
    assert report.counts["access.Household"] == round(VOLUMES["households"] * FACTOR)
    # A measurement at the end of every month of the plan (2024-2026) up to 23/11/2026.
    indicators = ActionIndicator.objects.filter(district=district).count()
    assert Measurement.objects.filter(district=district).count() == indicators * 34


def test_rows_are_consistent(generated) -> None:  # type: ignore[no-untyped-def]
    district, _report = generated
    cases = Case.objects.filter(district=district)
    assert not cases.exclude(person__district=district).exists()
    assert not cases.exclude(household__district=district).exists()
    assert not cases.filter(closed_on__lt=F("opened_on")).exists()
    # Each case's manager is on its team, with the opening date copied for the case list.
    assert (
        TeamMember.objects.filter(
            case__district=district,
            role="manager",
            user=F("case__manager"),
            case_opened_on=F("case__opened_on"),
        ).count()
        == cases.count()
    )
    assert (
        not PersonalisedProject.objects.filter(district=district)
        .exclude(case__district=district)
        .exists()
    )
    referrals = Referral.objects.filter(district=district)
    assert referrals.exists()
    assert not referrals.exclude(service__district=district).exists()
    assert not referrals.exclude(organisation=F("service__organisation")).exists()
    assert not referrals.exclude(consent__person=F("person"), consent__purpose="sharing").exists()
    assert not referrals.exclude(case__person=F("person")).exists()
    delivered = DeliveredService.objects.filter(district=district)
    assert not delivered.exclude(person=F("case__person")).exists()
    assert not delivered.exclude(service__district=district).exists()
    assert not delivered.filter(start__lt=F("case__opened_on")).exists()
    assert (
        not delivered.filter(referral__isnull=False)
        .exclude(service=F("referral__service"))
        .exists()
    )
    # Every person in exactly one household of the district, living where it lives.
    members = HouseholdMember.objects.filter(district=district)
    assert members.count() == Person.objects.filter(district=district).count()
    assert not members.exclude(person__residence_municipality=F("household__municipality")).exists()
    # Municipalities of the district, ages from the population.
    own = set(district.municipalities.values_list("pk", flat=True))
    persons = list(Person.objects.filter(district=district))
    assert {p.residence_municipality_id for p in persons} <= own
    assert all(datetime.date(1920, 1, 1) < p.birth_date <= TODAY for p in persons)
    # Valid codici fiscali, consistent with birth date, sex and place.
    for person in persons:
        assert codicefiscale.is_valid(person.code), person.code
        place = person.birth_municipality.cadastral_code if person.birth_municipality else ""
        assert not check_fiscal_code(
            person.code, birth_date=person.birth_date, sex=person.sex, birth_cadastral_code=place
        )
    assert (
        not Measurement.objects.filter(district=district)
        .exclude(indicator__action__plan__district=district)
        .exists()
    )
    plan = Plan.objects.get(district=district, status="in_force", first_year=2024)
    assert plan.actions.count() == Action.objects.filter(district=district).count()
    assert (
        not Action.services.through.objects.filter(action__plan=plan)
        .exclude(service__district=district)
        .exists()
    )
    assert (
        not Contribution.objects.filter(district=district)
        .filter(Q(status="merged") & ~Q(merged_into__table=F("table")))
        .exists()
    )


def test_same_seed_same_data_and_a_second_run_is_refused(db) -> None:  # type: ignore[no-untyped-def]
    district = District.objects.get(code="cremona")
    digests = []
    for seed in (3, 3, 4):
        with transaction.atomic():
            scale.generate(district=district, factor=FACTOR, seed=seed, today=TODAY)
            digests.append(scale.checksum(district))
            transaction.set_rollback(True)
    assert digests[0] == digests[1]
    assert digests[0] != digests[2]
    out = StringIO()
    with transaction.atomic():  # the command, on the same day given with --today
        call_command(
            "generate_scale_data",
            "--district=cremona",
            f"--factor={FACTOR}",
            "--seed=3",
            f"--today={TODAY.isoformat()}",
            "--checksum",
            stdout=out,
        )
        transaction.set_rollback(True)
    assert f"impronta: {digests[0]}" in out.getvalue()
    with pytest.raises(CommandError, match="non è una data nel formato AAAA-MM-GG"):
        call_command("generate_scale_data", "--district=cremona", "--factor=1", "--today=23/11")
    out = StringIO()
    call_command("generate_scale_data", district="cremona", factor=FACTOR, stdout=out)
    assert "righe" in out.getvalue()
    with pytest.raises(CommandError, match="contiene già dati generati"):
        call_command("generate_scale_data", district="cremona", factor=FACTOR, stdout=out)
