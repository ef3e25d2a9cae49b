"""Operations of the access point: one transaction each, audited, raising ``DomainError``.

Split by subject; everything is importable from here.
"""

from tessere.access.models import Dimension
from tessere.access.services.cases import (
    add_commitment,
    add_expected_result,
    add_note,
    add_review,
    add_support,
    add_team_member,
    close_case,
    open_case,
    record_assessment,
    record_delivered_service,
    save_project,
    sign_project,
)
from tessere.access.services.persons import (
    SIMILARITY,
    DuplicatePerson,
    PersonData,
    add_household_member,
    anonymise_expired,
    create_household,
    create_person,
    merge_persons,
    record_consent,
    sharing_consent,
    similar_persons,
    withdraw_consent,
)
from tessere.access.services.referrals import (
    PROVIDER_TRANSITIONS,
    SENDER_TRANSITIONS,
    TERMINAL,
    allowed_transitions,
    record_intake,
    send_referral,
    transition_referral,
)

__all__ = [
    "PROVIDER_TRANSITIONS",
    "SENDER_TRANSITIONS",
    "SIMILARITY",
    "TERMINAL",
    "Dimension",
    "DuplicatePerson",
    "PersonData",
    "add_commitment",
    "add_expected_result",
    "add_household_member",
    "add_note",
    "add_review",
    "add_support",
    "add_team_member",
    "allowed_transitions",
    "anonymise_expired",
    "close_case",
    "create_household",
    "create_person",
    "merge_persons",
    "open_case",
    "record_assessment",
    "record_consent",
    "record_delivered_service",
    "record_intake",
    "save_project",
    "send_referral",
    "sharing_consent",
    "sign_project",
    "similar_persons",
    "transition_referral",
    "withdraw_consent",
]
