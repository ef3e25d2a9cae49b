"""Measurements due and missing: periods by frequency, the daily reminder (never twice for
the same indicator and period, audited) and the list on the planners' page."""

from __future__ import annotations

import datetime

import time_machine
from django.core import mail
from django.core.management import call_command

from tessere.core.models import AuditEntry
from tessere.monitoring import reminders, services
from tessere.monitoring.models import MeasurementReminder

D = datetime.date


def test_periods_by_frequency() -> None:
    first, last = D(2025, 1, 1), D(2025, 12, 31)
    assert len(reminders.periods("monthly", first, last)) == 12
    assert reminders.periods("monthly", first, D(2025, 2, 28)) == [
        (D(2025, 1, 1), D(2025, 1, 31)),
        (D(2025, 2, 1), D(2025, 2, 28)),
    ]
    assert [e for _s, e in reminders.periods("quarterly", first, last)] == [
        D(2025, 3, 31),
        D(2025, 6, 30),
        D(2025, 9, 30),
        D(2025, 12, 31),
    ]
    assert reminders.periods("half_yearly", first, D(2025, 12, 30)) == [
        (D(2025, 1, 1), D(2025, 6, 30))
    ]
    assert reminders.periods("yearly", D(2025, 3, 1), D(2026, 12, 31)) == [
        (D(2025, 1, 1), D(2025, 12, 31)),
        (D(2026, 1, 1), D(2026, 12, 31)),
    ]


def _indicators(built):  # type: ignore[no-untyped-def]
    quarterly = services.save_indicator(
        actor=None,
        action=built.actions[0],
        name="Famiglie seguite",
        unit="famiglie",
        frequency="quarterly",
        responsible="Servizio sociale professionale",
        responsible_email="resp@example.org",
    )
    services.record_measurement(actor=None, indicator=quarterly, date="31/03/2025", value=4)
    yearly = services.save_indicator(
        actor=None, action=built.actions[1], name="Anziani a domicilio", unit="persone"
    )
    cancelled = services.save_indicator(
        actor=None,
        action=built.actions[2],
        name="Ore di assistenza",
        unit="ore",
        frequency="monthly",
    )
    services.record_progress(
        actor=None, action=built.actions[2], date="31/01/2025", status="cancelled", percent=0
    )
    return quarterly, yearly, cancelled


def test_due_and_missing(built) -> None:  # type: ignore[no-untyped-def]
    quarterly, _yearly, _cancelled = _indicators(built)
    due = reminders.due_and_missing([built.plan], D(2025, 10, 15))
    assert [(d.indicator, d.end) for d in due] == [
        (quarterly, D(2025, 6, 30)),
        (quarterly, D(2025, 9, 30)),
    ]
    # A measurement dated anywhere inside the period fills it.
    services.record_measurement(actor=None, indicator=quarterly, date="15/08/2025", value=5)
    due = reminders.due_and_missing([built.plan], D(2026, 1, 1))
    assert [(d.indicator.name, d.end) for d in due] == [
        ("Famiglie seguite", D(2025, 6, 30)),
        ("Famiglie seguite", D(2025, 12, 31)),
        ("Anziani a domicilio", D(2025, 12, 31)),
    ]


def test_reminders_are_sent_once_per_indicator_and_period(built) -> None:  # type: ignore[no-untyped-def]
    _indicators(built)
    with time_machine.travel(datetime.datetime(2025, 10, 15, 6, 0, tzinfo=datetime.UTC)):
        assert reminders.send_reminders() == 1
        assert reminders.send_reminders() == 0  # same day, same periods: nothing again
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["resp@example.org"]
    assert "misurazioni da inserire" in message.subject
    assert "A001 · Famiglie seguite: 01/04/2025-30/06/2025" in message.body
    assert "01/07/2025-30/09/2025" in message.body
    assert "Ore di assistenza" not in message.body  # the action is cancelled
    assert MeasurementReminder.objects.count() == 2
    assert AuditEntry.objects.filter(object_type="monitoring.measurementreminder").count() == 2
    with time_machine.travel(datetime.datetime(2026, 1, 2, 6, 0, tzinfo=datetime.UTC)):
        call_command("monitoring_remind")
    # The last quarter to the person responsible; the yearly indicator, with no e-mail of
    # its own, to the planners of the district.
    assert len(mail.outbox) == 3
    latest = {tuple(m.to): m.body for m in mail.outbox[1:]}
    assert "01/10/2025-31/12/2025" in latest[("resp@example.org",)]
    assert "01/04/2025" not in latest[("resp@example.org",)]
    planners = next(k for k in latest if k != ("resp@example.org",))
    assert set(planners) == {"planner_a@example.org", "multi@example.org"}
    assert "A002 · Anziani a domicilio: 01/01/2025-31/12/2025" in latest[planners]


def test_command_reports_what_it_sent(built, capsys) -> None:  # type: ignore[no-untyped-def]
    _indicators(built)
    with time_machine.travel(datetime.datetime(2025, 7, 2, 6, 0, tzinfo=datetime.UTC)):
        call_command("monitoring_remind")
        call_command("monitoring_remind")
    out = capsys.readouterr().out
    assert "1 promemoria inviati" in out and "0 promemoria inviati" in out


def test_work_page_lists_measurements_due(as_user, built) -> None:  # type: ignore[no-untyped-def]
    _indicators(built)
    url = f"/monitoraggio/{built.plan.district.code}/lavoro/"
    with time_machine.travel(datetime.datetime(2025, 10, 15, 9, 0, tzinfo=datetime.UTC)):
        page = as_user("planner_a").get(url).content.decode()
    assert "Misurazioni da inserire" in page
    assert "01/04/2025–30/06/2025; 01/07/2025–30/09/2025" in page
    assert "Servizio sociale professionale" in page
    with time_machine.travel(datetime.datetime(2025, 4, 1, 9, 0, tzinfo=datetime.UTC)):
        page = as_user("planner_a").get(url).content.decode()
    assert "Nessuna misurazione scaduta da inserire." in page


def test_indicator_e_mail_is_checked(built) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from tessere.core.errors import DomainError

    with pytest.raises(DomainError) as error:
        services.save_indicator(
            actor=None, action=built.actions[0], name="X", unit="n", responsible_email="non-mail"
        )
    assert "non è un indirizzo valido" in " ".join(error.value.details)
