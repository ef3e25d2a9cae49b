"""API of the tables: read public tables anonymously, write as a member per the phase rules.

Errors are JSON ``{"detail": "...", "errors": [...]}`` with a 4xx status.
"""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from tessere.api.pagination import BoundedPageNumberPagination
from tessere.core.errors import DomainError, NotFound
from tessere.participation import rules as prules
from tessere.participation import selectors, services
from tessere.participation.models import Contribution, Table
from tessere.participation.ranking import ranking

router = Router(tags=["participation"])


class ErrorOut(Schema):
    detail: str
    errors: list[str] = []


class PhaseOut(Schema):
    kind: str
    starts_on: datetime.date
    ends_on: datetime.date


class TableOut(Schema):
    id: int
    district: str = Field(..., alias="district.code")
    kind: str
    title: str
    area: str
    territory: str
    territory_label: str
    plan_cycle: str
    visibility: str
    public_consultation: bool
    method: str


class CriterionOut(Schema):
    id: int
    name: str
    weight: int


class TableDetailOut(TableOut):
    description: str
    current_phase: str | None
    phases: list[PhaseOut]
    criteria: list[CriterionOut]
    permissions: dict[str, bool]


class MeetingOut(Schema):
    id: int
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    online_url: str
    agenda: list[str] = Field(..., alias="agenda_items")
    minutes_status: str


class ContributionOut(Schema):
    id: int
    kind: str
    title: str
    author: str = Field(..., alias="author_name")
    status: str
    area: str
    support_count: int
    created_at: datetime.datetime


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    reason: str
    by: str = Field(..., alias="actor_label")
    at: datetime.datetime


class OutcomeOut(Schema):
    label: str
    url: str
    source: str


class ContributionDetailOut(ContributionOut):
    text: str
    status_reason: str
    merged_into: int | None = Field(None, alias="merged_into_id")
    needs: list[int] = Field(..., alias="needs_ids")
    history: list[StatusChangeOut]
    outcomes: list[OutcomeOut]


class ContributionIn(Schema):
    kind: str
    title: str
    text: str
    area: str = ""


class StatusIn(Schema):
    status: str
    reason: str = ""
    merged_into: int | None = None


class ScoreIn(Schema):
    contribution: int
    criterion: int
    value: int | None = Field(None, ge=1, le=5)


class DotIn(Schema):
    contribution: int
    points: int = Field(..., ge=0)


class CommentIn(Schema):
    text: str


class RankOut(Schema):
    rank: int | None
    tied: bool
    contribution: int
    title: str
    score: float | None
    scorers: int


class TableFilters(Schema):
    district: str | None = None


class ContributionFilters(Schema):
    status: str = ""
    kind: str = ""


def _error(error: DomainError) -> Status[dict[str, Any]]:
    return Status(error.status_code, {"detail": error.message, "errors": error.details})


def _table(request: HttpRequest, table_id: int) -> Table:
    table = (
        Table.objects.filter(pk=table_id)
        .select_related("district", "subdistrict", "municipality", "neighbourhood")
        .prefetch_related("phases", "criteria")
        .first()
    )
    if table is None or not request.user.has_perm("participation.view_table", table):
        raise HttpError(404, "Tavolo non trovato.")
    return table


@router.get("/tables", response=list[TableOut], summary="Tavoli visibili")
@paginate(BoundedPageNumberPagination, page_size=20)
def list_tables(request: HttpRequest, filters: Query[TableFilters]) -> Any:
    if filters.district:
        district = selectors.public_districts().filter(code=filters.district).first()
        if district is None:
            return Table.objects.none()
        return selectors.tables(actor=request.user, district=district).select_related("district")
    return selectors.all_tables(actor=request.user)


@router.get(
    "/tables/{table_id}",
    response={200: TableDetailOut, 404: ErrorOut},
    summary="Un tavolo, con la fase in corso e ciò che puoi fare",
)
def get_table(request: HttpRequest, table_id: int) -> Any:
    try:
        table = _table(request, table_id)
    except DomainError as error:
        return _error(error)
    table.current_phase = prules.active_phase(table)  # type: ignore[attr-defined]
    table.permissions = vars(selectors.permissions(request.user, table))  # type: ignore[attr-defined]
    return table


@router.get(
    "/tables/{table_id}/meetings",
    response={200: list[MeetingOut], 404: ErrorOut},
    summary="Incontri di un tavolo",
)
@paginate(BoundedPageNumberPagination, page_size=50)
def list_meetings(request: HttpRequest, table_id: int) -> Any:
    return selectors.meetings(table=_table(request, table_id))


@router.get(
    "/tables/{table_id}/contributions",
    response=list[ContributionOut],
    summary="Contributi pubblicati di un tavolo",
)
@paginate(BoundedPageNumberPagination, page_size=50)
def list_contributions(
    request: HttpRequest, table_id: int, filters: Query[ContributionFilters]
) -> Any:
    return selectors.contributions(
        table=_table(request, table_id), status=filters.status, kind=filters.kind
    )


@router.post(
    "/tables/{table_id}/contributions",
    response={201: ContributionOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=django_auth,
    summary="Invia un contributo (membri, nella fase delle proposte)",
)
def create_contribution(request: HttpRequest, table_id: int, payload: ContributionIn) -> Any:
    try:
        table = _table(request, table_id)
        contribution = services.submit_contribution(
            actor=request.user,  # type: ignore[arg-type]
            table=table,
            kind=payload.kind,
            title=payload.title,
            text=payload.text,
            area=payload.area,
        )
    except DomainError as error:
        return _error(error)
    return Status(201, contribution)


def _contribution(request: HttpRequest, contribution_id: int) -> Contribution:
    row = Contribution.objects.filter(pk=contribution_id).values("table_id").first()
    if row is None:
        raise HttpError(404, "Contributo non trovato.")
    table = _table(request, row["table_id"])
    try:
        return selectors.get_contribution(
            actor=request.user, table=table, contribution_id=contribution_id
        )
    except NotFound as error:
        raise HttpError(404, error.message) from error


def _detail(contribution: Contribution) -> Contribution:
    contribution.history = list(contribution.status_changes.all())  # type: ignore[attr-defined]
    contribution.needs_ids = [n.pk for n in contribution.needs.all()]  # type: ignore[attr-defined]
    return contribution


@router.get(
    "/contributions/{contribution_id}",
    response={200: ContributionDetailOut, 404: ErrorOut},
    summary="Un contributo con la sua storia e il suo esito",
)
def get_contribution(request: HttpRequest, contribution_id: int) -> Any:
    try:
        return _detail(_contribution(request, contribution_id))
    except DomainError as error:
        return _error(error)


@router.post(
    "/contributions/{contribution_id}/status",
    response={200: ContributionDetailOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=django_auth,
    summary="Cambia lo stato di un contributo (coordinamento o Ufficio di Piano)",
)
def change_status(request: HttpRequest, contribution_id: int, payload: StatusIn) -> Any:
    try:
        contribution = _contribution(request, contribution_id)
        target = None
        if payload.merged_into is not None:
            target = Contribution.objects.filter(
                table_id=contribution.table_id, pk=payload.merged_into
            ).first()
            if target is None:
                raise DomainError("Il contributo indicato non è di questo tavolo.")
        services.change_status(
            actor=request.user,  # type: ignore[arg-type]
            contribution=contribution,
            status=payload.status,
            reason=payload.reason,
            merged_into=target,
        )
        return _detail(_contribution(request, contribution_id))
    except DomainError as error:
        return _error(error)


@router.post(
    "/tables/{table_id}/scores",
    response={200: dict[str, int], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=django_auth,
    summary="Assegna punteggi da 1 a 5 (membri, nella fase di prioritizzazione)",
)
def save_scores(request: HttpRequest, table_id: int, payload: list[ScoreIn]) -> Any:
    try:
        table = _table(request, table_id)
        scores: dict[int, dict[int, int | None]] = {}
        for item in payload:
            scores.setdefault(item.contribution, {})[item.criterion] = item.value
        written = services.save_scores(
            actor=request.user,  # type: ignore[arg-type]
            table=table,
            scores=scores,
        )
    except DomainError as error:
        return _error(error)
    return {"written": written}


@router.post(
    "/tables/{table_id}/dots",
    response={200: dict[str, int], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=django_auth,
    summary="Distribuisci i punti (voto a punti, nella fase di prioritizzazione)",
)
def save_dots(request: HttpRequest, table_id: int, payload: list[DotIn]) -> Any:
    try:
        table = _table(request, table_id)
        total = services.save_dot_votes(
            actor=request.user,  # type: ignore[arg-type]
            table=table,
            points={item.contribution: item.points for item in payload},
        )
    except DomainError as error:
        return _error(error)
    return {"total": total, "budget": table.dot_budget}


@router.post(
    "/contributions/{contribution_id}/supports",
    response={201: dict[str, int], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=django_auth,
    summary="Sostieni un contributo (membri, nella fase delle proposte)",
)
def add_support(request: HttpRequest, contribution_id: int) -> Any:
    try:
        contribution = _contribution(request, contribution_id)
        services.support(actor=request.user, contribution=contribution)  # type: ignore[arg-type]
    except DomainError as error:
        return _error(error)
    return Status(201, {"supports": contribution.support_count + 1})


@router.post(
    "/contributions/{contribution_id}/comments",
    response={201: dict[str, int], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=django_auth,
    summary="Commenta un contributo (membri e Ufficio di Piano, nelle fasi previste)",
)
def add_comment(request: HttpRequest, contribution_id: int, payload: CommentIn) -> Any:
    try:
        contribution = _contribution(request, contribution_id)
        comment = services.add_comment(
            actor=request.user,  # type: ignore[arg-type]
            contribution=contribution,
            text=payload.text,
        )
    except DomainError as error:
        return _error(error)
    return Status(201, {"id": comment.pk})


@router.get(
    "/tables/{table_id}/ranking",
    response={200: list[RankOut], 404: ErrorOut},
    summary="Classifica delle proposte (pari merito indicati)",
)
def get_ranking(request: HttpRequest, table_id: int) -> Any:
    try:
        table = _table(request, table_id)
    except DomainError as error:
        return _error(error)
    _criteria, rows = ranking(table)
    return [
        {
            "rank": row.rank,
            "tied": row.tied,
            "contribution": row.contribution.pk,
            "title": row.contribution.title,
            "score": row.score_display,
            "scorers": row.scorers,
        }
        for row in rows
    ]
