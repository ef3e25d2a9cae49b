"""HSDS export and import: round trip, updates by id, errors with their place, nothing written."""

from __future__ import annotations

import csv
import json

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tessere.core.models import AuditEntry
from tessere.directory import exchange
from tessere.directory.models import Organisation, Service, ServiceAtLocation

pytestmark = pytest.mark.django_db


def _export(district, tmp_path, name):
    folder = tmp_path / name
    call_command("hsds_export", str(folder), district=district.code)
    return folder


def test_export_writes_json_and_data_package(directory, districts, tmp_path):
    folder = _export(districts.a, tmp_path, "a")
    document = json.loads((folder / "hsds.json").read_text())
    assert len(document["services"]) == 2
    package = json.loads((folder / "datapackage.json").read_text())
    names = {r["name"] for r in package["resources"]}
    assert {"service", "organization", "location", "schedule", "taxonomy"} <= names
    for resource in package["resources"]:
        with (folder / resource["path"]).open() as handle:
            header = next(csv.reader(handle))
        assert header == [f["name"] for f in resource["schema"]["fields"]]
    with (folder / "services.csv").open() as handle:
        assert len(list(csv.DictReader(handle))) == 2


def test_data_package_follows_the_hsds_tabular_schema(directory, districts, tmp_path):
    folder = _export(districts.a, tmp_path, "a")
    package = json.loads((folder / "datapackage.json").read_text())
    specs = exchange.tabular_schema()
    for resource in package["resources"]:
        spec = specs[resource["name"]]
        assert resource["path"] == spec["path"]
        names = [f["name"] for f in resource["schema"]["fields"]]
        assert set(names) <= set(spec["properties"]), resource["name"]
        required = set(spec.get("required", [])) | set(spec.get("tabular_required", []))
        assert required <= set(names), (resource["name"], required - set(names))
        with (folder / resource["path"]).open() as handle:
            for row in csv.DictReader(handle):
                empty = [name for name in required if not row[name]]
                assert not empty, (resource["name"], empty)


def test_round_trip_export_import_export_is_identical(directory, districts, tmp_path):
    first = _export(districts.a, tmp_path, "first")
    ServiceAtLocation.objects.filter(district=districts.a).delete()
    Service.objects.filter(district=districts.a).delete()
    Organisation.objects.filter(district=districts.a).delete()
    call_command("hsds_import", str(first), district=districts.a.code)
    second = _export(districts.a, tmp_path, "second")
    for path in sorted(first.iterdir()):
        assert path.read_text() == (second / path.name).read_text(), path.name


def test_second_import_updates_instead_of_duplicating(directory, districts, tmp_path):
    folder = _export(districts.a, tmp_path, "a")
    data = json.loads((folder / "hsds.json").read_text())
    data["services"][0]["name"] = "Nome cambiato"
    exchange.import_document(actor=None, district=districts.a, data=data)
    exchange.import_document(actor=None, district=districts.a, data=data)
    assert Service.objects.filter(district=districts.a).count() == 2
    assert Service.objects.filter(name="Nome cambiato").count() == 1


def test_import_single_object_and_list(directory, districts, client):
    single = client.get(f"/api/hsds/services/{directory.service_a.pk}").json()
    single["name"] = "Da un oggetto"
    exchange.import_document(actor=None, district=districts.a, data=single)
    assert Service.objects.get(pk=directory.service_a.pk).name == "Da un oggetto"
    listed = client.get("/api/hsds/services", {"full": "true", "district": "piana-di-lucca"})
    report = exchange.import_document(
        actor=None, district=districts.a, data=listed.json()["contents"]
    )
    assert report.services == 2


def test_invalid_file_reports_every_problem_and_writes_nothing(directory, districts):
    before = (Service.objects.count(), AuditEntry.objects.count())
    data = [
        {"id": "non-un-uuid", "name": "A", "status": "active"},
        {"id": "5d3f7c8e-7c0e-4d0a-9d43-4b1b2f3a4c5d", "status": "aperto"},
    ]
    with pytest.raises(exchange.ImportFailed) as error:
        exchange.import_document(actor=None, district=districts.a, data=data)
    details = "\n".join(error.value.details)
    assert "[0].id" in details
    assert "[1]: 'name' is a required property" in details
    assert "[1].status" in details
    assert (Service.objects.count(), AuditEntry.objects.count()) == before


def test_domain_errors_roll_back_everything(directory, districts, tmp_path):
    folder = _export(districts.a, tmp_path, "a")
    data = json.loads((folder / "hsds.json").read_text())
    data["services"][0]["name"] = "Cambiato ma non salvato"
    loc = data["services"][1]["service_at_locations"][0]["location"]
    loc["external_identifier"] = "035033"  # a municipality of another district
    loc["addresses"][0]["city"] = "Reggio nell'Emilia"
    data["organizations"][0]["tax_id"] = "00000010463"
    data["organizations"][0]["tessere"]["tax_code"] = "00000010463"
    with pytest.raises(exchange.ImportFailed) as error:
        exchange.import_document(actor=None, district=districts.a, data=data)
    details = "\n".join(error.value.details)
    assert "organizations[0]" in details
    assert "services[1]" in details and "035033" in details
    assert not Service.objects.filter(name="Cambiato ma non salvato").exists()


def test_import_into_another_district_is_refused(directory, districts, tmp_path):
    folder = _export(districts.a, tmp_path, "a")
    with pytest.raises(CommandError) as error:
        call_command("hsds_import", str(folder), district=districts.b.code)
    assert "altro ambito" in str(error.value)


def test_planner_page_import_and_export(
    as_user, directory, districts, tmp_path, django_capture_on_commit_callbacks
):
    """Immediate mode (the default): the task runs at commit, the status page shows the end."""
    import io
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    from tessere.directory.models import ExchangeJob

    client = as_user("planner_a")
    assert client.get("/guida/gestione/scambio/esporta/").status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/guida/gestione/scambio/esporta/")
    assert response.status_code == 302
    job = ExchangeJob.objects.get(kind="export")
    assert job.status == "done" and job.district == districts.a
    status = client.get(response["Location"])
    assert "Completata" in status.content.decode()
    assert 'http-equiv="refresh"' not in status.content.decode()
    download = client.get(f"/guida/gestione/scambio/{job.pk}/scarica/")
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(download.content)) as zipped:
        assert "hsds.json" in zipped.namelist() and "datapackage.json" in zipped.namelist()
    # A bad file: the job fails with every problem and its place, nothing is written.
    before = Service.objects.count()
    bad = SimpleUploadedFile("x.json", b'[{"id": "x"}]', content_type="application/json")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/guida/gestione/scambio/", {"file": bad})
    assert response.status_code == 302
    failed = ExchangeJob.objects.get(kind="import")
    assert failed.status == "failed" and any("[0].id" in p for p in failed.problems)
    page = client.get(response["Location"]).content.decode()
    assert "nessun dato è stato scritto" in page and "[0].id" in page
    assert Service.objects.count() == before
    assert client.get(f"/guida/gestione/scambio/{failed.pk}/scarica/").status_code == 404
    garbage = SimpleUploadedFile("x.json", b"{not json", content_type="application/json")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/guida/gestione/scambio/", {"file": garbage})
    assert "non è JSON né ZIP leggibile" in client.get(response["Location"]).content.decode()
    # A good file: the report counts what was imported.
    folder = _export(districts.a, tmp_path, "a")
    good = SimpleUploadedFile("h.json", (folder / "hsds.json").read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/guida/gestione/scambio/", {"file": good})
    assert response.status_code == 302
    done = ExchangeJob.objects.filter(kind="import").first()
    assert done is not None and done.status == "done" and done.services == 2
    assert "Importati 2 enti e 2 servizi." in client.get(response["Location"]).content.decode()
    # No file at all: a form error, no job.
    jobs = ExchangeJob.objects.count()
    assert client.post("/guida/gestione/scambio/", {}).status_code == 400
    assert ExchangeJob.objects.count() == jobs
    listing = client.get("/guida/gestione/scambio/").content.decode()
    assert "Operazioni recenti" in listing
    for persona in ("provider_a", "viewer_a", "anonymous", "no_role"):
        other = as_user(persona)
        assert other.get("/guida/gestione/scambio/").status_code in (302, 403)
        assert other.post("/guida/gestione/scambio/esporta/").status_code in (302, 403)
        assert other.get(f"/guida/gestione/scambio/{job.pk}/").status_code in (302, 403)
        assert other.get(f"/guida/gestione/scambio/{job.pk}/scarica/").status_code in (302, 403)
    # District B's planner sees none of district A's jobs, and exports district B only.
    planner_b = as_user("planner_b")
    assert planner_b.get(f"/guida/gestione/scambio/{job.pk}/").status_code == 404
    assert planner_b.get(f"/guida/gestione/scambio/{job.pk}/scarica/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = planner_b.post("/guida/gestione/scambio/esporta/")
    job_b = ExchangeJob.objects.get(kind="export", district=districts.b)
    archive = planner_b.get(f"/guida/gestione/scambio/{job_b.pk}/scarica/")
    with zipfile.ZipFile(io.BytesIO(archive.content)) as zipped:
        document = json.loads(zipped.read("hsds.json"))
    assert [s["name"] for s in document["services"]] == ["Sportello sociale di Reggio"]


def test_exchange_waits_in_the_queue_until_a_worker_runs_it(
    as_user, directory, settings, django_capture_on_commit_callbacks
):
    """Queued mode (TESSERE_TASKS_IMMEDIATE=false): the page says it is waiting."""
    from tessere.directory.models import ExchangeJob
    from tessere.directory.tasks import run_exchange

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client = as_user("planner_a")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/guida/gestione/scambio/esporta/")
    job = ExchangeJob.objects.get()
    assert job.status == "pending"
    page = client.get(response["Location"]).content.decode()
    assert "In coda" in page and 'http-equiv="refresh"' in page
    assert client.get(f"/guida/gestione/scambio/{job.pk}/scarica/").status_code == 404
    # What the worker does, then: the job is done, and running it again changes nothing.
    assert run_exchange.call(job.pk) == "done"
    assert run_exchange.call(job.pk) == "done"
    assert "Scarica l'archivio HSDS" in client.get(response["Location"]).content.decode()


def test_exchange_status_page_queries_do_not_grow(
    as_user, directory, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    client = as_user("planner_a")
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/guida/gestione/scambio/esporta/")
    client.get("/guida/gestione/scambio/")
    with django_assert_max_num_queries(12):
        assert client.get("/guida/gestione/scambio/").status_code == 200


def test_import_from_the_tabular_data_package_alone(directory, districts, tmp_path):
    folder = _export(districts.a, tmp_path, "a")
    (folder / "hsds.json").unlink()
    ServiceAtLocation.objects.filter(district=districts.a).delete()
    Service.objects.filter(district=districts.a).delete()
    call_command("hsds_import", str(folder / "datapackage.json"), district=districts.a.code)
    service = Service.objects.get(pk=directory.service_a.pk)
    assert service.area_list == ["anziani"] and service.min_age == 65
    assert service.at_locations.get().schedules.count() == 1
    # The CSV tables of a second export are the same as the first's.
    again = _export(districts.a, tmp_path, "again")
    for name in ("services.csv", "schedules.csv", "locations.csv", "attributes.csv"):
        assert (folder / name).read_text() == (again / name).read_text(), name


def test_bad_number_in_a_csv_is_reported_with_its_place(directory, districts, tmp_path):
    folder = _export(districts.a, tmp_path, "a")
    (folder / "hsds.json").unlink()
    path = folder / "services.csv"
    rows = path.read_text().splitlines()
    header = rows[0].split(",")
    cells = next(csv.reader([rows[1]]))
    cells[header.index("minimum_age")] = "sessanta"
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    path.write_text("\n".join([rows[0], buffer.getvalue().strip(), *rows[2:]]) + "\n")
    with pytest.raises(CommandError) as error:
        call_command("hsds_import", str(folder), district=districts.a.code)
    assert "services.csv, riga 2, colonna minimum_age" in str(error.value)


def test_planner_uploads_the_zip(as_user, directory, districts, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tessere.directory.models import ExchangeJob

    client = as_user("planner_a")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/guida/gestione/scambio/esporta/")
    job = ExchangeJob.objects.get(kind="export")
    archive = client.get(f"/guida/gestione/scambio/{job.pk}/scarica/").content
    upload = SimpleUploadedFile("hsds.zip", archive, content_type="application/zip")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/guida/gestione/scambio/", {"file": upload})
    assert response.status_code == 302
    assert ExchangeJob.objects.get(kind="import").status == "done"
    assert Service.objects.filter(district=districts.a).count() == 2


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["id", "name", "status", "services", "organizations", "contents", "x"]),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=json_values)
def test_import_of_anything_fails_cleanly_or_writes_valid_data(data, districts):
    before = Service.objects.count()
    try:
        exchange.import_document(actor=None, district=districts.a, data=data)
    except exchange.ImportFailed as error:
        assert error.details
        assert Service.objects.count() == before


FIELDS = [
    "name",
    "status",
    "minimum_age",
    "maximum_age",
    "organization_id",
    "languages",
    "cost_options",
    "service_at_locations",
    "attributes",
    "required_documents",
    "assured_date",
    "email",
]
EXTRAS = [
    "cost_kind",
    "cost_amount",
    "capacity",
    "start_date",
    "end_date",
    "areas",
    "accessibility",
]
scalars = (
    st.none() | st.booleans() | st.integers(-5, 500) | st.floats(-1, 200) | st.text(max_size=12)
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(field=st.sampled_from(FIELDS + EXTRAS), value=scalars | st.lists(scalars, max_size=2))
def test_import_of_a_damaged_service_fails_cleanly(field, value, directory, client):
    document = client.get(f"/api/hsds/services/{directory.service_a.pk}").json()
    if field in EXTRAS:
        document["tessere"][field] = value
    else:
        document[field] = value
    before = Service.objects.get(pk=directory.service_a.pk).updated_at
    try:
        exchange.import_document(actor=None, district=directory.org_a.district, data=document)
    except exchange.ImportFailed as error:
        assert error.details
        assert Service.objects.get(pk=directory.service_a.pk).updated_at == before
