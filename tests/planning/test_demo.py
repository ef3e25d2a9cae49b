"""Demo data: an approved example plan per demo district, rules met, idempotent."""

from __future__ import annotations

import pytest

from tessere.planning import checks, demo, selectors
from tessere.planning.models import Plan
from tessere.territory.models import District

pytestmark = pytest.mark.django_db


def test_demo_plans_are_approved_meet_every_rule_and_load_once(districts, leps):
    every = list(District.objects.filter(is_demo=True))
    lines = demo.load(districts=every)
    assert len(lines) == len(every) == 3
    for plan in Plan.objects.filter(district__in=every):
        assert plan.status == Plan.Status.APPROVED and plan.is_example
        assert plan.act_number and plan.act_date
        data = selectors.plan_data(plan)
        assert 10 <= len(data.actions) <= 15
        assert {f.code for f in data.funds} >= {"FNPS", "FNA", "POVERTA", "REGIONALE", "COMUNALE"}
        assert data.allocations
        assert all(c.ok for c in checks.checks(data)), [
            c.message for c in checks.checks(data) if not c.ok
        ]
    assert demo.load(districts=every) == []
    assert Plan.objects.filter(district__in=every).count() == 3
