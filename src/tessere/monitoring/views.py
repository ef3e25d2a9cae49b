"""Pages of the monitoring room: the planners' work on the plan in force (progress,
indicators, measurements, CSV import, spending, automatic indicators) and the public
accountability page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tessere.core import errors
from tessere.monitoring import automatic, reminders, selectors, services
from tessere.monitoring.forms import ImportForm, IndicatorForm, MeasurementForm, ProgressForm
from tessere.planning import selectors as plan_selectors
from tessere.planning.models import Fund, Plan
from tessere.territory.models import District


def report(request: HttpRequest, error: errors.DomainError) -> None:
    messages.error(request, error.message)
    for detail in error.details:
        messages.error(request, detail)


def plan_in_force(code: str) -> tuple[District, Plan]:
    district = get_object_or_404(District, code=code)
    plan = plan_selectors.current_plan(district)
    if plan is None:
        raise Http404(_("L'ambito non ha un piano approvato o in vigore."))
    return district, plan


def staff_plan(request: HttpRequest, code: str) -> tuple[District, Plan]:
    district, plan = plan_in_force(code)
    if not request.user.has_perm("monitoring.view_monitoring", district):
        raise PermissionDenied
    return district, plan


def index(request: HttpRequest) -> HttpResponse:
    plans = plan_selectors.public_plans().order_by("district__name", "-first_year", "-version")
    seen: set[int] = set()
    current = []
    for plan in plans:
        if plan.district_id not in seen:
            seen.add(plan.district_id)
            current.append(plan)
    return render(request, "monitoring/index.html", {"plans": current})


def public(request: HttpRequest, code: str) -> HttpResponse:
    """The accountability page of the plan in force: for everyone."""
    from tessere.monitoring import accountability

    district, plan = plan_in_force(code)
    context = accountability.page_context(
        request.user, district, plan, _today_year(), request.GET.get("area", "")
    )
    return render(request, "monitoring/public.html", context)


def _today_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year


@login_required
def work(request: HttpRequest, code: str) -> HttpResponse:
    """The planners' page: actions with progress, CSV import, spending, automatic values."""
    district, plan = staff_plan(request, code)
    data = selectors.plan_outline(plan)
    result = selectors.rollup(plan, data.actions)
    context = {
        "district": district,
        "plan": plan,
        "rollup": result,
        "actions": [result.actions[a.pk] for a in data.actions],
        "spending": automatic.spending_by_fund(plan),
        "can_edit": request.user.has_perm("monitoring.change_monitoring", district),
        "can_download": request.user.has_perm("monitoring.download_report", district),
        "report_years": plan.years,
        "import_form": ImportForm(),
        "due": reminders.page_list(plan),
    }
    return render(request, "monitoring/work.html", context)


@login_required
def action_page(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    district, plan = staff_plan(request, code)
    try:
        action = selectors.plan_action(plan, pk)
    except errors.NotFound:
        raise Http404 from None
    can_edit = request.user.has_perm("monitoring.change_monitoring", district)
    indicators = selectors.indicators_of(action)
    indicator_form = IndicatorForm(years=plan.years, prefix="ind")
    measurement_form = MeasurementForm(indicators=indicators, prefix="mis")
    progress_form = ProgressForm(prefix="av")
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        which = request.POST.get("form")
        try:
            if which == "indicator":
                indicator_form = IndicatorForm(request.POST, years=plan.years, prefix="ind")
                if indicator_form.is_valid():
                    cleaned = indicator_form.cleaned_data
                    services.save_indicator(
                        actor=request.user,
                        action=action,
                        name=cleaned["name"],
                        kind=cleaned["kind"],
                        unit=cleaned["unit"],
                        baseline=cleaned["baseline"],
                        targets=indicator_form.targets(),
                        higher_is_better=cleaned["higher_is_better"],
                        responsible=cleaned["responsible"],
                        responsible_email=cleaned["responsible_email"],
                        frequency=cleaned["frequency"],
                        source=cleaned["source"] or "",
                    )
                    messages.success(request, _("Indicatore salvato."))
                    return redirect(request.path)
            elif which == "measurement":
                measurement_form = MeasurementForm(
                    request.POST, indicators=indicators, prefix="mis"
                )
                if measurement_form.is_valid():
                    cleaned = measurement_form.cleaned_data
                    indicator = next(i for i in indicators if i.pk == cleaned["indicator"])
                    services.record_measurement(
                        actor=request.user,
                        indicator=indicator,
                        date=cleaned["date"],
                        value=cleaned["value"],
                    )
                    messages.success(request, _("Misurazione registrata."))
                    return redirect(request.path)
            elif which == "progress":
                progress_form = ProgressForm(request.POST, prefix="av")
                if progress_form.is_valid():
                    services.record_progress(
                        actor=request.user, action=action, **progress_form.cleaned_data
                    )
                    messages.success(request, _("Stato di avanzamento registrato."))
                    return redirect(request.path)
        except errors.PermissionDenied:
            raise PermissionDenied from None
        except errors.DomainError as error:
            report(request, error)
    context = {
        "district": district,
        "plan": plan,
        "action": action,
        "indicators": indicators,
        "entries": selectors.progress_of(action),
        "can_edit": can_edit,
        "indicator_form": indicator_form,
        "measurement_form": measurement_form,
        "progress_form": progress_form,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "monitoring/action.html", context, status=status)


@login_required
@require_POST
def import_csv(request: HttpRequest, code: str) -> HttpResponse:
    district, plan = staff_plan(request, code)
    if not request.user.has_perm("monitoring.change_monitoring", district):
        raise PermissionDenied
    form = ImportForm(request.POST, request.FILES)
    target = reverse("monitoring:work", args=[district.code])
    if not form.is_valid():
        messages.error(request, _("Scegli un file CSV da importare."))
        return redirect(target)
    try:
        text = form.cleaned_data["file"].read().decode("utf-8-sig")
    except UnicodeDecodeError:
        messages.error(request, _("Il file deve essere un CSV in UTF-8."))
        return redirect(target)
    try:
        n = services.import_measurements(actor=request.user, plan=plan, text=text)
    except errors.DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("%(n)s misurazioni importate.") % {"n": n})
    return redirect(target)


@login_required
@require_POST
def spending(request: HttpRequest, code: str) -> HttpResponse:
    district, plan = staff_plan(request, code)
    if not request.user.has_perm("monitoring.change_monitoring", district):
        raise PermissionDenied
    fund_id, year = request.POST.get("fund", ""), request.POST.get("year", "")
    if not (fund_id.isdigit() and year.isdigit()):
        raise Http404
    fund = Fund.objects.filter(plan=plan, district=district, pk=int(fund_id)).first()
    if fund is None:
        raise Http404
    try:
        services.set_spending(
            actor=request.user,
            fund=fund,
            year=int(year),
            amount=request.POST.get("amount", ""),
        )
    except errors.DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("Spesa registrata."))
    return redirect("monitoring:work", district.code)


@login_required
@require_POST
def refresh(request: HttpRequest, code: str) -> HttpResponse:
    district, plan = staff_plan(request, code)
    try:
        done, hidden = automatic.refresh(actor=request.user, plan=plan)
    except errors.PermissionDenied:
        raise PermissionDenied from None
    except errors.DomainError as error:
        report(request, error)
    else:
        messages.success(
            request,
            _("Indicatori automatici aggiornati: %(done)s; non pubblicabili: %(hidden)s.")
            % {"done": done, "hidden": hidden},
        )
    return redirect("monitoring:work", district.code)


@login_required
def dashboard_page(request: HttpRequest, code: str) -> HttpResponse:
    """The dashboard of planners, mayors and viewers: filter by year and area."""
    from tessere.monitoring import dashboard

    district, plan = staff_plan(request, code)
    year_text = request.GET.get("anno", "")
    year = int(year_text) if year_text.isdigit() and int(year_text) in plan.years else None
    if year is None:
        year = max(min(plan.last_year, _today_year()), plan.first_year)
    areas = list(plan.areas.all())
    area_text = request.GET.get("area", "")
    area_id = int(area_text) if area_text.isdigit() else None
    if area_id not in {a.pk for a in areas}:
        area_id = None
    municipalities = list(district.municipalities.order_by("name"))
    municipality = None
    municipality_text = request.GET.get("comune", "")
    if municipality_text:
        municipality = next((m for m in municipalities if m.code == municipality_text), None)
        if municipality is None:
            return HttpResponseBadRequest(
                _("Il comune «%(code)s» non fa parte dell'ambito.") % {"code": municipality_text}
            )
    board = dashboard.build(plan, year=year, area_id=area_id, municipality=municipality)
    context = {
        "district": district,
        "plan": plan,
        "board": board,
        "years": plan.years,
        "area_choices": areas,
        "municipality_choices": municipalities,
        "can_download": request.user.has_perm("monitoring.download_report", district),
        "report_years": plan.years,
        "area_chart": dashboard.area_chart(board),
        "spending_chart": dashboard.spending_chart(board),
    }
    return render(request, "monitoring/dashboard.html", context)


def open_data(request: HttpRequest, code: str, dataset: str, fmt: str) -> HttpResponse:
    """``/monitoraggio/<code>/dati/<dataset>.csv|json``: open data of the plan in force."""
    from django.http import JsonResponse

    from tessere.monitoring import opendata

    _district, plan = plan_in_force(code)
    if dataset not in opendata.ROWS or fmt not in ("csv", "json"):
        raise Http404
    rows = opendata.ROWS[dataset](plan)
    if fmt == "json":
        return JsonResponse(opendata.to_json(rows), safe=False)
    response = HttpResponse(opendata.to_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{code}-{dataset}.csv"'
    return response


def open_catalogue(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The DCAT-AP_IT catalogue, ``catalogo.ttl`` (Turtle) or ``catalogo.jsonld``."""
    from tessere.monitoring import opendata

    district, plan = plan_in_force(code)
    if fmt not in ("ttl", "jsonld"):
        raise Http404
    base = request.build_absolute_uri(reverse("monitoring:open_data_root", args=[district.code]))
    if fmt == "ttl":
        return HttpResponse(
            opendata.catalogue(plan, base, "turtle"), content_type="text/turtle; charset=utf-8"
        )
    return HttpResponse(
        opendata.catalogue(plan, base, "json-ld"), content_type="application/ld+json"
    )


def open_data_root(request: HttpRequest, code: str) -> HttpResponse:
    district, _plan = plan_in_force(code)
    return redirect("monitoring:catalogue", district.code, "ttl")


def _report_reader(request: HttpRequest, code: str) -> tuple[District, Plan]:
    district, plan = staff_plan(request, code)
    if not request.user.has_perm("monitoring.download_report", district):
        raise PermissionDenied
    return district, plan


@login_required
@require_POST
def report_request(request: HttpRequest, code: str) -> HttpResponse:
    """Ask for the annual monitoring report (``anno``, ``formato``): built in the
    background; the status page follows it."""
    district, plan = _report_reader(request, code)
    try:
        item = services.request_report(
            actor=request.user,
            plan=plan,
            year=request.POST.get("anno", ""),
            fmt=request.POST.get("formato", ""),
        )
    except errors.PermissionDenied:
        raise PermissionDenied from None
    except errors.DomainError as error:
        return HttpResponseBadRequest(" ".join([error.message, *error.details]))
    return redirect("monitoring:report_status", district.code, item.pk)


@login_required
def report_status(request: HttpRequest, code: str, report_id: int) -> HttpResponse:
    from tessere.monitoring.models import MonitoringReport

    district, plan = _report_reader(request, code)
    item = get_object_or_404(
        MonitoringReport.objects.defer("content"), plan=plan, district=district, pk=report_id
    )
    return render(
        request, "monitoring/report_status.html", {"district": district, "plan": plan, "item": item}
    )


@login_required
def report_download(request: HttpRequest, code: str, report_id: int) -> HttpResponse:
    """The built report: planners and mayors of the district."""
    from tessere.monitoring.models import MonitoringReport

    district, plan = _report_reader(request, code)
    item = get_object_or_404(
        MonitoringReport,
        plan=plan,
        district=district,
        pk=report_id,
        status=MonitoringReport.Status.DONE,
    )
    mime = (
        "application/pdf"
        if item.format == MonitoringReport.Format.PDF
        else "application/vnd.oasis.opendocument.text"
    )
    response = HttpResponse(bytes(item.content or b""), content_type=mime)
    response["Content-Disposition"] = (
        f'attachment; filename="rapporto-monitoraggio-{district.code}-{item.year}.{item.format}"'
    )
    return response
