"""Background work of the directory (django-tasks): reminders, HSDS imports and exports."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from tessere.directory.reminders import send_reminders


@task()
def remind_providers() -> int:
    """E-mail providers the services due for verification; return the e-mails sent."""
    return send_reminders()


def read_upload(name: str, content: bytes) -> Any:
    """An uploaded HSDS JSON file or ZIP (export folder or data package) as data."""
    from tessere.directory import exchange

    if name.lower().endswith(".zip") or content[:2] == b"PK":
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "upload.zip"
            path.write_bytes(content)
            return exchange.load_path(path)
    return json.loads(content.decode("utf-8"))


def export_zip(district: Any) -> bytes:
    from tessere.directory import exchange

    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp:
        paths = exchange.write_export(district, Path(tmp))
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in paths:
                archive.write(path, arcname=path.name)
    return buffer.getvalue()


@task()
def run_exchange(job_id: int) -> str:
    """Run one queued HSDS import or export and record its outcome on the job."""
    from tessere.directory import exchange
    from tessere.directory.models import ExchangeJob

    with transaction.atomic():
        job = (
            ExchangeJob.objects.select_for_update(of=("self",))
            .select_related("district", "created_by")
            .get(pk=job_id)
        )
        if job.status != ExchangeJob.Status.PENDING:
            return str(job.status)
        job.status = ExchangeJob.Status.RUNNING
        job.save(update_fields=["status"])
    fields = ["status", "finished_at"]
    try:
        if job.kind == ExchangeJob.Kind.EXPORT:
            job.content = export_zip(job.district)
            fields.append("content")
        else:
            data = read_upload(job.file_name, bytes(job.upload or b""))
            report = exchange.import_document(
                actor=job.created_by, district=job.district, data=data
            )
            job.organisations, job.services = report.organisations, report.services
            fields += ["organisations", "services"]
        job.status = ExchangeJob.Status.DONE
    except exchange.ImportFailed as error:  # all or nothing: nothing was written
        job.status, job.error = ExchangeJob.Status.FAILED, error.message
        job.problems = error.details
        fields += ["error", "problems"]
    except (UnicodeDecodeError, ValueError, zipfile.BadZipFile) as error:
        job.status = ExchangeJob.Status.FAILED
        job.error = _("Il file non è JSON né ZIP leggibile: %(error)s") % {"error": error}
        fields.append("error")
    except Exception as error:  # recorded for the planner to see
        job.status, job.error = ExchangeJob.Status.FAILED, f"{type(error).__name__}: {error}"
        fields.append("error")
    job.finished_at = timezone.now()
    job.save(update_fields=fields)
    return str(job.status)
