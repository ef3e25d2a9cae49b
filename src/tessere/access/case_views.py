"""Working screens of a case: the list of the worker's cases, the case page, one page per
action on a case (team, notes, assessment, project, referrals, delivered services, closing),
the project PDF for signature."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tessere.access import forms, selectors, services
from tessere.access.models import Case, PersonalisedProject, Referral
from tessere.access.twofactor import person_reader_required
from tessere.access.views import CASES_PER_PAGE, _actor, _district, _found
from tessere.core.audit import record_read
from tessere.core.documents import pdf_a
from tessere.core.errors import DomainError
from tessere.core.locking import Conflict

ACTIONS: dict[str, tuple[Any, Any, bool]] = {
    # action: (form class, title, needs the district)
    "equipe": (forms.TeamMemberForm, gettext_lazy("Aggiungi un componente dell'équipe"), True),
    "nota": (forms.NoteForm, gettext_lazy("Aggiungi una nota"), False),
    "valutazione": (forms.AssessmentForm, gettext_lazy("Registra una valutazione"), False),
    "progetto": (forms.ProjectForm, gettext_lazy("Obiettivi generali del progetto"), False),
    "risultato": (forms.ResultForm, gettext_lazy("Aggiungi un risultato atteso"), False),
    "sostegno": (forms.SupportForm, gettext_lazy("Aggiungi un sostegno"), True),
    "impegno": (forms.CommitmentForm, gettext_lazy("Aggiungi un impegno del nucleo"), False),
    "sottoscrizione": (forms.SignForm, gettext_lazy("Registra la sottoscrizione"), False),
    "verifica": (forms.ReviewForm, gettext_lazy("Registra una verifica"), False),
    "invio": (forms.ReferralForm, gettext_lazy("Invia a un servizio"), True),
    "prestazione": (forms.DeliveredForm, gettext_lazy("Registra una prestazione erogata"), True),
    "chiusura": (forms.CloseForm, gettext_lazy("Chiudi la presa in carico"), False),
}


@person_reader_required
def case_list(request: HttpRequest) -> HttpResponse:
    district = _district(request)
    status = request.GET.get("stato", "")
    if status not in Case.Status.values:
        status = ""
    ids = selectors.case_list_ids(_actor(request), district, status)
    page_obj = Paginator(ids, CASES_PER_PAGE).get_page(request.GET.get("page"))
    cases = selectors.cases_in_order(_actor(request), district, list(page_obj.object_list))
    selectors.log_reads(actor=_actor(request), district=district, objects=cases, purpose="elenco")
    return render(
        request,
        "access/case_list.html",
        {
            "page_obj": page_obj,
            "cases": cases,
            "status": status,
            "statuses": Case.Status.choices,
            "query": f"stato={status}" if status else "",
        },
    )


@person_reader_required
def case_detail(request: HttpRequest, case_id: str) -> HttpResponse:
    district = _district(request)
    context = _found(lambda: selectors.case_page(_actor(request), district, case_id))
    context["is_manager"] = context["case"].manager_id == request.user.pk
    return render(request, "access/case_detail.html", context)


def _initial(action: str, case: Case) -> dict[str, Any]:
    """Initial values of an action's form, with the version of the record it changes (the
    case, or its project: 0 when there is none yet)."""
    today = timezone.localdate()
    if action in ("progetto", "sottoscrizione"):
        project = PersonalisedProject.objects.filter(case=case).first()
        initial: dict[str, Any] = {"version": project.version if project else 0}
        if action == "progetto":
            initial["general_objectives"] = project.general_objectives if project else ""
        else:
            initial["signed_on"] = today
        return initial
    if action in ("valutazione", "chiusura"):
        return {"version": case.version, "closed_on": today}
    if action == "verifica":
        return {"held_on": today}
    return {}


@person_reader_required
def case_action(request: HttpRequest, case_id: str, action: str) -> HttpResponse:
    """GET: the form of one action on the case; POST: do it (400 with the reasons if not)."""
    district = _district(request)
    if action not in ACTIONS:
        raise Http404
    case = _found(lambda: selectors.get_case(_actor(request), district, case_id))
    form_class, title, needs_district = ACTIONS[action]
    kwargs: dict[str, Any] = {"district": district} if needs_district else {}
    errors: list[str] = []
    conflict = False
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        if form.is_valid():
            try:
                with transaction.atomic():
                    message = _act(request, case, action, form)
            except Conflict as exc:
                errors, conflict = [exc.message], True
            except DomainError as exc:
                errors = [exc.message, *exc.details]
            else:
                messages.success(request, message)
                return redirect(reverse("access:case_detail", args=[case.pk]) + f"#{action}")
        else:
            errors = [_("Controlla i dati inseriti.")]
    else:
        form = form_class(initial=_initial(action, case), **kwargs)
    record_read(actor=_actor(request), obj=case, district_id=district.pk, purpose=action)
    return render(
        request,
        "access/case_action.html",
        {
            "case": case,
            "form": form,
            "title": title,
            "action": action,
            "errors": errors,
            "conflict": conflict,
        },
        status=(409 if conflict else 400) if request.method == "POST" else 200,
    )


def _act(request: HttpRequest, case: Case, action: str, form: Any) -> str:
    """Run one action on a case with its valid form; return a success message."""
    actor = _actor(request)
    data = form.cleaned_data
    if case.status == Case.Status.CLOSED and action != "nota":
        raise DomainError(_("Il caso è chiuso."))
    if action == "equipe":
        services.add_team_member(
            actor=actor,
            case=case,
            role=data["role"],
            user=data["user"],
            name=data["name"],
            organisation=data["organisation"],
        )
        return _("Componente aggiunto all'équipe.")
    if action == "nota":
        services.add_note(
            actor=actor, case=case, text=data["text"], confidential=data["confidential"]
        )
        return _("Nota aggiunta.")
    if action == "valutazione":
        services.record_assessment(
            actor=actor,
            case=case,
            kind=data["kind"],
            outcome=data["outcome"],
            summary=data["summary"],
            domains=form.domains(),
            version=data["version"],
        )
        return _("Valutazione registrata.")
    if action == "progetto":
        services.save_project(
            actor=actor,
            case=case,
            general_objectives=data["general_objectives"],
            version=data["version"],
        )
        return _("Progetto salvato.")
    if action == "risultato":
        services.add_expected_result(
            actor=actor, case=case, description=data["description"], deadline=data["deadline"]
        )
        return _("Risultato atteso aggiunto.")
    if action == "sostegno":
        services.add_support(
            actor=actor, case=case, service=data["service"], description=data["description"]
        )
        return _("Sostegno aggiunto.")
    if action == "impegno":
        services.add_commitment(actor=actor, case=case, description=data["description"])
        return _("Impegno aggiunto.")
    if action == "sottoscrizione":
        services.sign_project(
            actor=actor,
            case=case,
            signed_on=data["signed_on"],
            signed_by=data["signed_by"],
            version=data["version"],
        )
        return _("Progetto sottoscritto.")
    if action == "verifica":
        services.add_review(
            actor=actor,
            case=case,
            held_on=data["held_on"],
            outcome=data["outcome"],
            notes=data["notes"],
        )
        return _("Verifica registrata.")
    if action == "invio":
        if data["sharing_consent"]:
            services.record_consent(actor=actor, person=case.person, purpose="sharing")
        services.send_referral(
            actor=actor,
            person=case.person,
            service=data["service"],
            request=data["request"],
            case=case,
        )
        return _("Invio spedito all'ente.")
    if action == "prestazione":
        services.record_delivered_service(
            actor=actor,
            case=case,
            service=data["service"],
            start=data["start"],
            end=data["end"],
            quantity=data["quantity"],
            unit=data["unit"],
            amount=data["amount"] or Decimal("0"),
        )
        return _("Prestazione registrata.")
    services.close_case(
        actor=actor, case=case, closed_on=data["closed_on"], version=data["version"]
    )
    return _("Presa in carico chiusa.")


@require_POST
@person_reader_required
def referral_cancel(request: HttpRequest, referral_id: str) -> HttpResponse:
    district = _district(request)
    referral = _found(lambda: selectors.get_team_referral(_actor(request), district, referral_id))
    try:
        services.transition_referral(
            actor=_actor(request),
            referral=referral,
            to_status=Referral.Status.CANCELLED,
            note=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    if referral.case_id:
        return redirect("access:case_detail", referral.case_id)
    return redirect("access:person_detail", referral.person_id)


@person_reader_required
def project_pdf(request: HttpRequest, case_id: str) -> HttpResponse:
    district = _district(request)
    context = _found(lambda: selectors.case_page(_actor(request), district, case_id))
    if context["project"] is None:
        raise Http404
    html = render_to_string("access/project_pdf.html", context, request=request)
    pdf = pdf_a(html, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="progetto-{context["case"].pk}.pdf"'
    return response
