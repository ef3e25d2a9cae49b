"""Optimistic locking: a record edited by two people at once keeps the first save.

Records that people edit through forms and the API (a plan's actions, a case, its
personalised project) carry an integer ``version`` column. A page or an API client reads the
version together with the values and sends it back with its change; the service claims the
row with one statement::

    UPDATE ... SET version = version + 1 WHERE id = %s AND version = %s

If no row is updated, someone saved in between: the service raises ``Conflict`` (409) and
writes nothing. The UPDATE also takes the row lock, so the rest of the service's transaction
writes the row without anyone else slipping in. An integer is used rather than a timestamp:
it does not depend on clock resolution, and it is compared exactly on every database.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _

from tessere.core.errors import DomainError


class Conflict(DomainError):
    """The record changed since the user read it."""

    status_code = 409


def conflict_message() -> str:
    return _(
        "Nel frattempo qualcun altro ha modificato questo elemento: le tue modifiche non sono "
        "state salvate. Ricarica la pagina per vedere i valori attuali."
    )


def claim(obj: models.Model, version: int | None = None) -> int:
    """Bump ``obj``'s version if it is still ``version`` (by default, the one ``obj`` was
    read with); raise ``Conflict`` otherwise. Sets and returns the new version."""
    expected = obj.version if version is None else int(version)  # type: ignore[attr-defined]
    manager: Any = type(obj)._default_manager
    updated = manager.filter(pk=obj.pk, version=expected).update(version=F("version") + 1)
    if updated != 1:
        raise Conflict(conflict_message())
    obj.version = expected + 1  # type: ignore[attr-defined]
    return expected + 1
