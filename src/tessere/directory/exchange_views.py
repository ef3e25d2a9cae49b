"""The planner's HSDS import and export page."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tessere.core.models import User
from tessere.core.scoping import current_district
from tessere.directory import exchange as exchange_io
from tessere.directory.forms import ImportForm
from tessere.territory.models import District


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _district(request: HttpRequest) -> District:
    district = current_district(request)
    if district is None or not request.user.has_perm("directory.manage", district):
        raise PermissionDenied
    return district


def _read_upload(upload: Any) -> Any:
    if upload.name.lower().endswith(".zip"):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "upload.zip"
            path.write_bytes(upload.read())
            return exchange_io.load_path(path)
    return json.loads(upload.read().decode("utf-8"))


@login_required
def exchange(request: HttpRequest) -> HttpResponse:
    district = _district(request)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                data = _read_upload(upload)
            except exchange_io.ImportFailed as error:
                problems = error.details or [error.message]
            except (UnicodeDecodeError, ValueError, zipfile.BadZipFile) as error:
                problems = [_("Il file non è JSON né ZIP leggibile: %(error)s") % {"error": error}]
            else:
                try:
                    report = exchange_io.import_document(
                        actor=_actor(request), district=district, data=data
                    )
                except exchange_io.ImportFailed as error:
                    problems = error.details or [error.message]
                else:
                    messages.success(
                        request,
                        _("Importati %(orgs)s enti e %(services)s servizi.")
                        % {"orgs": report.organisations, "services": report.services},
                    )
                    return redirect("directory:manage_exchange")
        status = 400
    else:
        form = ImportForm()
    return render(
        request,
        "directory/exchange.html",
        {"district": district, "form": form, "problems": problems},
        status=status,
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    district = _district(request)
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp:
        paths = exchange_io.write_export(district, Path(tmp))
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in paths:
                archive.write(path, arcname=path.name)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="hsds-{district.code}.zip"'
    return response
