"""Background work of the monitoring room (django-tasks): reminders of measurements due."""

from __future__ import annotations

from django_tasks import task

from tessere.monitoring.reminders import send_reminders


@task()
def remind_responsibles() -> int:
    """E-mail the people responsible for indicators the measurements due and missing; return
    the e-mails sent."""
    return send_reminders()


@task()
def build_monitoring_report(report_id: int) -> str:
    """Build the PDF/A or ODT of an annual monitoring report and keep it on its
    ``MonitoringReport``."""
    from django.db import transaction
    from django.utils import timezone

    from tessere.monitoring import report as builder
    from tessere.monitoring.models import MonitoringReport

    with transaction.atomic():
        item = (
            MonitoringReport.objects.select_for_update()
            .select_related("plan__district")
            .get(pk=report_id)
        )
        if item.status != MonitoringReport.Status.PENDING:
            return item.status
        item.status = MonitoringReport.Status.RUNNING
        item.save(update_fields=["status"])
    try:
        build = (
            builder.report_pdf if item.format == MonitoringReport.Format.PDF else builder.report_odt
        )
        content = build(item.plan, item.year)
    except Exception as error:  # recorded for the reader to see
        item.status, item.error = MonitoringReport.Status.FAILED, f"{type(error).__name__}: {error}"
        item.finished_at = timezone.now()
        item.save(update_fields=["status", "error", "finished_at"])
        return item.status
    item.content, item.status = content, MonitoringReport.Status.DONE
    item.finished_at = timezone.now()
    item.save(update_fields=["content", "status", "finished_at"])
    return item.status
