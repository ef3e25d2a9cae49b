"""Operations that change the tables: one transaction each, audited, with Italian errors.

Every service checks the permission itself (``rules.py``), so views, the API, commands and the
planning room all go through the same rules.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tessere.core import audit
from tessere.core.errors import DomainError, PermissionDenied
from tessere.core.models import AuditEntry, User
from tessere.directory.models import Organisation
from tessere.participation import rules as prules
from tessere.participation.models import (
    Attachment,
    Attendance,
    Comment,
    Contribution,
    Criterion,
    DotVote,
    Meeting,
    Member,
    MinutesApproval,
    Outcome,
    Phase,
    Score,
    StatusChange,
    Support,
    Table,
    Territory,
)
from tessere.participation.tasks import send_emails
from tessere.profile.models import Need
from tessere.territory.models import District, Municipality, Neighbourhood, SubDistrict

DEFAULT_CRITERIA = [("Rilevanza", 3), ("Urgenza", 2), ("Fattibilità", 2), ("Persone raggiunte", 1)]

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Extension → (content type, leading bytes that must match; empty = text, checked as UTF-8).
ATTACHMENT_TYPES: dict[str, tuple[str, bytes]] = {
    "pdf": ("application/pdf", b"%PDF-"),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    "odt": ("application/vnd.oasis.opendocument.text", b"PK\x03\x04"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", b"PK\x03\x04"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
    ),
    "csv": ("text/csv", b""),
    "txt": ("text/plain", b""),
}

STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    Contribution.Status.RECEIVED: frozenset(
        {
            Contribution.Status.UNDER_EVALUATION,
            Contribution.Status.ACCEPTED,
            Contribution.Status.MERGED,
            Contribution.Status.REJECTED,
        }
    ),
    Contribution.Status.UNDER_EVALUATION: frozenset(
        {Contribution.Status.ACCEPTED, Contribution.Status.MERGED, Contribution.Status.REJECTED}
    ),
    Contribution.Status.ACCEPTED: frozenset({Contribution.Status.UNDER_EVALUATION}),
    Contribution.Status.MERGED: frozenset({Contribution.Status.UNDER_EVALUATION}),
    Contribution.Status.REJECTED: frozenset({Contribution.Status.UNDER_EVALUATION}),
}
REASON_REQUIRED = {Contribution.Status.MERGED, Contribution.Status.REJECTED}


def _require(user: User | None, perm: str, obj: Any, message: str) -> None:
    if user is None or not user.has_perm(perm, obj):
        raise PermissionDenied(message)


def _acting_member(actor: User, table: Table) -> Member:
    member = prules.member_row(actor, table)
    if member is None:
        raise PermissionDenied(_("Solo i membri del tavolo possono farlo."))
    return member


def _actor_label(actor: User | None) -> str:
    return str(actor) if actor is not None else _("sistema")


def _notify(messages: list[list[str]]) -> None:
    """Send e-mails once the transaction has committed (never for a rolled-back change)."""
    messages = [m for m in messages if m[2]]
    if messages:
        transaction.on_commit(lambda: send_emails.enqueue(messages))


def _territory(
    *,
    district: District,
    territory: str,
    subdistrict: SubDistrict | None,
    municipality: Municipality | None,
    neighbourhood: Neighbourhood | None,
) -> dict[str, Any]:
    if territory not in Territory.values:
        raise DomainError(_("Territorio non valido."))
    values: dict[str, Any] = {
        "territory": territory,
        "subdistrict": None,
        "municipality": None,
        "neighbourhood": None,
    }
    if territory == Territory.SUBDISTRICT:
        if subdistrict is None or subdistrict.district_id != district.pk:
            raise DomainError(_("Scegli un sub-ambito di questo ambito."))
        values["subdistrict"] = subdistrict
    elif territory == Territory.MUNICIPALITY:
        if municipality is None or not district.municipalities.filter(pk=municipality.pk).exists():
            raise DomainError(_("Scegli un comune di questo ambito."))
        values["municipality"] = municipality
    elif territory == Territory.NEIGHBOURHOOD:
        if neighbourhood is None or neighbourhood.district_id != district.pk:
            raise DomainError(_("Scegli un quartiere di questo ambito."))
        values["neighbourhood"] = neighbourhood
    return values


# Tables and members -------------------------------------------------------------------------


def _check_phases(phases: Mapping[str, tuple[datetime.date, datetime.date]]) -> None:
    errors = []
    for kind, (start, end) in phases.items():
        if kind not in Phase.Kind.values:
            errors.append(_("Fase sconosciuta: %(kind)s.") % {"kind": kind})
        elif end < start:
            label = Phase.Kind(kind).label
            errors.append(_("La fase «%(phase)s» finisce prima di iniziare.") % {"phase": label})
    ordered = sorted(phases.values())
    for (_s1, e1), (s2, _e2) in itertools.pairwise(ordered):
        if s2 <= e1:
            errors.append(_("Le fasi non possono sovrapporsi."))
            break
    if errors:
        raise DomainError(_("Le date delle fasi non sono valide."), details=errors)


@transaction.atomic
def create_table(
    *,
    actor: User | None,
    district: District,
    kind: str,
    title: str,
    plan_cycle: str,
    description: str = "",
    area: str = "",
    territory: str = Territory.DISTRICT,
    subdistrict: SubDistrict | None = None,
    municipality: Municipality | None = None,
    neighbourhood: Neighbourhood | None = None,
    coordinator: User | None = None,
    visibility: str = Table.Visibility.PUBLIC,
    public_consultation: bool = False,
    method: str = Table.Method.SCORING,
    dot_budget: int = 10,
    phases: Mapping[str, tuple[datetime.date, datetime.date]] | None = None,
    criteria: Iterable[tuple[str, int]] | None = None,
    is_demo: bool = False,
) -> Table:
    if actor is not None:
        _require(
            actor,
            "participation.add_table",
            district,
            _("Solo l'Ufficio di Piano dell'ambito può creare un tavolo."),
        )
    title = title.strip()
    if not title:
        raise DomainError(_("Il titolo è obbligatorio."))
    if kind not in Table.Kind.values:
        raise DomainError(_("Tipo di tavolo non valido."))
    start_year, _sep, end_year = plan_cycle.partition("-")
    if not (
        len(plan_cycle) == 9
        and start_year.isdigit()
        and end_year.isdigit()
        and 0 < int(end_year) - int(start_year) <= 5
    ):
        raise DomainError(_("Il ciclo del piano va scritto come 2025-2027."))
    if dot_budget < 1 or dot_budget > 100:
        raise DomainError(_("I punti per membro vanno da 1 a 100."))
    phases = dict(phases or {})
    _check_phases(phases)
    table = Table.objects.create(
        district=district,
        kind=kind,
        title=title,
        description=description,
        area=area,
        coordinator=coordinator,
        plan_cycle=plan_cycle,
        visibility=visibility,
        public_consultation=public_consultation,
        method=method,
        dot_budget=dot_budget,
        is_demo=is_demo,
        **_territory(
            district=district,
            territory=territory,
            subdistrict=subdistrict,
            municipality=municipality,
            neighbourhood=neighbourhood,
        ),
    )
    audit.record_create(actor=actor, obj=table, district_id=district.pk)
    for kind_, (start, end) in phases.items():
        Phase.objects.create(
            district=district, table=table, kind=kind_, starts_on=start, ends_on=end
        )
    for position, (name, weight) in enumerate(DEFAULT_CRITERIA if criteria is None else criteria):
        if not 1 <= weight <= 10:
            raise DomainError(_("Il peso di un criterio va da 1 a 10."))
        Criterion.objects.create(
            district=district, table=table, name=name, weight=weight, position=position
        )
    if coordinator is not None:
        Member.objects.create(
            district=district,
            table=table,
            user=coordinator,
            name=str(coordinator),
            email=coordinator.email,
            role=Member.Role.COORDINATOR,
            is_demo=is_demo,
        )
    return table


@transaction.atomic
def set_phases(
    *,
    actor: User | None,
    table: Table,
    phases: Mapping[str, tuple[datetime.date, datetime.date]],
) -> None:
    if actor is not None:
        _require(actor, "participation.manage_table", table, _("Non gestisci questo tavolo."))
    _check_phases(phases)
    for old in Phase.objects.filter(table=table):
        audit.record_delete(actor=actor, obj=old, district_id=table.district_id)
        old.delete()
    for kind, (start, end) in phases.items():
        phase = Phase.objects.create(
            district_id=table.district_id, table=table, kind=kind, starts_on=start, ends_on=end
        )
        audit.record_create(actor=actor, obj=phase, district_id=table.district_id)


@transaction.atomic
def add_member(
    *,
    actor: User | None,
    table: Table,
    role: str = Member.Role.MEMBER,
    organisation: Organisation | None = None,
    user: User | None = None,
    name: str = "",
    email: str = "",
    is_demo: bool = False,
) -> Member:
    if actor is not None:
        _require(actor, "participation.manage_table", table, _("Non gestisci questo tavolo."))
    if role not in Member.Role.values:
        raise DomainError(_("Ruolo non valido."))
    name = name.strip()
    if organisation is None and user is None and not name:
        raise DomainError(_("Indica un ente, un utente o il nome di una persona."))
    if organisation is not None and organisation.district_id != table.district_id:
        raise DomainError(_("L'ente non appartiene a questo ambito."))
    if user is not None and not name:
        name = str(user)
    if user is not None and not email:
        email = user.email
    try:
        with transaction.atomic():
            member = Member.objects.create(
                district_id=table.district_id,
                table=table,
                organisation=organisation,
                user=user,
                name=name,
                email=email,
                role=role,
                is_demo=is_demo,
            )
    except IntegrityError as error:
        raise DomainError(_("Questo membro fa già parte del tavolo.")) from error
    audit.record_create(actor=actor, obj=member, district_id=table.district_id)
    return member


@transaction.atomic
def remove_member(*, actor: User | None, member: Member) -> None:
    if actor is not None:
        _require(
            actor, "participation.manage_table", member.table, _("Non gestisci questo tavolo.")
        )
    audit.record_delete(actor=actor, obj=member, district_id=member.district_id)
    member.delete()


# Meetings -----------------------------------------------------------------------------------


@transaction.atomic
def schedule_meeting(
    *,
    actor: User | None,
    table: Table,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str = "",
    online_url: str = "",
    agenda: str = "",
    is_demo: bool = False,
) -> Meeting:
    if actor is not None:
        _require(actor, "participation.manage_table", table, _("Non gestisci questo tavolo."))
    errors = []
    if not title.strip():
        errors.append(_("Il titolo è obbligatorio."))
    if ends_at <= starts_at:
        errors.append(_("L'incontro deve finire dopo l'inizio."))
    if not place.strip() and not online_url.strip():
        errors.append(_("Indica un luogo o un collegamento online."))
    if online_url and not online_url.startswith(("https://", "http://")):
        errors.append(_("Il collegamento online deve iniziare con https://."))
    if errors:
        raise DomainError(_("L'incontro non è valido."), details=errors)
    meeting = Meeting.objects.create(
        district_id=table.district_id,
        table=table,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        online_url=online_url.strip(),
        agenda=agenda,
        is_demo=is_demo,
    )
    audit.record_create(actor=actor, obj=meeting, district_id=table.district_id)
    return meeting


def _meeting_when(meeting: Meeting) -> str:
    local = timezone.localtime(meeting.starts_at)
    return local.strftime("%d/%m/%Y %H:%M")


@transaction.atomic
def send_invitations(*, actor: User | None, meeting: Meeting, base_url: str = "") -> int:
    """E-mail the invitation to every member with an address; returns how many."""
    table = meeting.table
    if actor is not None:
        _require(actor, "participation.manage_table", table, _("Non gestisci questo tavolo."))
    members = Member.objects.filter(table=table).select_related("user")
    agenda = "\n".join(f"- {item}" for item in meeting.agenda_items)
    where = meeting.place or meeting.online_url
    messages = []
    for member in members:
        email = member.email or (member.user.email if member.user else "")
        if not email:
            continue
        subject = _("Invito: %(title)s (%(when)s)") % {
            "title": meeting.title,
            "when": _meeting_when(meeting),
        }
        body = _(
            "Gentile %(name)s,\n\nsei invitato all'incontro «%(title)s» del tavolo "
            "«%(table)s».\n\nQuando: %(when)s\nDove: %(where)s\n\nOrdine del giorno:\n%(agenda)s"
            "\n\n%(url)s\n"
        ) % {
            "name": member.label,
            "title": meeting.title,
            "table": table.title,
            "when": _meeting_when(meeting),
            "where": where,
            "agenda": agenda or "-",
            "url": base_url,
        }
        messages.append([subject, body, email])
    before = audit.snapshot(meeting)
    meeting.invitations_sent_at = timezone.now()
    meeting.save(update_fields=["invitations_sent_at"])
    audit.record_update(actor=actor, obj=meeting, before=before, district_id=meeting.district_id)
    _notify(messages)
    return len(messages)


@transaction.atomic
def record_minutes(
    *,
    actor: User | None,
    meeting: Meeting,
    minutes: str,
    decisions: str = "",
    present_member_ids: Iterable[int] = (),
    guests: Iterable[str] = (),
) -> Meeting:
    """Write (or rewrite) the minutes and attendance; earlier approvals no longer hold."""
    if actor is not None:
        _require(
            actor, "participation.manage_table", meeting.table, _("Non gestisci questo tavolo.")
        )
    if not minutes.strip():
        raise DomainError(_("Il verbale non può essere vuoto."))
    before = audit.snapshot(meeting)
    members = {
        m.pk: m
        for m in Member.objects.filter(table_id=meeting.table_id, pk__in=list(present_member_ids))
    }
    if len(members) != len(set(present_member_ids)):
        raise DomainError(_("Tra i presenti c'è chi non è membro del tavolo."))
    Attendance.objects.filter(meeting=meeting).delete()
    rows = [
        Attendance(
            district_id=meeting.district_id,
            meeting=meeting,
            member=member,
            name=member.name or member.label,
            organisation_id=member.organisation_id,
        )
        for member in members.values()
    ]
    rows += [
        Attendance(district_id=meeting.district_id, meeting=meeting, name=guest.strip())
        for guest in guests
        if guest.strip()
    ]
    Attendance.objects.bulk_create(rows)
    MinutesApproval.objects.filter(meeting=meeting).delete()
    meeting.minutes = minutes
    meeting.decisions = decisions
    meeting.minutes_status = Meeting.MinutesStatus.DRAFT
    meeting.minutes_approved_at = None
    meeting.save()
    audit.record_update(actor=actor, obj=meeting, before=before, district_id=meeting.district_id)
    return meeting


def approvals_needed(meeting: Meeting) -> int:
    """A majority of the voting members (coordinators and members, not observers)."""
    voting = Member.objects.filter(table_id=meeting.table_id).exclude(role=Member.Role.OBSERVER)
    return voting.count() // 2 + 1


@transaction.atomic
def approve_minutes(*, actor: User, meeting: Meeting) -> Meeting:
    table = meeting.table
    _require(
        actor,
        "participation.approve_minutes",
        table,
        _("Solo i membri del tavolo approvano il verbale."),
    )
    if meeting.minutes_status == Meeting.MinutesStatus.NONE:
        raise DomainError(_("Il verbale non è ancora stato scritto."))
    if meeting.minutes_status == Meeting.MinutesStatus.APPROVED:
        raise DomainError(_("Il verbale è già approvato."))
    member = _acting_member(actor, table)
    approval, created = MinutesApproval.objects.get_or_create(
        meeting=meeting,
        member=member,
        defaults={"district_id": meeting.district_id, "by": actor},
    )
    if not created:
        raise DomainError(_("Hai già approvato questo verbale."))
    audit.record_create(actor=actor, obj=approval, district_id=meeting.district_id)
    if MinutesApproval.objects.filter(meeting=meeting).count() >= approvals_needed(meeting):
        before = audit.snapshot(meeting)
        meeting.minutes_status = Meeting.MinutesStatus.APPROVED
        meeting.minutes_approved_at = timezone.now()
        meeting.save(update_fields=["minutes_status", "minutes_approved_at"])
        audit.record_update(
            actor=actor, obj=meeting, before=before, district_id=meeting.district_id
        )
    return meeting


@transaction.atomic
def add_attachment(
    *, actor: User | None, meeting: Meeting, title: str, upload: UploadedFile
) -> Attachment:
    if actor is not None:
        _require(
            actor, "participation.manage_table", meeting.table, _("Non gestisci questo tavolo.")
        )
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ATTACHMENT_TYPES:
        raise DomainError(
            _("Tipo di file non ammesso. Ammessi: %(types)s.")
            % {"types": ", ".join(sorted(ATTACHMENT_TYPES))}
        )
    size = upload.size or 0
    if size == 0:
        raise DomainError(_("Il file è vuoto."))
    if size > MAX_ATTACHMENT_BYTES:
        raise DomainError(_("Il file supera il limite di 10 MB."))
    content_type, magic = ATTACHMENT_TYPES[extension]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if magic and not head.startswith(magic):
        raise DomainError(_("Il contenuto del file non corrisponde alla sua estensione."))
    if not magic:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            if len(head) < 2048:
                raise DomainError(_("Il file di testo deve essere in UTF-8.")) from error
    attachment = Attachment(
        district_id=meeting.district_id,
        meeting=meeting,
        title=title.strip() or name,
        content_type=content_type,
        size=size,
    )
    stem = slugify(name.rsplit(".", 1)[0])[:40] or "allegato"
    attachment.file.save(f"{stem}.{extension}", upload, save=False)
    attachment.save()
    # The audit snapshot cannot hold a file: record its name, type and size instead.
    AuditEntry.objects.create(
        actor=actor,
        actor_label=actor.get_username() if actor is not None else "sistema",
        district_id=meeting.district_id,
        action=AuditEntry.Action.CREATE,
        object_type="participation.attachment",
        object_id=str(attachment.pk),
        object_repr=attachment.title[:200],
        changes={
            "meeting": [None, meeting.pk],
            "file": [None, attachment.file.name],
            "content_type": [None, content_type],
            "size": [None, size],
        },
    )
    return attachment


# Contributions ------------------------------------------------------------------------------


def _check_contribution_fields(*, table: Table, kind: str, title: str, text: str) -> None:
    errors = []
    if kind not in Contribution.Kind.values:
        errors.append(_("Tipo di contributo non valido."))
    if not title.strip():
        errors.append(_("Il titolo è obbligatorio."))
    if len(title) > 200:
        errors.append(_("Il titolo può avere al massimo 200 caratteri."))
    if not text.strip():
        errors.append(_("Il testo è obbligatorio."))
    if errors:
        raise DomainError(_("Il contributo non è valido."), details=errors)


def _needs(table: Table, needs: Iterable[Need]) -> list[Need]:
    needs = list(needs)
    if any(need.district_id != table.district_id for need in needs):
        raise DomainError(_("Si possono collegare solo bisogni di questo ambito."))
    return needs


def _start_history(contribution: Contribution, actor: User | None, label: str) -> None:
    StatusChange.objects.create(
        district_id=contribution.district_id,
        contribution=contribution,
        from_status="",
        to_status=contribution.status,
        actor=actor,
        actor_label=label,
    )


@transaction.atomic
def submit_contribution(
    *,
    actor: User,
    table: Table,
    kind: str,
    title: str,
    text: str,
    area: str = "",
    territory: str = Territory.DISTRICT,
    subdistrict: SubDistrict | None = None,
    municipality: Municipality | None = None,
    neighbourhood: Neighbourhood | None = None,
    needs: Iterable[Need] = (),
    is_demo: bool = False,
) -> Contribution:
    """A member (in person or for their organisation) submits in the proposals phase."""
    _require(
        actor,
        "participation.submit_contribution",
        table,
        _("Puoi inviare contributi solo come membro del tavolo, nella fase delle proposte."),
    )
    _check_contribution_fields(table=table, kind=kind, title=title, text=text)
    member = prules.member_row(actor, table)
    contribution = Contribution.objects.create(
        district_id=table.district_id,
        table=table,
        kind=kind,
        title=title.strip(),
        text=text.strip(),
        area=area,
        author_member=member,
        author_user=actor,
        author_name=member.label if member is not None else str(actor),
        author_email=actor.email,
        is_demo=is_demo,
        **_territory(
            district=table.district,
            territory=territory,
            subdistrict=subdistrict,
            municipality=municipality,
            neighbourhood=neighbourhood,
        ),
    )
    contribution.needs.set(
        _needs(table, needs), through_defaults={"district_id": contribution.district_id}
    )
    _start_history(contribution, actor, _actor_label(actor))
    audit.record_create(actor=actor, obj=contribution, district_id=table.district_id)
    return contribution


@transaction.atomic
def submit_citizen_contribution(
    *,
    actor: User | None,
    table: Table,
    name: str,
    email: str,
    kind: str,
    title: str,
    text: str,
    area: str = "",
) -> Contribution:
    """A citizen writes during a public consultation; held until a moderator publishes it."""
    if not (actor or _anonymous()).has_perm("participation.submit_as_citizen", table):
        raise PermissionDenied(_("Su questo tavolo non è aperta una consultazione pubblica."))
    _check_contribution_fields(table=table, kind=kind, title=title, text=text)
    if not name.strip():
        raise DomainError(_("Indica il tuo nome."))
    if len(text) > 5000:
        raise DomainError(_("Il testo può avere al massimo 5.000 caratteri."))
    contribution = Contribution.objects.create(
        district_id=table.district_id,
        table=table,
        kind=kind,
        title=title.strip(),
        text=text.strip(),
        area=area,
        author_user=actor,
        author_name=name.strip(),
        author_email=email.strip(),
        is_citizen=True,
        moderation=Contribution.Moderation.PENDING,
    )
    _start_history(contribution, actor, name.strip())
    audit.record_create(actor=actor, obj=contribution, district_id=table.district_id)
    return contribution


def _anonymous() -> Any:
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


@transaction.atomic
def moderate_contribution(
    *, actor: User, contribution: Contribution, publish: bool, reason: str = ""
) -> Contribution:
    _require(
        actor,
        "participation.moderate_table",
        contribution.table,
        _("Non puoi moderare i contributi di questo tavolo."),
    )
    if contribution.moderation != Contribution.Moderation.PENDING:
        raise DomainError(_("Questo contributo è già stato moderato."))
    if not publish and not reason.strip():
        raise DomainError(_("Spiega perché il contributo non viene pubblicato."))
    before = audit.snapshot(contribution)
    contribution.moderation = (
        Contribution.Moderation.PUBLISHED if publish else Contribution.Moderation.REFUSED
    )
    if not publish:
        contribution.status_reason = reason.strip()
    contribution.save(update_fields=["moderation", "status_reason"])
    audit.record_update(
        actor=actor, obj=contribution, before=before, district_id=contribution.district_id
    )
    if contribution.author_email:
        if publish:
            subject = _("Il tuo contributo è stato pubblicato")
            body = _("Il contributo «%(title)s» è ora visibile sulla pagina del tavolo.") % {
                "title": contribution.title
            }
        else:
            subject = _("Il tuo contributo non è stato pubblicato")
            body = _("Il contributo «%(title)s» non è stato pubblicato. Motivo: %(reason)s") % {
                "title": contribution.title,
                "reason": reason.strip(),
            }
        _notify([[subject, body, contribution.author_email]])
    return contribution


@transaction.atomic
def change_status(
    *,
    actor: User,
    contribution: Contribution,
    status: str,
    reason: str = "",
    merged_into: Contribution | None = None,
    contribution_url: str = "",
) -> Contribution:
    table = contribution.table
    _require(
        actor,
        "participation.evaluate_contribution",
        table,
        _(
            "Solo il coordinamento del tavolo o l'Ufficio di Piano valuta i contributi, "
            "nelle fasi previste."
        ),
    )
    if not contribution.is_published:
        raise DomainError(_("Un contributo non pubblicato non si valuta."))
    if status not in Contribution.Status.values:
        raise DomainError(_("Stato non valido."))
    if status not in STATUS_TRANSITIONS[contribution.status]:
        raise DomainError(
            _("Da «%(from)s» non si può passare a «%(to)s».")
            % {
                "from": Contribution.Status(contribution.status).label,
                "to": Contribution.Status(status).label,
            }
        )
    reason = reason.strip()
    if status in REASON_REQUIRED and not reason:
        raise DomainError(_("Per unire o non accogliere un contributo serve una motivazione."))
    if status == Contribution.Status.MERGED:
        if merged_into is None:
            raise DomainError(_("Indica il contributo in cui viene unito."))
        if merged_into.pk == contribution.pk or merged_into.table_id != contribution.table_id:
            raise DomainError(_("Si può unire solo a un altro contributo dello stesso tavolo."))
        if merged_into.status in (Contribution.Status.MERGED, Contribution.Status.REJECTED):
            raise DomainError(_("Non si può unire a un contributo unito o non accolto."))
    before = audit.snapshot(contribution)
    previous = contribution.status
    contribution.status = status
    contribution.status_reason = reason
    contribution.merged_into = merged_into if status == Contribution.Status.MERGED else None
    contribution.status_changed_at = timezone.now()
    contribution.save(update_fields=["status", "status_reason", "merged_into", "status_changed_at"])
    StatusChange.objects.create(
        district_id=contribution.district_id,
        contribution=contribution,
        from_status=previous,
        to_status=status,
        reason=reason,
        actor=actor,
        actor_label=_actor_label(actor),
    )
    audit.record_update(
        actor=actor, obj=contribution, before=before, district_id=contribution.district_id
    )
    label = Contribution.Status(status).label
    body = _("Il contributo «%(title)s» inviato al tavolo «%(table)s» è ora: %(status)s.") % {
        "title": contribution.title,
        "table": table.title,
        "status": label,
    }
    if reason:
        body += "\n\n" + _("Motivazione: %(reason)s") % {"reason": reason}
    if contribution_url:
        body += "\n\n" + contribution_url
    _notify(
        [
            [
                _("Il tuo contributo è ora: %(status)s") % {"status": label},
                body,
                contribution.author_email,
            ]
        ]
    )
    return contribution


@transaction.atomic
def support(*, actor: User, contribution: Contribution) -> Support:
    table = contribution.table
    _require(
        actor,
        "participation.support_contribution",
        table,
        _("Sostengono i contributi i membri del tavolo, nella fase delle proposte."),
    )
    if not contribution.is_published:
        raise DomainError(_("Questo contributo non è pubblicato."))
    member = _acting_member(actor, table)
    row, created = Support.objects.get_or_create(
        contribution=contribution, member=member, defaults={"district_id": table.district_id}
    )
    if not created:
        raise DomainError(_("Sostieni già questo contributo."))
    Contribution.objects.filter(pk=contribution.pk).update(support_count=F("support_count") + 1)
    audit.record_create(actor=actor, obj=row, district_id=table.district_id)
    return row


@transaction.atomic
def add_comment(*, actor: User, contribution: Contribution, text: str) -> Comment:
    table = contribution.table
    _require(
        actor,
        "participation.comment_contribution",
        table,
        _("In questa fase non puoi commentare i contributi di questo tavolo."),
    )
    text = text.strip()
    if not text:
        raise DomainError(_("Il commento è vuoto."))
    if len(text) > 3000:
        raise DomainError(_("Il commento può avere al massimo 3.000 caratteri."))
    if not contribution.is_published:
        raise DomainError(_("Questo contributo non è pubblicato."))
    comment = Comment.objects.create(
        district_id=table.district_id,
        contribution=contribution,
        author=actor,
        author_label=_actor_label(actor),
        text=text,
    )
    Contribution.objects.filter(pk=contribution.pk).update(comment_count=F("comment_count") + 1)
    audit.record_create(actor=actor, obj=comment, district_id=table.district_id)
    return comment


# Prioritisation -----------------------------------------------------------------------------


def _plain_scores(scores: Mapping[int, Mapping[int, int | None]]) -> dict[str, Any]:
    return {str(cid): {str(k): v for k, v in values.items()} for cid, values in scores.items()}


def _audit_batch(
    *, actor: User | None, table: Table, object_type: str, changes: dict[str, Any]
) -> None:
    """One audit entry for a batch of rows written together (a member's scores or dots)."""
    AuditEntry.objects.create(
        actor=actor,
        actor_label=actor.get_username() if actor is not None else "sistema",
        district_id=table.district_id,
        action=AuditEntry.Action.UPDATE,
        object_type=object_type,
        object_id=str(table.pk),
        object_repr=str(table)[:200],
        changes=changes,
    )


def _rankable(table: Table, contribution_ids: Iterable[int]) -> set[int]:
    ids = set(contribution_ids)
    found = set(
        Contribution.objects.filter(
            table=table,
            pk__in=ids,
            moderation=Contribution.Moderation.PUBLISHED,
        )
        .exclude(status__in=[Contribution.Status.MERGED, Contribution.Status.REJECTED])
        .values_list("pk", flat=True)
    )
    if found != ids:
        raise DomainError(_("Alcuni contributi non sono di questo tavolo o non sono valutabili."))
    return found


@transaction.atomic
def save_scores(
    *,
    actor: User,
    table: Table,
    scores: Mapping[int, Mapping[int, int | None]],
) -> int:
    """Save the acting member's scores: ``{contribution_id: {criterion_id: 1..5 or None}}``.
    None clears a score (not scoring is not scoring zero). Returns the scores written."""
    _require(
        actor,
        "participation.score_contribution",
        table,
        _("Assegnano i punteggi i membri del tavolo, nella fase di prioritizzazione."),
    )
    if table.method != Table.Method.SCORING:
        raise DomainError(_("Questo tavolo usa il voto a punti."))
    member = _acting_member(actor, table)
    criteria = set(Criterion.objects.filter(table=table).values_list("pk", flat=True))
    _rankable(table, scores.keys())
    errors = []
    for by_criterion in scores.values():
        for criterion_id, value in by_criterion.items():
            if criterion_id not in criteria:
                errors.append(_("Criterio sconosciuto."))
            elif value is not None and not 1 <= value <= 5:
                errors.append(_("I punteggi vanno da 1 a 5."))
    if errors:
        raise DomainError(_("I punteggi non sono validi."), details=sorted(set(errors)))
    written = 0
    for contribution_id, by_criterion in scores.items():
        for criterion_id, value in by_criterion.items():
            if value is None:
                Score.objects.filter(
                    contribution_id=contribution_id, criterion_id=criterion_id, member=member
                ).delete()
                continue
            Score.objects.update_or_create(
                contribution_id=contribution_id,
                criterion_id=criterion_id,
                member=member,
                defaults={"value": value, "by": actor, "district_id": table.district_id},
            )
            written += 1
    _audit_batch(
        actor=actor,
        table=table,
        object_type="participation.score",
        changes={"member": [None, member.pk], "scores": [None, _plain_scores(scores)]},
    )
    return written


@transaction.atomic
def save_dot_votes(*, actor: User, table: Table, points: Mapping[int, int]) -> int:
    """Set the acting member's dots on the given contributions (``{contribution_id: points}``,
    0 takes them back); dots on other contributions stay. The total stays within the budget.
    Returns the member's total."""
    _require(
        actor,
        "participation.vote_contribution",
        table,
        _("Votano i membri del tavolo, nella fase di prioritizzazione."),
    )
    if table.method != Table.Method.DOTS:
        raise DomainError(_("Questo tavolo usa la matrice di valutazione."))
    member = _acting_member(actor, table)
    if any(value < 0 for value in points.values()):
        raise DomainError(_("I punti non possono essere negativi."))
    _rankable(table, points.keys())
    others = (
        DotVote.objects.filter(member=member, contribution__table=table)
        .exclude(contribution_id__in=list(points))
        .aggregate(total=Sum("points"))["total"]
        or 0
    )
    total = others + sum(points.values())
    if total > table.dot_budget:
        raise DomainError(
            _("Hai a disposizione %(budget)s punti: ne hai assegnati %(total)s.")
            % {"budget": table.dot_budget, "total": total}
        )
    DotVote.objects.filter(member=member, contribution_id__in=list(points)).delete()
    DotVote.objects.bulk_create(
        [
            DotVote(district_id=table.district_id, contribution_id=cid, member=member, points=value)
            for cid, value in points.items()
            if value > 0
        ]
    )
    _audit_batch(
        actor=actor,
        table=table,
        object_type="participation.dotvote",
        changes={
            "member": [None, member.pk],
            "points": [None, {str(k): v for k, v in points.items()}],
        },
    )
    return total


def points_left(*, table: Table, member: Member) -> int:
    used = DotVote.objects.filter(member=member, contribution__table=table).aggregate(
        total=Sum("points")
    )["total"]
    return table.dot_budget - (used or 0)


# The link to the plan -----------------------------------------------------------------------


@transaction.atomic
def record_outcome(
    *,
    actor: User | None,
    contribution: Contribution,
    source: str,
    label: str,
    url: str = "",
) -> Outcome:
    """Say what became of an accepted contribution (called by the planning room when an
    action of the plan takes it up). ``source`` identifies the writer's record, e.g.
    ``planning.action:42``: calling again with the same source updates the outcome."""
    if contribution.status != Contribution.Status.ACCEPTED:
        raise DomainError(_("Solo un contributo accolto può avere un esito nel piano."))
    if not source.strip() or not label.strip():
        raise DomainError(_("Origine ed esito sono obbligatori."))
    if url and not url.startswith(("/", "https://", "http://")):
        raise DomainError(_("Indirizzo dell'esito non valido."))
    outcome, created = Outcome.objects.update_or_create(
        contribution=contribution,
        source=source.strip(),
        defaults={"district_id": contribution.district_id, "label": label.strip(), "url": url},
    )
    if created:
        audit.record_create(actor=actor, obj=outcome, district_id=contribution.district_id)
    else:
        audit.record_update(
            actor=actor, obj=outcome, before={}, district_id=contribution.district_id
        )
    return outcome


@transaction.atomic
def remove_outcome(*, actor: User | None, contribution: Contribution, source: str) -> None:
    for outcome in Outcome.objects.filter(contribution=contribution, source=source):
        audit.record_delete(actor=actor, obj=outcome, district_id=contribution.district_id)
        outcome.delete()
