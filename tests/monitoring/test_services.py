"""Indicators, measurements, progress and spending: permissions, validation, audit, CSV."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from tessere.core.errors import DomainError, PermissionDenied
from tessere.core.models import AuditEntry, User
from tessere.monitoring import services
from tessere.monitoring.models import ActionIndicator, Measurement, ProgressEntry, Spending


def user(name: str) -> User:
    return User.objects.get(username=name)


def indicator(built, **extra) -> ActionIndicator:  # type: ignore[no-untyped-def]
    fields = {"name": "Famiglie seguite", "unit": "famiglie", "targets": {2025: 10, 2026: 20}}
    fields.update(extra)
    return services.save_indicator(actor=user("planner_a"), action=built.actions[0], **fields)


def test_planner_creates_an_indicator_audited(built) -> None:  # type: ignore[no-untyped-def]
    item = indicator(built, baseline="4,5")
    assert item.district == built.plan.district
    assert item.baseline == Decimal("4.50")
    assert item.targets == {"2025": "10.00", "2026": "20.00"}
    assert AuditEntry.objects.filter(object_id=str(item.pk)).exists()


@pytest.mark.parametrize("name", ["mayor_a", "viewer_a", "social_worker_a", "planner_b"])
def test_only_planners_of_the_district_write(built, name) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.save_indicator(actor=user(name), action=built.actions[0], name="X", unit="persone")
    assert not ActionIndicator.objects.exists()


def test_bad_indicator_lists_every_error(built) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as error:
        services.save_indicator(
            actor=user("planner_a"),
            action=built.actions[0],
            name="",
            unit="",
            targets={2030: 5},
        )
    assert len(error.value.details) == 3
    assert "2030" in error.value.details[2]
    assert not ActionIndicator.objects.exists()


def test_measurement_on_the_same_date_replaces(built) -> None:  # type: ignore[no-untyped-def]
    item = indicator(built)
    services.record_measurement(actor=user("planner_a"), indicator=item, date="31/03/2025", value=3)
    services.record_measurement(
        actor=user("planner_a"), indicator=item, date="2025-03-31", value="4,5"
    )
    assert list(Measurement.objects.values_list("value", flat=True)) == [Decimal("4.50")]
    with pytest.raises(DomainError):
        services.record_measurement(
            actor=user("planner_a"), indicator=item, date="31/03/2035", value=1
        )
    with pytest.raises(DomainError):
        services.record_measurement(
            actor=user("planner_a"), indicator=item, date="31/03/2025", value="tanti"
        )


def test_csv_import_all_or_nothing(built) -> None:  # type: ignore[no-untyped-def]
    item = indicator(built)
    bad = (
        "indicatore;data;valore\n"
        f"{item.pk};31/03/2025;3\n"
        f"{item.pk};30/06/2025;abc\n"
        "99999;30/06/2025;1\n"
        f"{item.pk};31/03/2025;5\n"
    )
    with pytest.raises(DomainError) as error:
        services.import_measurements(actor=user("planner_a"), plan=built.plan, text=bad)
    assert [d.split(":")[0] for d in error.value.details] == ["riga 3", "riga 4", "riga 5"]
    assert not Measurement.objects.exists()
    good = f'indicatore,data,valore\n{item.pk},2025-03-31,3\n{item.pk},30/06/2025,"7,5"\n'
    assert services.import_measurements(actor=user("planner_a"), plan=built.plan, text=good) == 2
    assert Measurement.objects.count() == 2
    with pytest.raises(DomainError, match="colonne"):
        services.import_measurements(actor=user("planner_a"), plan=built.plan, text="a;b\n1;2\n")
    with pytest.raises(PermissionDenied):
        services.import_measurements(actor=user("mayor_a"), plan=built.plan, text=good)


def test_progress_rules(built) -> None:  # type: ignore[no-untyped-def]
    action = built.actions[0]
    entry = services.record_progress(
        actor=user("planner_a"),
        action=action,
        date=datetime.date(2025, 6, 30),
        status=ProgressEntry.Status.IN_PROGRESS,
        percent=40,
        note="Avviato il servizio",
    )
    assert entry.entered_by == user("planner_a")
    for status, percent in [("completed", 90), ("in_progress", 101), ("boh", 10)]:
        with pytest.raises(DomainError):
            services.record_progress(
                actor=user("planner_a"),
                action=action,
                date="30/06/2025",
                status=status,
                percent=percent,
            )
    assert ProgressEntry.objects.count() == 1


def test_spending(built) -> None:  # type: ignore[no-untyped-def]
    services.set_spending(actor=user("planner_a"), fund=built.fund, year=2025, amount="1.000,50")
    services.set_spending(actor=user("planner_a"), fund=built.fund, year=2025, amount="900")
    assert list(Spending.objects.values_list("amount", flat=True)) == [Decimal("900.00")]
    with pytest.raises(DomainError):
        services.set_spending(actor=user("planner_a"), fund=built.fund, year=2024, amount=1)
    with pytest.raises(DomainError):
        services.set_spending(actor=user("planner_a"), fund=built.fund, year=2025, amount=-1)
