"""Demo data of this room for the demo districts (called by `tessere setup`)."""

from __future__ import annotations

from tessere.territory.models import District


def load(*, districts: list[District]) -> list[str]:
    """Create what is missing; return lines to print."""
    return []
