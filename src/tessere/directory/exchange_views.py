"""The planner's HSDS import and export pages: each runs as a background task (django-tasks).

Asking for an export or uploading a file queues an ``ExchangeJob`` and leads to its status
page (pending, done with the download or the import report, failed with the reason).
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tessere.core.errors import DomainError
from tessere.core.models import User
from tessere.core.scoping import current_district
from tessere.directory import services
from tessere.directory.forms import ImportForm
from tessere.directory.models import ExchangeJob
from tessere.territory.models import District

RECENT = 10


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _district(request: HttpRequest) -> District:
    district = current_district(request)
    if district is None or not request.user.has_perm("directory.manage", district):
        raise PermissionDenied
    return district


def _jobs(district: District) -> list[ExchangeJob]:
    return list(
        ExchangeJob.objects.filter(district=district)
        .defer("upload", "content")
        .select_related("created_by")[:RECENT]
    )


@login_required
def exchange(request: HttpRequest) -> HttpResponse:
    district = _district(request)
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > services.MAX_IMPORT_BYTES:
                    raise DomainError(
                        _("Il file supera i %(mb)s MB ammessi.")
                        % {"mb": services.MAX_IMPORT_BYTES // 1024 // 1024}
                    )
                job = services.request_exchange(
                    actor=_actor(request),
                    district=district,
                    kind=ExchangeJob.Kind.IMPORT,
                    file_name=upload.name,
                    upload=upload.read(),
                )
            except DomainError as error:
                form.add_error("file", error.message)
            else:
                messages.info(request, _("Importazione avviata."))
                return redirect("directory:manage_exchange_job", job.pk)
        status = 400
    else:
        form = ImportForm()
    return render(
        request,
        "directory/exchange.html",
        {"district": district, "form": form, "jobs": _jobs(district)},
        status=status,
    )


@require_POST
@login_required
def export(request: HttpRequest) -> HttpResponse:
    district = _district(request)
    job = services.request_exchange(
        actor=_actor(request), district=district, kind=ExchangeJob.Kind.EXPORT
    )
    messages.info(request, _("Esportazione avviata."))
    return redirect("directory:manage_exchange_job", job.pk)


def _job(request: HttpRequest, job_id: int) -> ExchangeJob:
    district = _district(request)
    job = (
        ExchangeJob.objects.filter(district=district, pk=job_id)
        .defer("upload", "content")
        .select_related("created_by")
        .first()
    )
    if job is None:
        raise Http404(_("Operazione non trovata."))
    return job


@login_required
def job_status(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    return render(request, "directory/exchange_job.html", {"district": job.district, "job": job})


@login_required
def job_download(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    if job.kind != ExchangeJob.Kind.EXPORT or job.status != ExchangeJob.Status.DONE:
        raise Http404(_("L'archivio non è pronto."))
    content = ExchangeJob.objects.values_list("content", flat=True).get(pk=job.pk)
    response = HttpResponse(bytes(content or b""), content_type="application/zip")
    stamp = f"{job.finished_at:%Y%m%d-%H%M}" if job.finished_at else str(job.pk)
    response["Content-Disposition"] = f'attachment; filename="hsds-{job.district.code}-{stamp}.zip"'
    return response
