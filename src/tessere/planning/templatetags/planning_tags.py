"""Money and shares in Italian format."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def euro(value: Any) -> str:
    """1.234,56 € (no cents when the amount is whole)."""
    if value in (None, ""):
        return "—"
    amount = Decimal(str(value))
    places = 0 if amount == amount.to_integral_value() else 2
    text = formats.number_format(amount, places, use_l10n=True, force_grouping=True)
    return f"{text}\u00a0€"


@register.filter
def share(value: Any) -> str:
    """0.5 → 50%."""
    if value in (None, ""):
        return "—"
    percent = Decimal(str(value)) * 100
    places = 0 if percent == percent.to_integral_value() else 1
    return formats.number_format(percent, places, use_l10n=True) + "%"


@register.filter
def plain(value: Any) -> str:
    """A decimal for an input's value attribute (dot, no grouping)."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        return value  # what the planner typed, shown back with the error
    return format(Decimal(str(value)).normalize(), "f")
