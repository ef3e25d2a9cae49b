from __future__ import annotations

from tessere.monitoring import demo
from tessere.monitoring.models import ActionIndicator, Measurement, ProgressEntry, Spending
from tessere.planning import demo as planning_demo


def test_demo_is_idempotent(districts) -> None:  # type: ignore[no-untyped-def]
    planning_demo.load(districts=[districts.a])
    lines = demo.load(districts=[districts.a])
    assert len(lines) == 1
    counts = (
        ActionIndicator.objects.count(),
        Measurement.objects.count(),
        ProgressEntry.objects.count(),
        Spending.objects.count(),
    )
    assert counts[0] == 13 and counts[1] == 52 and counts[2] == 26 and counts[3] > 0
    assert demo.load(districts=[districts.a]) == []
    assert (
        ActionIndicator.objects.count(),
        Measurement.objects.count(),
        ProgressEntry.objects.count(),
        Spending.objects.count(),
    ) == counts
