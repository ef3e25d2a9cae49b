"""The plan document in Italian: one outline (chapters of blocks), two renderings: PDF/A-3b
(WeasyPrint) and ODT (odfpy). Charts are the SVGs of ``charts.py``."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from tessere.core.documents import pdf_a
from tessere.planning import charts, selectors
from tessere.planning.checks import ZERO, PlanData, totals
from tessere.planning.models import Plan
from tessere.planning.tables import area_summary, fund_summary
from tessere.planning.templatetags.planning_tags import euro, share
from tessere.territory.selectors import district_population


@dataclass
class Block:
    kind: str  # h2, h3, p, table, image, list
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)  # table: first row is the header
    items: list[str] = field(default_factory=list)
    svg: str = ""


@dataclass
class Chapter:
    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Outline:
    plan: Plan
    cover: list[str]
    chapters: list[Chapter]


def _date(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def outline(plan: Plan, data: PlanData | None = None) -> Outline:
    """The document's content (Italian)."""
    with translation.override("it"):
        return _outline(plan, data or selectors.plan_data(plan))


def _outline(plan: Plan, data: PlanData) -> Outline:
    t = totals(data)
    district = plan.district
    cover = [
        _("Piano di Zona %(first)s-%(last)s") % {"first": plan.first_year, "last": plan.last_year},
        plan.title,
        district.name,
        _("Versione %(v)s · %(status)s") % {"v": plan.version, "status": plan.get_status_display()},
    ]
    if plan.act_number:
        cover.append(
            _("Approvato dall'Assemblea dei Sindaci con atto n. %(n)s del %(d)s")
            % {"n": plan.act_number, "d": _date(plan.act_date)}
        )
    if plan.is_example:
        cover.append(_("Dati di esempio, non riferiti a un piano reale."))

    context = Chapter("contesto", _("Analisi del contesto"))
    population = district_population(district)
    if population.year:
        context.blocks.append(
            Block(
                "p",
                _(
                    "L'ambito %(name)s comprende %(n)s comuni con %(total)s residenti al 1° "
                    "gennaio %(year)s (%(m)s maschi, %(f)s femmine). Fonte: ISTAT, dati elaborati "
                    "da Openpolis, CC BY 4.0."
                )
                % {
                    "name": district.name,
                    "n": len(population.rows),
                    "total": f"{population.total:,}".replace(",", "."),
                    "year": population.year,
                    "m": f"{population.males:,}".replace(",", "."),
                    "f": f"{population.females:,}".replace(",", "."),
                },
            )
        )
        context.blocks.append(
            Block(
                "table",
                _("Popolazione residente per comune"),
                rows=[[_("Comune"), _("Maschi"), _("Femmine"), _("Totale")]]
                + [
                    [
                        r.municipality.name,
                        f"{r.males:,}".replace(",", "."),
                        f"{r.females:,}".replace(",", "."),
                        f"{r.total:,}".replace(",", "."),
                    ]
                    for r in population.rows
                ],
            )
        )
    needs = {n.pk: n for o in data.objectives for n in o.needs.all()}
    if needs:
        context.blocks.append(Block("h3", _("Bisogni rilevati dal profilo di comunità")))
        context.blocks.append(Block("list", items=[n.statement for n in needs.values()]))

    participation = participation_chapter(plan, data)

    areas = Chapter("aree", _("Aree di intervento e obiettivi strategici"))
    for area in data.areas:
        objectives = [o for o in data.objectives if o.area_id == area.pk]
        if not objectives:
            continue
        areas.blocks.append(Block("h3", area.name))
        for objective in objectives:
            text = _("Priorità %(p)s. %(title)s") % {
                "p": objective.priority,
                "title": objective.title,
            }
            areas.blocks.append(Block("p", text))
            if objective.rationale:
                areas.blocks.append(Block("p", objective.rationale))
            evidence = [n.statement for n in objective.needs.all()]
            evidence += [_("Indicatore %(code)s") % {"code": c} for c in objective.indicator_codes]
            if evidence:
                areas.blocks.append(Block("list", items=evidence))

    sheets = Chapter("schede", _("Schede intervento"))
    for action in data.actions:
        sheets.blocks.append(Block("h3", f"{action.code} {action.title}"))
        rows = [
            [_("Voce"), _("Contenuto")],
            [_("Obiettivo"), f"{action.objective.title} ({action.objective.area.name})"],
            [_("Tipo"), str(action.get_kind_display())],
            [_("Descrizione"), action.description or "—"],
            [_("Destinatari"), action.target_group or "—"],
            [
                _("Persone raggiunte attese"),
                ", ".join(f"{y}: {n}" for y, n in sorted(action.expected_people.items())) or "—",
            ],
            [_("Ente responsabile"), str(action.responsible or "—")],
            [
                _("Partner"),
                "; ".join(f"{p.organisation.name} ({p.role})" for p in action.partners.all())
                or "—",
            ],
            [_("Servizi"), "; ".join(s.name for s in action.services.all()) or "—"],
            [_("LEPS"), "; ".join(str(le) for le in action.leps.all()) or "—"],
            [_("Periodo"), f"{_date(action.start_date)} – {_date(action.end_date)}"],
            [
                _("Tappe"),
                "; ".join(f"{m['date']}: {m['title']}" for m in action.milestones) or "—",
            ],
            [
                _("Costi"),
                "; ".join(f"{y}: {euro(data.cost(action, y))}" for y in data.years),
            ],
            [
                _("Finanziato"),
                "; ".join(f"{y}: {euro(t.funded.get((action.pk, y), ZERO))}" for y in data.years),
            ],
        ]
        sheets.blocks.append(Block("table", _("Scheda %(code)s") % {"code": action.code}, rows))

    timeline = Chapter("cronoprogramma", _("Cronoprogramma"))
    timeline.blocks.append(
        Block("p", _("Durata di ogni azione nel triennio; i trattini verticali sono le tappe."))
    )
    timeline.blocks.append(
        Block("image", _("Cronoprogramma delle azioni"), svg=charts.timeline(data))
    )

    money = Chapter("finanze", _("Quadro finanziario"))
    years = [str(y) for y in data.years]
    money.blocks.append(Block("h3", _("Per fondo")))
    money.blocks.append(
        Block(
            "table",
            _("Fondi: importi disponibili e assegnati"),
            rows=[[_("Fondo"), *years, _("Totale"), _("Assegnato")]]
            + [
                [
                    f"{row['fund'].code} – {row['fund'].name}",
                    *[euro(a) for _y, a, _u in row["years"]],
                    euro(row["amount"]),
                    euro(row["allocated"]),
                ]
                for row in fund_summary(data, t)
            ],
        )
    )
    rules = []
    for fund in data.funds:
        if not fund.any_area:
            rules.append(
                _("%(fund)s finanzia solo: %(areas)s.")
                % {"fund": fund.code, "areas": ", ".join(a.name for a in fund.eligible_areas.all())}
            )
        for s in fund.shares.all():
            if s.min_share is not None:
                rules.append(
                    _("%(fund)s: almeno il %(share)s per %(area)s.")
                    % {"fund": fund.code, "share": share(s.min_share), "area": s.area.name}
                )
            if s.max_share is not None:
                rules.append(
                    _("%(fund)s: al massimo il %(share)s per %(area)s.")
                    % {"fund": fund.code, "share": share(s.max_share), "area": s.area.name}
                )
        for action in fund.mandatory_actions.all():
            rules.append(
                _("%(fund)s: azione obbligatoria %(code)s.")
                % {"fund": fund.code, "code": action.code}
            )
    if rules:
        money.blocks.append(Block("p", _("Regole di utilizzo dei fondi:")))
        money.blocks.append(Block("list", items=rules))
    money.blocks.append(Block("h3", _("Per area di intervento")))
    money.blocks.append(
        Block(
            "table",
            _("Assegnato per area e anno"),
            rows=[[_("Area"), *years, _("Totale")]]
            + [
                [row["area"].name, *[euro(v) for _y, v in row["years"]], euro(row["total"])]
                for row in area_summary(data, t)
            ],
        )
    )
    money.blocks.append(
        Block("image", _("Finanziamenti per area e fondo"), svg=charts.funding_by_area(data, t))
    )
    money.blocks.append(Block("h3", _("Per anno")))
    money.blocks.append(
        Block(
            "table",
            _("Costi, finanziamenti e scoperto per anno"),
            rows=[[_("Anno"), _("Costo delle azioni"), _("Finanziato"), _("Non finanziato")]]
            + [
                [
                    str(y),
                    euro(t.cost_by_year.get(y, ZERO)),
                    euro(t.by_year.get(y, ZERO)),
                    euro(t.cost_by_year.get(y, ZERO) - t.by_year.get(y, ZERO)),
                ]
                for y in data.years
            ],
        )
    )
    money.blocks.append(
        Block("image", _("Costi e finanziamenti per anno"), svg=charts.funding_by_year(data, t))
    )

    resources = Chapter("risorse", _("Risorse non finanziarie"))
    if data.resources:
        resources.blocks.append(
            Block(
                "table",
                _("Personale, volontari e strutture"),
                rows=[[_("Tipo"), _("Descrizione"), _("Profilo"), _("Ente"), _("FTE"), _("Numero")]]
                + [
                    [
                        str(r.get_kind_display()),
                        r.description,
                        r.profession,
                        str(r.organisation or ""),
                        str(r.fte or "").replace(".", ","),
                        str(r.count or ""),
                    ]
                    for r in data.resources
                ],
            )
        )
    else:
        resources.blocks.append(Block("p", _("Il piano non registra risorse non finanziarie.")))

    governance = Chapter("governance", _("Governance"))
    governance.blocks.append(
        Block(
            "p",
            _(
                "L'Ufficio di Piano dell'ambito %(name)s redige il piano, ne cura la ripartizione "
                "dei fondi e il monitoraggio. L'Assemblea dei Sindaci approva il piano e i suoi "
                "aggiornamenti annuali."
            )
            % {"name": district.name},
        )
    )
    if plan.act_number:
        governance.blocks.append(
            Block(
                "p",
                _("Atto di approvazione: n. %(n)s del %(d)s.")
                % {"n": plan.act_number, "d": _date(plan.act_date)},
            )
        )
    bodies: dict[str, set[str]] = {}
    for action in data.actions:
        if action.responsible:
            bodies.setdefault(action.responsible.name, set()).add(_("responsabile"))
        for partner in action.partners.all():
            bodies.setdefault(partner.organisation.name, set()).add(partner.role)
    if bodies:
        governance.blocks.append(Block("p", _("Enti coinvolti nelle azioni e loro ruoli:")))
        governance.blocks.append(
            Block(
                "list",
                items=[
                    f"{name}: {', '.join(sorted(roles))}" for name, roles in sorted(bodies.items())
                ],
            )
        )

    monitoring = Chapter("monitoraggio", _("Piano di monitoraggio"))
    monitoring.blocks.append(
        Block(
            "p",
            _(
                "Per ogni azione si verificano ogni anno le persone raggiunte rispetto all'atteso, "
                "il rispetto delle tappe e la spesa rispetto al finanziato; per i LEPS, il "
                "raggiungimento dei loro obiettivi."
            ),
        )
    )
    monitoring.blocks.append(
        Block(
            "table",
            _("Indicatori di risultato per azione"),
            rows=[[_("Azione"), _("Persone attese"), _("Tappe"), _("LEPS e obiettivo")]]
            + [
                [
                    f"{a.code} {a.title}",
                    ", ".join(f"{y}: {n}" for y, n in sorted(a.expected_people.items())) or "—",
                    "; ".join(f"{m['date']} {m['title']}" for m in a.milestones) or "—",
                    "; ".join(f"{le.name}: {le.target}" for le in a.leps.all()) or "—",
                ]
                for a in data.actions
            ],
        )
    )
    monitoring.blocks.extend(_leps_blocks(data, population.total))
    chapters = [
        context,
        participation,
        areas,
        sheets,
        timeline,
        money,
        resources,
        governance,
        monitoring,
    ]
    return Outline(plan=plan, cover=cover, chapters=chapters)


def participation_chapter(plan: Plan, data: PlanData) -> Chapter:
    """The participation process: the district's tables of the plan's cycle, meetings held,
    contributions by status and, for each action, the contributions it comes from."""
    from tessere.participation.models import Contribution

    chapter = Chapter("partecipazione", _("Il percorso partecipativo"))
    summary = selectors.participation_summary(plan)
    statuses = list(Contribution.Status)
    if not summary.tables:
        chapter.blocks.append(
            Block(
                "p",
                _(
                    "Per il ciclo %(first)s-%(last)s l'ambito non registra tavoli di "
                    "coprogettazione."
                )
                % {"first": plan.first_year, "last": plan.last_year},
            )
        )
    else:
        chapter.blocks.append(
            Block(
                "p",
                _(
                    "Il piano è stato costruito con %(tables)s tavoli di coprogettazione, che "
                    "hanno tenuto %(meetings)s incontri e ricevuto %(contributions)s contributi."
                )
                % {
                    "tables": len(summary.tables),
                    "meetings": summary.meetings_held,
                    "contributions": summary.contributions,
                },
            )
        )
        chapter.blocks.append(
            Block(
                "table",
                _("Tavoli, incontri svolti e contributi per stato"),
                rows=[
                    [
                        _("Tavolo"),
                        _("Tipo"),
                        _("Incontri svolti"),
                        _("Contributi"),
                        *[str(s.label) for s in statuses],
                    ]
                ]
                + [
                    [
                        row.table.title,
                        str(row.table.get_kind_display()),
                        str(row.meetings_held),
                        str(row.contributions),
                        *[str(row.by_status.get(s.value, 0)) for s in statuses],
                    ]
                    for row in summary.tables
                ]
                + [
                    [
                        _("Totale"),
                        "",
                        str(summary.meetings_held),
                        str(summary.contributions),
                        *[str(summary.by_status.get(s.value, 0)) for s in statuses],
                    ]
                ],
            )
        )
    linked = [a for a in data.actions if a.origin_contributions.all()]
    chapter.blocks.append(Block("h3", _("Dai contributi alle azioni")))
    if linked:
        rows = [[_("Azione"), _("Contributi da cui nasce")]]
        for action in linked:
            rows.append(
                [
                    f"{action.code} {action.title}",
                    "; ".join(
                        f"{c.title} ({c.table.title}, {c.get_status_display()})"
                        for c in action.origin_contributions.all()
                    ),
                ]
            )
        chapter.blocks.append(Block("table", _("Azioni e contributi dei tavoli"), rows))
    else:
        chapter.blocks.append(
            Block("p", _("Nessuna azione del piano è ancora collegata ai contributi dei tavoli."))
        )
    return chapter


def _leps_blocks(data: PlanData, population: int) -> list[Block]:
    """The LEPS the actions serve, with their targets; where a LEPS sets a ratio to the
    population (social workers), the staff it requires against the staff of the plan."""
    served: dict[int, tuple[Any, list[str]]] = {}
    for action in data.actions:
        for leps in action.leps.all():
            served.setdefault(leps.pk, (leps, []))[1].append(action.code)
    if not served:
        return []
    rows = [[_("LEPS"), _("Obiettivo"), _("Azioni")]]
    ratios = []
    for leps, codes in sorted(
        served.values(), key=lambda item: (item[0].plan_period, item[0].code)
    ):
        rows.append([f"{leps.name} ({leps.plan_period})", leps.target, ", ".join(codes)])
        if leps.population_per_unit and population:
            ratios.append(leps)
    blocks = [Block("h3", _("Livelli essenziali (LEPS)")), Block("table", _("LEPS serviti"), rows)]
    staff = sum(
        (r.fte or ZERO for r in data.resources if "assistent" in r.profession.lower()), ZERO
    )
    for leps in ratios[:1]:
        required = Decimal(population) / Decimal(leps.population_per_unit)
        blocks.append(
            Block(
                "p",
                _(
                    "%(name)s: con %(population)s abitanti servono %(required)s assistenti "
                    "sociali a tempo pieno (uno ogni %(ratio)s); il piano ne indica %(staff)s."
                )
                % {
                    "name": leps.name,
                    "population": f"{population:,}".replace(",", "."),
                    "required": f"{required:.1f}".replace(".", ","),
                    "ratio": f"{leps.population_per_unit:,}".replace(",", "."),
                    "staff": f"{staff:.1f}".replace(".", ","),
                },
            )
        )
    return blocks


# --------------------------------------------------------------------------- PDF/A


CSS = """
@page { size: A4; margin: 2cm 1.8cm; @bottom-center { content: counter(page); font-size: 9pt; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.4; color: #1a1a1a; }
.cover { page-break-after: always; padding-top: 6cm; }
.cover h1 { font-size: 26pt; color: #0066cc; margin-bottom: 0.5cm; }
.cover p { font-size: 13pt; margin: 0.2cm 0; }
.contents { page-break-after: always; }
.contents a { color: #1a1a1a; text-decoration: none; }
.contents a::after { content: leader('.') target-counter(attr(href), page); }
h2 { page-break-before: always; color: #0066cc; font-size: 17pt; }
h3 { font-size: 12pt; margin-top: 0.6cm; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 0.3cm 0; page-break-inside: auto; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.1cm; }
th, td { border: 0.5pt solid #999; padding: 2pt 4pt; vertical-align: top; font-size: 9pt; }
thead th { background: #e6eef7; }
img { max-width: 100%; }
"""


def outline_html(doc: Outline) -> str:
    """The outline as the HTML that WeasyPrint turns into the PDF/A (also the monitoring
    report's)."""
    parts = [
        '<!DOCTYPE html><html lang="it"><head><meta charset="utf-8">',
        f"<title>{escape(doc.cover[0])} · {escape(doc.plan.district.name)}</title>",
        f"<style>{CSS}</style></head><body>",
        '<section class="cover">',
        f"<h1>{escape(doc.cover[0])}</h1>",
        *[f"<p>{escape(line)}</p>" for line in doc.cover[1:]],
        "</section>",
        f'<nav class="contents"><h1>{escape(_("Indice"))}</h1><ol>',
        *[f'<li><a href="#{c.key}">{escape(c.title)}</a></li>' for c in doc.chapters],
        "</ol></nav>",
    ]
    for chapter in doc.chapters:
        parts.append(f'<h2 id="{chapter.key}">{escape(chapter.title)}</h2>')
        for block in chapter.blocks:
            parts.append(_html_block(block))
    parts.append("</body></html>")
    return "".join(parts)


def _html_block(block: Block) -> str:
    if block.kind == "h3":
        return f"<h3>{escape(block.text)}</h3>"
    if block.kind == "p":
        return f"<p>{escape(block.text)}</p>"
    if block.kind == "list":
        return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in block.items) + "</ul>"
    if block.kind == "image":
        data = base64.b64encode(block.svg.encode("utf-8")).decode("ascii")
        return f'<p><img src="data:image/svg+xml;base64,{data}" alt="{escape(block.text)}"></p>'
    header, *rows = block.rows
    return (
        f"<table><caption>{escape(block.text)}</caption><thead><tr>"
        + "".join(f"<th>{escape(h)}</th>" for h in header)
        + "</tr></thead><tbody>"
        + "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
        + "</tbody></table>"
    )


def plan_pdf(plan: Plan, data: PlanData | None = None) -> bytes:
    """The document as PDF/A-3b."""
    doc = outline(plan, data)
    with translation.override("it"):
        html = outline_html(doc)
    return pdf_a(html)


# --------------------------------------------------------------------------- ODT


def plan_odt(plan: Plan, data: PlanData | None = None) -> bytes:
    """The document as an OpenDocument text (ODT)."""
    from odf import draw, style, table, text
    from odf.opendocument import OpenDocumentText

    doc = outline(plan, data)
    odt = OpenDocumentText()
    styles = odt.styles
    for level, size in ((1, "20pt"), (2, "16pt"), (3, "12pt")):
        heading_style = style.Style(name=f"Heading {level}", family="paragraph")
        heading_style.addElement(
            style.TextProperties(fontsize=size, fontweight="bold", color="#0066cc")
        )
        if level == 2:
            heading_style.addElement(style.ParagraphProperties(breakbefore="page"))
        styles.addElement(heading_style)
    cell_style = style.Style(name="Cell", family="table-cell")
    cell_style.addElement(style.TableCellProperties(border="0.5pt solid #999999", padding="0.05cm"))
    odt.automaticstyles.addElement(cell_style)

    def heading(level: int, value: str) -> None:
        odt.text.addElement(text.H(outlinelevel=level, stylename=f"Heading {level}", text=value))

    heading(1, doc.cover[0])
    for line in doc.cover[1:]:
        odt.text.addElement(text.P(text=line))
    heading(2, _("Indice"))
    contents = text.List()
    for chapter in doc.chapters:
        item = text.ListItem()
        item.addElement(text.P(text=chapter.title))
        contents.addElement(item)
    odt.text.addElement(contents)
    for number, chapter in enumerate(doc.chapters):
        heading(2, chapter.title)
        for index, block in enumerate(chapter.blocks):
            odt_block(odt, block, f"{number}-{index}", cell_style, draw, table, text)
    buffer = io.BytesIO()
    odt.write(buffer)
    return buffer.getvalue()


def _aspect(svg_text: str) -> float:
    """Height / width of an SVG from its width and height attributes (pt)."""
    import re

    found = re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', svg_text)
    if not found:
        return 0.6
    return float(found.group(2)) / float(found.group(1))


def odt_block(
    odt: Any, block: Block, key: str, cell_style: Any, draw: Any, table: Any, text: Any
) -> None:
    """One block of an outline (heading, paragraph, list, table or figure) into the ODT
    document (also the monitoring report's)."""
    if block.kind == "h3":
        odt.text.addElement(text.H(outlinelevel=3, stylename="Heading 3", text=block.text))
    elif block.kind == "p":
        odt.text.addElement(text.P(text=block.text))
    elif block.kind == "list":
        items = text.List()
        for value in block.items:
            item = text.ListItem()
            item.addElement(text.P(text=value))
            items.addElement(item)
        odt.text.addElement(items)
    elif block.kind == "image":
        from odf import svg

        href = odt.addPictureFromString(block.svg.encode("utf-8"), "image/svg+xml")
        height = 16 * _aspect(block.svg)
        frame = draw.Frame(
            width="16cm", height=f"{height:.2f}cm", anchortype="as-char", name=f"chart-{key}"
        )
        frame.addElement(draw.Image(href=href))
        frame.addElement(svg.Title(text=block.text))
        paragraph = text.P()
        paragraph.addElement(frame)
        odt.text.addElement(paragraph)
    else:
        odt.text.addElement(text.P(text=block.text))
        header, *rows = block.rows
        grid = table.Table(name=f"Tabella {key}")
        grid.addElement(table.TableColumn(numbercolumnsrepeated=len(header)))
        head = table.TableHeaderRows()
        head_row = table.TableRow()
        for value in header:
            cell = table.TableCell(stylename=cell_style, valuetype="string")
            cell.addElement(text.P(text=value))
            head_row.addElement(cell)
        head.addElement(head_row)
        grid.addElement(head)
        for row in rows:
            line = table.TableRow()
            for value in row:
                cell = table.TableCell(stylename=cell_style, valuetype="string")
                cell.addElement(text.P(text=value))
                line.addElement(cell)
            grid.addElement(line)
        odt.text.addElement(grid)
