"""Working screens of the access point: intake, search, cases, referrals inbox, monitoring.

Every view that shows a person is guarded by ``person_reader_required`` (role + two-factor);
objects come from ``selectors`` (scoped, logged); whatever is not readable is a 404, exactly
like whatever does not exist.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tessere.access import aggregates, exports, forms, selectors, services
from tessere.access.models import Referral
from tessere.access.twofactor import person_reader_required
from tessere.core.errors import DomainError, NotFound
from tessere.core.models import User
from tessere.territory.models import District

CASES_PER_PAGE = 25


def _district(request: HttpRequest) -> District:
    district = request.district  # type: ignore[attr-defined]
    if not district:
        raise PermissionDenied
    return cast(District, district)


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _found(getter: Callable[[], Any]) -> Any:
    try:
        return getter()
    except NotFound:
        raise Http404 from None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    district = _district(request)
    user = request.user
    context = {
        "district": district,
        "door": user.has_perm("access.use_door", district),
        "inbox": user.has_perm("access.provider_inbox", district),
        "aggregates": user.has_perm("access.view_aggregates", district),
        "export": user.has_perm("access.export_delivered", district),
    }
    if not any(v for k, v in context.items() if k != "district"):
        raise PermissionDenied
    return render(request, "access/home.html", context)


@person_reader_required
def service_suggestions(request: HttpRequest) -> HttpResponse:
    """The list of services to choose from in the access point's forms: at most
    ``forms.SERVICE_MATCHES`` published services of the district matching the words typed
    (htmx fills the service field's list with it while the user types)."""
    district = _district(request)
    query = (request.GET.get("service_q") or request.GET.get("q") or "").strip()
    matches: list[Any] = []
    if query:
        services_found = selectors.match_services(selectors.district_services(district), query)
        matches = list(services_found[: forms.SERVICE_MATCHES + 1])
    return render(
        request,
        "access/widgets/_service_options.html",
        {
            "name": "service",
            "id": "id_service",
            "options": [
                (str(s.pk), forms.service_label(s)) for s in matches[: forms.SERVICE_MATCHES]
            ],
            "chosen": str(matches[0].pk) if len(matches) == 1 else "",
            "more": len(matches) > forms.SERVICE_MATCHES,
        },
    )


@person_reader_required
def intake(request: HttpRequest) -> HttpResponse:
    district = _district(request)
    initial: dict[str, Any] = {}
    chosen = None
    person_id = request.GET.get("persona") or request.POST.get("person")
    if person_id:
        chosen = _found(lambda: selectors.get_person(_actor(request), district, person_id))
        initial["person"] = chosen.pk
    form = forms.IntakeForm(request.POST or None, initial=initial, district=district)
    candidates: list[Any] = []
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new_person = None
        if chosen is None:
            new_person = services.PersonData(
                code_kind=data["code_kind"],
                code=data["code"],
                last_name=data["last_name"],
                first_name=data["first_name"],
                birth_date=data["birth_date"],
                sex=data["sex"],
                birth_municipality=data["birth_place"],
                residence_municipality=data["residence_municipality"],
                phone=data["phone"],
                language=data["language"],
                citizenship=data["citizenship"],
            )
        try:
            contact = services.record_intake(
                actor=_actor(request),
                district=district,
                person=chosen,
                new_person=new_person,
                allow_similar=data["confirm_new"],
                channel=data["channel"],
                area=data["area"],
                reason=data["reason"],
                outcome=data["outcome"],
                access_point=data["access_point"],
                sharing_consent_given=data["sharing_consent"],
                service=data["service"],
                request=data["request"],
                manager=data["manager"],
            )
        except services.DuplicatePerson as exc:
            errors = [exc.message]
            candidates = exc.candidates
        except DomainError as exc:
            errors = [exc.message, *exc.details]
        else:
            messages.success(request, _("Accesso registrato."))
            if contact.case_id and request.user.has_perm("access.read_case", contact.case):
                return redirect("access:case_detail", contact.case_id)
            return redirect("access:person_detail", contact.person_id)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "access/intake.html",
        {"form": form, "chosen": chosen, "errors": errors, "candidates": candidates},
        status=status,
    )


@person_reader_required
def person_search(request: HttpRequest) -> HttpResponse:
    district = _district(request)
    form = forms.SearchForm(request.GET or None)
    results: list[Any] = []
    if form.is_valid():
        results = selectors.search_persons(_actor(request), district, form.cleaned_data["q"])
    duplicates = selectors.duplicate_groups(results)
    return render(
        request,
        "access/person_search.html",
        {"form": form, "results": results, "duplicates": duplicates},
    )


@person_reader_required
def person_detail(request: HttpRequest, person_id: str) -> HttpResponse:
    district = _district(request)
    person = _found(lambda: selectors.get_person(_actor(request), district, person_id))
    context = selectors.person_page(_actor(request), district, person)
    similar = services.similar_persons(
        district=district,
        last_name=person.last_name,
        first_name=person.first_name,
        birth_date=person.birth_date,
        exclude=person,
    )
    return render(
        request,
        "access/person_detail.html",
        {
            "person": person,
            "similar": similar,
            "can_export": request.user.has_perm("access.export_person", person),
            "can_open_case": request.user.has_perm("access.open_case", district),
            "case_form": forms.IntakeForm(district=district),
            "household_form": forms.HouseholdForm(),
            "consent_form": forms.ConsentForm(),
            **context,
        },
    )


@require_POST
@person_reader_required
def person_merge(request: HttpRequest, person_id: str, duplicate_id: str) -> HttpResponse:
    district = _district(request)
    keep = _found(lambda: selectors.get_person(_actor(request), district, person_id))
    duplicate = _found(lambda: selectors.get_person(_actor(request), district, duplicate_id))
    if not request.user.has_perm("access.export_person", keep):
        raise Http404
    try:
        services.merge_persons(actor=_actor(request), keep=keep, duplicate=duplicate)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Schede unite."))
    return redirect("access:person_detail", keep.pk)


@require_POST
@person_reader_required
def case_open(request: HttpRequest, person_id: str) -> HttpResponse:
    district = _district(request)
    person = _found(lambda: selectors.get_person(_actor(request), district, person_id))
    if not request.user.has_perm("access.open_case", district):
        raise PermissionDenied
    household = None
    if request.POST.get("for_household"):
        membership = person.memberships.select_related("household").first()
        household = membership.household if membership else None
    try:
        case = services.open_case(
            actor=_actor(request),
            person=person,
            area=request.POST.get("area", ""),
            manager=_actor(request),
            household=household,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("access:person_detail", person.pk)
    return redirect("access:case_detail", case.pk)


@require_POST
@person_reader_required
def person_consent(request: HttpRequest, person_id: str) -> HttpResponse:
    """Record a consent of the person (given or refused)."""
    district = _district(request)
    person = _found(lambda: selectors.get_person(_actor(request), district, person_id))
    form = forms.ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Controlla i dati del consenso."))
        return redirect("access:person_detail", person.pk)
    services.record_consent(
        actor=_actor(request),
        person=person,
        purpose=form.cleaned_data["purpose"],
        given=form.cleaned_data["given"],
        note=form.cleaned_data["note"],
    )
    messages.success(request, _("Consenso registrato."))
    return redirect("access:person_detail", person.pk)


@require_POST
@person_reader_required
def consent_withdraw(request: HttpRequest, person_id: str, consent_id: str) -> HttpResponse:
    district = _district(request)
    person = _found(lambda: selectors.get_person(_actor(request), district, person_id))
    consent = person.consents.filter(pk=consent_id, withdrawn_at__isnull=True).first()
    if consent is None:
        raise Http404
    services.withdraw_consent(actor=_actor(request), consent=consent)
    messages.success(request, _("Consenso revocato: nessun nuovo invio condividerà i dati."))
    return redirect("access:person_detail", person.pk)


@require_POST
@person_reader_required
def person_household(request: HttpRequest, person_id: str) -> HttpResponse:
    """Create the person's household, or add a member to it (found by code)."""
    district = _district(request)
    actor = _actor(request)
    person = _found(lambda: selectors.get_person(actor, district, person_id))
    form = forms.HouseholdForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Controlla i dati del nucleo."))
        return redirect("access:person_detail", person.pk)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            membership = person.memberships.select_related("household").first()
            if membership is None:
                household = services.create_household(
                    actor=actor,
                    district=district,
                    name=data["name"] or _("Nucleo %(name)s") % {"name": person.last_name},
                    members=[(person, "head")],
                    municipality=person.residence_municipality,
                )
            else:
                household = membership.household
            if data["member_code"]:
                member = (
                    selectors.readable_persons(actor, district)
                    .filter(code=data["member_code"].strip().upper(), merged_into__isnull=True)
                    .first()
                )
                if member is None:
                    raise DomainError(_("Nessuna persona con questo codice."))
                services.add_household_member(
                    actor=actor, household=household, person=member, relation=data["relation"]
                )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Nucleo aggiornato."))
    return redirect("access:person_detail", person.pk)


@person_reader_required
def person_access_log(request: HttpRequest, person_id: str) -> HttpResponse:
    district = _district(request)
    person = _found(lambda: selectors.get_person(_actor(request), district, person_id))
    if not request.user.has_perm("access.export_person", person):
        raise Http404
    entries = selectors.access_log(_actor(request), district, person)
    page_obj = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request, "access/person_access_log.html", {"person": person, "page_obj": page_obj}
    )


@person_reader_required
def person_export(request: HttpRequest, person_id: str) -> HttpResponse:
    district = _district(request)
    person = _found(
        lambda: selectors.get_person(_actor(request), district, person_id, purpose="art. 15 GDPR")
    )
    if not request.user.has_perm("access.export_person", person):
        raise Http404
    data = exports.person_data(person)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="dati-persona-{person.pk}.json"'
    return response


def _provider_district(request: HttpRequest) -> District:
    district = _district(request)
    if not request.user.has_perm("access.provider_inbox", district):
        raise PermissionDenied
    return district


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    district = _provider_district(request)
    status = request.GET.get("stato", "")
    referrals = selectors.inbox(_actor(request), district)
    if status in Referral.Status.values:
        referrals = referrals.filter(status=status)
    page_obj = Paginator(referrals, CASES_PER_PAGE).get_page(request.GET.get("page"))
    selectors.log_reads(
        actor=_actor(request),
        district=district,
        objects=list(page_obj.object_list),
        purpose="invii (ente)",
    )
    return render(
        request,
        "access/inbox.html",
        {
            "page_obj": page_obj,
            "status": status,
            "statuses": Referral.Status.choices,
            "query": f"stato={status}" if status else "",
        },
    )


@login_required
def inbox_detail(request: HttpRequest, referral_id: str) -> HttpResponse:
    district = _provider_district(request)
    referral = _found(lambda: selectors.get_inbox_referral(_actor(request), district, referral_id))
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        form = forms.TransitionForm(request.POST)
        if form.is_valid():
            try:
                services.transition_referral(
                    actor=_actor(request),
                    referral=referral,
                    to_status=form.cleaned_data["status"],
                    reason=form.cleaned_data["reason"]
                    if form.cleaned_data["status"] == Referral.Status.DECLINED
                    else "",
                    note=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                errors = [exc.message, *exc.details]
            else:
                messages.success(request, _("Stato dell'invio aggiornato."))
                return redirect("access:inbox_detail", referral.pk)
        else:
            errors = [_("Controlla i dati inseriti.")]
        status = 400
    next_states = [
        (value, label)
        for value, label in Referral.Status.choices
        if value in services.PROVIDER_TRANSITIONS.get(referral.status, set())
    ]
    return render(
        request,
        "access/inbox_detail.html",
        {"referral": referral, "next_states": next_states, "errors": errors},
        status=status,
    )


@login_required
def monitoring(request: HttpRequest) -> HttpResponse:
    district = _district(request)
    if not request.user.has_perm("access.view_aggregates", district):
        raise PermissionDenied
    try:
        year = int(request.GET.get("anno", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    return render(
        request,
        "access/monitoring.html",
        {
            "tables": aggregates.all_tables(district, year),
            "threshold": aggregates.threshold(),
            "year": year,
        },
    )


@person_reader_required
def delivered_export(request: HttpRequest) -> HttpResponse:
    district = _district(request)
    if not request.user.has_perm("access.export_delivered", district):
        raise PermissionDenied
    try:
        year = int(request.GET.get("anno", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="prestazioni-{district.code}-{year}.csv"'
    )
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    rows = exports.delivered_rows(district, year)
    writer.writerow(exports.SIUSS_COLUMNS)
    persons = []
    for row, person in rows:
        writer.writerow(row)
        persons.append(person)
    selectors.log_reads(
        actor=_actor(request),
        district=district,
        objects=list({p.pk: p for p in persons}.values()),
        purpose="esportazione prestazioni",
    )
    return response
