"""Pages of the planning office: importing indicators and keeping the needs register."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tessere.core.errors import DomainError
from tessere.profile import selectors, services
from tessere.profile.forms import ImportSeriesForm, NeedForm
from tessere.profile.indicators import catalogue
from tessere.profile.models import Need
from tessere.territory.models import District
from tessere.territory.selectors import public_districts


def _district_for(request: HttpRequest, code: str, perm: str) -> District:
    district = get_object_or_404(public_districts(), code=code)
    if not request.user.has_perm(perm, district):
        raise PermissionDenied
    return district


@login_required
def import_series(request: HttpRequest, code: str) -> HttpResponse:
    district = _district_for(request, code, "profile.import_series")
    form = ImportSeriesForm(request.POST or None, request.FILES or None)
    report: DomainError | None = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = services.import_series(
                    actor=request.user,  # type: ignore[arg-type]
                    district=district,
                    code=data["code"],
                    name=data["name"],
                    unit=data["unit"],
                    polarity=data["polarity"],
                    source=data["source"],
                    formula=data["formula"],
                    content=data["file"].read(),
                )
            except DomainError as exc:
                report = exc
                status = 400
            else:
                messages.success(
                    request,
                    _("Indicatore «%(name)s» importato: %(n)s valori.")
                    % {"name": result.definition.name, "n": result.rows},
                )
                return redirect("profile:district", code=district.code)
        else:
            status = 400
    context: dict[str, Any] = {
        "district": district,
        "form": form,
        "report": report,
        "definitions": selectors.district_definitions(district),
    }
    return render(request, "profile/import_series.html", context, status=status)


@login_required
def need_list(request: HttpRequest, code: str) -> HttpResponse:
    district = _district_for(request, code, "profile.manage_needs")
    needs = selectors.public_needs(district)
    return render(request, "profile/need_list.html", {"district": district, "needs": needs})


def _need_form(request: HttpRequest, district: District, need: Need | None) -> HttpResponse:
    indicators = catalogue(selectors.district_definitions(district))
    initial = {}
    if need is not None:
        initial = {
            "statement": need.statement,
            "area": need.area,
            "municipalities": list(need.municipalities.all()),
            "evidence_indicators": need.evidence_indicators,
            "evidence_note": need.evidence_note,
        }
    form = NeedForm(
        request.POST or None,
        initial=initial,
        municipalities=district.municipalities.defer("boundary").order_by("name"),
        indicators=indicators,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            fields = {
                "statement": data["statement"],
                "area": data["area"],
                "municipalities": list(data["municipalities"]),
                "evidence_indicators": data["evidence_indicators"],
                "evidence_note": data["evidence_note"],
            }
            try:
                if need is None:
                    services.create_need(actor=request.user, district=district, **fields)  # type: ignore[arg-type]
                else:
                    services.update_need(actor=request.user, need=need, **fields)  # type: ignore[arg-type]
            except DomainError as exc:
                form.add_error(None, exc.message)
                for detail in exc.details:
                    form.add_error(None, detail)
                status = 400
            else:
                messages.success(request, _("Bisogno salvato."))
                return redirect("profile:need_list", code=district.code)
        else:
            status = 400
    return render(
        request,
        "profile/need_form.html",
        {"district": district, "form": form, "need": need},
        status=status,
    )


@login_required
def need_create(request: HttpRequest, code: str) -> HttpResponse:
    district = _district_for(request, code, "profile.manage_needs")
    return _need_form(request, district, None)


@login_required
def need_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    district = _district_for(request, code, "profile.manage_needs")
    need = get_object_or_404(Need.objects.filter(district=district), pk=pk)
    return _need_form(request, district, need)
