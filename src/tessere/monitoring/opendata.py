"""Open data of the plan in force: the plan's actions with their progress, the budget by fund
and year, the indicators with their measurements (CSV and JSON), and a DCAT-AP_IT catalogue
(Turtle and JSON-LD) describing them, licence CC BY 4.0.

Published values that count people pass the disclosure control (``automatic.public_value``).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tessere.monitoring import automatic, selectors
from tessere.monitoring.models import ActionIndicator, Measurement
from tessere.planning import selectors as plan_selectors
from tessere.planning.models import Plan

LICENCE = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_NAME = "Creative Commons Attribuzione 4.0 Internazionale (CC BY 4.0)"

DATASETS = {
    "piano": (
        "Azioni del piano di zona e loro avanzamento",
        "Aree, obiettivi e azioni del piano di zona in vigore con costo previsto, stato e "
        "percentuale di avanzamento.",
    ),
    "bilancio": (
        "Bilancio del piano di zona per fondo e anno",
        "Importi assegnati alle azioni e spesi, per fondo di finanziamento e anno.",
    ),
    "indicatori": (
        "Indicatori del piano di zona",
        "Indicatori delle azioni con valore di partenza, obiettivi annuali e misurazioni.",
    ),
    "guida": (
        "Guida ai servizi sociali dell'ambito",
        "Servizi e progetti pubblicati nella guida ai servizi: ente, descrizione, aree di "
        "utenza, voce del Nomenclatore CISIS, costo, contatti, comuni serviti e data "
        "dell'ultima verifica.",
    ),
}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return value


def plan_rows(plan: Plan) -> list[dict[str, Any]]:
    data = plan_selectors.plan_data(plan)
    result = selectors.rollup(plan, data.actions)
    rows = []
    for action in data.actions:
        progress = result.actions[action.pk]
        rows.append(
            {
                "area": action.objective.area.code,
                "area_nome": action.objective.area.name,
                "obiettivo": action.objective.title,
                "azione": action.code,
                "azione_titolo": action.title,
                "costo_previsto": progress.budget,
                "stato": progress.status,
                "avanzamento_percentuale": progress.percent,
            }
        )
    return rows


def budget_rows(plan: Plan) -> list[dict[str, Any]]:
    return [
        {
            "fondo": r["fund"].code,
            "fondo_nome": r["fund"].name,
            "anno": r["year"],
            "assegnato": r["allocated"],
            "speso": r["spent"],
        }
        for r in automatic.spending_by_fund(plan)
    ]


def indicator_rows(plan: Plan) -> list[dict[str, Any]]:
    indicators = {
        i.pk: i
        for i in ActionIndicator.objects.filter(action__plan=plan, district=plan.district)
        .select_related("action")
        .order_by("pk")
    }
    rows = []
    for m in Measurement.objects.filter(indicator__in=list(indicators)).order_by(
        "indicator", "date"
    ):
        indicator = indicators[m.indicator_id]
        rows.append(
            {
                "azione": indicator.action.code,
                "indicatore_id": indicator.pk,
                "indicatore": indicator.name,
                "tipo": indicator.kind,
                "unita": indicator.unit,
                "valore_partenza": indicator.baseline,
                "data": m.date.isoformat(),
                "valore": automatic.public_value(indicator, m.value),
                "obiettivo_anno": indicator.target_for(m.date.year),
            }
        )
    return rows


def _split(joined: str) -> str:
    """``|a|b|`` (how the directory stores lists) as ``a;b``."""
    return ";".join(part for part in joined.split("|") if part)


def directory_rows(plan: Plan) -> list[dict[str, Any]]:
    """The services of the district's guide that are published (never drafts or closed
    ones): one query."""
    from tessere.directory.selectors import public_services

    services = (
        public_services(plan.district)
        .order_by("name", "id")
        .values(
            "id",
            "name",
            "organisation__name",
            "status",
            "description",
            "areas",
            "nomenclature__code",
            "cost_kind",
            "cost_amount",
            "start_date",
            "end_date",
            "email",
            "phone",
            "url",
            "municipality_codes",
            "verified_at",
        )
    )
    return [
        {
            "servizio_id": str(s["id"]),
            "nome": s["name"],
            "ente": s["organisation__name"],
            "stato": s["status"],
            "descrizione": s["description"],
            "aree": _split(s["areas"]),
            "nomenclatore_cisis": s["nomenclature__code"] or "",
            "costo": s["cost_kind"],
            "importo": s["cost_amount"],
            "inizio": s["start_date"].isoformat() if s["start_date"] else None,
            "fine": s["end_date"].isoformat() if s["end_date"] else None,
            "email": s["email"],
            "telefono": s["phone"],
            "pagina_web": s["url"],
            "comuni_istat": _split(s["municipality_codes"]),
            "verificato_il": s["verified_at"].date().isoformat() if s["verified_at"] else None,
        }
        for s in services
    ]


ROWS = {
    "piano": plan_rows,
    "bilancio": budget_rows,
    "indicatori": indicator_rows,
    "guida": directory_rows,
}


def to_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if v is None else _plain(v) for k, v in row.items()})
    return buffer.getvalue()


def to_json(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in row.items()} for row in rows]


def catalogue(plan: Plan, base: str, fmt: str) -> str:
    """The DCAT-AP_IT catalogue of the district's monitoring data, as ``turtle`` or
    ``json-ld``. ``base`` is the absolute URL of ``/monitoraggio/<code>/dati/``."""
    from rdflib import RDF, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCAT, DCTERMS, FOAF, XSD

    dcatapit = Namespace("http://dati.gov.it/onto/dcatapit#")
    themes = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
    freq = Namespace("http://publications.europa.eu/resource/authority/frequency/")
    formats = Namespace("http://publications.europa.eu/resource/authority/file-type/")
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)
    graph.bind("dcatapit", dcatapit)
    district = plan.district
    modified = Literal(timezone.localdate().isoformat(), datatype=XSD.date)
    publisher = URIRef(base + "#ente")
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, RDF.type, dcatapit.Agent))
    graph.add((publisher, FOAF.name, Literal(district.name, lang="it")))
    graph.add((publisher, DCTERMS.identifier, Literal(f"tessere:{district.code}")))
    licence = URIRef(LICENCE)
    graph.add((licence, RDF.type, DCTERMS.LicenseDocument))
    graph.add((licence, RDF.type, dcatapit.LicenseDocument))
    graph.add((licence, FOAF.name, Literal(LICENCE_NAME, lang="it")))
    cat = URIRef(base + "catalogo")
    graph.add((cat, RDF.type, DCAT.Catalog))
    graph.add((cat, RDF.type, dcatapit.Catalog))
    graph.add(
        (cat, DCTERMS.title, Literal(f"Monitoraggio del piano di zona: {district.name}", lang="it"))
    )
    graph.add(
        (
            cat,
            DCTERMS.description,
            Literal(
                f"Dati aperti del piano di zona «{plan.title}» ({plan.first_year}-"
                f"{plan.last_year}): azioni, bilancio e indicatori; guida ai servizi.",
                lang="it",
            ),
        )
    )
    graph.add((cat, DCTERMS.publisher, publisher))
    graph.add((cat, DCTERMS.modified, modified))
    graph.add(
        (
            cat,
            DCTERMS.language,
            URIRef("http://publications.europa.eu/resource/authority/language/ITA"),
        )
    )
    graph.add((cat, FOAF.homepage, URIRef(base.rsplit("dati/", 1)[0])))
    for slug, (title, description) in DATASETS.items():
        dataset = URIRef(base + slug)
        graph.add((cat, DCAT.dataset, dataset))
        graph.add((dataset, RDF.type, DCAT.Dataset))
        graph.add((dataset, RDF.type, dcatapit.Dataset))
        graph.add((dataset, DCTERMS.identifier, Literal(f"{district.code}:{plan.pk}:{slug}")))
        graph.add((dataset, DCTERMS.title, Literal(title, lang="it")))
        graph.add((dataset, DCTERMS.description, Literal(description, lang="it")))
        graph.add((dataset, DCTERMS.modified, modified))
        graph.add((dataset, DCTERMS.publisher, publisher))
        graph.add((dataset, DCTERMS.rightsHolder, publisher))
        graph.add((dataset, DCAT.theme, themes.SOCI))
        graph.add((dataset, DCAT.theme, themes.GOVE))
        graph.add((dataset, DCTERMS.accrualPeriodicity, freq.QUARTERLY))
        graph.add((dataset, DCAT.keyword, Literal("piano di zona", lang="it")))
        for extension, media in (("csv", "CSV"), ("json", "JSON")):
            distribution = URIRef(f"{base}{slug}.{extension}")
            graph.add((dataset, DCAT.distribution, distribution))
            graph.add((distribution, RDF.type, DCAT.Distribution))
            graph.add((distribution, RDF.type, dcatapit.Distribution))
            graph.add((distribution, DCAT.accessURL, distribution))
            graph.add((distribution, DCAT.downloadURL, distribution))
            graph.add((distribution, DCTERMS.format, formats[media]))
            graph.add((distribution, DCTERMS.license, licence))
            graph.add((distribution, DCTERMS.title, Literal(f"{title} ({media})", lang="it")))
    return graph.serialize(format=fmt)
