"""Pages of the Piano di Zona: lists, overview, workflow, versions, the allocation table and
the optimiser's proposal, the public page and the documents. Editing forms are in
``editing.py``."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tessere.core import errors
from tessere.planning import charts, checks, funding, selectors, services, tables, versions
from tessere.planning.forms import ApprovalForm, PlanForm
from tessere.planning.models import Allocation, Plan, PlanDocument
from tessere.planning.optimizer import OptimizerInputError
from tessere.territory.models import District


def load_plan(request: HttpRequest, pk: int, perm: str = "planning.view_plan") -> Plan:
    """The plan, if the user may see it and has ``perm`` on it; 404 or 403 otherwise."""
    try:
        plan = selectors.get_plan(request.user, pk)
    except errors.NotFound:
        raise Http404 from None
    if not request.user.has_perm(perm, plan):
        raise PermissionDenied
    return plan


def flags(request: HttpRequest, plan: Plan) -> dict[str, Any]:
    user = request.user
    planner = user.has_perm("planning.change_plan", plan)
    return {
        "can_edit": planner and not plan.is_frozen,
        "is_planner": planner,
        "can_approve": user.has_perm("planning.approve_plan", plan)
        and plan.status == Plan.Status.CONSULTATION,
    }


def report(request: HttpRequest, error: errors.DomainError) -> None:
    messages.error(request, error.message)
    for detail in error.details:
        messages.error(request, detail)


# --------------------------------------------------------------------------- lists


def index(request: HttpRequest) -> HttpResponse:
    """Every approved or in-force plan, and the current district's plans for its staff."""
    district = getattr(request, "district", None)
    context = {
        "plans": selectors.public_plans().order_by("district__name", "-first_year", "-version"),
        "district": district,
    }
    return render(request, "planning/index.html", context)


def district_plans(request: HttpRequest, code: str) -> HttpResponse:
    district = get_object_or_404(District, code=code)
    plans = selectors.plans(request.user, district=district)
    form = None
    if request.user.has_perm("planning.change_plan", district):
        form = PlanForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                plan = services.create_plan(
                    actor=request.user, district=district, **form.cleaned_data
                )
            except errors.DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Piano creato con le aree di intervento predefinite."))
                return redirect("planning:plan_detail", plan.pk)
    elif request.method == "POST":
        raise PermissionDenied
    status = 400 if form is not None and form.errors else 200
    return render(
        request,
        "planning/district_plans.html",
        {
            "district": district,
            "plans": plans,
            "form": form,
            "reader": request.user.has_perm("planning.view_drafts", district),
        },
        status=status,
    )


# --------------------------------------------------------------------------- overview


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = load_plan(request, pk, "planning.view_drafts")
    data = selectors.plan_data(plan, details=False)  # the page lists actions, no details
    t = checks.totals(data)
    results = checks.checks(data, t)
    context = {
        "plan": plan,
        "action_url": reverse("planning:action_detail", args=[plan.pk, 0])[:-2],
        "data": data,
        "tree": tables.tree(data, t),
        "totals": t,
        "funds": tables.fund_summary(data, t),
        "areas": tables.area_summary(data, t),
        "broken": [c for c in results if not c.ok],
        "approval_form": ApprovalForm(),
        "next_statuses": [
            (s, Plan.Status(s).label)
            for s in sorted(services.TRANSITIONS.get(Plan.Status(plan.status), set()))
        ],
        **flags(request, plan),
    }
    return render(request, "planning/plan_detail.html", context)


def show_origins(request: HttpRequest, plan: Plan, actions: list[Any]) -> None:
    selectors.show_origins(request.user, plan, actions)


# Up to this many actions the public page shows every action's card; a larger plan lists
# every action (code, title, funding, link to its page) and shows the cards area by area.
PUBLIC_CARDS = 40


def plan_public(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(selectors.public_plans(), pk=pk)
    data = selectors.plan_data(plan, details=False)
    t = checks.totals(data)
    tree = tables.tree(data, t)
    area = None
    if len(data.actions) <= PUBLIC_CARDS:
        detailed: list[Any] = data.actions
    else:
        wanted = request.GET.get("area", "")
        area = next((n for n in tree if str(n.area.pk) == wanted), None)
        detailed = [a for a in data.actions if area and a.objective.area_id == area.area.pk]
    selectors.action_details(detailed)
    show_origins(request, plan, detailed)
    cards = len(detailed) == len(data.actions)
    for node in tree:
        node.detailed = cards or node is area
    return render(
        request,
        "planning/plan_public.html",
        {
            "plan": plan,
            "data": data,
            "tree": tree,
            "cards": cards,
            "chosen_area": area,
            "action_url": reverse("planning:action_detail", args=[plan.pk, 0])[:-2],
            "totals": t,
            "funds": tables.fund_summary(data, t),
            "areas": tables.area_summary(data, t),
            "chart": charts.data_uri(charts.funding_by_area(data, t)),
        },
    )


# --------------------------------------------------------------------------- workflow


@require_POST
@login_required
def plan_status(request: HttpRequest, pk: int) -> HttpResponse:
    plan = load_plan(request, pk, "planning.change_plan")
    try:
        services.change_status(actor=request.user, plan=plan, status=request.POST.get("status", ""))
    except errors.DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("Stato del piano aggiornato."))
    return redirect("planning:plan_detail", plan.pk)


@require_POST
@login_required
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    plan = load_plan(request, pk, "planning.approve_plan")
    form = ApprovalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Servono il numero e la data dell'atto."))
        return redirect("planning:plan_detail", plan.pk)
    try:
        services.approve_plan(actor=request.user, plan=plan, **form.cleaned_data)
    except errors.DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("Approvazione registrata: il piano è ora bloccato."))
    return redirect("planning:plan_detail", plan.pk)


@require_POST
@login_required
def plan_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    plan = load_plan(request, pk, "planning.change_plan")
    try:
        copy = services.new_version(actor=request.user, plan=plan)
    except errors.DomainError as error:
        report(request, error)
        return redirect("planning:plan_detail", plan.pk)
    messages.success(request, _("Creata la versione %(v)s, in bozza.") % {"v": copy.version})
    return redirect("planning:plan_detail", copy.pk)


@login_required
def plan_diff(request: HttpRequest, pk: int) -> HttpResponse:
    plan = load_plan(request, pk, "planning.view_drafts")
    if plan.previous_id is None:
        raise Http404
    previous = load_plan(request, plan.previous_id, "planning.view_drafts")
    changes = versions.differences(selectors.plan_data(previous), selectors.plan_data(plan))
    return render(
        request,
        "planning/plan_diff.html",
        {"plan": plan, "previous": previous, "changes": changes},
    )


# --------------------------------------------------------------------------- funding


def _read_cells(request: HttpRequest, data: checks.PlanData) -> dict[tuple[int, int, int], Any]:
    cells: dict[tuple[int, int, int], Any] = {}
    for fund in data.funds:
        for action in data.actions:
            for year in data.years:
                raw = request.POST.get(tables.cell_name(fund.pk, action.pk, year))
                if raw is None:
                    continue
                text = raw.strip().replace(" ", "")
                if "," in text:  # Italian decimals: 1.234,56
                    text = text.replace(".", "").replace(",", ".")
                try:
                    cells[fund.pk, action.pk, year] = Decimal(text or "0")
                except InvalidOperation:
                    raise errors.DomainError(
                        _("«%(value)s» non è un importo (%(fund)s, %(action)s, %(year)s).")
                        % {"value": raw, "fund": fund.code, "action": action.code, "year": year}
                    ) from None
    return cells


def _preview(request: HttpRequest, plan: Plan, data: checks.PlanData) -> HttpResponse:
    """The checks on the table as typed, not saved (htmx, while the planner edits)."""
    try:
        cells = _read_cells(request, data)
    except errors.DomainError as error:
        return HttpResponse(error.message, status=400)
    data.allocations = [
        Allocation(plan=plan, fund_id=f, action_id=a, year=y, amount=amount)
        for (f, a, y), amount in cells.items()
        if amount > 0
    ]
    t = checks.totals(data)
    context = {
        "plan": plan,
        "data": data,
        "tables": tables.allocation_tables(data, t),
        "checks": checks.checks(data, t),
        "totals": t,
        "funds": tables.fund_summary(data, t),
        "areas": tables.area_summary(data, t),
        "preview": True,
        **flags(request, plan),
    }
    return render(request, "planning/allocation_table.html#checks", context)


@login_required
def allocation_table(request: HttpRequest, pk: int) -> HttpResponse:
    plan = load_plan(request, pk, "planning.view_drafts")
    submitted: dict[str, str] | None = None
    status = 200
    if request.method == "POST":
        if not request.user.has_perm("planning.change_plan", plan):
            raise PermissionDenied
        data = selectors.plan_data(plan)
        if getattr(request, "htmx", False) and request.POST.get("preview"):
            return _preview(request, plan, data)
        try:
            cells = _read_cells(request, data)
            funding.set_allocations(actor=request.user, plan=plan, cells=cells)
        except errors.DomainError as error:
            report(request, error)
            submitted = {k: str(v) for k, v in request.POST.items() if k.startswith("c-")}
            status = 400
        else:
            messages.success(request, _("Tabella dei finanziamenti salvata."))
            return redirect("planning:allocation_table", plan.pk)
    data = selectors.plan_data(plan)
    t = checks.totals(data)
    context = {
        "plan": plan,
        "data": data,
        "tables": tables.allocation_tables(data, t, submitted),
        "checks": checks.checks(data, t),
        "totals": t,
        "funds": tables.fund_summary(data, t),
        "areas": tables.area_summary(data, t),
        **flags(request, plan),
    }
    template = "planning/allocation_table.html"
    if getattr(request, "htmx", False) and request.method == "GET":
        template += "#checks"
    return render(request, template, context, status=status)


@login_required
def proposal(request: HttpRequest, pk: int) -> HttpResponse:
    plan = load_plan(request, pk, "planning.change_plan")
    if request.method == "POST":
        try:
            funding.apply_proposal(actor=request.user, plan=plan)
        except errors.DomainError as error:
            report(request, error)
            return redirect("planning:proposal", plan.pk)
        messages.success(request, _("Proposta applicata alla tabella dei finanziamenti."))
        return redirect("planning:allocation_table", plan.pk)
    data = selectors.plan_data(plan)
    try:
        result = funding.propose(plan)
    except OptimizerInputError as error:
        result = {"status": "error", "error": str(error), "allocations": [], "conflicts": []}
    funds = {f.code: f for f in data.funds}
    actions = {a.code: a for a in data.actions}
    rows = [
        {
            "fund": funds[x["fund"]],
            "action": actions[x["action"]],
            "year": x["year"],
            "amount": x["amount"],
        }
        for x in result["allocations"]
    ]
    unfunded = [
        {"action": actions[u["action"]], "year": u["year"], "amount": u["amount"]}
        for u in result.get("unfunded", [])
    ]
    return render(
        request,
        "planning/proposal.html",
        {
            "plan": plan,
            "result": result,
            "rows": rows,
            "unfunded": unfunded,
            **flags(request, plan),
        },
    )


# --------------------------------------------------------------------------- documents


def document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The plan document: served at once when a built copy of a frozen plan exists;
    otherwise a page to ask for it (POST), built in the background."""
    if fmt not in PlanDocument.Format.values:
        raise Http404
    plan = load_plan(request, pk)
    if request.method == "POST":
        try:
            item = services.request_document(actor=request.user, plan=plan, fmt=fmt)
        except errors.DomainError as error:
            report(request, error)
            return redirect("planning:document", plan.pk, fmt)
        return redirect("planning:document_status", plan.pk, item.pk)
    # Only a copy built since the plan's last change of status is current (the cover shows it).
    ready = (
        PlanDocument.objects.filter(
            plan=plan,
            format=fmt,
            status=PlanDocument.Status.DONE,
            created_at__gte=plan.updated_at,
        )
        .defer("content")
        .first()
    )
    if ready is not None and plan.is_frozen:
        return _download(plan, PlanDocument.objects.get(pk=ready.pk))
    return render(
        request,
        "planning/document.html",
        {"plan": plan, "fmt": fmt, "ready": ready, **flags(request, plan)},
    )


def document_status(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    plan = load_plan(request, pk)
    item = get_object_or_404(PlanDocument.objects.defer("content"), plan=plan, pk=document_id)
    return render(
        request,
        "planning/document_status.html",
        {"plan": plan, "item": item, **flags(request, plan)},
    )


def document_download(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    plan = load_plan(request, pk)
    item = get_object_or_404(
        PlanDocument, plan=plan, pk=document_id, status=PlanDocument.Status.DONE
    )
    return _download(plan, item)


def _download(plan: Plan, item: PlanDocument) -> HttpResponse:
    mime = (
        "application/pdf"
        if item.format == PlanDocument.Format.PDF
        else "application/vnd.oasis.opendocument.text"
    )
    response = HttpResponse(bytes(item.content or b""), content_type=mime)
    name = f"piano-di-zona-{plan.district.code}-{plan.first_year}-v{plan.version}.{item.format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def nav_target(district: District | None) -> str:
    if district is None:
        return reverse("planning:index")
    return reverse("planning:district_plans", args=[district.code])
