"""Exports of a profile: CSV of every indicator, and the chapter "Analisi del contesto"
as PDF/A (WeasyPrint) and ODT (odfpy), with the same charts as the pages."""

from __future__ import annotations

import base64
import csv
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from tessere.core.documents import pdf_a
from tessere.profile.indicators import ISTAT_SOURCE
from tessere.profile.templatetags.profile_tags import format_value

if TYPE_CHECKING:
    from tessere.profile.models import Need
    from tessere.profile.selectors import Profile

CHAPTER_MAP_INDICATOR = "quota_65"


class DocumentUnavailable(Exception):
    """The PDF library cannot run here (WeasyPrint needs Pango)."""


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return (
        f"{value:.6g}" if isinstance(value, float) and not value.is_integer() else str(int(value))
    )


def profile_csv(profile: Profile) -> str:
    """Long format: one line per territory and indicator (the territory, its municipalities,
    the region and Italy), with code, name, unit, year and value (dot as decimal mark)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["territorio", "tipo", "codice_territorio", "indicatore", "nome", "unita", "anno", "valore"]
    )
    territory = profile.territory
    for row in profile.rows:
        writer.writerow(
            [
                territory.name,
                territory.kind,
                territory.code,
                row.indicator.code,
                str(row.indicator.name),
                str(row.indicator.unit),
                row.year or profile.year,
                _number(row.value),
            ]
        )
    for part in profile.parts:
        for indicator in profile.indicators:
            writer.writerow(
                [
                    part.municipality.name,
                    "municipality",
                    part.municipality.code,
                    indicator.code,
                    str(indicator.name),
                    str(indicator.unit),
                    profile.year,
                    _number(part.values.get(indicator.code)),
                ]
            )
    for label, kind, code, attr in (
        (
            profile.region_name,
            "region",
            territory.region.code if territory.region else "",
            "region",
        ),
        (_("Italia"), "italy", "it", "italy"),
    ):
        if not label or territory.kind in (kind,):
            continue
        for row in profile.rows:
            if row.indicator.imported:
                continue
            writer.writerow(
                [
                    label,
                    kind,
                    code,
                    row.indicator.code,
                    str(row.indicator.name),
                    str(row.indicator.unit),
                    profile.year,
                    _number(getattr(row, attr)),
                ]
            )
    return out.getvalue()


def _charts(profile: Profile, fmt: str) -> dict[str, bytes]:
    from tessere.profile import charts, views

    images = {"pyramid": _pyramid(profile, fmt)}
    indicator = profile.indicator(CHAPTER_MAP_INDICATOR)
    if profile.parts and indicator is not None:
        images["map"] = views.map_image(profile, indicator, fmt=fmt)
    if indicator is not None and len(profile.years) > 1:
        images["trend"] = charts.trend(
            views.trend_series(profile, indicator),
            title=trend_title(profile, indicator),
            unit=str(indicator.unit),
            fmt=fmt,
        )
    return images


def trend_title(profile: Profile, indicator: Any) -> str:
    return _("%(indicator)s: andamento, %(name)s") % {
        "indicator": indicator.name,
        "name": profile.territory.name,
    }


def _pyramid(profile: Profile, fmt: str) -> bytes:
    from tessere.profile import charts, views

    return charts.pyramid(
        views.pyramid_groups(profile), title=views.pyramid_title(profile), fmt=fmt
    )


def _chapter_context(profile: Profile, needs: Sequence[Need]) -> dict[str, Any]:
    from tessere.profile import views

    indicator = profile.indicator(CHAPTER_MAP_INDICATOR)
    return {
        "profile": profile,
        "territory": profile.territory,
        "needs": needs,
        "credit": ISTAT_SOURCE,
        "map_indicator": indicator,
        "map_title": views.map_title(profile, indicator) if indicator else "",
        "pyramid_title": views.pyramid_title(profile),
        "pyramid_groups": views.pyramid_groups(profile),
        "map_rows": views._map_rows(profile, indicator) if indicator else [],
        "trend_rows": views._trend_rows(profile),
        "leps_sentence": leps_sentence(profile.leps) if profile.leps else "",
        "trend_title": trend_title(profile, indicator) if indicator else "",
    }


def chapter_pdf(profile: Profile, *, needs: Sequence[Need] = ()) -> bytes:
    """The chapter as PDF/A-3b, in Italian."""
    try:
        import weasyprint  # noqa: F401 - fail early, with a clear message, without Pango
    except OSError as exc:  # pragma: no cover - depends on the system's Pango
        raise DocumentUnavailable(
            _("Il PDF non può essere generato su questo server: %(error)s") % {"error": exc}
        ) from exc
    with translation.override("it"):
        context = _chapter_context(profile, needs)
        images = _charts(profile, "svg")
        context["images"] = {
            name: "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii")
            for name, data in images.items()
        }
        html = render_to_string("profile/chapter.html", context)
    return pdf_a(html, css=render_to_string("profile/chapter.css"))


def chapter_odt(profile: Profile, *, needs: Sequence[Need] = ()) -> bytes:
    """The chapter as an OpenDocument text, in Italian, with PNG charts."""
    from odf.draw import Frame, Image
    from odf.opendocument import OpenDocumentText
    from odf.style import (
        GraphicProperties,
        ParagraphProperties,
        Style,
        TableColumnProperties,
        TextProperties,
    )
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, List, ListItem, P

    with translation.override("it"):
        context = _chapter_context(profile, needs)
        images = _charts(profile, "png")
        document = OpenDocumentText()
        styles = document.styles
        heading1 = Style(name="Heading 1", family="paragraph")
        heading1.addElement(TextProperties(fontsize="18pt", fontweight="bold"))
        heading2 = Style(name="Heading 2", family="paragraph")
        heading2.addElement(TextProperties(fontsize="14pt", fontweight="bold"))
        heading2.addElement(ParagraphProperties(margintop="0.4cm", marginbottom="0.2cm"))
        small = Style(name="Credit", family="paragraph")
        small.addElement(TextProperties(fontsize="8pt"))
        for style in (heading1, heading2, small):
            styles.addElement(style)
        frame_style = Style(name="ChartFrame", family="graphic")
        frame_style.addElement(GraphicProperties(anchortype="paragraph"))
        document.automaticstyles.addElement(frame_style)
        column = Style(name="Col", family="table-column")
        column.addElement(TableColumnProperties(columnwidth="3.5cm"))
        document.automaticstyles.addElement(column)
        body = document.text

        def paragraph(text: str, style: Style | None = None) -> None:
            body.addElement(P(text=text, stylename=style) if style else P(text=text))

        def table(header: list[str], rows: list[list[str]], name: str) -> None:
            t = Table(name=name)
            for _i in header:
                t.addElement(TableColumn(stylename=column))
            for values in [header, *rows]:
                tr = TableRow()
                for value in values:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text=value))
                    tr.addElement(cell)
                t.addElement(tr)
            body.addElement(t)

        def image(name: str, data: bytes, title: str) -> None:
            href = document.addPicture(f"Pictures/{name}.png", "image/png", data)
            frame = Frame(
                stylename=frame_style, width="16cm", height="12cm", anchortype="paragraph"
            )
            frame.addElement(Image(href=href))
            p = P()
            p.addElement(frame)
            body.addElement(p)
            paragraph(title, small)

        territory = profile.territory
        body.addElement(H(outlinelevel=1, text=_("Analisi del contesto"), stylename=heading1))
        paragraph(
            _("%(name)s: profilo di comunità al 1° gennaio %(year)s.")
            % {"name": territory.name, "year": profile.year}
        )
        body.addElement(H(outlinelevel=2, text=_("Indicatori principali"), stylename=heading2))
        region = profile.region_name or _("Regione")
        table(
            [_("Indicatore"), territory.name, region, _("Italia")],
            [
                [
                    str(row.indicator.name),
                    format_value(row.value, row.indicator),
                    format_value(row.region, row.indicator),
                    format_value(row.italy, row.indicator),
                ]
                for row in profile.rows
            ],
            "Indicatori",
        )
        body.addElement(H(outlinelevel=2, text=_("Struttura per età"), stylename=heading2))
        image("piramide", images["pyramid"], context["pyramid_title"])
        table(
            [_("Età"), _("Maschi"), _("Femmine")],
            [
                [
                    label,
                    format_value(m, None, unit=False)[:-2],
                    format_value(f, None, unit=False)[:-2],
                ]
                for label, m, f in context["pyramid_groups"]
            ],
            "Piramide",
        )
        if "map" in images:
            body.addElement(H(outlinelevel=2, text=_("I comuni"), stylename=heading2))
            image("mappa", images["map"], context["map_title"])
            indicator = context["map_indicator"]
            table(
                [_("Comune"), str(indicator.name), _("Posizione")],
                [
                    [r["name"], format_value(r["value"], indicator), str(r["rank"] or "")]
                    for r in context["map_rows"]
                ],
                "Comuni",
            )
        if "trend" in images:
            body.addElement(
                H(outlinelevel=2, text=_("Andamento negli anni caricati"), stylename=heading2)
            )
            image("andamento", images["trend"], context["trend_title"])
            table(
                [_("Indicatore"), *(str(y) for y in profile.years), _("Variazione")],
                [
                    [
                        str(row["indicator"].name),
                        *(format_value(v, row["indicator"]) for v in row["values"]),
                        format_value(row["change"], row["indicator"]),
                    ]
                    for row in context["trend_rows"]
                ],
                "Andamento",
            )
        if profile.leps is not None:
            leps = profile.leps
            body.addElement(
                H(outlinelevel=2, text=_("Assistenti sociali e LEPS"), stylename=heading2)
            )
            paragraph(leps_sentence(leps))
        if needs:
            body.addElement(H(outlinelevel=2, text=_("Bisogni rilevati"), stylename=heading2))
            items = List()
            for need in needs:
                item = ListItem()
                item.addElement(P(text=f"{need.get_area_display()}: {need.statement}"))
                items.addElement(item)
            body.addElement(items)
        paragraph(_("Fonte: %(credit)s.") % {"credit": ISTAT_SOURCE}, small)
        buffer = io.BytesIO()
        document.write(buffer)
    return buffer.getvalue()


def leps_sentence(leps: Any) -> str:
    return _(
        "%(workers)s assistenti sociali per %(population)s residenti: %(ratio)s ogni 5.000 "
        "abitanti. Livello essenziale (1 ogni 5.000): ne servono %(need5)s, ne mancano "
        "%(miss5)s. Obiettivo di servizio (1 ogni 4.000): ne servono %(need4)s, ne mancano "
        "%(miss4)s."
    ) % {
        "workers": format_value(leps.workers, None),
        "population": format_value(leps.population, None, decimals=0),
        "ratio": format_value(leps.per_5000, None),
        "need5": leps.needed_essential,
        "miss5": format_value(leps.missing_essential, None),
        "need4": leps.needed_objective,
        "miss4": format_value(leps.missing_objective, None),
    }
