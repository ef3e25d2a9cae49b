"""Editing pages of a plan: areas, objectives, actions (schede intervento), funds, resources."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tessere.core import errors
from tessere.core.locking import Conflict
from tessere.planning import funding, selectors, services
from tessere.planning.forms import (
    ActionForm,
    AreaForm,
    FundForm,
    ObjectiveForm,
    OriginContributionForm,
    ResourceForm,
)
from tessere.planning.models import Action, Area, Fund, Objective, Resource
from tessere.planning.views import flags, load_plan, report, show_origins


def _object(plan: Any, model: Any, pk: Any) -> Any:
    try:
        return selectors.plan_object(None, plan, model, pk)
    except errors.NotFound:
        raise Http404 from None


def _require_writer(request: HttpRequest, plan: Any) -> None:
    if not request.user.has_perm("planning.change_plan", plan):
        raise PermissionDenied


@require_POST
@login_required
def area_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = load_plan(request, pk, "planning.change_plan")
    form = AreaForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Area non valida: servono codice (lettere, cifre, _) e nome."))
        return redirect("planning:plan_detail", plan.pk)
    try:
        services.save_area(actor=request.user, plan=plan, **form.cleaned_data)
    except errors.DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("Area aggiunta."))
    return redirect("planning:plan_detail", plan.pk)


@login_required
def area_edit(request: HttpRequest, pk: int, area_id: int) -> HttpResponse:
    plan = load_plan(request, pk, "planning.change_plan")
    area = _object(plan, Area, area_id)
    initial = {"code": area.code, "name": area.name, "user_area": area.user_area}
    form = AreaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_area(actor=request.user, plan=plan, area=area, **form.cleaned_data)
        except errors.DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Area salvata."))
            return redirect("planning:plan_detail", plan.pk)
    return render(
        request,
        "planning/edit_form.html",
        {"plan": plan, "form": form, "heading": area.name, **flags(request, plan)},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def area_delete(request: HttpRequest, pk: int, area_id: int) -> HttpResponse:
    plan = load_plan(request, pk, "planning.change_plan")
    area = _object(plan, Area, area_id)
    try:
        services.delete_area(actor=request.user, area=area)
    except errors.DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("Area eliminata."))
    return redirect("planning:plan_detail", plan.pk)


@login_required
def objective_edit(request: HttpRequest, pk: int, objective_id: int | None = None) -> HttpResponse:
    plan = load_plan(request, pk, "planning.change_plan")
    objective = _object(plan, Objective, objective_id) if objective_id else None
    initial = ObjectiveForm.initial_for(objective) if objective else {}
    form = ObjectiveForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST":
        if request.POST.get("delete") and objective is not None:
            try:
                services.delete_objective(actor=request.user, objective=objective)
            except errors.DomainError as error:
                report(request, error)
                return redirect("planning:objective_edit", plan.pk, objective.pk)
            messages.success(request, _("Obiettivo eliminato."))
            return redirect("planning:plan_detail", plan.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_objective(
                    actor=request.user,
                    plan=plan,
                    area=data["area"],
                    title=data["title"],
                    priority=data["priority"],
                    rationale=data["rationale"],
                    needs=data["needs"],
                    indicator_codes=data["indicator_codes"].split(","),
                    objective=objective,
                )
            except errors.DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Obiettivo salvato."))
                return redirect("planning:plan_detail", plan.pk)
    return render(
        request,
        "planning/edit_form.html",
        {
            "plan": plan,
            "form": form,
            "heading": objective.title if objective else _("Nuovo obiettivo strategico"),
            "can_delete": objective is not None,
            **flags(request, plan),
        },
        status=400 if form.errors else 200,
    )


def action_detail(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    plan = load_plan(request, pk, "planning.view_plan")
    data = selectors.plan_data(plan)
    action = next((a for a in data.actions if a.pk == action_id), None)
    if action is None:
        raise Http404
    if not plan.is_public and not request.user.has_perm("planning.view_drafts", plan):
        raise PermissionDenied
    show_origins(request, plan, [action])
    from tessere.planning import checks

    t = checks.totals(data)
    by_year = [
        (y, data.cost(action, y), t.funded.get((action.pk, y), checks.ZERO)) for y in data.years
    ]
    allocations = [a for a in data.allocations if a.action_id == action.pk]
    funds = {f.pk: f for f in data.funds}
    return render(
        request,
        "planning/action_detail.html",
        {
            "plan": plan,
            "action": action,
            "by_year": by_year,
            "allocations": [(funds[a.fund_id], a) for a in allocations],
            **flags(request, plan),
        },
    )


@login_required
def action_edit(request: HttpRequest, pk: int, action_id: int | None = None) -> HttpResponse:
    plan = load_plan(request, pk, "planning.change_plan")
    action = _object(plan, Action, action_id) if action_id else None
    initial = ActionForm.initial_for(action) if action else {}
    form = ActionForm(request.POST or None, plan=plan, initial=initial)
    conflict = False
    if request.method == "POST":
        if request.POST.get("delete") and action is not None:
            try:
                services.delete_action(
                    actor=request.user, action=action, version=_posted_version(request)
                )
            except errors.DomainError as error:
                report(request, error)
                return redirect("planning:action_edit", plan.pk, action.pk)
            messages.success(request, _("Azione eliminata."))
            return redirect("planning:plan_detail", plan.pk)
        if form.is_valid():
            d = form.cleaned_data
            try:
                saved = services.save_action(
                    actor=request.user,
                    plan=plan,
                    objective=d["objective"],
                    code=d["code"],
                    title=d["title"],
                    description=d["description"],
                    kind=d["kind"],
                    target_group=d["target_group"],
                    expected_people=form.people(),
                    responsible=d["responsible"],
                    partners=d["partners"],
                    services=d["services"],
                    leps=d["leps"],
                    start_date=d["start_date"],
                    end_date=d["end_date"],
                    milestones=d["milestones"],
                    costs=form.costs(),
                    action=action,
                    version=d["version"],
                )
            except errors.DomainError as error:
                form.add_error(None, error.message)
                conflict = isinstance(error, Conflict)
            else:
                messages.success(request, _("Scheda intervento salvata."))
                return redirect("planning:action_detail", plan.pk, saved.pk)
    return render(
        request,
        "planning/edit_form.html",
        {
            "plan": plan,
            "form": form,
            "heading": str(action) if action else _("Nuova scheda intervento"),
            "can_delete": action is not None,
            "action": action,
            "conflict": conflict,
            **(_origins(plan, action) if action is not None else {}),
            **flags(request, plan),
        },
        status=409 if conflict else 400 if form.errors else 200,
    )


def _posted_version(request: HttpRequest) -> int | None:
    """The version a form was read with, or None when it sent none."""
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        return None


def _origins(
    plan: Any, action: Action, form: OriginContributionForm | None = None
) -> dict[str, Any]:
    """The contributions an action comes from and the form to add one (two queries)."""
    linked = list(
        action.origin_contributions.select_related("table__district").order_by(
            "table__title", "title", "pk"
        )
    )
    if form is None:
        form = OriginContributionForm(
            contributions=selectors.linkable_contributions(plan, action),
            auto_id="origin_%s",
        )
    return {"origins": linked, "origin_form": form}


@require_POST
@login_required
def action_origin_add(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    plan = load_plan(request, pk, "planning.change_plan")
    action = _object(plan, Action, action_id)
    form = OriginContributionForm(
        request.POST, contributions=selectors.linkable_contributions(plan, action)
    )
    if not form.is_valid():
        messages.error(request, _("Scegli un contributo dall'elenco."))
        return redirect("planning:action_edit", plan.pk, action.pk)
    try:
        contribution = selectors.linkable_contribution(plan, form.cleaned_data["contribution"])
        services.accept_contribution_into_action(
            actor=request.user, action=action, contribution=contribution
        )
    except errors.NotFound:
        raise Http404 from None
    except errors.PermissionDenied as error:
        messages.error(request, error.message)
        return redirect("planning:action_edit", plan.pk, action.pk)
    except errors.DomainError as error:
        report(request, error)
        return redirect("planning:action_edit", plan.pk, action.pk)
    messages.success(
        request,
        _("Contributo «%(title)s» accolto nell'azione %(code)s.")
        % {"title": contribution.title, "code": action.code},
    )
    return redirect("planning:action_edit", plan.pk, action.pk)


@require_POST
@login_required
def action_origin_remove(
    request: HttpRequest, pk: int, action_id: int, contribution_id: int
) -> HttpResponse:
    plan = load_plan(request, pk, "planning.change_plan")
    action = _object(plan, Action, action_id)
    try:
        contribution = selectors.linkable_contribution(plan, contribution_id)
        services.remove_contribution_from_action(
            actor=request.user, action=action, contribution=contribution
        )
    except errors.NotFound:
        raise Http404 from None
    except errors.DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("Contributo tolto dall'azione."))
    return redirect("planning:action_edit", plan.pk, action.pk)


@login_required
def fund_edit(request: HttpRequest, pk: int, fund_id: int | None = None) -> HttpResponse:
    plan = load_plan(request, pk, "planning.change_plan")
    fund = _object(plan, Fund, fund_id) if fund_id else None
    initial = FundForm.initial_for(fund) if fund else {"any_area": True}
    form = FundForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST":
        if request.POST.get("delete") and fund is not None:
            try:
                funding.delete_fund(actor=request.user, fund=fund)
            except errors.DomainError as error:
                report(request, error)
                return redirect("planning:fund_edit", plan.pk, fund.pk)
            messages.success(request, _("Fondo eliminato."))
            return redirect("planning:plan_detail", plan.pk)
        if form.is_valid():
            d = form.cleaned_data
            try:
                funding.save_fund(
                    actor=request.user,
                    plan=plan,
                    code=d["code"],
                    source=d["source"],
                    name=d["name"],
                    amounts=form.amounts(),
                    eligible_areas=None if d["any_area"] else d["eligible_areas"],
                    shares=form.shares(),
                    mandatory_actions=d["mandatory_actions"],
                    fund=fund,
                )
            except errors.DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Fondo salvato."))
                return redirect("planning:allocation_table", plan.pk)
    return render(
        request,
        "planning/edit_form.html",
        {
            "plan": plan,
            "form": form,
            "heading": fund.name if fund else _("Nuovo fondo"),
            "can_delete": fund is not None,
            **flags(request, plan),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def resource_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = load_plan(request, pk, "planning.change_plan")
    form = ResourceForm(request.POST, plan=plan)
    if not form.is_valid():
        messages.error(request, _("Risorsa non valida: controlla i campi."))
        return redirect("planning:plan_detail", plan.pk)
    try:
        services.save_resource(actor=request.user, plan=plan, **form.cleaned_data)
    except errors.DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("Risorsa aggiunta."))
    return redirect("planning:plan_detail", plan.pk)


@require_POST
@login_required
def resource_delete(request: HttpRequest, pk: int, resource_id: int) -> HttpResponse:
    plan = load_plan(request, pk, "planning.change_plan")
    resource = _object(plan, Resource, resource_id)
    try:
        services.delete_resource(actor=request.user, resource=resource)
    except errors.DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("Risorsa eliminata."))
    return redirect("planning:plan_detail", plan.pk)
