"""schemathesis against the OpenAPI schemas of ``/api/v1/`` and ``/api/hsds/``, in process.

Each operation gets a bounded number of generated requests (``MAX_EXAMPLES``), sent through
Django's WSGI application (no server) as the planner of district A (a verified session with a
CSRF token, so that writes reach the code instead of stopping at the CSRF check), on the demo
data of every room. Checks: no 5xx; every status code, content type and body is one the
schema declares.

Checks left out, and why:
- ``negative_data_rejection``/``positive_data_acceptance``: schema-valid identifiers mostly
  point at no record (a correct 404), and Ninja validates bodies, not the domain rules that
  answer 4xx with a ``DomainError``: the two checks would report correct answers.
- ``ignored_auth``, ``use_after_free``, ``ensure_resource_availability``, ``missing_required_
  header``, ``unsupported_method``, ``response_headers_conformance``: the API authenticates
  with Django's session (not an OpenAPI security scheme schemathesis could drop), creates no
  resource it later deletes, and declares no response header.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks

import tessere.directory
from tests.access.conftest import verified_client
from tests.quality import dataset

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 12
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
CSRF = "k" * 32
HSDS_SCHEMAS = Path(tessere.directory.__file__).parent / "schemas"
HSDS_REMOTE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"

application = WSGIHandler()


def _hsds_schema() -> dict[str, Any]:
    """The HSDS 3.0 OpenAPI file shipped in the directory room, with its references to the
    compiled schemas on GitHub replaced by the local copies (no test uses the network).
    ``taxonomy.json`` and ``taxonomy_term.json`` have no local copy: their bodies are checked
    only as objects."""
    raw = json.loads((HSDS_SCHEMAS / "openapi.json").read_text())

    def local(ref: str) -> dict[str, Any]:
        name = ref.removeprefix(HSDS_REMOTE).removeprefix("compiled/")
        path = HSDS_SCHEMAS / name
        if not path.exists():
            return {"type": "object"}
        schema = json.loads(path.read_text())
        schema.pop("$id", None)
        schema.pop("$schema", None)
        return schema

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if isinstance(ref, str) and ref.startswith(HSDS_REMOTE):
                return local(ref)
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    schema = resolve(copy.deepcopy(raw))
    schema["servers"] = [{"url": "/api/hsds"}]
    # The standard declares only the 200 answers; Tessere also answers 404 to an unknown id
    # and 400 to a bad page or date parameter, with a ``{"detail": message}`` body.
    error = {"type": "object", "properties": {"detail": {"type": "string"}}}
    for operations in schema["paths"].values():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            for status in ("400", "404"):
                operation["responses"].setdefault(
                    status,
                    {"description": status, "content": {"application/json": {"schema": error}}},
                )
    return schema


def _ninja_schema() -> dict[str, Any]:
    """The schema ``/api/v1/openapi.json`` serves (read from the API object: collection runs
    before the test database exists)."""
    from tessere.api.urls import api

    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), default=str))


ninja = schemathesis.openapi.from_dict(_ninja_schema())
hsds = schemathesis.openapi.from_dict(_hsds_schema())


@pytest.fixture(scope="module")
def planner_cookies(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The demo data, and the cookies of a verified planner's session, for the module."""
    # Django closes the database connection at the end of each request; the test client
    # turns that off, and so must a WSGI call made in process (on PostgreSQL the connection
    # holding the test's transaction would be closed after the first request).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with (
        django_db_blocker.unblock(),
        override_settings(ALLOWED_HOSTS=["*"], AXES_ENABLED=False),
        transaction.atomic(),
    ):
        dataset.load_small()
        client = verified_client("planner_a")
        cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF}
        yield cookies
        transaction.set_rollback(True)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    database=None,
)


def _call(case: Any, cookies: dict[str, str]) -> None:
    header = "; ".join(f"{k}={v}" for k, v in cookies.items())
    # Each case in its own savepoint: a database error in one (PostgreSQL then refuses every
    # later statement of the transaction) must not turn the following cases into 500s.
    with transaction.atomic():
        try:
            case.call_and_validate(
                headers={"Cookie": header, "X-CSRFToken": CSRF}, checks=CHECKS, app=application
            )
        finally:
            transaction.set_rollback(True)


@ninja.parametrize()
@SETTINGS
def test_api_v1(case: Any, planner_cookies: dict[str, str]) -> None:
    _call(case, planner_cookies)


@hsds.parametrize()
@SETTINGS
def test_api_hsds(case: Any, planner_cookies: dict[str, str]) -> None:
    _call(case, planner_cookies)


def test_schema_names_are_unique_across_rooms() -> None:
    """Ninja names a component after its class: two rooms' ``IndicatorOut`` would share one
    entry in ``/api/v1/openapi.json`` and one of them would be documented wrongly."""
    import importlib

    from ninja import Schema

    seen: dict[str, str] = {}
    clashes = []
    rooms = ["territory", "profile", "directory", "participation", "planning", "access"]
    for room in [*rooms, "monitoring"]:
        module = importlib.import_module(f"tessere.{room}.api")
        for name, value in vars(module).items():
            if (
                isinstance(value, type)
                and issubclass(value, Schema)
                and value.__module__ == module.__name__
                and name != "ErrorOut"  # the same error body everywhere
            ):
                if name in seen:
                    clashes.append(f"{name}: {seen[name]} and {room}")
                seen[name] = room
    assert not clashes, clashes
