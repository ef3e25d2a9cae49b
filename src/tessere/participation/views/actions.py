"""Forms of members, coordinators and planners: tables, members, phases, meetings, minutes,
contributions, status, scoring and moderation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tessere.core.errors import DomainError, NotFound
from tessere.core.errors import PermissionDenied as DomainPermissionDenied
from tessere.participation import rules as prules
from tessere.participation import selectors, services
from tessere.participation.forms import (
    AttachmentForm,
    CitizenContributionForm,
    CommentForm,
    ContributionForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
    ModerationForm,
    PhasesForm,
    StatusForm,
    TableForm,
)
from tessere.participation.models import Contribution, Member, Table
from tessere.participation.ranking import rankable as rankable_contributions
from tessere.participation.views.common import (
    CONTRIBUTIONS_PER_PAGE,
    SCORING_PER_PAGE,
    _contribution_url,
    _forbidden,
    _form_error,
    _table,
    _table_url,
    domain_errors,
)

# Forms --------------------------------------------------------------------------------------


@login_required
@domain_errors
def table_create(request: HttpRequest, code: str) -> HttpResponse:
    district = selectors.get_district(code)
    if not request.user.has_perm("participation.add_table", district):
        return _forbidden(request, _("Solo l'Ufficio di Piano dell'ambito può creare un tavolo."))
    form = TableForm(request.POST or None, district=district)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            table = services.create_table(
                actor=request.user,  # type: ignore[arg-type]
                district=district,
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                area=data["area"],
                territory=data["territory"],
                subdistrict=data["subdistrict"],
                municipality=data["municipality"],
                neighbourhood=data["neighbourhood"],
                coordinator=data["coordinator"],
                plan_cycle=data["plan_cycle"],
                visibility=data["visibility"],
                public_consultation=data["public_consultation"],
                method=data["method"],
                dot_budget=data["dot_budget"],
                phases=form.phases(),
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Tavolo creato."))
            return redirect(_table_url(table))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "participation/form.html",
        {"form": form, "title": _("Nuovo tavolo"), "district": district, "multipart": False},
        status=status,
    )


@login_required
@domain_errors
def members_page(request: HttpRequest, code: str, table_id: int) -> HttpResponse:
    table = _table(request, code, table_id)
    if not request.user.has_perm("participation.manage_table", table):
        return _forbidden(request, _("Non gestisci questo tavolo."))
    form = MemberForm(request.POST or None, district=table.district)
    status = 200
    if request.method == "POST":
        if request.POST.get("remove"):
            member = Member.objects.filter(table=table, pk=request.POST["remove"]).first()
            if member is None:
                raise Http404
            services.remove_member(actor=request.user, member=member)  # type: ignore[arg-type]
            messages.success(request, _("Membro rimosso."))
            return redirect("participation:members", code, table.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.add_member(
                    actor=request.user,  # type: ignore[arg-type]
                    table=table,
                    role=data["role"],
                    organisation=data["organisation"],
                    user=data["user"],
                    name=data["name"],
                    email=data["email"],
                )
            except DomainError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("Membro aggiunto."))
                return redirect("participation:members", code, table.pk)
        status = 400
    return render(
        request,
        "participation/members.html",
        {"table": table, "members": selectors.members(table=table), "form": form},
        status=status,
    )


@login_required
@domain_errors
def phases_page(request: HttpRequest, code: str, table_id: int) -> HttpResponse:
    table = _table(request, code, table_id)
    if not request.user.has_perm("participation.manage_table", table):
        return _forbidden(request, _("Non gestisci questo tavolo."))
    initial: dict[str, Any] = {}
    for phase in table.phases.all():
        initial[f"{phase.kind}_start"] = phase.starts_on
        initial[f"{phase.kind}_end"] = phase.ends_on
    form = PhasesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_phases(
                actor=request.user,  # type: ignore[arg-type]
                table=table,
                phases=form.phases(),
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Fasi aggiornate."))
            return redirect(_table_url(table))
    return render(
        request,
        "participation/form.html",
        {"form": form, "title": _("Fasi del tavolo"), "table": table},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@domain_errors
def meeting_create(request: HttpRequest, code: str, table_id: int) -> HttpResponse:
    table = _table(request, code, table_id)
    if not request.user.has_perm("participation.manage_table", table):
        return _forbidden(request, _("Non gestisci questo tavolo."))
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.schedule_meeting(
                actor=request.user,  # type: ignore[arg-type]
                table=table,
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                online_url=data["online_url"],
                agenda=data["agenda"],
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Incontro programmato."))
            return redirect("participation:meeting", code, table.pk, meeting.pk)
    return render(
        request,
        "participation/form.html",
        {"form": form, "title": _("Nuovo incontro"), "table": table},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@domain_errors
def minutes_edit(request: HttpRequest, code: str, table_id: int, meeting_id: int) -> HttpResponse:
    table = _table(request, code, table_id)
    if not request.user.has_perm("participation.manage_table", table):
        return _forbidden(request, _("Non gestisci questo tavolo."))
    meeting = selectors.meeting_detail(table=table, meeting_id=meeting_id)
    initial = {
        "minutes": meeting.minutes,
        "decisions": meeting.decisions,
        "present": [a.member_id for a in meeting.attendances.all() if a.member_id],
        "guests": "\n".join(a.name for a in meeting.attendances.all() if not a.member_id),
    }
    form = MinutesForm(request.POST or None, initial=initial, table=table)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_minutes(
                actor=request.user,  # type: ignore[arg-type]
                meeting=meeting,
                minutes=data["minutes"],
                decisions=data["decisions"],
                present_member_ids=[m.pk for m in data["present"]],
                guests=data["guests"].splitlines(),
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Verbale salvato: ora i membri possono approvarlo."))
            return redirect("participation:meeting", code, table.pk, meeting.pk)
    return render(
        request,
        "participation/form.html",
        {"form": form, "title": _("Verbale: %(title)s") % {"title": meeting.title}, "table": table},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
@domain_errors
def meeting_action(
    request: HttpRequest, code: str, table_id: int, meeting_id: int, action: str
) -> HttpResponse:
    table = _table(request, code, table_id)
    meeting = selectors.meeting_detail(table=table, meeting_id=meeting_id)
    user: Any = request.user
    try:
        if action == "approva":
            services.approve_minutes(actor=user, meeting=meeting)
            messages.success(request, _("Hai approvato il verbale."))
        elif action == "inviti":
            count = services.send_invitations(
                actor=user,
                meeting=meeting,
                base_url=request.build_absolute_uri(
                    reverse("participation:meeting", args=[code, table.pk, meeting.pk])
                ),
            )
            messages.success(request, _("Inviti spediti: %(count)s.") % {"count": count})
        elif action == "allegati":
            form = AttachmentForm(request.POST, request.FILES)
            if not form.is_valid():
                raise DomainError(_("Scegli un file da allegare."))
            services.add_attachment(
                actor=user,
                meeting=meeting,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
            messages.success(request, _("Allegato aggiunto."))
        else:
            raise Http404
    except DomainPermissionDenied:
        raise
    except (NotFound, Http404):
        raise
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("participation:meeting", code, table.pk, meeting.pk)
    return redirect("participation:meeting", code, table.pk, meeting.pk)


@domain_errors
def contribution_create(request: HttpRequest, code: str, table_id: int) -> HttpResponse:
    table = _table(request, code, table_id)
    user: Any = request.user
    as_member = user.has_perm("participation.submit_contribution", table)
    as_citizen = not as_member and user.has_perm("participation.submit_as_citizen", table)
    if not (as_member or as_citizen):
        return _forbidden(
            request,
            _(
                "Ora non puoi inviare contributi a questo tavolo: si inviano nella fase delle "
                "proposte."
            ),
        )
    form: Any = (
        ContributionForm(request.POST or None, district=table.district)
        if as_member
        else CitizenContributionForm(request.POST or None)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if as_member:
                contribution = services.submit_contribution(
                    actor=user,
                    table=table,
                    kind=data["kind"],
                    title=data["title"],
                    text=data["text"],
                    area=data["area"],
                    territory=data["territory"],
                    subdistrict=data["subdistrict"],
                    municipality=data["municipality"],
                    neighbourhood=data["neighbourhood"],
                    needs=data["needs"],
                )
                messages.success(request, _("Contributo inviato."))
            else:
                contribution = services.submit_citizen_contribution(
                    actor=user if user.is_authenticated else None,
                    table=table,
                    name=data["name"],
                    email=data["email"],
                    kind=data["kind"],
                    title=data["title"],
                    text=data["text"],
                    area=data["area"],
                )
                messages.success(
                    request,
                    _("Grazie: il contributo sarà pubblicato dopo la moderazione."),
                )
                return redirect(_table_url(table))
        except DomainError as error:
            _form_error(form, error)
        else:
            return redirect("participation:contribution", code, table.pk, contribution.pk)
    return render(
        request,
        "participation/form.html",
        {
            "form": form,
            "title": _("Nuovo contributo"),
            "table": table,
            "citizen": as_citizen,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
@domain_errors
def contribution_action(
    request: HttpRequest, code: str, table_id: int, contribution_id: int, action: str
) -> HttpResponse:
    table = _table(request, code, table_id)
    contribution = selectors.get_contribution(
        actor=request.user, table=table, contribution_id=contribution_id
    )
    user: Any = request.user
    try:
        if action == "stato":
            form = StatusForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("Scegli uno stato valido."))
            target = None
            if form.cleaned_data["merged_into"]:
                target = Contribution.objects.filter(
                    table=table, pk=form.cleaned_data["merged_into"]
                ).first()
                if target is None:
                    raise DomainError(_("Il contributo indicato non è di questo tavolo."))
            services.change_status(
                actor=user,
                contribution=contribution,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                merged_into=target,
                contribution_url=_contribution_url(request, contribution),
            )
            messages.success(request, _("Stato aggiornato; l'autore riceve un avviso."))
        elif action == "sostegno":
            services.support(actor=user, contribution=contribution)
            messages.success(request, _("Sostieni questo contributo."))
        elif action == "commento":
            comment = CommentForm(request.POST)
            if not comment.is_valid():
                raise DomainError(_("Scrivi un commento (al massimo 3.000 caratteri)."))
            services.add_comment(
                actor=user, contribution=contribution, text=comment.cleaned_data["text"]
            )
            messages.success(request, _("Commento pubblicato."))
        else:
            raise Http404
    except (DomainPermissionDenied, NotFound):
        raise
    except DomainError as error:
        messages.error(request, str(error))
        response = redirect("participation:contribution", code, table.pk, contribution.pk)
        response.status_code = 303
        return response
    return redirect("participation:contribution", code, table.pk, contribution.pk)


def _int(value: str) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@domain_errors
def scoring_page(request: HttpRequest, code: str, table_id: int) -> HttpResponse:
    """The scoring matrix (or the dot voting form) of the acting member, a page at a time."""
    table = _table(request, code, table_id)
    user: Any = request.user
    dots = table.method == Table.Method.DOTS
    perm = "participation.vote_contribution" if dots else "participation.score_contribution"
    if not user.has_perm(perm, table):
        return _forbidden(
            request,
            _("Valutano i membri del tavolo, nella fase di prioritizzazione."),
        )
    member = prules.member_row(user, table)
    if member is None:
        return _forbidden(request, _("Solo i membri del tavolo valutano le proposte."))
    page_obj = Paginator(rankable_contributions(table), SCORING_PER_PAGE).get_page(
        request.GET.get("page") or request.POST.get("page")
    )
    ids = [c.pk for c in page_obj.object_list]
    criteria = list(table.criteria.all())
    status = 200
    if request.method == "POST":
        try:
            if dots:
                points = {cid: _int(request.POST.get(f"p-{cid}", "") or "0") for cid in ids}
                if any(v is None for v in points.values()):
                    raise DomainError(_("I punti devono essere numeri interi."))
                clean = {k: v for k, v in points.items() if v is not None}
                services.save_dot_votes(actor=user, table=table, points=clean)
            else:
                scores: dict[int, dict[int, int | None]] = {}
                for cid in ids:
                    scores[cid] = {}
                    for criterion in criteria:
                        raw = request.POST.get(f"s-{cid}-{criterion.pk}", "")
                        value = _int(raw) if raw else None
                        if raw and value is None:
                            raise DomainError(_("I punteggi vanno da 1 a 5."))
                        scores[cid][criterion.pk] = value
                services.save_scores(actor=user, table=table, scores=scores)
        except (DomainPermissionDenied, NotFound):
            raise
        except DomainError as error:
            messages.error(request, str(error))
            status = 400
        else:
            messages.success(request, _("Valutazioni salvate."))
            target = reverse("participation:scoring", args=[code, table.pk])
            return redirect(f"{target}?page={page_obj.number}")
    from tessere.participation.models import DotVote, Score

    if dots:
        mine = dict(
            DotVote.objects.filter(member=member, contribution_id__in=ids).values_list(
                "contribution_id", "points"
            )
        )
        rows = [{"contribution": c, "points": mine.get(c.pk, 0)} for c in page_obj.object_list]
    else:
        given = {
            (s.contribution_id, s.criterion_id): s.value
            for s in Score.objects.filter(member=member, contribution_id__in=ids)
        }
        rows = [
            {
                "contribution": c,
                "cells": [{"criterion": cr, "value": given.get((c.pk, cr.pk))} for cr in criteria],
            }
            for c in page_obj.object_list
        ]
    return render(
        request,
        "participation/scoring.html",
        {
            "table": table,
            "dots": dots,
            "criteria": criteria,
            "rows": rows,
            "page_obj": page_obj,
            "query": "",
            "points_left": services.points_left(table=table, member=member) if dots else None,
            "values": range(1, 6),
        },
        status=status,
    )


@login_required
@domain_errors
def moderation_page(request: HttpRequest, code: str) -> HttpResponse:
    district = selectors.get_district(code)
    queue = selectors.moderation_queue(actor=request.user, district=district)
    page_obj = Paginator(queue, CONTRIBUTIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "participation/moderation.html",
        {"district": district, "page_obj": page_obj, "query": "", "form": ModerationForm()},
    )


@require_POST
@login_required
@domain_errors
def moderate(request: HttpRequest, code: str, contribution_id: int) -> HttpResponse:
    district = selectors.get_district(code)
    contribution = (
        selectors.moderation_queue(actor=request.user, district=district)
        .filter(pk=contribution_id)
        .first()
    )
    if contribution is None:
        raise Http404
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Scegli se pubblicare o no."))
        return redirect("participation:moderation", code)
    try:
        services.moderate_contribution(
            actor=request.user,  # type: ignore[arg-type]
            contribution=contribution,
            publish=form.cleaned_data["decision"] == "publish",
            reason=form.cleaned_data["reason"],
        )
    except (DomainPermissionDenied, NotFound):
        raise
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Contributo moderato."))
    return redirect("participation:moderation", code)
