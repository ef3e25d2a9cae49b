"""`tessere citus-prepare`: keys by district on PostgreSQL, and the application still works.

Citus is not needed: the keys it requires (primary keys ``(district_id, id)``, foreign keys
between distributed tables that carry the district) are plain PostgreSQL. The test runs the
command inside the test's transaction, which is rolled back at the end together with the DDL
(PostgreSQL's DDL is transactional), so the other tests see Django's schema again.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from tessere.access import services as access_services
from tessere.access.models import Case, PersonalisedProject
from tessere.core import citus, distribution
from tessere.core.models import User
from tessere.directory import demo as directory_demo
from tessere.directory.models import Service
from tessere.participation import services as participation_services
from tessere.planning import services as planning_services
from tessere.planning.models import Action, ActionService, Leps, ObjectiveNeed, Plan
from tessere.profile import services as profile_services
from tests.participation.conftest import build_table
from tests.quality import dataset

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the keys by district are PostgreSQL DDL: set DATABASE_URL to a PostgreSQL database",
)


def _run(*args: str) -> str:
    out = StringIO()
    call_command("citus_prepare", *args, stdout=out)
    return out.getvalue()


def _check_deferred_keys() -> None:
    """Foreign keys are deferred to the commit, which a test never reaches: check them now."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _primary_keys() -> dict[str, tuple[str, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT tc.table_name, array_agg(k.column_name::text ORDER BY k.ordinal_position)
            FROM information_schema.table_constraints tc
            JOIN information_schema.key_column_usage k
              ON k.constraint_name = tc.constraint_name AND k.table_name = tc.table_name
             AND k.table_schema = tc.table_schema
            WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema()
            GROUP BY tc.table_name
            """
        )
        return {table: tuple(columns) for table, columns in cursor.fetchall()}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite side of the command")
def test_refused_on_sqlite(db):
    with pytest.raises(CommandError, match="solo con PostgreSQL"):
        _run()


@on_postgresql
def test_citus_flag_needs_the_extension(db):
    with pytest.raises(CommandError, match="estensione citus"):
        _run("--citus")
    script = _run("--sql", "--citus")
    assert "create_reference_table('core_user')" in script
    assert "create_distributed_table('planning_plan', 'district_id'" in script
    assert "colocate_with => 'planning_plan'" in script
    assert "citus_add_local_table_to_metadata('core_auditentry')" in script
    # Parents before children: a table is distributed after the tables it points at.
    assert script.index("'planning_plan'") < script.index("'planning_action'")
    assert script.index("'access_case'") < script.index("'access_personalisedproject'")


@on_postgresql
def test_keys_by_district_and_the_application_still_works(districts):
    a, b = districts.a, districts.b
    dataset.load_small()  # every room's demo data in district A (plan, cases, guide, tables)
    directory_demo.load(districts=[b])
    world = build_table(districts, phase="proposals")
    _check_deferred_keys()  # ALTER TABLE refuses tables with checks still pending

    script = _run("--sql")
    assert 'PRIMARY KEY ("district_id", "id")' in script
    assert "Niente da fare" not in _run("--sql")  # printing changed nothing
    done = _run()
    assert "Database preparato" in done
    assert "Niente da fare" in _run()  # a second run changes nothing
    assert "Niente da fare" in _run("--sql")

    # Every distributed table's primary key is (district_id, id) ...
    keys = _primary_keys()
    for label in distribution.DISTRIBUTED:
        model = citus.apps.get_model(label)
        assert keys[model._meta.db_table] == ("district_id", model._meta.pk.column), label
    # ... with an index on id alone (joins that follow a foreign key without the district) ...
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
        )
        by_table: dict[str, list[str]] = {}
        for table, definition in cursor.fetchall():
            by_table.setdefault(table, []).append(definition)
    for label in distribution.DISTRIBUTED:
        model = citus.apps.get_model(label)
        table, column = model._meta.db_table, model._meta.pk.column
        assert any(
            d.endswith(f"USING btree ({column})") or d.endswith(f'USING btree ("{column}")')
            for d in by_table[table]
        ), (label, by_table[table])
    # ... and every foreign key between distributed tables carries the district.
    catalogue = citus.catalogue(connection)
    links = citus.links()
    assert len(links) > 100
    for link in links:
        keys_of_column = [
            c for c in catalogue[link.table] if c.kind == "f" and link.column in c.columns
        ]
        assert [(c.columns, c.target, c.target_columns) for c in keys_of_column] == [
            (("district_id", link.column), link.target, ("district_id", link.target_column))
        ], link

    # The application still works: a plan action with services and needs...
    planner = User.objects.get(username="planner_a")
    plan = planning_services.create_plan(
        actor=planner, district=a, title="Piano di prova", first_year=2027, last_year=2029
    )
    area = plan.areas.first()
    need = profile_services.create_need(
        actor=planner,
        district=a,
        statement="Solitudine degli anziani",
        area="anziani",
        municipalities=list(a.municipalities.all()[:2]),
    )
    objective = planning_services.save_objective(
        actor=planner, plan=plan, area=area, title="Meno solitudine", priority=1, needs=[need]
    )
    guide = list(Service.objects.filter(district=a)[:3])
    action = planning_services.save_action(
        actor=planner,
        plan=plan,
        objective=objective,
        code="A1",
        title="Compagnia a domicilio",
        services=guide[:2],
        leps=Leps.objects.all()[:1],
        costs={2027: "1000"},
    )
    action = planning_services.save_action(
        actor=planner,
        plan=plan,
        objective=objective,
        code="A1",
        title="Compagnia a domicilio e al telefono",
        services=guide[1:],
        action=action,
        version=action.version,
    )
    assert set(action.services.all()) == set(guide[1:])
    assert ObjectiveNeed.objects.get(objective=objective).district_id == a.pk
    # ... a case with its project ...
    worker = User.objects.get(username="social_worker_a")
    case = Case.objects.filter(district=a, team__user=worker, status=Case.Status.OPEN).first()
    assert case is not None
    PersonalisedProject.objects.filter(case=case).delete()
    project = access_services.save_project(actor=worker, case=case, general_objectives="Autonomia")
    access_services.save_project(
        actor=worker, case=case, general_objectives="Autonomia e lavoro", version=project.version
    )
    # ... a contribution with needs ...
    contribution = participation_services.submit_contribution(
        actor=world.member,
        table=world.table,
        kind="proposal",
        title="Visite a domicilio",
        text="Volontari che visitano gli anziani soli.",
        needs=[need],
    )
    assert list(contribution.needs.all()) == [need]
    # ... a new version of the plan copies every link, and deleting an action works.
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.APPROVED)
    plan.refresh_from_db()
    copy = planning_services.new_version(actor=planner, plan=plan)
    copied = Action.objects.get(plan=copy, code="A1")
    assert set(copied.services.all()) == set(guide[1:])
    assert ActionService.objects.filter(action=copied, district=a).count() == 2
    planning_services.delete_action(actor=planner, action=copied)
    assert not Action.objects.filter(pk=copied.pk).exists()
    _check_deferred_keys()

    # A link into another district is refused by the database itself.
    other = Service.objects.filter(district=b).first()
    kept = Action.objects.filter(district=a).first()
    assert other is not None and kept is not None
    refused = pytest.raises(IntegrityError, match="planning_action_services_service_id_dfk")
    with refused, transaction.atomic():
        ActionService.objects.create(district=a, action=kept, service=other)
        _check_deferred_keys()
