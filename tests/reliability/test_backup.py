"""`tessere backup` and `tessere restore`: a round trip restores every table exactly, and a
backup that does not match its manifest, or comes from a newer schema, is refused.

Runs on the test database of the session (SQLite or PostgreSQL, as DATABASE_URL says): the
restore replaces the whole database, so these are transactional tests (run last by
pytest-django) and leave the database as they found it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tessere.core import backup
from tessere.core.demo import load as load_accounts
from tessere.directory import demo as directory_demo
from tessere.directory.models import Service
from tessere.planning import demo as planning_demo
from tessere.planning.models import Action, ActionCost
from tessere.territory.models import District

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_data(world):  # type: ignore[no-untyped-def]
    districts = list(District.objects.filter(code__in=["piana-di-lucca", "cremona"]))
    load_accounts()
    directory_demo.load(districts=districts)
    planning_demo.load(districts=districts)
    assert Action.objects.exists() and Service.objects.exists()


def _round_trip(tmp_path: Path) -> None:
    target = tmp_path / "backup"
    call_command("backup", str(target))
    manifest = json.loads((target / "manifest.json").read_text())
    before = backup.figures()
    assert {t: (f.rows, f.checksum) for t, f in before.items()} == {
        t: (v["rows"], v["checksum"]) for t, v in manifest["tables"].items()
    }
    assert manifest["tables"]["planning_action"]["rows"] > 0
    assert manifest["vendor"] == connection.vendor

    # Wipe and change.
    changed = Action.objects.order_by("pk").first()
    assert changed is not None
    Action.objects.filter(pk=changed.pk).update(title="Cambiato dopo il backup")
    ActionCost.objects.all().delete()
    Service.objects.filter(district__code="cremona").delete()
    assert backup.compare(manifest, backup.figures())

    # A non-empty database is not overwritten without --yes.
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(target))
    call_command("restore", str(target), "--yes")
    after = backup.figures()
    assert backup.compare(manifest, after) == []
    for table, figures in before.items():
        assert after[table] == figures, table
    assert Action.objects.get(pk=changed.pk).title == changed.title


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite round trip (DATABASE_URL)")
def test_sqlite_round_trip(demo_data, tmp_path):
    _round_trip(tmp_path)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL round trip: set DATABASE_URL to a PostgreSQL database to run it",
)
def test_postgresql_round_trip(demo_data, tmp_path):
    _round_trip(tmp_path)


def test_refuses_damaged_or_newer_backups(world, tmp_path):
    good = tmp_path / "good"
    call_command("backup", str(good))
    data_file = good / backup.DATA_FILES[connection.vendor]

    # The data file changed after the backup: refused before anything is touched.
    tampered = tmp_path / "tampered"
    tampered.mkdir()
    (tampered / "manifest.json").write_bytes((good / "manifest.json").read_bytes())
    (tampered / data_file.name).write_bytes(data_file.read_bytes() + b"\0")
    with pytest.raises(CommandError, match="non corrisponde al manifest"):
        call_command("restore", str(tampered), "--yes")

    # The manifest lies about a table.
    manifest = json.loads((good / "manifest.json").read_text())
    lying = tmp_path / "lying"
    lying.mkdir()
    (lying / data_file.name).write_bytes(data_file.read_bytes())
    manifest["tables"]["territory_region"]["rows"] += 1
    (lying / "manifest.json").write_text(json.dumps(manifest))
    if connection.vendor == "sqlite":  # PostgreSQL dumps are verified after the restore
        with pytest.raises(CommandError, match="territory_region"):
            call_command("restore", str(lying), "--yes")

    # Made by a newer schema.
    manifest = json.loads((good / "manifest.json").read_text())
    manifest["migrations"].append("planning.9999_from_the_future")
    newer = tmp_path / "newer"
    newer.mkdir()
    (newer / data_file.name).write_bytes(data_file.read_bytes())
    (newer / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="più recente"):
        call_command("restore", str(newer), "--yes")

    # Not a backup at all; and the backup folder must be new.
    with pytest.raises(CommandError, match=r"manifest\.json"):
        call_command("restore", str(tmp_path / "nothing"), "--yes")
    with pytest.raises(CommandError, match="non è vuota"):
        call_command("backup", str(good))
    assert District.objects.filter(code="piana-di-lucca").exists()
