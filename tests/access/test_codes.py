"""Codice fiscale and temporary codes."""

from __future__ import annotations

import datetime

import pytest

from tessere.access import codes
from tessere.core.errors import DomainError

VALID = "RSSMRA85D03E715B"  # Rossi Mario, 3/4/1985, Lucca (E715)


def test_valid_code_with_consistent_data():
    assert (
        codes.check_fiscal_code(
            VALID, birth_date=datetime.date(1985, 4, 3), sex="M", birth_cadastral_code="E715"
        )
        == []
    )
    assert codes.validate_code(kind="cf", code=" rssmra85d03e715b ") == VALID


def test_invalid_check_character_is_refused():
    problems = codes.check_fiscal_code("RSSMRA85D03E715A")
    assert problems and "controllo" in problems[0]
    with pytest.raises(DomainError):
        codes.validate_code(kind="cf", code="RSSMRA85D03E715A")


def test_wrong_length_is_refused():
    assert "16 caratteri" in codes.check_fiscal_code("RSSMRA85D03")[0]


def test_omocodia_is_accepted_and_recognised():
    omocode = "RSSMRA85D03E71RW"  # last digit 5 substituted by R
    assert codes.is_omocode(omocode)
    assert (
        codes.check_fiscal_code(
            omocode, birth_date=datetime.date(1985, 4, 3), sex="M", birth_cadastral_code="E715"
        )
        == []
    )


def test_inconsistent_birth_date_sex_and_place():
    problems = codes.check_fiscal_code(
        VALID, birth_date=datetime.date(1985, 4, 4), sex="F", birth_cadastral_code="G702"
    )
    assert len(problems) == 3
    assert any("data di nascita" in p for p in problems)
    assert any("sesso" in p for p in problems)
    assert any("luogo di nascita" in p for p in problems)


def test_female_day_offset_is_consistent():
    code = "RSSMRA85D43E715F"
    assert codes.check_fiscal_code(code, birth_date=datetime.date(1985, 4, 3), sex="F") == []


@pytest.mark.parametrize(
    ("kind", "code", "ok"),
    [
        ("stp", "STP0900001234567", True),
        ("stp", "STP12", False),
        ("eni", "ENI0900001234567", True),
        ("eni", "XYZ0900001234567", False),
        ("internal", "TMPABCDEFGH", True),
        ("internal", "ABC", False),
    ],
)
def test_temporary_codes(kind, code, ok):
    if ok:
        assert codes.validate_code(kind=kind, code=code) == code
    else:
        with pytest.raises(DomainError):
            codes.validate_code(kind=kind, code=code)


def test_internal_code_is_generated_when_empty():
    code = codes.validate_code(kind="internal", code="")
    assert code.startswith("TMP") and len(code) == 13
