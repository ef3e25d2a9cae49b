"""Filters for showing indicator values in Italian format."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format

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
    text = number_format(value, decimals, use_l10n=True, force_grouping=True)
    if not unit or indicator is None:
        return text
    if str(indicator.unit) == "%":
        return f"{text}%"
    return text


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
