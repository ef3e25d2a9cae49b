"""Checks of Italian identifiers: tax code (codice fiscale), VAT number, RUNTS number."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.it import codicefiscale, iva


def clean_tax_code(value: str) -> str:
    """An organisation's tax code: 11 digits (VAT number or numeric tax code, same checksum)
    or a 16-character personal tax code (sole traders). Returns it compacted."""
    compact = "".join(value.split()).upper()
    if not compact:
        return ""
    if compact.isdigit():
        try:
            return str(iva.validate(compact))
        except StdnumError as error:
            raise ValidationError(
                _("Il codice fiscale o la partita IVA %(value)s non è valido: %(reason)s.")
                % {"value": value, "reason": _checksum_reason(error)}
            ) from error
    try:
        return str(codicefiscale.validate(compact))
    except StdnumError as error:
        raise ValidationError(
            _("Il codice fiscale %(value)s non è valido: %(reason)s.")
            % {"value": value, "reason": _checksum_reason(error)}
        ) from error


def _checksum_reason(error: StdnumError) -> str:
    name = type(error).__name__
    if name == "InvalidChecksum":
        return _("il carattere di controllo non torna")
    if name == "InvalidLength":
        return _("la lunghezza è sbagliata")
    if name == "InvalidFormat":
        return _("il formato è sbagliato")
    return _("il codice non esiste")


def clean_runts_id(value: str) -> str:
    """The RUNTS repertory number: digits only (1 to 10), as the register shows it."""
    compact = "".join(value.split())
    if not compact:
        return ""
    if not compact.isdigit() or not 1 <= len(compact) <= 10 or int(compact) == 0:
        raise ValidationError(
            _("Il numero RUNTS %(value)s non è valido: servono da 1 a 10 cifre.") % {"value": value}
        )
    return compact
