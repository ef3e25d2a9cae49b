"""Open data: CSV and JSON, and the DCAT-AP_IT catalogue parsed with rdflib."""

from __future__ import annotations

import csv
import io

from rdflib import Graph, URIRef
from rdflib import namespace as ns

from tessere.monitoring import services
from tessere.monitoring.models import ActionIndicator

CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")


def test_csv_and_json(as_user, built, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TESSERE_DISCLOSURE_THRESHOLD = 5
    client = as_user("anonymous")
    base = f"/monitoraggio/{built.plan.district.code}/dati/"
    rows = list(csv.DictReader(io.StringIO(client.get(base + "piano.csv").content.decode())))
    assert [r["azione"] for r in rows] == ["A001", "A002", "A003", "A004"]
    assert rows[1]["costo_previsto"] == "900.00"
    budget = client.get(base + "bilancio.json").json()
    assert budget[0] == {
        "fondo": "FNPS",
        "fondo_nome": "Fondo nazionale politiche sociali",
        "anno": 2025,
        "assegnato": "1000.00",
        "speso": None,
    }
    people = services.save_indicator(
        actor=None,
        action=built.actions[0],
        name="Persone in carico",
        unit="persone",
        source=ActionIndicator.Source.PEOPLE_IN_CHARGE,
        targets={2025: 10},
    )
    services.record_measurement(actor=None, indicator=people, date="30/06/2025", value=3)
    services.record_measurement(actor=None, indicator=people, date="31/12/2025", value=12)
    values = [(r["data"], r["valore"]) for r in client.get(base + "indicatori.json").json()]
    assert values == [("2025-06-30", None), ("2025-12-31", "12.00")]  # 3 < 5: not published
    assert client.get(base + "altro.csv").status_code == 404
    assert client.get(base + "piano.xls").status_code == 404


def test_dcat_ap_it_catalogue(as_user, built) -> None:  # type: ignore[no-untyped-def]
    client = as_user("anonymous")
    base = f"/monitoraggio/{built.plan.district.code}/dati/"
    graphs = []
    for name, fmt in (("catalogo.ttl", "turtle"), ("catalogo.jsonld", "json-ld")):
        response = client.get(base + name)
        assert response.status_code == 200
        graphs.append(Graph().parse(data=response.content.decode(), format=fmt))
    assert len(graphs[0]) == len(graphs[1])
    graph = graphs[0]
    catalogues = list(graph.subjects(ns.RDF.type, ns.DCAT.Catalog))
    assert len(catalogues) == 1
    catalogue = catalogues[0]
    for prop in (
        ns.DCTERMS.title,
        ns.DCTERMS.description,
        ns.DCTERMS.publisher,
        ns.DCTERMS.modified,
    ):
        assert graph.value(catalogue, prop) is not None, prop
    assert graph.value(catalogue, ns.FOAF.homepage) is not None
    datasets = list(graph.objects(catalogue, ns.DCAT.dataset))
    assert len(datasets) == 4
    assert {str(d).rsplit("/", 1)[1] for d in datasets} == {
        "piano",
        "bilancio",
        "indicatori",
        "guida",
    }
    for dataset in datasets:
        assert (dataset, ns.RDF.type, ns.DCAT.Dataset) in graph
        for prop in (
            ns.DCTERMS.identifier,
            ns.DCTERMS.title,
            ns.DCTERMS.description,
            ns.DCTERMS.modified,
            ns.DCTERMS.rightsHolder,
            ns.DCTERMS.accrualPeriodicity,
            ns.DCAT.theme,
        ):
            assert graph.value(dataset, prop) is not None, (dataset, prop)
        distributions = list(graph.objects(dataset, ns.DCAT.distribution))
        assert len(distributions) == 2
        for distribution in distributions:
            assert graph.value(distribution, ns.DCTERMS.license) == CC_BY
            assert graph.value(distribution, ns.DCTERMS.format) is not None
            url = graph.value(distribution, ns.DCAT.accessURL)
            assert url is not None
            path = str(url).split("testserver", 1)[1]
            assert client.get(path).status_code == 200
    publisher = graph.value(catalogue, ns.DCTERMS.publisher)
    assert graph.value(publisher, ns.FOAF.name) is not None
    assert graph.value(publisher, ns.DCTERMS.identifier) is not None


def test_directory_dataset_has_only_published_services(as_user, built) -> None:  # type: ignore[no-untyped-def]
    from tessere.directory.models import Organisation, Service

    a = built.plan.district
    organisation = Organisation.objects.create(
        district=a, kind=Organisation.Kind.SOCIAL_COOPERATIVE, name="Cooperativa Aperta"
    )
    published = {"Sportello badanti", "Centro diurno"}
    for name in published:
        Service.objects.create(
            district=a, organisation=organisation, name=name, is_published=True, areas="|anziani|"
        )
    Service.objects.create(district=a, organisation=organisation, name="Bozza nascosta")
    Service.objects.create(
        district=a,
        organisation=organisation,
        name="Servizio chiuso",
        is_published=True,
        status=Service.Status.CLOSED,
    )
    Service.objects.create(
        district=built.plan.district.__class__.objects.get(code="reggio-emilia"),
        organisation=organisation,
        name="Altro ambito",
        is_published=True,
    )
    client = as_user("anonymous")
    base = f"/monitoraggio/{a.code}/dati/"
    rows = client.get(base + "guida.json").json()
    names = {r["nome"] for r in rows}
    assert published <= names
    assert not names & {"Bozza nascosta", "Servizio chiuso", "Altro ambito"}
    mine = next(r for r in rows if r["nome"] == "Centro diurno")
    assert mine["ente"] == "Cooperativa Aperta" and mine["aree"] == "anziani"
    csv_text = client.get(base + "guida.csv").content.decode()
    assert csv_text.splitlines()[0].startswith("servizio_id,nome,ente,")
    assert "Centro diurno" in csv_text and "Bozza nascosta" not in csv_text
