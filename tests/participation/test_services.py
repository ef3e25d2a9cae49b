"""Services: status workflow with reasons, moderation, minutes, attachments, e-mails, outcome."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tessere.core.errors import DomainError, PermissionDenied
from tessere.core.models import AuditEntry, User
from tessere.participation import services
from tessere.participation.markdown import render
from tessere.participation.models import (
    Attachment,
    Contribution,
    Meeting,
    Member,
    StatusChange,
    Table,
)
from tests.participation.conftest import add_contribution

pytestmark = pytest.mark.django_db

S = Contribution.Status


def test_member_submits_in_the_proposals_phase_only(make_table):
    world = make_table(phase="proposals")
    contribution = services.submit_contribution(
        actor=world.member,
        table=world.table,
        kind="proposal",
        title="Centro diurno aperto il sabato",
        text="Apertura anche il sabato.",
        area="anziani",
    )
    assert contribution.status == S.RECEIVED
    assert contribution.author_member.user == world.member
    assert contribution.status_changes.count() == 1
    assert AuditEntry.objects.filter(object_type="participation.contribution").exists()

    world.set_phase("prioritisation")
    with pytest.raises(PermissionDenied):
        services.submit_contribution(
            actor=world.member, table=world.table, kind="proposal", title="T", text="x"
        )


def test_bad_contribution_writes_nothing(make_table):
    world = make_table()
    before = Contribution.objects.count()
    with pytest.raises(DomainError) as error:
        services.submit_contribution(
            actor=world.member, table=world.table, kind="wish", title=" ", text=""
        )
    assert len(error.value.details) == 3
    assert Contribution.objects.count() == before


def test_status_workflow_with_reasons_history_and_notification(
    make_table, django_capture_on_commit_callbacks
):
    world = make_table(phase="proposals")
    planner = User.objects.get(username="planner_a")
    first = add_contribution(world.table, "Prima")
    second = add_contribution(world.table, "Seconda")

    with pytest.raises(DomainError, match="motivazione"):
        services.change_status(actor=planner, contribution=first, status=S.REJECTED)
    with pytest.raises(DomainError, match="unito"):
        services.change_status(
            actor=planner, contribution=first, status=S.MERGED, reason="doppione"
        )
    with pytest.raises(PermissionDenied):
        services.change_status(actor=world.member, contribution=first, status=S.ACCEPTED)

    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(actor=planner, contribution=first, status=S.UNDER_EVALUATION)
        services.change_status(
            actor=world.coordinator,
            contribution=first,
            status=S.MERGED,
            reason="Stessa idea della seconda.",
            merged_into=second,
        )
    first.refresh_from_db()
    assert first.status == S.MERGED and first.merged_into == second
    assert first.status_reason == "Stessa idea della seconda."
    history = list(StatusChange.objects.filter(contribution=first).order_by("id"))
    assert [(h.from_status, h.to_status) for h in history] == [
        ("", S.RECEIVED),
        (S.RECEIVED, S.UNDER_EVALUATION),
        (S.UNDER_EVALUATION, S.MERGED),
    ]
    assert history[-1].actor == world.coordinator and history[-1].reason
    assert len(mail.outbox) == 2
    assert mail.outbox[-1].to == ["autore@example.org"]
    assert "Stessa idea della seconda." in mail.outbox[-1].body

    # A closed contribution can only be reopened.
    with pytest.raises(DomainError, match="non si può passare"):
        services.change_status(actor=planner, contribution=first, status=S.ACCEPTED)
    services.change_status(actor=planner, contribution=first, status=S.UNDER_EVALUATION)
    services.change_status(actor=planner, contribution=first, status=S.ACCEPTED)
    first.refresh_from_db()
    assert first.merged_into is None and first.status == S.ACCEPTED


def test_evaluation_is_closed_in_the_listening_phase(make_table):
    world = make_table(phase="listening")
    contribution = add_contribution(world.table)
    with pytest.raises(PermissionDenied):
        services.change_status(
            actor=User.objects.get(username="planner_a"),
            contribution=contribution,
            status=S.ACCEPTED,
        )


def test_public_consultation_is_moderated(make_table, django_capture_on_commit_callbacks):
    world = make_table(phase="proposals", consultation=True)
    contribution = services.submit_citizen_contribution(
        actor=None,
        table=world.table,
        name="Giovanna",
        email="giovanna@example.org",
        kind="need",
        title="Mancano trasporti per le visite",
        text="Dalla frazione non ci sono autobus per l'ospedale.",
    )
    assert contribution.moderation == Contribution.Moderation.PENDING and contribution.is_citizen
    with pytest.raises(PermissionDenied):
        services.moderate_contribution(actor=world.member, contribution=contribution, publish=True)
    with pytest.raises(DomainError, match="perché"):
        services.moderate_contribution(
            actor=world.coordinator, contribution=contribution, publish=False
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.moderate_contribution(
            actor=world.coordinator, contribution=contribution, publish=True
        )
    assert contribution.moderation == Contribution.Moderation.PUBLISHED
    assert mail.outbox[-1].to == ["giovanna@example.org"]

    closed = make_table(phase="proposals", consultation=False, title="Chiuso")
    with pytest.raises(PermissionDenied):
        services.submit_citizen_contribution(
            actor=None, table=closed.table, name="X", email="", kind="need", title="T", text="t"
        )


def test_minutes_need_a_majority_of_voting_members(make_table):
    world = make_table()
    now = timezone.now()
    meeting = services.schedule_meeting(
        actor=world.coordinator,
        table=world.table,
        title="Incontro",
        starts_at=now,
        ends_at=now + datetime.timedelta(hours=2),
        place="Sala",
    )
    present = list(Member.objects.filter(table=world.table).values_list("pk", flat=True))
    services.record_minutes(
        actor=world.coordinator,
        meeting=meeting,
        minutes="# Sintesi\n\nTesto",
        present_member_ids=present,
        guests=["Ospite"],
    )
    assert meeting.attendances.count() == len(present) + 1
    # coordinator, member, organisation vote; the observer does not: 3 → majority 2.
    assert services.approvals_needed(meeting) == 2
    with pytest.raises(PermissionDenied):
        services.approve_minutes(actor=world.observer, meeting=meeting)
    services.approve_minutes(actor=world.member, meeting=meeting)
    with pytest.raises(DomainError, match="già approvato"):
        services.approve_minutes(actor=world.member, meeting=meeting)
    assert meeting.minutes_status == Meeting.MinutesStatus.DRAFT
    services.approve_minutes(actor=User.objects.get(username="provider_a"), meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.minutes_status == Meeting.MinutesStatus.APPROVED


def test_meeting_checks_and_invitations(make_table, django_capture_on_commit_callbacks):
    world = make_table()
    now = timezone.now()
    with pytest.raises(DomainError) as error:
        services.schedule_meeting(
            actor=world.coordinator, table=world.table, title="", starts_at=now, ends_at=now
        )
    assert len(error.value.details) == 3
    with pytest.raises(PermissionDenied):
        services.schedule_meeting(
            actor=world.member,
            table=world.table,
            title="T",
            starts_at=now,
            ends_at=now + datetime.timedelta(hours=1),
            place="Sala",
        )
    meeting = services.schedule_meeting(
        actor=world.coordinator,
        table=world.table,
        title="Incontro",
        starts_at=now,
        ends_at=now + datetime.timedelta(hours=1),
        online_url="https://meet.example.org/x",
        agenda="Uno\nDue",
    )
    services.add_member(actor=None, table=world.table, name="Senza account", email="p@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.send_invitations(actor=world.coordinator, meeting=meeting)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert sent == len(recipients) == 4  # three users and the person without an account
    assert "p@example.org" in recipients
    assert "- Due" in mail.outbox[0].body


def test_attachments_are_checked(make_table, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = make_table()
    now = timezone.now()
    meeting = services.schedule_meeting(
        actor=world.coordinator,
        table=world.table,
        title="Incontro",
        starts_at=now,
        ends_at=now + datetime.timedelta(hours=1),
        place="Sala",
    )

    def attach(name: str, content: bytes) -> Attachment:
        return services.add_attachment(
            actor=world.coordinator,
            meeting=meeting,
            title="",
            upload=SimpleUploadedFile(name, content),
        )

    with pytest.raises(DomainError, match="Tipo di file"):
        attach("virus.exe", b"MZ....")
    with pytest.raises(DomainError, match="non corrisponde"):
        attach("finto.pdf", b"<html>not a pdf</html>")
    with pytest.raises(DomainError, match="vuoto"):
        attach("vuoto.txt", b"")
    services.MAX_ATTACHMENT_BYTES, old = 10, services.MAX_ATTACHMENT_BYTES
    try:
        with pytest.raises(DomainError, match="10 MB"):
            attach("grande.txt", b"x" * 11)
    finally:
        services.MAX_ATTACHMENT_BYTES = old
    good = attach("presentazione.pdf", b"%PDF-1.7\n...")
    assert good.content_type == "application/pdf" and good.size == 12
    assert Attachment.objects.filter(meeting=meeting).count() == 1


def test_dot_votes_stay_within_the_budget(make_table):
    world = make_table(phase="prioritisation", method=Table.Method.DOTS)
    one = add_contribution(world.table, "Una")
    two = add_contribution(world.table, "Due")
    services.save_dot_votes(actor=world.member, table=world.table, points={one.pk: 3})
    with pytest.raises(DomainError, match="5 punti"):
        services.save_dot_votes(actor=world.member, table=world.table, points={two.pk: 3})
    assert services.save_dot_votes(actor=world.member, table=world.table, points={two.pk: 2}) == 5
    with pytest.raises(DomainError, match="matrice"):
        world.table.method = Table.Method.SCORING
        services.save_dot_votes(actor=world.member, table=world.table, points={two.pk: 0})


def test_superuser_without_a_member_row_cannot_score(make_table):
    world = make_table(phase="prioritisation")
    one = add_contribution(world.table, "Una")
    criterion = world.table.criteria.first()
    with pytest.raises(PermissionDenied):
        services.save_scores(
            actor=User.objects.get(username="superuser"),
            table=world.table,
            scores={one.pk: {criterion.pk: 3}},
        )


def test_outcome_only_for_accepted_contributions(make_table):
    world = make_table()
    contribution = add_contribution(world.table)
    with pytest.raises(DomainError, match="accolto"):
        services.record_outcome(
            actor=None, contribution=contribution, source="planning.action:1", label="Azione 1"
        )
    contribution.status = S.ACCEPTED
    contribution.save()
    services.record_outcome(
        actor=None, contribution=contribution, source="planning.action:1", label="Azione 1"
    )
    services.record_outcome(
        actor=None, contribution=contribution, source="planning.action:1", label="Azione 1 bis"
    )
    assert [o.label for o in contribution.outcomes.all()] == ["Azione 1 bis"]


def test_table_creation_checks(districts):
    planner = User.objects.get(username="planner_a")
    with pytest.raises(DomainError, match="2025-2027"):
        services.create_table(
            actor=planner, district=districts.a, kind="thematic", title="T", plan_cycle="2025"
        )
    with pytest.raises(PermissionDenied):
        services.create_table(
            actor=User.objects.get(username="planner_b"),
            district=districts.a,
            kind="thematic",
            title="T",
            plan_cycle="2025-2027",
        )
    today = timezone.localdate()
    with pytest.raises(DomainError) as error:
        services.create_table(
            actor=planner,
            district=districts.a,
            kind="thematic",
            title="T",
            plan_cycle="2025-2027",
            phases={
                "listening": (today, today + datetime.timedelta(days=10)),
                "proposals": (today + datetime.timedelta(days=5), today),
            },
        )
    assert len(error.value.details) == 2
    assert not Table.objects.filter(title="T").exists()


def test_markdown_is_sanitised():
    html = render(
        "# Titolo\n\n<script>alert(1)</script> **forte** e *corsivo*\n\n- uno\n- due\n\n"
        "[buono](https://example.org) [cattivo](javascript:alert(1))"
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<h2>Titolo</h2>" in html
    assert "<strong>forte</strong>" in html and "<em>corsivo</em>" in html
    assert "<ul>\n<li>uno</li>\n<li>due</li>\n</ul>" in html
    assert '<a href="https://example.org">buono</a>' in html
    assert 'href="javascript' not in html


def test_anonymous_user_reads_but_cannot_act(make_table):
    world = make_table()
    assert AnonymousUser().has_perm("participation.view_table", world.table)
    assert not AnonymousUser().has_perm("participation.submit_contribution", world.table)
