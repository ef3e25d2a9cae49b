"""The one-page PDF of a service (WeasyPrint, PDF/A-3b)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from tessere.core.documents import PDF_VARIANT


def service_document(request: HttpRequest, context: dict[str, Any]) -> Any:
    """The laid-out document (its ``pages`` can be counted)."""
    from weasyprint import HTML

    html = render_to_string("directory/service_pdf.html", context, request=request)
    return HTML(string=html, base_url=request.build_absolute_uri("/")).render()


def service_pdf(request: HttpRequest, context: dict[str, Any]) -> bytes:
    document = service_document(request, context)
    return bytes(document.write_pdf(pdf_variant=PDF_VARIANT))
