"""A killed import leaves no partial data.

A real `tessere district import` of a large CSV (one district per municipality of five
provinces) runs in a subprocess on its own database (a SQLite file; a PostgreSQL database
named after the test one with the suffix ``_kill``). As soon as the subprocess is writing
(SQLite: it holds the write lock; PostgreSQL: its transaction has written a row), it gets
SIGKILL. Every table's row count and checksum must then be exactly as before; a second,
uninterrupted run imports everything.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection

PROVINCES = ["015", "016", "017", "018", "019"]
SETUP = """
import csv, sys
from tessere.territory.models import Municipality
with open(sys.argv[1], "w", newline="") as handle:
    out = csv.writer(handle)
    out.writerow(["codice_ambito", "nome_ambito", "tipo", "regione", "capofila", "comune"])
    for m in Municipality.objects.select_related("region").filter(last_year__gte=2023):
        out.writerow([f"prova-{m.code}", f"Ambito di prova {m.name}", "social",
                      m.region.code, m.code, m.code])
"""
FIGURES = """
import json
from tessere.core.backup import figures
print(json.dumps({t: [f.rows, f.checksum] for t, f in figures().items()}))
"""


def _run(env: dict[str, str], *args: str, code: str | None = None) -> str:
    if code is not None:
        prelude = "import django; django.setup()\n"
        command = [sys.executable, "-c", prelude + code, *args]
    else:
        command = [sys.executable, "-m", "tessere.cli", *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _figures(env: dict[str, str]) -> dict[str, list[object]]:
    return json.loads(_run(env, code=FIGURES).strip().splitlines()[-1])


def _kill_while_writing(
    env: dict[str, str], csv_path: Path, writing: Callable[[], bool]
) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tessere.cli", "district", "import", str(csv_path)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if writing():
            process.send_signal(signal.SIGKILL)
            process.wait()
            return process
        time.sleep(0.002)
    process.kill()
    process.wait()
    pytest.fail("the import never started writing, or ended before it could be killed")


def _check(env: dict[str, str], tmp_path: Path, writing: Callable[[], bool]) -> None:
    env = {**env, "DJANGO_SETTINGS_MODULE": "tessere.settings", "TESSERE_DEBUG": "true"}
    _run(env, "migrate", "--no-input", "-v", "0")
    _run(env, "load-territory", "--year", "2023", *[f"--province={p}" for p in PROVINCES])
    csv_path = tmp_path / "ambiti.csv"
    _run(env, str(csv_path), code=SETUP)
    rows = csv_path.read_text().count("\n") - 1
    assert rows > 800
    before = _figures(env)
    process = _kill_while_writing(env, csv_path, writing)
    assert process.returncode == -signal.SIGKILL
    after = _figures(env)
    changed = sorted(t for t in before if before[t] != after.get(t))
    assert not changed, f"a killed import left partial data in {changed}"
    assert before == after
    # The same file, uninterrupted, imports every district: the kill hit a real import.
    _run(env, "district", "import", str(csv_path))
    complete = _figures(env)
    assert complete["territory_district"][0] == before["territory_district"][0] + rows
    assert complete["territory_districtmunicipality"][0] == (
        before["territory_districtmunicipality"][0] + rows
    )


def test_killed_import_on_sqlite(tmp_path):
    path = tmp_path / "kill.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}

    def writing() -> bool:
        if not path.exists():
            return False
        probe = sqlite3.connect(path, timeout=0)
        try:
            probe.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return True  # someone holds the write lock: the import is writing
        else:
            probe.execute("ROLLBACK")
            return False
        finally:
            probe.close()

    _check(env, tmp_path, writing)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL: set DATABASE_URL to a PostgreSQL database to run it",
)
def test_killed_import_on_postgresql(tmp_path):
    import psycopg

    settings_dict = connection.settings_dict
    url = os.environ["DATABASE_URL"]
    base, _sep, name = url.rpartition("/")
    name = name.split("?")[0] + "_kill"
    admin_url = f"{base}/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    assert settings_dict["NAME"] != name
    watcher = psycopg.connect(f"{base}/{name}", autocommit=True)

    def writing() -> bool:
        row = watcher.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_xid IS NOT NULL"
        ).fetchone()
        return bool(row and row[0])

    try:
        _check({**os.environ, "DATABASE_URL": f"{base}/{name}"}, tmp_path, writing)
    finally:
        watcher.close()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
