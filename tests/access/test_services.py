"""The path intake → assessment → project → referral → completed, duplicates, and the
referral state machine."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import pytest

from tessere.access import services
from tessere.access.models import (
    Case,
    ConsentRecord,
    Contact,
    Person,
    PersonalisedProject,
    Referral,
    ReferralEvent,
)
from tessere.core.errors import DomainError, PermissionDenied
from tessere.core.models import AuditEntry, User
from tests.access.conftest import fiscal_code

pytestmark = pytest.mark.django_db

S = Referral.Status


def _new(last, first, birth, sex="M", **extra):
    return services.PersonData(
        code_kind="cf",
        code=fiscal_code(last, first, sex, birth),
        last_name=last,
        first_name=first,
        birth_date=birth,
        sex=sex,
        **extra,
    )


def test_same_code_is_the_same_person(access_world, districts):
    person = access_world.person
    data = _new("Esempio", "Marta", person.birth_date, "F")
    with pytest.raises(services.DuplicatePerson) as caught:
        services.create_person(actor=access_world.operator, district=districts.a, data=data)
    assert caught.value.candidates == [person]


def test_similar_name_and_same_birth_date_is_offered_for_merging(access_world, districts):
    person = access_world.person
    data = services.PersonData(
        code_kind="internal",
        code="",
        last_name="Esempi",
        first_name="Marta",
        birth_date=person.birth_date,
    )
    with pytest.raises(services.DuplicatePerson) as caught:
        services.create_person(actor=access_world.operator, district=districts.a, data=data)
    assert person in caught.value.candidates
    assert Person.objects.filter(last_name="Esempi").count() == 0
    twin = services.create_person(
        actor=access_world.operator, district=districts.a, data=data, allow_similar=True
    )
    services.merge_persons(actor=access_world.social_worker, keep=person, duplicate=twin)
    twin.refresh_from_db()
    assert twin.merged_into == person


def test_different_birth_date_is_not_a_duplicate(access_world, districts):
    data = _new("Esempio", "Marta", datetime.date(1990, 1, 2), "F")
    services.create_person(actor=access_world.operator, district=districts.a, data=data)


def test_whole_path_from_intake_to_completed_referral(access_world, districts):
    operator, worker = access_world.operator, access_world.social_worker
    contact = services.record_intake(
        actor=operator,
        district=districts.a,
        new_person=_new("Prova", "Giovanni", datetime.date(1975, 2, 28)),
        channel=Contact.Channel.IN_PERSON,
        area="poverta",
        reason="Perdita del lavoro, affitto arretrato",
        outcome=Contact.Outcome.CASE_OPENED,
        manager=worker,
        sharing_consent_given=True,
    )
    case = contact.case
    assert case is not None and case.manager == worker
    assert case.team.filter(user=worker, role="manager").exists()
    services.record_assessment(
        actor=worker,
        case=case,
        kind="preliminary",
        outcome="complex",
        domains={"economic": (3, "nessun reddito"), "housing": (2, "")},
    )
    with pytest.raises(DomainError):  # in-depth needs all six
        services.record_assessment(
            actor=worker, case=case, kind="in_depth", outcome="work", domains={"work": (2, "")}
        )
    services.record_assessment(
        actor=worker,
        case=case,
        kind="in_depth",
        outcome="work",
        domains=dict.fromkeys(services.Dimension.values, (1, "")),
    )
    case.refresh_from_db()
    assert case.path == "work" and case.status == Case.Status.ACTIVE

    services.save_project(actor=worker, case=case, general_objectives="Autonomia economica")
    with pytest.raises(DomainError) as caught:
        services.sign_project(
            actor=worker, case=case, signed_on=datetime.date.today(), signed_by="Giovanni Prova"
        )
    assert len(caught.value.details) == 2
    services.add_expected_result(
        actor=worker,
        case=case,
        description="Colloquio al Centro per l'impiego",
        deadline=datetime.date.today() + datetime.timedelta(days=30),
    )
    services.add_support(actor=worker, case=case, service=access_world.service)
    services.add_commitment(actor=worker, case=case, description="Partecipare ai colloqui")
    project = services.sign_project(
        actor=worker, case=case, signed_on=datetime.date.today(), signed_by="Giovanni Prova"
    )
    assert project.status == PersonalisedProject.Status.SIGNED
    services.add_review(actor=worker, case=case, held_on=datetime.date.today(), outcome="on_track")

    referral = services.send_referral(
        actor=worker,
        person=case.person,
        service=access_world.service,
        request="Percorso educativo",
        case=case,
    )
    provider = User.objects.get(username="provider_a")
    for status in (S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED):
        services.transition_referral(actor=provider, referral=referral, to_status=status)
    referral.refresh_from_db()
    assert referral.status == S.COMPLETED
    events = list(ReferralEvent.objects.filter(referral=referral).order_by("created_at"))
    assert [e.to_status for e in events] == [S.SENT, S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED]
    assert {e.actor_label for e in events[1:]} == {"provider_a"}
    services.record_delivered_service(
        actor=worker,
        case=case,
        service=access_world.service,
        start=datetime.date.today(),
        quantity=Decimal("10"),
        unit="hours",
        amount=Decimal("250.00"),
        referral=referral,
    )
    services.close_case(actor=worker, case=case)
    assert AuditEntry.objects.filter(object_type="access.referral", object_id=str(referral.pk))


def test_referral_needs_consent(access_world, districts):
    person = services.create_person(
        actor=access_world.operator,
        district=districts.a,
        data=_new("Senza", "Consenso", datetime.date(1960, 3, 3)),
    )
    with pytest.raises(DomainError, match="consenso"):
        services.send_referral(
            actor=access_world.operator,
            person=person,
            service=access_world.service,
            request="x",
        )
    consent = services.record_consent(actor=access_world.operator, person=person, purpose="sharing")
    services.withdraw_consent(actor=access_world.operator, consent=consent)
    with pytest.raises(DomainError, match="consenso"):
        services.send_referral(
            actor=access_world.operator, person=person, service=access_world.service, request="x"
        )
    assert not Referral.objects.filter(person=person).exists()
    assert ConsentRecord.objects.filter(person=person).count() == 1


def test_referral_to_another_districts_service_is_refused(access_world):
    with pytest.raises(DomainError):
        services.send_referral(
            actor=access_world.social_worker,
            person=access_world.person,
            service=access_world.service_b,
            request="x",
            case=access_world.case,
        )


ALL = list(S.values)


@pytest.mark.parametrize(("start", "target"), list(itertools.product(ALL, ALL)))
def test_state_machine_refuses_every_illegal_transition(access_world, start, target):
    referral = access_world.referral
    Referral.objects.filter(pk=referral.pk).update(status=start)
    referral.refresh_from_db()
    provider = User.objects.get(username="provider_a")
    legal_provider = target in services.PROVIDER_TRANSITIONS.get(start, set())
    legal_sender = target in services.SENDER_TRANSITIONS.get(start, set())
    actor = provider if legal_provider or not legal_sender else access_world.social_worker
    if legal_provider or legal_sender:
        services.transition_referral(actor=actor, referral=referral, to_status=target, reason="r")
        referral.refresh_from_db()
        assert referral.status == target
    else:
        for who in (provider, access_world.social_worker):
            with pytest.raises(DomainError):
                services.transition_referral(actor=who, referral=referral, to_status=target)
        referral.refresh_from_db()
        assert referral.status == start


def test_only_the_addressed_provider_answers_and_only_the_team_cancels(access_world):
    referral = access_world.referral
    with pytest.raises(PermissionDenied):
        services.transition_referral(
            actor=access_world.provider_other, referral=referral, to_status=S.ACCEPTED
        )
    with pytest.raises(PermissionDenied):
        services.transition_referral(
            actor=access_world.social_worker, referral=referral, to_status=S.ACCEPTED
        )
    with pytest.raises(PermissionDenied):
        services.transition_referral(
            actor=User.objects.get(username="provider_a"), referral=referral, to_status=S.CANCELLED
        )
    with pytest.raises(PermissionDenied):
        services.transition_referral(
            actor=access_world.other_social_worker, referral=referral, to_status=S.CANCELLED
        )
    services.transition_referral(
        actor=access_world.social_worker, referral=referral, to_status=S.CANCELLED
    )


def test_decline_needs_a_reason(access_world):
    provider = User.objects.get(username="provider_a")
    with pytest.raises(DomainError, match="motivo"):
        services.transition_referral(
            actor=provider, referral=access_world.referral, to_status=S.DECLINED
        )
    services.transition_referral(
        actor=provider,
        referral=access_world.referral,
        to_status=S.DECLINED,
        reason="Posti esauriti",
    )
    access_world.referral.refresh_from_db()
    assert access_world.referral.decline_reason == "Posti esauriti"


def test_bad_intake_writes_nothing(access_world, districts):
    before = (Person.objects.count(), Contact.objects.count(), Case.objects.count())
    with pytest.raises(DomainError):
        services.record_intake(
            actor=access_world.operator,
            district=districts.a,
            new_person=_new("Nuovo", "Tizio", datetime.date(1970, 1, 1)),
            channel="phone",
            area="anziani",
            reason="x",
            outcome="referral",  # but no service
        )
    with pytest.raises(DomainError):
        services.record_intake(
            actor=access_world.operator,
            district=districts.a,
            new_person=_new("Nuovo", "Tizio", datetime.date(1970, 1, 1)),
            channel="phone",
            area="anziani",
            reason="x",
            outcome="referral",
            service=access_world.service,  # but no consent: referral refused, person rolled back
        )
    assert (Person.objects.count(), Contact.objects.count(), Case.objects.count()) == before


def test_household_with_members_and_a_household_case(access_world, districts):
    world = access_world
    child = services.create_person(
        actor=world.operator,
        district=districts.a,
        data=_new("Esempio", "Luca", datetime.date(2012, 9, 1)),
    )
    household = services.create_household(
        actor=world.social_worker,
        district=districts.a,
        name="Nucleo Esempio",
        members=[(world.person, "head"), (child, "child")],
    )
    assert household.members.count() == 2
    with pytest.raises(DomainError):
        services.add_household_member(
            actor=world.social_worker, household=household, person=child, relation="child"
        )
    case = services.open_case(
        actor=world.social_worker,
        person=world.person,
        household=household,
        area="famiglia_minori",
        manager=world.social_worker,
    )
    assert case.household == household
    with pytest.raises(DomainError, match="assistente sociale"):
        services.open_case(
            actor=world.social_worker, person=child, area="famiglia_minori", manager=world.operator
        )
