"""The indicators of the community profile, each defined once.

Indicators computed from the population (`PopulationCount`) are registered here with
`register()`; other rooms register theirs the same way (at import time of their module).
Indicators a district imports from a CSV file are `IndicatorDefinition` rows; `catalogue()`
returns both kinds as one list of `Indicator`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from tessere.profile.models import Polarity

if TYPE_CHECKING:
    from tessere.profile.models import IndicatorDefinition

ISTAT_SOURCE = "Dati ISTAT elaborati da Openpolis, CC BY 4.0"

# The sums read from the population table (one conditional sum per band), in this order.
# ``a14`` is age 14 alone and ``a15_17`` ages 15-17, so that both 0-14 and 14-17 can be built.
BASE_BANDS: list[tuple[str, int, int]] = [
    ("a0_2", 0, 2),
    ("a3_5", 3, 5),
    ("a6_10", 6, 10),
    ("a11_13", 11, 13),
    ("a14", 14, 14),
    ("a15_17", 15, 17),
    ("a18_64", 18, 64),
    ("a65_74", 65, 74),
    ("a75_79", 75, 79),
    ("a80_84", 80, 84),
    ("a85", 85, 200),
]
FIELDS = ["males", "females", *(name for name, _lo, _hi in BASE_BANDS), "f80"]
INDEX = {name: i for i, name in enumerate(FIELDS)}

Counts = list[int]  # one value per name in FIELDS
Values = dict[str, float | None]


def band(counts: Counts, *names: str) -> int:
    return sum(counts[INDEX[n]] for n in names)


# The bands shown in the profile, as unions of the base bands.
BANDS: list[tuple[str, str, tuple[str, ...], str]] = [
    # code suffix, label, base bands, polarity
    ("0_2", "0-2", ("a0_2",), Polarity.NEUTRAL),
    ("3_5", "3-5", ("a3_5",), Polarity.NEUTRAL),
    ("6_10", "6-10", ("a6_10",), Polarity.NEUTRAL),
    ("11_13", "11-13", ("a11_13",), Polarity.NEUTRAL),
    ("14_17", "14-17", ("a14", "a15_17"), Polarity.NEUTRAL),
    ("0_17", "0-17", ("a0_2", "a3_5", "a6_10", "a11_13", "a14", "a15_17"), Polarity.NEUTRAL),
    ("18_64", "18-64", ("a18_64",), Polarity.NEUTRAL),
    ("65", "65+", ("a65_74", "a75_79", "a80_84", "a85"), Polarity.HIGHER),
    ("75", "75+", ("a75_79", "a80_84", "a85"), Polarity.HIGHER),
    ("85", "85+", ("a85",), Polarity.HIGHER),
]
AGE_0_14 = ("a0_2", "a3_5", "a6_10", "a11_13", "a14")
AGE_15_64 = ("a15_17", "a18_64")
AGE_65 = ("a65_74", "a75_79", "a80_84", "a85")


def _ratio(numerator: Any, denominator: Any, scale: float = 100.0) -> Any:
    """numerator × scale / denominator; None (NaN for arrays) where the denominator is 0.

    Works on numbers and, column by column, on numpy arrays (see `compute.values_matrix`).
    """
    if isinstance(denominator, np.ndarray):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(denominator == 0, np.nan, numerator * scale / denominator)
    if not denominator:
        return None
    return numerator * scale / denominator


@dataclass(frozen=True)
class Indicator:
    """One indicator: what it is, how it is computed, which way is need."""

    code: str
    name: str | Promise
    unit: str | Promise
    formula: str | Promise
    polarity: str = Polarity.NEUTRAL
    source: str = ISTAT_SOURCE
    decimals: int = 1
    # From the population's counts of the year (and of the previous year, or None).
    compute: Callable[[Counts, Counts | None], float | None] | None = field(
        default=None, compare=False, repr=False
    )
    imported: bool = False
    headline: bool = False
    # Counts of people add up over territories; rates and indices do not.
    additive: bool = False

    @property
    def is_count(self) -> bool:
        return self.additive

    @functools.cached_property
    def is_percent(self) -> bool:
        """The unit is "%" (read once: the profile's table formats a thousand values)."""
        return str(self.unit) == "%"


_REGISTRY: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    if indicator.code in _REGISTRY:
        raise ValueError(f"indicator {indicator.code!r} is already registered")
    _REGISTRY[indicator.code] = indicator
    return indicator


def registered() -> list[Indicator]:
    """The indicators defined in code, in the order they were registered."""
    return list(_REGISTRY.values())


def get(code: str) -> Indicator | None:
    return _REGISTRY.get(code)


def from_definition(definition: IndicatorDefinition) -> Indicator:
    return Indicator(
        code=definition.code,
        name=definition.name,
        unit=definition.unit,
        formula=definition.formula or _("Valore importato dall'ambito."),
        polarity=definition.polarity,
        source=definition.source,
        decimals=2,
        imported=True,
    )


def catalogue(definitions: Iterable[IndicatorDefinition] = ()) -> list[Indicator]:
    """Every indicator: those computed from the population, then the imported ones."""
    return registered() + [from_definition(d) for d in definitions if d.code not in _REGISTRY]


def _lazy_text(make: Callable[[], str]) -> Promise:
    """A text translated when shown (in the language of the request), not at import."""
    return cast(Promise, lazy(make, str)())


def _band_text(message: str, label: str) -> Promise:
    """``message`` (marked with gettext_noop) translated when shown, with the band's label."""
    return _lazy_text(partial(_format_band, message, label))


def _format_band(message: str, label: str) -> str:
    return gettext(message) % {"band": label}


def _band_count(names: tuple[str, ...]) -> Callable[[Counts, Counts | None], Any]:
    def count(c: Counts, p: Counts | None) -> Any:
        return band(c, *names)

    return count


def _band_share(names: tuple[str, ...]) -> Callable[[Counts, Counts | None], Any]:
    def share(c: Counts, p: Counts | None) -> Any:
        return _ratio(band(c, *names), band(c, "males", "females"))

    return share


PERSONS = _("persone")
PERCENT = "%"
PER_100 = _("per 100")


def _population_indicators() -> None:
    register(
        Indicator(
            code="popolazione",
            name=_("Popolazione residente"),
            unit=PERSONS,
            formula=_("Maschi + femmine residenti al 1° gennaio."),
            decimals=0,
            compute=lambda c, p: band(c, "males", "females"),
            headline=True,
            additive=True,
        )
    )
    register(
        Indicator(
            code="maschi",
            name=_("Maschi"),
            unit=PERSONS,
            formula=_("Maschi residenti al 1° gennaio."),
            decimals=0,
            compute=lambda c, p: c[INDEX["males"]],
            additive=True,
        )
    )
    register(
        Indicator(
            code="femmine",
            name=_("Femmine"),
            unit=PERSONS,
            formula=_("Femmine residenti al 1° gennaio."),
            decimals=0,
            compute=lambda c, p: c[INDEX["females"]],
            additive=True,
        )
    )
    register(
        Indicator(
            code="variazione",
            name=_("Variazione della popolazione sull'anno precedente"),
            unit=PERSONS,
            formula=_("Popolazione dell'anno − popolazione dell'anno precedente."),
            polarity=Polarity.LOWER,
            decimals=0,
            compute=lambda c, p: (
                None if p is None else band(c, "males", "females") - band(p, "males", "females")
            ),
            additive=True,
        )
    )
    register(
        Indicator(
            code="variazione_pct",
            name=_("Variazione percentuale della popolazione"),
            unit=PERCENT,
            formula=_(
                "(Popolazione dell'anno − popolazione dell'anno precedente) × 100 / "
                "popolazione dell'anno precedente."
            ),
            polarity=Polarity.LOWER,
            decimals=2,
            compute=lambda c, p: (
                None
                if p is None
                else _ratio(
                    band(c, "males", "females") - band(p, "males", "females"),
                    band(p, "males", "females"),
                )
            ),
            headline=True,
        )
    )
    for suffix, label, names, polarity in BANDS:
        register(
            Indicator(
                code=f"eta_{suffix}",
                name=_band_text(gettext_noop("Persone di %(band)s anni"), label),
                unit=PERSONS,
                formula=_band_text(
                    gettext_noop("Residenti con età compresa nella fascia %(band)s."), label
                ),
                polarity=polarity,
                decimals=0,
                compute=_band_count(names),
                additive=True,
            )
        )
        register(
            Indicator(
                code=f"quota_{suffix}",
                name=_band_text(gettext_noop("Quota di persone di %(band)s anni"), label),
                unit=PERCENT,
                formula=_band_text(
                    gettext_noop("Residenti di %(band)s anni × 100 / popolazione residente."),
                    label,
                ),
                polarity=polarity,
                compute=_band_share(names),
                headline=suffix in {"0_17", "65", "85"},
            )
        )
    register(
        Indicator(
            code="indice_vecchiaia",
            name=_("Indice di vecchiaia"),
            unit=PER_100,
            formula=_("Residenti di 65 anni e più × 100 / residenti di 0-14 anni."),
            polarity=Polarity.HIGHER,
            compute=lambda c, p: _ratio(band(c, *AGE_65), band(c, *AGE_0_14)),
            headline=True,
        )
    )
    register(
        Indicator(
            code="dipendenza_strutturale",
            name=_("Indice di dipendenza strutturale"),
            unit=PER_100,
            formula=_(
                "(Residenti di 0-14 anni + residenti di 65 anni e più) × 100 / "
                "residenti di 15-64 anni."
            ),
            polarity=Polarity.HIGHER,
            compute=lambda c, p: _ratio(band(c, *AGE_0_14, *AGE_65), band(c, *AGE_15_64)),
            headline=True,
        )
    )
    register(
        Indicator(
            code="dipendenza_anziani",
            name=_("Indice di dipendenza degli anziani"),
            unit=PER_100,
            formula=_("Residenti di 65 anni e più × 100 / residenti di 15-64 anni."),
            polarity=Polarity.HIGHER,
            compute=lambda c, p: _ratio(band(c, *AGE_65), band(c, *AGE_15_64)),
        )
    )
    register(
        Indicator(
            code="quota_donne_80",
            name=_("Quota di donne tra le persone di 80 anni e più"),
            unit=PERCENT,
            formula=_("Femmine di 80 anni e più × 100 / residenti di 80 anni e più."),
            polarity=Polarity.HIGHER,
            compute=lambda c, p: _ratio(c[INDEX["f80"]], band(c, "a80_84", "a85")),
        )
    )


_population_indicators()
