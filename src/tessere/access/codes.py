"""Identification codes of persons: the codice fiscale, or a temporary code (STP, ENI, internal).

The codice fiscale is checked with ``python-codicefiscale``: syntax and check character, the
substituted digits of omocodia, and, where given, consistency with birth date, sex and place of
birth (the cadastral code of the municipality).
"""

from __future__ import annotations

import datetime
import re
import secrets

from codicefiscale import codicefiscale
from django.utils.translation import gettext as _

from tessere.core.errors import DomainError

# STP and ENI: the prefix, the 3-digit code of the health agency's region/ASL, 7 digits (16 chars).
TEMPORARY_RE = {
    "stp": re.compile(r"^STP\d{13}$"),
    "eni": re.compile(r"^ENI\d{13}$"),
    "internal": re.compile(r"^TMP[0-9A-Z]{8,13}$"),
}


def normalise(code: str) -> str:
    return re.sub(r"\s+", "", code or "").upper()


def check_fiscal_code(
    code: str,
    *,
    birth_date: datetime.date | None = None,
    sex: str = "",
    birth_cadastral_code: str = "",
) -> list[str]:
    """The problems of ``code`` (an empty list when it is valid and consistent)."""
    code = normalise(code)
    if not codicefiscale.is_valid(code):
        if len(code) != 16:
            return [_("Il codice fiscale deve avere 16 caratteri.")]
        return [_("Il codice fiscale non è valido (carattere di controllo errato o formato).")]
    decoded = codicefiscale.decode(code)
    problems = []
    decoded_date = decoded["birthdate"]
    if birth_date is not None and (
        decoded_date.day != birth_date.day
        or decoded_date.month != birth_date.month
        or decoded_date.year % 100 != birth_date.year % 100
    ):
        problems.append(_("Il codice fiscale non corrisponde alla data di nascita."))
    if sex and decoded["gender"] != sex.upper():
        problems.append(_("Il codice fiscale non corrisponde al sesso indicato."))
    place = (decoded.get("birthplace") or {}).get("code", "")
    if birth_cadastral_code and place and place.upper() != birth_cadastral_code.upper():
        problems.append(_("Il codice fiscale non corrisponde al luogo di nascita."))
    return problems


def is_omocode(code: str) -> bool:
    return bool(codicefiscale.is_omocode(normalise(code)))


def validate_code(
    *,
    kind: str,
    code: str,
    birth_date: datetime.date | None = None,
    sex: str = "",
    birth_cadastral_code: str = "",
) -> str:
    """The normalised code, or a ``DomainError`` saying what is wrong."""
    code = normalise(code)
    if kind == "cf":
        problems = check_fiscal_code(
            code, birth_date=birth_date, sex=sex, birth_cadastral_code=birth_cadastral_code
        )
        if problems:
            raise DomainError(_("Codice fiscale non accettato."), details=problems)
        return code
    pattern = TEMPORARY_RE.get(kind)
    if pattern is None:
        raise DomainError(_("Tipo di codice sconosciuto."))
    if kind == "internal" and not code:
        return new_internal_code()
    if not pattern.match(code):
        messages = {
            "stp": _("Il codice STP è formato da «STP» seguito da 13 cifre."),
            "eni": _("Il codice ENI è formato da «ENI» seguito da 13 cifre."),
            "internal": _("Il codice interno è formato da «TMP» seguito da 8-13 lettere o cifre."),
        }
        raise DomainError(messages[kind])
    return code


def new_internal_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "TMP" + "".join(secrets.choice(alphabet) for _ in range(10))
