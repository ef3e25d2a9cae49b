"""Public reading of the tables: district page, table, meetings, contributions, ranking,
exports and calendars."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from tessere.participation import exports, selectors, services
from tessere.participation import rules as prules
from tessere.participation.forms import (
    AttachmentForm,
    CommentForm,
    StatusForm,
)
from tessere.participation.markdown import render as render_markdown
from tessere.participation.models import Contribution, Meeting
from tessere.participation.ranking import ranking
from tessere.participation.views.common import (
    CONTRIBUTIONS_PER_PAGE,
    MEETINGS_ON_TABLE_PAGE,
    MEETINGS_PER_PAGE,
    RANKING_PER_PAGE,
    _table,
    domain_errors,
)

# Public reading -----------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "participation/index.html",
        {"districts": selectors.districts_with_tables()},
    )


@domain_errors
def district_page(request: HttpRequest, code: str) -> HttpResponse:
    district = selectors.get_district(code)
    tables = list(selectors.tables(actor=request.user, district=district))
    upcoming = list(
        selectors.upcoming_meetings(actor=request.user, district=district)[
            : selectors.UPCOMING_LIMIT
        ]
    )
    minutes = list(
        selectors.approved_minutes(actor=request.user, district=district)[
            : selectors.APPROVED_MINUTES_LIMIT
        ]
    )
    return render(
        request,
        "participation/district.html",
        {
            "district": district,
            "tables": tables,
            "upcoming": upcoming,
            "approved_minutes": minutes,
            "can_add_table": request.user.has_perm("participation.add_table", district),
            "can_moderate": request.user.is_authenticated,
        },
    )


@domain_errors
def table_page(request: HttpRequest, code: str, table_id: int) -> HttpResponse:
    table = _table(request, code, table_id)
    filters = {
        "stato": request.GET.get("stato", ""),
        "tipo": request.GET.get("tipo", ""),
        "q": request.GET.get("q", "").strip()[:100],
    }
    rows = selectors.contributions(
        table=table, status=filters["stato"], kind=filters["tipo"], query=filters["q"]
    )
    page_obj = Paginator(rows, CONTRIBUTIONS_PER_PAGE).get_page(request.GET.get("page"))
    if getattr(request, "htmx", False):
        # A filter or page change from htmx: only the list of contributions.
        return render(
            request,
            "participation/table.html#contributions",
            {
                "table": table,
                "page_obj": page_obj,
                "query": urlencode({k: v for k, v in filters.items() if v}),
            },
        )
    recent_meetings = list(selectors.meetings(table=table)[:MEETINGS_ON_TABLE_PAGE])
    return render(
        request,
        "participation/table.html",
        {
            "table": table,
            "district": table.district,
            "phase": table.phase_on(_today()),
            "phases": list(table.phases.all()),
            "members": list(selectors.members(table=table)),
            "meetings": recent_meetings,
            "page_obj": page_obj,
            "filters": filters,
            "query": urlencode({k: v for k, v in filters.items() if v}),
            "statuses": Contribution.Status.choices,
            "kinds": Contribution.Kind.choices,
            "can": selectors.permissions(request.user, table),
        },
    )


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


@domain_errors
def meeting_list(request: HttpRequest, code: str, table_id: int) -> HttpResponse:
    table = _table(request, code, table_id)
    page_obj = Paginator(selectors.meetings(table=table), MEETINGS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "participation/meeting_list.html",
        {"table": table, "page_obj": page_obj, "query": ""},
    )


@domain_errors
def meeting_page(request: HttpRequest, code: str, table_id: int, meeting_id: int) -> HttpResponse:
    table = _table(request, code, table_id)
    meeting = selectors.meeting_detail(table=table, meeting_id=meeting_id)
    can = selectors.permissions(request.user, table)
    member = prules.member_row(request.user, table)
    approved_by_me = member is not None and any(
        a.member_id == member.pk for a in meeting.approvals.all()
    )
    show_minutes = (
        meeting.minutes_status == Meeting.MinutesStatus.APPROVED
        or can.manage
        or (member is not None)
    )
    return render(
        request,
        "participation/meeting.html",
        {
            "table": table,
            "meeting": meeting,
            "can": can,
            "show_minutes": show_minutes,
            "minutes_html": render_markdown(meeting.minutes) if show_minutes else "",
            "approved_by_me": approved_by_me,
            "approvals_needed": services.approvals_needed(meeting),
            "attachment_form": AttachmentForm() if can.manage else None,
        },
    )


@domain_errors
def contribution_page(
    request: HttpRequest, code: str, table_id: int, contribution_id: int
) -> HttpResponse:
    table = _table(request, code, table_id)
    contribution = selectors.get_contribution(
        actor=request.user, table=table, contribution_id=contribution_id
    )
    can = selectors.permissions(request.user, table)
    member = prules.member_row(request.user, table)
    supported = member is not None and any(
        s.member_id == member.pk for s in contribution.supports.all()
    )
    return render(
        request,
        "participation/contribution.html",
        {
            "table": table,
            "contribution": contribution,
            "can": can,
            "supported": supported,
            "status_form": StatusForm() if can.evaluate else None,
            "comment_form": CommentForm() if can.comment else None,
        },
    )


@domain_errors
def ranking_page(request: HttpRequest, code: str, table_id: int) -> HttpResponse:
    table = _table(request, code, table_id)
    criteria, rows = ranking(table)
    page_obj = Paginator(rows, RANKING_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "participation/ranking.html",
        {
            "table": table,
            "criteria": criteria,
            "rows": page_obj.object_list,
            "page_obj": page_obj,
            "query": "",
        },
    )


@domain_errors
def ranking_csv(request: HttpRequest, code: str, table_id: int) -> HttpResponse:
    table = _table(request, code, table_id)
    criteria, rows = ranking(table)
    response = HttpResponse(
        "\ufeff" + exports.ranking_csv(table, criteria, rows), content_type="text/csv"
    )
    response["Content-Disposition"] = f'attachment; filename="classifica-tavolo-{table.pk}.csv"'
    return response


@domain_errors
def ranking_pdf(request: HttpRequest, code: str, table_id: int) -> HttpResponse:
    table = _table(request, code, table_id)
    criteria, rows = ranking(table)
    response = HttpResponse(
        exports.ranking_pdf(table, criteria, rows), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="classifica-tavolo-{table.pk}.pdf"'
    return response


@domain_errors
def minutes_pdf(request: HttpRequest, code: str, table_id: int, meeting_id: int) -> HttpResponse:
    table = _table(request, code, table_id)
    meeting = selectors.meeting_detail(table=table, meeting_id=meeting_id)
    if meeting.minutes_status != Meeting.MinutesStatus.APPROVED and not (
        request.user.has_perm("participation.manage_table", table)
        or prules.member_row(request.user, table) is not None
    ):
        raise Http404
    if meeting.minutes_status == Meeting.MinutesStatus.NONE:
        raise Http404
    response = HttpResponse(exports.minutes_pdf(meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="verbale-{meeting.pk}.pdf"'
    return response


@domain_errors
def attachment_download(
    request: HttpRequest, code: str, table_id: int, meeting_id: int, attachment_id: int
) -> HttpResponseBase:
    table = _table(request, code, table_id)
    meeting = selectors.meeting_detail(table=table, meeting_id=meeting_id)
    attachment = next((a for a in meeting.attachments.all() if a.pk == attachment_id), None)
    if attachment is None:
        raise Http404
    extension = (attachment.file.name or "").rsplit(".", 1)[-1]
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=f"allegato-{attachment.pk}.{extension}",
        content_type=attachment.content_type,
    )


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@domain_errors
def table_calendar(request: HttpRequest, code: str, table_id: int) -> HttpResponse:
    table = _table(request, code, table_id)
    rows = Meeting.objects.filter(table=table).select_related("table__district")
    return HttpResponse(
        exports.calendar(table.title, rows, _base_url(request)),
        content_type="text/calendar; charset=utf-8",
    )


@domain_errors
def district_calendar(request: HttpRequest, code: str) -> HttpResponse:
    district = selectors.get_district(code)
    visible = selectors.tables(actor=request.user, district=district).values("pk")
    rows = Meeting.objects.filter(district=district, table_id__in=visible).select_related(
        "table__district"
    )
    name = _("Tavoli di %(district)s") % {"district": district.name}
    return HttpResponse(
        exports.calendar(name, rows, _base_url(request)),
        content_type="text/calendar; charset=utf-8",
    )
