"""Model fields shared by the rooms."""

from __future__ import annotations

from typing import Any

from django.db import models


class DistrictOneToOneField(models.OneToOneField):
    """A one-to-one link between two rows of the same district, unique per district.

    Django's ``OneToOneField`` puts a unique index on the column alone, which a table sharded
    by district cannot have (tessere.core.distribution): every unique rule of a distributed
    table includes ``district_id``. This field behaves as a ``OneToOneField`` in Python (a
    single related object on both sides) and leaves the uniqueness to a
    ``UniqueConstraint(fields=["district", <field>])`` that the model must declare.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._unique = False

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("unique", None)
        return name, path, args, kwargs
