"""The profile's quick number formatting writes what Django's ``number_format`` writes."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.formats import number_format
from hypothesis import given
from hypothesis import strategies as st

from tessere.profile.templatetags.profile_tags import quick_number

pytestmark = pytest.mark.django_db

NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(min_value=-1e7, max_value=1e7),
)


@pytest.mark.parametrize("language", ["it", "en"])
@given(value=NUMBERS, decimals=st.integers(0, 4))
def test_quick_number_is_number_format(language, value, decimals):
    with translation.override(language):
        expected = number_format(value, decimals, use_l10n=True, force_grouping=True)
        assert quick_number(value, decimals) == expected


def test_italian_examples():
    with translation.override("it"):
        assert quick_number(1234567.891, 1) == "1.234.567,8"
        assert quick_number(-1234, 0) == "-1.234"
        assert quick_number(12.5, 2) == "12,50"
