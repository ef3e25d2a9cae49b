"""Every importer, fed anything: a complete import or a clear report, never a crash, and a
report leaves the database exactly as it was.

Importers: districts CSV (``tessere district import``), an indicator's series CSV (profile),
HSDS 3.0 JSON (``tessere hsds-import``), measurements CSV (monitoring). Inputs: random bytes
in any encoding, valid-looking rows with random values, and a valid file with one field
replaced by random text.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tessere.core.errors import DomainError
from tessere.core.models import User
from tests.quality import dataset

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)

# What the importers read and write: their rows are compared value by value.
WATCHED = [
    "territory.district",
    "territory.districtmunicipality",
    "profile.indicatordefinition",
    "profile.seriesvalue",
    "directory.organisation",
    "directory.service",
    "directory.location",
    "directory.serviceatlocation",
    "directory.schedule",
    "monitoring.measurement",
    "core.auditentry",
]


def snapshot() -> dict[str, Any]:
    """Row counts of every table, and a checksum of the watched tables' rows."""
    state: dict[str, Any] = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in WATCHED:
            rows = sorted(repr(r) for r in model._default_manager.values_list())
            state[label] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
        else:
            state[label] = model._default_manager.count()
    return state


def attempt(run: Callable[[], Any]) -> None:
    """Run an import: it succeeds, or it refuses with a clear report and changes nothing."""
    before = snapshot()
    try:
        run()
    except DomainError as error:
        assert str(error.message).strip(), "a refusal without a message"
        assert snapshot() == before, "a refused import changed the database"
    except PermissionDenied:  # pragma: no cover - the actors here may import
        raise


def _decode(raw: bytes, encoding: str) -> str:
    return raw.decode(encoding, errors="replace")


any_text = st.one_of(
    st.text(max_size=400),
    st.builds(
        _decode,
        st.binary(max_size=400),
        st.sampled_from(["utf-8", "latin-1", "utf-16", "cp1252"]),
    ),
)
cell = st.one_of(
    st.text(max_size=20),
    st.from_regex(r"-?[0-9]{1,7}([.,][0-9]{1,3})?", fullmatch=True),
    st.sampled_from(["", " ", "NA", "1e308", "nan", "-0", "2025-13-45", "31/02/2025"]),
)


def csv_text(header: list[str], rows: list[list[str]], delimiter: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def corrupt(text: str, data: st.DataObject) -> str:
    """A valid CSV with one field (not the header) replaced by random text."""
    delimiter = ";" if text.count(";") > text.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    line = data.draw(st.integers(1, len(rows) - 1))
    column = data.draw(st.integers(0, len(rows[line]) - 1))
    rows[line][column] = data.draw(cell)
    return csv_text(rows[0], rows[1:], delimiter)


# --- territory: districts CSV ---------------------------------------------------------

DISTRICTS_OK = """codice_ambito;nome_ambito;tipo;regione;capofila;comune
media-valle;Media Valle;social;09;046003;046003
media-valle;Media Valle;social;09;046003;046004
garfagnana;Garfagnana;social;Toscana;046010;046010
"""
DISTRICT_HEADER = ["codice_ambito", "nome_ambito", "tipo", "regione", "capofila", "comune"]


def _districts(content: str) -> None:
    from tessere.territory import services

    attempt(lambda: services.import_districts_csv(actor=None, content=content))


@EXAMPLES
@given(content=any_text)
def test_districts_csv_random_text(districts: Any, content: str) -> None:
    _districts(content)


@EXAMPLES
@given(rows=st.lists(st.lists(cell, min_size=6, max_size=6), min_size=1, max_size=5))
def test_districts_csv_random_rows(districts: Any, rows: list[list[str]]) -> None:
    _districts(csv_text(DISTRICT_HEADER, rows, ";"))


@EXAMPLES
@given(data=st.data())
def test_districts_csv_one_bad_field(districts: Any, data: st.DataObject) -> None:
    _districts(corrupt(DISTRICTS_OK, data))


# --- profile: an indicator's series CSV -----------------------------------------------

SERIES_OK = "territorio;anno;valore\n046017;2022;21500\n046017;2023;21800,5\n046007;2023;19000\n"


def _series(district: Any, content: str | bytes) -> None:
    from tessere.profile import services

    attempt(
        lambda: services.import_series(
            actor=None,
            district=district,
            code="reddito_prova",
            name="Reddito di prova",
            unit="€",
            polarity="lower",
            source="prova",
            content=content,
        )
    )


@EXAMPLES
@given(content=st.one_of(any_text, st.binary(max_size=400)))
def test_series_csv_random_input(districts: Any, content: str | bytes) -> None:
    _series(districts.a, content)


@EXAMPLES
@given(rows=st.lists(st.lists(cell, min_size=3, max_size=3), min_size=1, max_size=6))
def test_series_csv_random_rows(districts: Any, rows: list[list[str]]) -> None:
    _series(districts.a, csv_text(["territorio", "anno", "valore"], rows, ";"))


@EXAMPLES
@given(data=st.data())
def test_series_csv_one_bad_field(districts: Any, data: st.DataObject) -> None:
    _series(districts.a, corrupt(SERIES_OK, data))


# --- monitoring: measurements CSV -----------------------------------------------------


@pytest.fixture
def monitored(districts: Any) -> Any:
    """The demo plan of district A with its indicators."""
    dataset.load_small()
    from tessere.monitoring.models import ActionIndicator

    indicator = ActionIndicator.objects.filter(district=districts.a).select_related("action__plan")[
        0
    ]
    return indicator


def _measurements(indicator: Any, text: str) -> None:
    from tessere.monitoring import services

    planner = User.objects.get(username="planner_a")
    attempt(
        lambda: services.import_measurements(actor=planner, plan=indicator.action.plan, text=text)
    )


@EXAMPLES
@given(content=any_text)
def test_measurements_csv_random_text(monitored: Any, content: str) -> None:
    _measurements(monitored, content)


@EXAMPLES
@given(rows=st.lists(st.lists(cell, min_size=3, max_size=3), min_size=1, max_size=6))
def test_measurements_csv_random_rows(monitored: Any, rows: list[list[str]]) -> None:
    rows = [[str(monitored.pk) if n % 2 else r[0], r[1], r[2]] for n, r in enumerate(rows)]
    _measurements(monitored, csv_text(["indicatore", "data", "valore"], rows, ","))


@EXAMPLES
@given(data=st.data())
def test_measurements_csv_one_bad_field(monitored: Any, data: st.DataObject) -> None:
    good = f'indicatore,data,valore\n{monitored.pk},2025-03-31,3\n{monitored.pk},30/06/2025,"7,5"\n'
    _measurements(monitored, corrupt(good, data))


# --- directory: HSDS 3.0 JSON ---------------------------------------------------------

json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=20,
)


@pytest.fixture
def hsds_document(districts: Any, tmp_path: Path) -> dict[str, Any]:
    """District A's demo directory, exported as HSDS 3.0 JSON."""
    from tessere.directory import demo
    from tessere.directory.exchange import write_export

    demo.load(districts=[districts.a])
    write_export(districts.a, tmp_path)
    return json.loads((tmp_path / "hsds.json").read_text())


def _hsds(district: Any, data: Any) -> None:
    from tessere.directory import exchange

    def run() -> None:
        report = exchange.import_document(actor=None, district=district, data=data)
        if not report.ok:  # a report object: its problems are listed, and nothing written
            raise DomainError("; ".join(report.problems))

    attempt(run)


@EXAMPLES
@given(data=json_value)
def test_hsds_random_json(districts: Any, data: Any) -> None:
    _hsds(districts.a, data)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node[:3]):
            found += _paths(value, (*prefix, index))
    else:
        found.append(prefix)
    return found


@EXAMPLES
@given(data=st.data())
def test_hsds_valid_document_with_one_bad_field(
    districts: Any, hsds_document: dict[str, Any], data: st.DataObject
) -> None:
    document = json.loads(json.dumps(hsds_document))
    path = data.draw(st.sampled_from(_paths(document)))
    node = document
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = data.draw(json_value)
    _hsds(districts.a, document)
