from __future__ import annotations

from tessere.monitoring import demo
from tessere.monitoring.models import ActionIndicator, Measurement, ProgressEntry, Spending
from tessere.planning import demo as planning_demo


def test_demo_is_idempotent(districts) -> None:  # type: ignore[no-untyped-def]
    planning_demo.load(districts=[districts.a])
    lines = demo.load(districts=[districts.a])
    assert len(lines) == 2
    counts = (
        ActionIndicator.objects.count(),
        Measurement.objects.count(),
        ProgressEntry.objects.count(),
        Spending.objects.count(),
    )
    # 13 actions with one indicator each (4 quarterly values), and the two automatic ones.
    assert counts[0] == 15 and counts[1] >= 52 and counts[2] == 26 and counts[3] > 0
    assert demo.load(districts=[districts.a]) == []
    assert (
        ActionIndicator.objects.count(),
        Measurement.objects.count(),
        ProgressEntry.objects.count(),
        Spending.objects.count(),
    ) == counts


def test_accountability_page_shows_the_contributions_each_action_answers(client, districts):  # type: ignore[no-untyped-def]
    from django.urls import reverse

    from tessere.participation import demo as participation_demo
    from tessere.planning.models import Action

    participation_demo.load(districts=[districts.a])
    planning_demo.load(districts=[districts.a])
    demo.load(districts=[districts.a])
    linked = [
        (action, c)
        for action in Action.objects.filter(district=districts.a).prefetch_related(
            "origin_contributions__table"
        )
        for c in action.origin_contributions.all()
        if c.table.is_public
    ]
    assert linked, "the demo links public contributions to actions"
    html = client.get(reverse("monitoring:public", args=[districts.a.code])).content.decode()
    for action, contribution in linked:
        assert f'data-testid="origins-{action.code}"' in html
        url = reverse(
            "participation:contribution",
            args=[districts.a.code, contribution.table_id, contribution.pk],
        )
        assert f'href="{url}"' in html


def test_demo_shows_reminders_and_automatic_indicators(districts) -> None:  # type: ignore[no-untyped-def]
    import datetime

    from tessere.monitoring import reminders

    planning_demo.load(districts=[districts.a])
    demo.load(districts=[districts.a])
    sources = set(ActionIndicator.objects.exclude(source="").values_list("source", flat=True))
    assert sources == {"projects_signed", "days_to_project"}
    assert ActionIndicator.objects.filter(responsible_email=demo.DEMO_EMAIL).count() == 5
    plan = ActionIndicator.objects.first().action.plan  # type: ignore[union-attr]
    due = reminders.due_and_missing([plan], datetime.date(plan.first_year + 1, 11, 23))
    assert due, "the quarters after the first year are due and missing"
