"""Every URL (pages and API), as every persona, on a small and a ten times larger dataset:
no answer is a 5xx and no number of SQL queries grows with the data.

The walk runs once per module (about a minute on SQLite): the demo data of every room for
district A, each URL as each persona with the queries counted; then every district-owned row
of district A copied nine more times (``dataset.grow``) and the URLs that answered 2xx walked
again. A POST walk with an empty body (and, for the API, a broken JSON body) checks that no
URL answers 5xx to bad input either.
"""

from __future__ import annotations

import shutil
import tempfile
import types
from dataclasses import dataclass, field

import pytest
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from tests.access.conftest import verified_client
from tests.quality import dataset, urlwalk

# The walk's own transaction is opened by the module fixture; the mark makes pytest-django
# create the test database (it only does when a collected test asks for it).
pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "planner_a",
    "mayor_a",
    "social_worker_a",
    "access_operator_a",
    "provider_a",
    "viewer_a",
    "planner_b",
]
FACTOR = 10
# No slack: a page reads the same number of queries whatever the number of rows. (A few
# pages take one query more when a list passes one page, e.g. the paginator's count; none
# does on this dataset, so the slack stays at zero until one needs it.)
SLACK = 0
# The POST walk runs as the personas that can write somewhere (the others are refused before
# any form is read, as the GET walk already shows): the public, the planning office, the
# case worker and the provider.
POSTERS = ["anonymous", "planner_a", "social_worker_a", "provider_a"]
# Requests that end the session: after them the persona logs in again.
LOGOUT = {"logout", "password_change"}


@dataclass
class Walk:
    small: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    large: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    posted: dict[tuple[str, str], int] = field(default_factory=dict)
    rows_small: dict[str, int] = field(default_factory=dict)
    rows_large: dict[str, int] = field(default_factory=dict)


def _client(persona: str) -> Client:
    return Client() if persona == "anonymous" else verified_client(persona)


def _get(client: Client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    return response.status_code, len(context.captured_queries)


def _stub_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint's layout takes a second a page and reads nothing from the database: the
    walk counts the queries made before it, so the layout itself is stubbed."""
    import weasyprint

    def write_pdf(*args: object, **kwargs: object) -> bytes:
        return b"%PDF-1.7 walk"

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", write_pdf)
    monkeypatch.setattr(
        weasyprint.HTML,
        "render",
        lambda *a, **k: types.SimpleNamespace(pages=[None], write_pdf=write_pdf),
    )


@pytest.fixture(scope="module")
def walk(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    media = tempfile.mkdtemp(prefix="tessere-walk-")
    patch = pytest.MonkeyPatch()
    _stub_pdf(patch)
    result = Walk()
    try:
        with (
            django_db_blocker.unblock(),
            override_settings(
                MEDIA_ROOT=media,
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                AXES_ENABLED=False,
            ),
            transaction.atomic(),
        ):
            district = dataset.load_small()
            objects = urlwalk.Objects(district)
            targets = [
                (p, url)
                for p in urlwalk.patterns()
                if p.excluded is None
                for url in urlwalk.urls(p, objects)
            ]
            clients = {persona: _client(persona) for persona in PERSONAS}
            result.rows_small = dataset.grow(district, 1)
            for persona, client in clients.items():
                client.get("/")  # warm the session and the caches once
                for pattern, url in targets:
                    result.small[persona, url] = _get(client, url)
                    if pattern.name in LOGOUT:
                        client = clients[persona] = _client(persona)
            result.rows_large = dataset.grow(district, FACTOR)
            for persona, client in clients.items():
                for pattern, url in targets:
                    status, _count = result.small[persona, url]
                    if 200 <= status < 300 and pattern.name not in LOGOUT:
                        result.large[persona, url] = _get(client, url)
            for persona in POSTERS:
                with transaction.atomic():
                    client = _client(persona)
                    for pattern, url in targets:
                        response = client.post(url, {})
                        result.posted[persona, url] = response.status_code
                        if url.startswith("/api/"):
                            response = client.post(url, "{", content_type="application/json")
                            result.posted[persona, url + " (JSON rotto)"] = response.status_code
                        if pattern.name in LOGOUT:
                            client = _client(persona)
                    transaction.set_rollback(True)
            transaction.set_rollback(True)
    finally:
        patch.undo()
        shutil.rmtree(media, ignore_errors=True)
    return result


def test_every_pattern_can_be_walked() -> None:
    """A new pattern needs a way to fill its parameters (or a stated exclusion)."""
    missing = {
        p.route: urlwalk.unfillable(p)
        for p in urlwalk.patterns()
        if p.excluded is None and urlwalk.unfillable(p)
    }
    assert not missing, f"no filler in tests/quality/urlwalk.py for: {missing}"


# Tables the pages list: each must really be ten times larger.
LISTED = [
    "directory.organisation",
    "directory.service",
    "directory.serviceatlocation",
    "participation.table",
    "participation.meeting",
    "participation.contribution",
    "planning.objective",
    "planning.action",
    "planning.allocation",
    "profile.need",
    "access.person",
    "access.case",
    "access.referral",
    "access.contact",
    "monitoring.actionindicator",
    "monitoring.measurement",
    "core.auditentry",
]


def test_the_larger_dataset_is_ten_times_larger(walk: Walk) -> None:
    assert sum(walk.rows_large.values()) >= 8 * sum(walk.rows_small.values())
    small = {t: walk.rows_small.get(t, 0) for t in LISTED}
    thin = {t: (n, walk.rows_large.get(t, 0)) for t, n in small.items()}
    thin = {t: (a, b) for t, (a, b) in thin.items() if a == 0 or b < FACTOR * a}
    assert not thin, thin


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_server_error(walk: Walk, persona: str) -> None:
    failed = sorted(
        f"{url}: {status}"
        for (who, url), (status, _n) in [*walk.small.items(), *walk.large.items()]
        if who == persona and status >= 500
    )
    assert not failed, "\n".join(failed)


@pytest.mark.parametrize("persona", PERSONAS)
def test_queries_do_not_grow_with_the_data(walk: Walk, persona: str) -> None:
    grown = sorted(
        f"{url}: {walk.small[who, url][1]} → {count} queries"
        for (who, url), (status, count) in walk.large.items()
        if who == persona and count > walk.small[who, url][1] + SLACK
    )
    assert not grown, "\n".join(grown)


@pytest.mark.parametrize("persona", POSTERS)
def test_posting_bad_input_is_never_a_server_error(walk: Walk, persona: str) -> None:
    failed = sorted(
        f"POST {url}: {status}"
        for (who, url), status in walk.posted.items()
        if who == persona and status >= 500
    )
    assert not failed, "\n".join(failed)


def test_the_walk_reached_pages(walk: Walk) -> None:
    """Most URLs answer 2xx to someone (or 405 to a GET: a POST-only URL): the fillers point
    at real objects."""
    ok = {
        url
        for (_who, url), (status, _n) in walk.small.items()
        if 200 <= status < 300 or status == 405
    }
    every = {url for (_who, url) in walk.small}
    assert len(ok) >= 0.8 * len(every), sorted(every - ok)
