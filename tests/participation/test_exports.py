"""iCalendar feeds (RFC 5545), ranking CSV and PDF, minutes PDF."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tessere.participation import services
from tessere.participation.models import Table
from tests.conftest import client_for
from tests.participation.conftest import add_contribution

pytestmark = pytest.mark.django_db


def weasyprint_or_skip() -> None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:  # pragma: no cover - depends on system libraries
        pytest.skip(f"WeasyPrint non disponibile ({error}): PDF non verificabili")


@pytest.fixture
def meetings(make_table):  # type: ignore[no-untyped-def]
    public = make_table(title="Aperto")
    reserved = make_table(title="Riservato", visibility=Table.Visibility.RESERVED)
    start = timezone.make_aware(datetime.datetime(2026, 12, 3, 17, 30))  # Europe/Rome
    made = []
    for world, title in [(public, "Incontro pubblico; con, virgole"), (reserved, "Riservato")]:
        made.append(
            services.schedule_meeting(
                actor=None,
                table=world.table,
                title=title,
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=2),
                place="Sala Rossa, via Roma 1",
                agenda="Saluti\nProposte ricevute con una riga abbastanza lunga da dover essere "
                "spezzata secondo la RFC 5545 che vuole righe di al massimo 75 ottetti",
            )
        )
    return public, reserved, made


def _check_rfc5545(body: bytes) -> Calendar:
    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and body.endswith(b"END:VCALENDAR\r\n")
    for line in body.split(b"\r\n"):
        assert len(line) <= 75, line
        assert b"\n" not in line
    calendar = Calendar.from_ical(body)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    for event in calendar.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART"):
            assert required in event
    return calendar


def test_table_feed_is_valid(meetings):
    public, _reserved, (meeting, _other) = meetings
    response = client_for("anonymous").get(
        reverse("participation:table_calendar", args=["piana-di-lucca", public.table.pk])
    )
    assert response["Content-Type"].startswith("text/calendar")
    calendar = _check_rfc5545(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert str(event["SUMMARY"]) == "Aperto: Incontro pubblico; con, virgole"
    assert str(event["LOCATION"]) == "Sala Rossa, via Roma 1"
    start = event.decoded("DTSTART")
    assert start == meeting.starts_at and start.utcoffset() == datetime.timedelta(0)
    assert start.hour == 16  # 17:30 in Rome is 16:30 UTC in December
    assert "Proposte ricevute" in str(event["DESCRIPTION"])
    assert str(event["UID"]) == f"meeting-{meeting.pk}@tessere"


def test_district_feed_hides_reserved_tables_from_the_public(meetings):
    url = reverse("participation:district_calendar", args=["piana-di-lucca"])
    public_feed = _check_rfc5545(client_for("anonymous").get(url).content)
    assert len(public_feed.walk("VEVENT")) == 1
    staff_feed = _check_rfc5545(client_for("planner_a").get(url).content)
    assert len(staff_feed.walk("VEVENT")) == 2


def test_ranking_csv(make_table):
    world = make_table(phase="prioritisation")
    one = add_contribution(world.table, "Uno")
    add_contribution(world.table, "Due")
    criterion = world.table.criteria.first()
    services.save_scores(actor=world.member, table=world.table, scores={one.pk: {criterion.pk: 4}})
    response = client_for("anonymous").get(
        reverse("participation:ranking_csv", args=["piana-di-lucca", world.table.pk])
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Posizione", "Pari merito", "Contributo"]
    assert rows[1][0] == "1" and rows[1][2] == "Uno" and rows[1][-2:] == ["4,00", "1"]
    assert rows[2][0] == "" and rows[2][2] == "Due" and rows[2][-1] == "0"


def test_ranking_and_minutes_pdf(make_table):
    weasyprint_or_skip()
    world = make_table(phase="prioritisation")
    add_contribution(world.table, "Uno")
    client = client_for("anonymous")
    response = client.get(
        reverse("participation:ranking_pdf", args=["piana-di-lucca", world.table.pk])
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    now = timezone.now()
    meeting = services.schedule_meeting(
        actor=None,
        table=world.table,
        title="Incontro",
        starts_at=now,
        ends_at=now + datetime.timedelta(hours=1),
        place="Sala",
    )
    url = reverse("participation:minutes_pdf", args=["piana-di-lucca", world.table.pk, meeting.pk])
    assert client.get(url).status_code == 404  # no minutes yet
    services.record_minutes(actor=None, meeting=meeting, minutes="# Sintesi\n\n**Fatto**")
    assert client.get(url).status_code == 404  # draft: members only
    assert client_for("member_t").get(url).content.startswith(b"%PDF-")
