"""Documents for people to keep: PDF/A from HTML (WeasyPrint, imported only when needed)."""

from __future__ import annotations

PDF_VARIANT = "pdf/a-3b"


def pdf_a(html: str, *, base_url: str | None = None, css: str | None = None) -> bytes:
    """Lay out ``html`` (with ``css``, if any) as a PDF/A-3b document."""
    from weasyprint import CSS, HTML  # heavy, and needs Pango: only where a PDF is made

    stylesheets = [CSS(string=css)] if css else None
    return bytes(
        HTML(string=html, base_url=base_url).write_pdf(
            stylesheets=stylesheets, pdf_variant=PDF_VARIANT
        )
    )
