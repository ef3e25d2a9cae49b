"""API of monitoring: indicators with measurements, progress of actions, and writes.

Reading and writing need an account: planners, mayors and viewers of the district read;
planners of the district write (session authentication, CSRF checked). The public reads the
open data (``/monitoraggio/<code>/dati/``). Errors come back as ``{"detail", "errors"}``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.security import django_auth

from tessere.core import errors
from tessere.monitoring import selectors, services
from tessere.monitoring.models import ActionIndicator, Measurement
from tessere.planning import selectors as plan_selectors
from tessere.planning.models import Action, Plan

router = Router(tags=["monitoring"])


class ErrorOut(Schema):
    detail: str
    errors: list[str] = []


class MeasurementOut(Schema):
    date: datetime.date
    value: Decimal


class IndicatorOut(Schema):
    id: int
    action: str
    name: str
    kind: str
    unit: str
    baseline: Decimal | None
    targets: dict[str, str]
    higher_is_better: bool
    responsible: str
    frequency: str
    source: str
    measurements: list[MeasurementOut]


class ActionProgressOut(Schema):
    action: str
    status: str
    percent: int
    budget: Decimal
    counted: bool


class ProgressOut(Schema):
    plan: int
    total: float | None
    actions: list[ActionProgressOut]


class IndicatorIn(Schema):
    name: str
    unit: str
    kind: str = "output"
    baseline: Decimal | None = None
    targets: dict[int, Decimal] = {}
    higher_is_better: bool = True
    responsible: str = ""
    responsible_email: str = ""
    frequency: str = "yearly"
    source: str = ""


class MeasurementIn(Schema):
    date: datetime.date
    value: Decimal


class ProgressIn(Schema):
    date: datetime.date
    status: str
    percent: int
    note: str = ""


class CreatedOut(Schema):
    id: int


ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _error(error: errors.DomainError) -> Status:
    return Status(error.status_code, {"detail": error.message, "errors": error.details})


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    plan = plan_selectors.get_plan(request.user, plan_id)
    if not request.user.has_perm("monitoring.view_monitoring", plan.district):
        raise errors.PermissionDenied(_("Non hai accesso al monitoraggio di questo ambito."))
    return plan


def _action(request: HttpRequest, action_id: int) -> Action:
    action = Action.objects.select_related("plan__district").filter(pk=action_id).first()
    if action is None:
        raise errors.NotFound(_("Azione non trovata."))
    plan = _plan(request, action.plan_id)
    return selectors.plan_action(plan, action.pk)


@router.get(
    "/plans/{plan_id}/indicators", response={200: list[IndicatorOut], **ERRORS}, auth=django_auth
)
def list_indicators(request: HttpRequest, plan_id: int) -> Any:
    try:
        plan = _plan(request, plan_id)
    except errors.DomainError as error:
        return _error(error)
    indicators = list(
        ActionIndicator.objects.filter(action__plan=plan, district=plan.district)
        .select_related("action")
        .order_by("action__code", "pk")
    )
    measurements: dict[int, list[dict[str, Any]]] = {i.pk: [] for i in indicators}
    for m in Measurement.objects.filter(indicator__in=indicators).order_by("date"):
        measurements[m.indicator_id].append({"date": m.date, "value": m.value})
    return [
        {
            "id": i.pk,
            "action": i.action.code,
            "name": i.name,
            "kind": i.kind,
            "unit": i.unit,
            "baseline": i.baseline,
            "targets": i.targets,
            "higher_is_better": i.higher_is_better,
            "responsible": i.responsible,
            "frequency": i.frequency,
            "source": i.source,
            "measurements": measurements[i.pk],
        }
        for i in indicators
    ]


@router.get("/plans/{plan_id}/progress", response={200: ProgressOut, **ERRORS}, auth=django_auth)
def plan_progress(request: HttpRequest, plan_id: int) -> Any:
    try:
        plan = _plan(request, plan_id)
    except errors.DomainError as error:
        return _error(error)
    result = selectors.rollup(plan)
    return {
        "plan": plan.pk,
        "total": result.total,
        "actions": [
            {
                "action": p.action.code,
                "status": p.status,
                "percent": p.percent,
                "budget": p.budget,
                "counted": p.counted,
            }
            for p in result.actions.values()
        ],
    }


@router.post(
    "/actions/{action_id}/indicators", response={201: CreatedOut, **ERRORS}, auth=django_auth
)
def create_indicator(request: HttpRequest, action_id: int, payload: IndicatorIn) -> Any:
    try:
        action = _action(request, action_id)
        indicator = services.save_indicator(
            actor=request.user,
            action=action,
            name=payload.name,
            unit=payload.unit,
            kind=payload.kind,
            baseline=payload.baseline,
            targets=payload.targets,
            higher_is_better=payload.higher_is_better,
            responsible=payload.responsible,
            responsible_email=payload.responsible_email,
            frequency=payload.frequency,
            source=payload.source,
        )
    except errors.DomainError as error:
        return _error(error)
    return Status(201, {"id": indicator.pk})


@router.post(
    "/indicators/{indicator_id}/measurements",
    response={201: CreatedOut, **ERRORS},
    auth=django_auth,
)
def create_measurement(request: HttpRequest, indicator_id: int, payload: MeasurementIn) -> Any:
    try:
        indicator = (
            ActionIndicator.objects.select_related("action__plan", "district")
            .filter(pk=indicator_id)
            .first()
        )
        if indicator is None:
            raise errors.NotFound(_("Indicatore non trovato."))
        _plan(request, indicator.action.plan_id)
        measurement = services.record_measurement(
            actor=request.user, indicator=indicator, date=payload.date, value=payload.value
        )
    except errors.DomainError as error:
        return _error(error)
    return Status(201, {"id": measurement.pk})


@router.post(
    "/actions/{action_id}/progress", response={201: CreatedOut, **ERRORS}, auth=django_auth
)
def create_progress(request: HttpRequest, action_id: int, payload: ProgressIn) -> Any:
    try:
        action = _action(request, action_id)
        entry = services.record_progress(
            actor=request.user,
            action=action,
            date=payload.date,
            status=payload.status,
            percent=payload.percent,
            note=payload.note,
        )
    except errors.DomainError as error:
        return _error(error)
    return Status(201, {"id": entry.pk})
