"""Documents made from the tables: ranking CSV and PDF, minutes PDF, iCalendar feeds."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from tessere.core.documents import pdf_a
from tessere.participation.models import Contribution, Criterion, Meeting, Table
from tessere.participation.ranking import RankRow

ICAL_PRODID = "-//Tessere//Tavoli di coprogettazione//IT"


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def ranking_csv(table: Table, criteria: list[Criterion], rows: list[RankRow]) -> str:
    """Semicolon-separated, decimal comma (as Italian spreadsheets expect)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    header = [_("Posizione"), _("Pari merito"), _("Contributo"), _("Tipo"), _("Autore")]
    header += [f"{c.name} (x{c.weight})" for c in criteria]
    header += [
        _("Punti") if table.method == Table.Method.DOTS else _("Punteggio"),
        _("Valutatori") if table.method == Table.Method.SCORING else _("Votanti"),
    ]
    writer.writerow(header)
    kinds = {value: str(label) for value, label in Contribution.Kind.choices}
    yes = _("sì")
    for row in rows:
        writer.writerow(
            [
                row.rank or "",
                yes if row.tied else "",
                row.contribution.title,
                kinds[row.contribution.kind],
                row.contribution.author_name,
                *[_number(None if m is None else float(m)) for m in row.by_criterion],
                _number(row.score_display),
                row.scorers,
            ]
        )
    return out.getvalue()


def _pdf(html: str) -> bytes:
    return pdf_a(html, base_url=str(settings.BASE_DIR))


def ranking_pdf(table: Table, criteria: list[Criterion], rows: list[RankRow]) -> bytes:
    html = render_to_string(
        "participation/pdf/ranking.html",
        {"table": table, "criteria": criteria, "rows": rows, "generated_at": timezone.now()},
    )
    return _pdf(html)


def minutes_pdf(meeting: Meeting) -> bytes:
    from tessere.participation.markdown import render

    html = render_to_string(
        "participation/pdf/minutes.html",
        {
            "meeting": meeting,
            "table": meeting.table,
            "minutes_html": render(meeting.minutes),
            "generated_at": timezone.now(),
        },
    )
    return _pdf(html)


def calendar(name: str, meetings: Iterable[Meeting], base_url: str) -> bytes:
    """An RFC 5545 calendar of the meetings (times in UTC)."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", ICAL_PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    stamp = timezone.now()
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@tessere")
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        event.add("summary", f"{meeting.table.title}: {meeting.title}")
        description = "\n".join(f"- {item}" for item in meeting.agenda_items)
        if description:
            event.add("description", description)
        if meeting.place:
            event.add("location", meeting.place)
        url = meeting.online_url or (
            f"{base_url}/tavoli/{meeting.table.district.code}/{meeting.table_id}/"
            f"incontri/{meeting.pk}/"
        )
        event.add("url", url)
        cal.add_component(event)
    return cal.to_ical()
