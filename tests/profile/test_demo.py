"""The profile's demo data: invented series marked as examples, a few needs, idempotent."""

from __future__ import annotations

import pytest

from tessere.profile import demo, selectors
from tessere.profile.models import IndicatorDefinition, Need, SeriesValue
from tessere.territory.models import District

pytestmark = pytest.mark.django_db


def test_demo_load_is_idempotent_and_marked_as_example():
    districts = list(District.objects.filter(is_demo=True).order_by("code"))
    demo.load(districts=districts)
    counts = (
        IndicatorDefinition.objects.count(),
        SeriesValue.objects.count(),
        Need.objects.count(),
    )
    assert counts[0] == 3 * len(districts) and counts[2] >= 2 * len(districts)
    demo.load(districts=districts)
    assert (
        IndicatorDefinition.objects.count(),
        SeriesValue.objects.count(),
        Need.objects.count(),
    ) == counts
    assert all("dati di esempio" in d.source for d in IndicatorDefinition.objects.all())
    profile = selectors.territory_profile(selectors.resolve("district", "piana-di-lucca"))
    assert profile.leps is not None and profile.leps.workers == 29
