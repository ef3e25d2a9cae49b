"""Status workflow, freezing, versions and the rules checks."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from tessere.core.errors import DomainError, PermissionDenied
from tessere.core.models import AuditEntry, User
from tessere.planning import checks, funding, selectors, services
from tessere.planning.models import Allocation, Leps, Plan
from tests.planning.conftest import approve, build_plan

pytestmark = pytest.mark.django_db


def test_new_plan_has_the_default_areas(built):
    codes = [a.code for a in built.plan.areas.all()]
    assert codes[:3] == ["famiglia_minori", "disabilita", "anziani"]
    assert len(codes) == 9


def test_leps_reference_data_is_loaded(leps):
    assert Leps.objects.filter(plan_period="2021-2023").count() >= 7
    ssp = Leps.objects.get(code="SSP", plan_period="2021-2023")
    assert ssp.population_per_unit == 5000
    assert "Gazzetta" in ssp.source or "G.U." in ssp.source


def test_workflow_draft_consultation_approved_in_force_closed(built):
    plan = built.plan
    assert plan.status == Plan.Status.DRAFT
    with pytest.raises(DomainError):
        services.approve_plan(
            actor=None, plan=plan, act_number="1", act_date=datetime.date(2025, 1, 1)
        )
    plan = approve(plan)
    assert plan.status == Plan.Status.APPROVED and plan.act_number == "12/2025"
    plan = services.change_status(actor=None, plan=plan, status=Plan.Status.IN_FORCE)
    with pytest.raises(DomainError):
        services.change_status(actor=None, plan=plan, status=Plan.Status.DRAFT)
    plan = services.change_status(actor=None, plan=plan, status=Plan.Status.CLOSED)
    assert plan.status == Plan.Status.CLOSED


def test_approval_needs_the_act(built):
    services.change_status(actor=None, plan=built.plan, status=Plan.Status.CONSULTATION)
    with pytest.raises(DomainError):
        services.approve_plan(
            actor=None, plan=built.plan, act_number=" ", act_date=datetime.date(2025, 1, 1)
        )
    assert Plan.objects.get(pk=built.plan.pk).status == Plan.Status.CONSULTATION


def test_approval_refuses_broken_rules(built):
    funding.set_allocations(actor=None, plan=built.plan, cells={})
    services.change_status(actor=None, plan=built.plan, status=Plan.Status.CONSULTATION)
    with pytest.raises(DomainError) as caught:
        services.approve_plan(
            actor=None, plan=built.plan, act_number="3", act_date=datetime.date(2025, 1, 1)
        )
    assert any("almeno il 30%" in d for d in caught.value.details)


def test_only_mayors_record_the_approval(built):
    services.change_status(actor=None, plan=built.plan, status=Plan.Status.CONSULTATION)
    with pytest.raises(PermissionDenied):
        services.approve_plan(
            actor=User.objects.get(username="planner_a"),
            plan=built.plan,
            act_number="3",
            act_date=datetime.date(2025, 1, 1),
        )
    plan = services.approve_plan(
        actor=User.objects.get(username="mayor_a"),
        plan=built.plan,
        act_number="3",
        act_date=datetime.date(2025, 1, 1),
    )
    assert plan.status == Plan.Status.APPROVED
    assert AuditEntry.objects.filter(object_type="planning.plan", action="update").exists()


def test_an_approved_plan_is_frozen(built):
    plan = approve(built.plan)
    action = built.actions[0]
    calls = [
        lambda: services.save_area(actor=None, plan=plan, code="x", name="X"),
        lambda: services.save_objective(
            actor=None, plan=plan, area=built.areas["giovani"], title="T", priority=1
        ),
        lambda: services.save_action(
            actor=None, plan=plan, objective=built.objectives[0], code="A9", title="Nuova"
        ),
        lambda: services.delete_action(actor=None, action=action),
        lambda: funding.set_allocations(actor=None, plan=plan, cells={}),
        lambda: funding.apply_proposal(actor=None, plan=plan),
        lambda: funding.delete_fund(actor=None, fund=built.funds["FNA"]),
        lambda: services.save_resource(actor=None, plan=plan, kind="staff", description="AS"),
    ]
    allocations = Allocation.objects.filter(plan=plan).count()
    for call in calls:
        with pytest.raises(DomainError, match="non si può più modificare"):
            call()
    assert Allocation.objects.filter(plan=plan).count() == allocations


def test_planners_of_another_district_cannot_write(built):
    with pytest.raises(PermissionDenied):
        services.save_area(
            actor=User.objects.get(username="planner_b"), plan=built.plan, code="x", name="X"
        )
    with pytest.raises(PermissionDenied):
        funding.set_allocations(
            actor=User.objects.get(username="viewer_a"), plan=built.plan, cells={}
        )


def test_new_version_copies_everything_and_is_a_draft(built):
    plan = approve(built.plan)
    copy = services.new_version(actor=None, plan=plan)
    assert copy.version == 2 and copy.previous == plan and copy.status == Plan.Status.DRAFT
    old, new = selectors.plan_data(plan), selectors.plan_data(copy)
    assert [a.code for a in new.actions] == [a.code for a in old.actions]
    assert len(new.allocations) == len(old.allocations)
    assert checks.totals(new).total == checks.totals(old).total
    assert [a.title for a in new.actions] == [a.title for a in old.actions]
    assert not any(c.ok is False for c in checks.checks(new))
    # The copy is editable, the original is not.
    services.save_area(actor=None, plan=copy, code="nuova", name="Nuova area")


def test_rules_checks_show_met_and_broken_rules_with_amounts(built):
    data = selectors.plan_data(built.plan)
    results = checks.checks(data)
    assert results and all(c.ok for c in results)
    fnps, fna = built.funds["FNPS"], built.funds["FNA"]
    family_action = built.actions[0]  # famiglia_minori
    cells = {
        (fnps.pk, family_action.pk, 2025): Decimal("1000"),
        (fna.pk, family_action.pk, 2025): Decimal("20000"),  # ineligible, over the fund, cost
    }
    funding.set_allocations(actor=None, plan=built.plan, cells=cells)
    broken = {c.rule: c.message for c in checks.checks(selectors.plan_data(built.plan)) if not c.ok}
    assert set(broken) >= {"fund_year", "eligible", "min_share", "cost"}
    assert "20.000 €" in broken["eligible"]
    assert "FNPS: almeno il 30%" in broken["min_share"]
    t = checks.totals(selectors.plan_data(built.plan))
    assert t.total == Decimal("21000")
    assert t.unfunded[built.actions[1].pk, 2025] == Decimal("10000")


def test_bad_input_writes_nothing(built):
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError):
        services.save_action(
            actor=None,
            plan=built.plan,
            objective=built.objectives[0],
            code="NEW",
            title="Azione",
            costs={2025: "10", 2031: "5"},
        )
    with pytest.raises(DomainError):
        funding.set_allocations(
            actor=None,
            plan=built.plan,
            cells={(built.funds["FNPS"].pk, built.actions[0].pk, 2025): "-5"},
        )
    assert AuditEntry.objects.count() == before
    assert not built.plan.actions.filter(code="NEW").exists()


def test_optimiser_on_the_plan_meets_every_rule(districts):
    built = build_plan(districts.b, actions=8)
    data = selectors.plan_data(built.plan)
    assert all(c.ok for c in checks.checks(data))
    proposal = funding.propose(built.plan)
    assert proposal["status"] == "optimal"
