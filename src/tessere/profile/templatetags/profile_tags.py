"""Filters for showing indicator values in Italian format."""

from __future__ import annotations

import functools
from typing import Any

from django import template
from django.utils import translation
from django.utils.formats import get_format, number_format
from django.utils.translation import get_language

from tessere.profile.indicators import Indicator

register = template.Library()


def format_value(
    value: float | None,
    indicator: Indicator | None,
    *,
    unit: bool = True,
    decimals: int | None = None,
) -> str:
    if value is None:
        return "—"
    if decimals is None:
        decimals = indicator.decimals if indicator else 1
    text = quick_number(value, decimals)
    if not unit or indicator is None:
        return text
    if indicator.is_percent:
        return f"{text}%"
    return text


def quick_number(value: float | int, decimals: int) -> str:
    """``number_format(value, decimals, use_l10n=True, force_grouping=True)`` for the plain
    floats and integers of the profile (a thousand of them on a district's page), without its
    per-call cost: the same digits (decimals cut, not rounded, as Django does), separators and
    grouping of the active language; anything else goes to ``number_format``."""
    text = str(value)
    grouping, thousands, point = _separators(get_language())
    if type(value) not in (int, float) or grouping != 3 or not text[-1:].isdigit() or "e" in text:
        return number_format(value, decimals, use_l10n=True, force_grouping=True)
    sign = ""
    if text[0] == "-":
        sign, text = "-", text[1:]
    whole, _dot, fraction = text.partition(".")
    grouped = f"{int(whole):,}".replace(",", thousands)
    if not decimals:
        return sign + grouped
    fraction = (fraction[:decimals]).ljust(decimals, "0")
    return f"{sign}{grouped}{point}{fraction}"


@functools.cache
def _separators(language: str | None) -> tuple[Any, str, str]:
    """Grouping, thousand and decimal separators of ``language`` (fixed by its formats)."""
    with translation.override(language):
        return (
            get_format("NUMBER_GROUPING"),
            get_format("THOUSAND_SEPARATOR"),
            get_format("DECIMAL_SEPARATOR"),
        )


@register.filter
def ivalue(value: float | None, indicator: Indicator | None) -> str:
    """``{{ row.value|ivalue:row.indicator }}`` → ``1.234`` or ``12,3%`` or ``—``."""
    return format_value(value, indicator)


@register.filter
def get_item(mapping: dict[str, Any] | None, key: str) -> Any:
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def signed(value: float | None, indicator: Indicator | None) -> str:
    if value is None:
        return "—"
    text = format_value(abs(value), indicator)
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"−{text}"
    return text


@register.filter
def inumber(value: float | None, decimals: int = 0) -> str:
    """A plain number in Italian format with ``decimals`` decimals."""
    return format_value(value, None, decimals=decimals)
