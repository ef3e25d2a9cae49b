"""Background work of the planning room: building the plan document."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from tessere.planning.models import PlanDocument


@task()
def build_plan_document(document_id: int) -> str:
    """Build the PDF/A or ODT of a plan and keep it on its ``PlanDocument``."""
    from tessere.planning import document as builder

    with transaction.atomic():
        item = (
            PlanDocument.objects.select_for_update()
            .select_related("plan__district")
            .get(pk=document_id)
        )
        if item.status != PlanDocument.Status.PENDING:
            return item.status
        item.status = PlanDocument.Status.RUNNING
        item.save(update_fields=["status"])
    try:
        build = builder.plan_pdf if item.format == PlanDocument.Format.PDF else builder.plan_odt
        content = build(item.plan)
    except Exception as error:  # recorded for the planner to see
        item.status, item.error = PlanDocument.Status.FAILED, f"{type(error).__name__}: {error}"
        item.finished_at = timezone.now()
        item.save(update_fields=["status", "error", "finished_at"])
        return item.status
    item.content, item.status = content, PlanDocument.Status.DONE
    item.finished_at = timezone.now()
    item.save(update_fields=["content", "status", "finished_at"])
    return item.status
