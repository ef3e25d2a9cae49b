"""API of the Piano di Zona: plans, objectives, actions, funds and allocations.

Reading: the public sees approved and in-force plans; planners, mayors and viewers of the
district see every plan of it. Writing (session authentication, CSRF checked): planners of the
district, on plans that are not frozen. Errors come back as ``{"detail", "errors"}``.
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
from tessere.planning import checks, funding, selectors, services
from tessere.planning.models import Action, Area, Objective, Plan
from tessere.planning.optimizer import OptimizerInputError
from tessere.profile.models import Need

router = Router(tags=["planning"])


class ErrorOut(Schema):
    detail: str
    errors: list[str] = []


class PlanOut(Schema):
    id: int
    district: str
    title: str
    first_year: int
    last_year: int
    version: int
    status: str
    act_number: str
    act_date: datetime.date | None
    is_example: bool


class AreaOut(Schema):
    code: str
    name: str


class ObjectiveOut(Schema):
    id: int
    area: str
    title: str
    priority: int
    rationale: str
    needs: list[int]
    indicator_codes: list[str]


class YearAmount(Schema):
    year: int
    amount: Decimal


class OriginContributionOut(Schema):
    id: int
    title: str
    table: int
    status: str


class ActionOut(Schema):
    id: int
    code: str
    title: str
    objective: int
    area: str
    kind: str
    description: str
    target_group: str
    responsible: str | None
    services: list[str]
    leps: list[str]
    start_date: datetime.date | None
    end_date: datetime.date | None
    costs: list[YearAmount]
    origin_contributions: list[OriginContributionOut]
    version: int


class FundShareOut(Schema):
    area: str
    min_share: Decimal | None
    max_share: Decimal | None


class FundOut(Schema):
    id: int
    code: str
    source: str
    name: str
    eligible_areas: list[str] | None
    shares: list[FundShareOut]
    mandatory_actions: list[str]
    amounts: list[YearAmount]


class AllocationOut(Schema):
    fund: str
    action: str
    year: int
    amount: Decimal


class PlanDetailOut(PlanOut):
    areas: list[AreaOut]
    total_cost: Decimal
    total_allocated: Decimal
    rules_broken: list[str]


class ObjectiveIn(Schema):
    area: str
    title: str
    priority: int = 1
    rationale: str = ""
    needs: list[int] = []
    indicator_codes: list[str] = []


class ActionIn(Schema):
    code: str
    title: str
    objective: int
    kind: str = "new"
    description: str = ""
    target_group: str = ""
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    costs: dict[int, Decimal] = {}


class ActionUpdateIn(ActionIn):
    version: int  # the action's version read with it (optimistic locking)


class FundIn(Schema):
    code: str
    source: str
    name: str
    amounts: dict[int, Decimal]
    eligible_areas: list[str] | None = None
    min_share: dict[str, Decimal] = {}
    max_share: dict[str, Decimal] = {}
    mandatory_actions: list[str] = []


class PlanItemCreatedOut(Schema):
    id: int
    code: str


class AllocationIn(Schema):
    fund: str
    action: str
    year: int
    amount: Decimal


READ_ERRORS = {403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}
UPDATE_ERRORS = {**WRITE_ERRORS, 409: ErrorOut}


def _error(error: errors.DomainError) -> Status:
    return Status(error.status_code, {"detail": error.message, "errors": error.details})


def _plan(request: HttpRequest, plan_id: int, *, write: bool = False) -> Plan:
    plan = selectors.get_plan(request.user, plan_id)  # NotFound when not visible
    if write and not request.user.has_perm("planning.change_plan", plan):
        raise errors.PermissionDenied(
            _("Solo l'Ufficio di Piano dell'ambito può modificare il piano.")
        )
    return plan


def _plan_out(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "district": plan.district.code,
        "title": plan.title,
        "first_year": plan.first_year,
        "last_year": plan.last_year,
        "version": plan.version,
        "status": plan.status,
        "act_number": plan.act_number,
        "act_date": plan.act_date,
        "is_example": plan.is_example,
    }


@router.get("/plans", response=list[PlanOut], summary="Piani visibili")
def list_plans(request: HttpRequest, district: str | None = None) -> list[dict[str, Any]]:
    queryset = selectors.plans(request.user)
    if district:
        queryset = queryset.filter(district__code=district)
    return [_plan_out(p) for p in queryset.order_by("district__code", "-first_year", "-version")]


@router.get("/plans/{plan_id}", response={200: PlanDetailOut, **READ_ERRORS}, summary="Un piano")
def get_plan(request: HttpRequest, plan_id: int) -> Any:
    try:
        plan = _plan(request, plan_id)
    except errors.DomainError as error:
        return _error(error)
    data = selectors.plan_data(plan)
    t = checks.totals(data)
    return {
        **_plan_out(plan),
        "areas": [{"code": a.code, "name": a.name} for a in data.areas],
        "total_cost": t.total_cost,
        "total_allocated": t.total,
        "rules_broken": [c.message for c in checks.checks(data, t) if not c.ok],
    }


@router.get("/plans/{plan_id}/objectives", response={200: list[ObjectiveOut], **READ_ERRORS})
def list_objectives(request: HttpRequest, plan_id: int) -> Any:
    try:
        plan = _plan(request, plan_id)
    except errors.DomainError as error:
        return _error(error)
    return [_objective_out(o) for o in selectors.plan_data(plan).objectives]


def _objective_out(o: Objective) -> dict[str, Any]:
    return {
        "id": o.pk,
        "area": o.area.code,
        "title": o.title,
        "priority": o.priority,
        "rationale": o.rationale,
        "needs": [n.pk for n in o.needs.all()],
        "indicator_codes": o.indicator_codes,
    }


@router.get("/plans/{plan_id}/actions", response={200: list[ActionOut], **READ_ERRORS})
def list_actions(request: HttpRequest, plan_id: int) -> Any:
    try:
        plan = _plan(request, plan_id)
    except errors.DomainError as error:
        return _error(error)
    actions: list[Any] = selectors.plan_data(plan).actions
    selectors.show_origins(request.user, plan, actions)
    return [
        {
            "id": a.pk,
            "code": a.code,
            "title": a.title,
            "objective": a.objective_id,
            "area": a.objective.area.code,
            "kind": a.kind,
            "description": a.description,
            "target_group": a.target_group,
            "responsible": a.responsible.name if a.responsible else None,
            "services": [str(s.pk) for s in a.services.all()],
            "leps": [f"{le.code}:{le.plan_period}" for le in a.leps.all()],
            "start_date": a.start_date,
            "end_date": a.end_date,
            "costs": [{"year": c.year, "amount": c.amount} for c in a.costs.all()],
            "origin_contributions": [
                {"id": c.pk, "title": c.title, "table": c.table_id, "status": c.status}
                for c in a.visible_origins
            ],
            "version": a.version,
        }
        for a in actions
    ]


@router.get("/plans/{plan_id}/funds", response={200: list[FundOut], **READ_ERRORS})
def list_funds(request: HttpRequest, plan_id: int) -> Any:
    try:
        plan = _plan(request, plan_id)
    except errors.DomainError as error:
        return _error(error)
    return [
        {
            "id": f.pk,
            "code": f.code,
            "source": f.source,
            "name": f.name,
            "eligible_areas": None if f.any_area else [a.code for a in f.eligible_areas.all()],
            "shares": [
                {"area": s.area.code, "min_share": s.min_share, "max_share": s.max_share}
                for s in f.shares.all()
            ],
            "mandatory_actions": [a.code for a in f.mandatory_actions.all()],
            "amounts": [{"year": a.year, "amount": a.amount} for a in f.amounts.all()],
        }
        for f in selectors.plan_data(plan).funds
    ]


@router.get("/plans/{plan_id}/allocations", response={200: list[AllocationOut], **READ_ERRORS})
def list_allocations(request: HttpRequest, plan_id: int) -> Any:
    try:
        plan = _plan(request, plan_id)
    except errors.DomainError as error:
        return _error(error)
    data = selectors.plan_data(plan)
    funds = {f.pk: f.code for f in data.funds}
    actions = {a.pk: a.code for a in data.actions}
    return [
        {
            "fund": funds[a.fund_id],
            "action": actions[a.action_id],
            "year": a.year,
            "amount": a.amount,
        }
        for a in data.allocations
    ]


# --------------------------------------------------------------------------- writes


@router.post(
    "/plans/{plan_id}/objectives",
    response={201: ObjectiveOut, **WRITE_ERRORS},
    auth=django_auth,
)
def create_objective(request: HttpRequest, plan_id: int, payload: ObjectiveIn) -> Any:
    try:
        plan = _plan(request, plan_id, write=True)
        area = Area.objects.filter(plan=plan, code=payload.area).first()
        if area is None:
            raise errors.DomainError(
                _("area: «%(code)s» non è un'area di questo piano.") % {"code": payload.area}
            )
        needs = list(Need.objects.filter(district=plan.district, pk__in=payload.needs))
        if len(needs) != len(set(payload.needs)):
            raise errors.DomainError(_("needs: bisogni sconosciuti nel profilo di questo ambito."))
        objective = services.save_objective(
            actor=request.user,
            plan=plan,
            area=area,
            title=payload.title,
            priority=payload.priority,
            rationale=payload.rationale,
            needs=needs,
            indicator_codes=payload.indicator_codes,
        )
    except errors.DomainError as error:
        return _error(error)
    objective.area = area
    return Status(201, _objective_out(objective))


@router.post("/plans/{plan_id}/actions", response={201: dict, **WRITE_ERRORS}, auth=django_auth)
def create_action(request: HttpRequest, plan_id: int, payload: ActionIn) -> Any:
    try:
        plan = _plan(request, plan_id, write=True)
        objective = selectors.plan_object(request.user, plan, Objective, payload.objective)
        action = services.save_action(
            actor=request.user,
            plan=plan,
            objective=objective,
            code=payload.code,
            title=payload.title,
            kind=payload.kind,
            description=payload.description,
            target_group=payload.target_group,
            start_date=payload.start_date,
            end_date=payload.end_date,
            costs=payload.costs,
        )
    except errors.DomainError as error:
        return _error(error)
    return Status(201, {"id": action.pk, "code": action.code})


@router.put(
    "/plans/{plan_id}/actions/{action_id}",
    response={200: dict, **UPDATE_ERRORS},
    auth=django_auth,
    summary="Modifica una scheda intervento (409 se modificata nel frattempo)",
)
def update_action(
    request: HttpRequest, plan_id: int, action_id: int, payload: ActionUpdateIn
) -> Any:
    """The fields of ``ActionIn`` are replaced; partners, services, LEPS, milestones and
    expected people are kept as they are."""
    try:
        plan = _plan(request, plan_id, write=True)
        action = selectors.plan_object(request.user, plan, Action, action_id)
        objective = selectors.plan_object(request.user, plan, Objective, payload.objective)
        action = services.save_action(
            actor=request.user,
            plan=plan,
            objective=objective,
            code=payload.code,
            title=payload.title,
            kind=payload.kind,
            description=payload.description,
            target_group=payload.target_group,
            expected_people={int(y): n for y, n in action.expected_people.items()},
            responsible=action.responsible,
            partners=[(p.organisation, p.role) for p in action.partners.all()],
            services=list(action.services.all()),
            leps=list(action.leps.all()),
            start_date=payload.start_date,
            end_date=payload.end_date,
            milestones=action.milestones,
            costs=payload.costs,
            action=action,
            version=payload.version,
        )
    except errors.DomainError as error:
        return _error(error)
    return {"id": action.pk, "code": action.code, "version": action.version}


@router.post(
    "/plans/{plan_id}/funds", response={201: PlanItemCreatedOut, **WRITE_ERRORS}, auth=django_auth
)
def create_fund(request: HttpRequest, plan_id: int, payload: FundIn) -> Any:
    try:
        plan = _plan(request, plan_id, write=True)
        areas = {a.code: a for a in Area.objects.filter(plan=plan)}
        actions = {a.code: a for a in plan.actions.all()}
        unknown = [
            c
            for c in [*(payload.eligible_areas or []), *payload.min_share, *payload.max_share]
            if c not in areas
        ] + [c for c in payload.mandatory_actions if c not in actions]
        if unknown:
            raise errors.DomainError(
                _("Codici sconosciuti in questo piano: %(codes)s")
                % {"codes": ", ".join(sorted(set(unknown)))}
            )
        shares = {
            areas[code]: (payload.min_share.get(code), payload.max_share.get(code))
            for code in {*payload.min_share, *payload.max_share}
        }
        fund = funding.save_fund(
            actor=request.user,
            plan=plan,
            code=payload.code,
            source=payload.source,
            name=payload.name,
            amounts=payload.amounts,
            eligible_areas=None
            if payload.eligible_areas is None
            else [areas[c] for c in payload.eligible_areas],
            shares=shares,
            mandatory_actions=[actions[c] for c in payload.mandatory_actions],
        )
    except errors.DomainError as error:
        return _error(error)
    return Status(201, {"id": fund.pk, "code": fund.code})


@router.put(
    "/plans/{plan_id}/allocations",
    response={200: list[AllocationOut], **WRITE_ERRORS},
    auth=django_auth,
)
def replace_allocations(request: HttpRequest, plan_id: int, payload: list[AllocationIn]) -> Any:
    """Replace the whole allocation table (cells not listed are removed)."""
    try:
        plan = _plan(request, plan_id, write=True)
        data = selectors.plan_data(plan)
        funds = {f.code: f.pk for f in data.funds}
        actions = {a.code: a.pk for a in data.actions}
        cells = {}
        for index, cell in enumerate(payload):
            if cell.fund not in funds or cell.action not in actions:
                raise errors.DomainError(
                    _("[%(i)s]: fondo «%(fund)s» o azione «%(action)s» sconosciuti.")
                    % {"i": index, "fund": cell.fund, "action": cell.action}
                )
            cells[funds[cell.fund], actions[cell.action], cell.year] = cell.amount
        funding.set_allocations(actor=request.user, plan=plan, cells=cells)
    except errors.DomainError as error:
        return _error(error)
    return list_allocations(request, plan_id)


@router.post("/plans/{plan_id}/optimise", response={200: dict, **WRITE_ERRORS}, auth=django_auth)
def optimise_plan(request: HttpRequest, plan_id: int) -> Any:
    """The optimiser's proposal for the plan (nothing is written)."""
    try:
        plan = _plan(request, plan_id, write=True)
        return funding.propose(plan)
    except errors.DomainError as error:
        return _error(error)
    except OptimizerInputError as error:
        return Status(400, {"detail": str(error), "errors": []})
