"""The progress roll-up: budget-weighted means, computed by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from tessere.monitoring import services
from tessere.monitoring.selectors import rollup, weighted_mean

from .conftest import build_plan


def progress(action, percent, status="in_progress", day=1):  # type: ignore[no-untyped-def]
    services.record_progress(
        actor=None,
        action=action,
        date=datetime.date(2025, 6, day),
        status=status,
        percent=percent,
    )


def test_weighted_mean_by_hand() -> None:
    assert weighted_mean([]) is None
    # (1·10 + 3·50) / (1 + 3) = 40, not the sum 160 of the weighted values.
    assert weighted_mean([(Decimal(1), 10), (Decimal(3), 50)]) == pytest.approx(40)
    # A zero weight does not count...
    assert weighted_mean([(Decimal(0), 100), (Decimal(2), 20)]) == pytest.approx(20)
    # ...unless every weight is zero: then the plain mean.
    assert weighted_mean([(Decimal(0), 100), (Decimal(0), 20)]) == pytest.approx(60)


def test_rollup_of_a_plan(districts) -> None:  # type: ignore[no-untyped-def]
    # Budgets (3 years): A001 300, A002 900, A003 0, A004 1800.
    built = build_plan(districts.a, budgets=(100, 300, 0, 600))
    a1, a2, a3, a4 = built.actions
    progress(a1, 10, day=1)
    progress(a1, 50, day=2)  # the latest entry counts
    progress(a2, 20)
    progress(a3, 100, status="completed")
    # A004: no entry, so not started at 0%.
    result = rollup(built.plan)
    assert result.actions[a1.pk].percent == 50
    assert result.actions[a1.pk].budget == Decimal("300")
    assert result.actions[a4.pk].status == "not_started"
    famiglie, anziani = built.objectives
    # Objective 1: A001 (300, 50%) and A003 (0, 100%): the zero-budget action is left out.
    assert result.objectives[famiglie.pk] == pytest.approx(50)
    # Objective 2: A002 (900, 20%) and A004 (1800, 0%): (900·20 + 0) / 2700.
    assert result.objectives[anziani.pk] == pytest.approx(900 * 20 / 2700)
    assert result.areas[built.areas["anziani"].pk] == pytest.approx(900 * 20 / 2700)
    # Plan: (300·50 + 900·20 + 1800·0) / 3000 = 11.
    assert result.total == pytest.approx(11)


def test_cancelled_actions_leave_the_rollup(districts) -> None:  # type: ignore[no-untyped-def]
    built = build_plan(districts.a, budgets=(100, 300))
    a1, a2 = built.actions
    progress(a1, 80)
    progress(a2, 10, status="cancelled")
    result = rollup(built.plan)
    assert not result.actions[a2.pk].counted
    assert result.total == pytest.approx(80)
    assert result.objectives[built.objectives[1].pk] is None


def test_all_zero_budgets_give_the_plain_mean(districts) -> None:  # type: ignore[no-untyped-def]
    built = build_plan(districts.a, budgets=(0, 0, 0), approve=False)
    progress(built.actions[0], 30)
    progress(built.actions[1], 60)
    assert rollup(built.plan).total == pytest.approx(30)  # (30 + 60 + 0) / 3
