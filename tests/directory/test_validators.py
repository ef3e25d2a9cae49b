from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from tessere.directory.validators import clean_runts_id, clean_tax_code


@pytest.mark.parametrize(
    "value, expected",
    [
        ("00000010462", "00000010462"),  # VAT number / numeric tax code
        (" 0000001 0462 ", "00000010462"),
        ("RSSMRA85T10A562S", "RSSMRA85T10A562S"),  # personal tax code
        ("rssmra85t10a562s", "RSSMRA85T10A562S"),
        ("", ""),
    ],
)
def test_valid_tax_codes(value, expected):
    assert clean_tax_code(value) == expected


@pytest.mark.parametrize(
    "value, fragment",
    [
        ("00000010463", "controllo"),  # wrong check digit
        ("0000001046", "lunghezza"),
        ("RSSMRA85T10A562T", "non è valido"),
        ("ABCDEFGHIJKLMNOP", "non è valido"),
    ],
)
def test_invalid_tax_codes(value, fragment):
    with pytest.raises(ValidationError) as error:
        clean_tax_code(value)
    assert fragment in error.value.messages[0]


@pytest.mark.parametrize("value", ["104522", "1", " 2301 17 "])
def test_valid_runts(value):
    assert clean_runts_id(value).isdigit()


@pytest.mark.parametrize("value", ["0", "12A45", "12345678901", "-3"])
def test_invalid_runts(value):
    with pytest.raises(ValidationError):
        clean_runts_id(value)


@given(st.text(max_size=20))
def test_tax_code_never_crashes(value):
    try:
        result = clean_tax_code(value)
    except ValidationError:
        return
    assert result == "" or len(result) in (11, 16)
