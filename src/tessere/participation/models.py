"""Co-design tables: tables, phases, members, meetings, contributions and prioritisation.

Every row carries its own ``district`` foreign key (scoping is one indexed filter). Writes go
through ``services.py``; who may do what, in which phase, is declared in ``rules.py``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tessere.core.areas import UserArea


class Territory(models.TextChoices):
    DISTRICT = "district", _("Intero ambito")
    SUBDISTRICT = "subdistrict", _("Sub-ambito")
    MUNICIPALITY = "municipality", _("Comune")
    NEIGHBOURHOOD = "neighbourhood", _("Quartiere")


class TerritoryMixin(models.Model):
    """Where something applies: the whole district or one of its parts."""

    territory = models.CharField(
        _("territorio"), max_length=20, choices=Territory.choices, default=Territory.DISTRICT
    )
    subdistrict = models.ForeignKey(
        "territory.SubDistrict",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sub-ambito"),
    )
    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("comune"),
    )
    neighbourhood = models.ForeignKey(
        "territory.Neighbourhood",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("quartiere"),
    )

    class Meta:
        abstract = True

    def territory_label(self) -> str:
        part = {
            Territory.SUBDISTRICT: self.subdistrict,
            Territory.MUNICIPALITY: self.municipality,
            Territory.NEIGHBOURHOOD: self.neighbourhood,
        }.get(Territory(self.territory))
        return str(part.name) if part is not None else str(Territory(self.territory).label)


class Table(TerritoryMixin):
    """A co-design group (tavolo tematico, di quartiere, laboratorio, ...)."""

    class Kind(models.TextChoices):
        THEMATIC = "thematic", _("Tavolo tematico")
        NEIGHBOURHOOD = "neighbourhood", _("Tavolo di quartiere")
        SUBDISTRICT = "subdistrict", _("Tavolo di sub-ambito")
        WORKSHOP = "workshop", _("Laboratorio")
        STEERING = "steering", _("Cabina di regia")
        MAYORS = "mayors", _("Assemblea dei Sindaci")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Pubblico")
        RESERVED = "reserved", _("Riservato")

    class Method(models.TextChoices):
        SCORING = "scoring", _("Matrice di valutazione con criteri pesati")
        DOTS = "dots", _("Voto a punti")

    district = models.ForeignKey(
        "territory.District", on_delete=models.CASCADE, related_name="participation_tables"
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("titolo"), max_length=200)
    description = models.TextField(_("descrizione"), blank=True)
    area = models.CharField(
        _("area di intervento"), max_length=30, choices=UserArea.choices, blank=True
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_tables",
        verbose_name=_("coordinatore"),
    )
    plan_cycle = models.CharField(_("ciclo del piano"), max_length=9, help_text="2025-2027")
    visibility = models.CharField(
        _("visibilità"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    public_consultation = models.BooleanField(
        _("consultazione pubblica"),
        default=False,
        help_text=_("Nella fase delle proposte anche i cittadini possono inviare contributi."),
    )
    method = models.CharField(
        _("metodo di prioritizzazione"),
        max_length=10,
        choices=Method.choices,
        default=Method.SCORING,
    )
    dot_budget = models.PositiveSmallIntegerField(_("punti per membro"), default=10)
    is_demo = models.BooleanField(_("dati di esempio"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("tavolo")
        verbose_name_plural = _("tavoli")
        indexes = [models.Index(fields=["district", "visibility"], name="ptable_district_vis")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(plan_cycle__regex=r"^[0-9]{4}-[0-9]{4}$"),
                name="ptable_plan_cycle_format",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC

    def phase_on(self, day: datetime.date) -> Phase | None:
        """The phase active on ``day`` (uses prefetched phases when present)."""
        for phase in self.phases.all():
            if phase.starts_on <= day <= phase.ends_on:
                return phase
        return None


class Phase(models.Model):
    class Kind(models.TextChoices):
        LISTENING = "listening", _("Ascolto")
        PROPOSALS = "proposals", _("Proposte")
        PRIORITISATION = "prioritisation", _("Prioritizzazione")
        FEEDBACK = "feedback", _("Restituzione")

    district = models.ForeignKey(
        "territory.District", on_delete=models.CASCADE, related_name="participation_phases"
    )
    table = models.ForeignKey(Table, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("fase"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("dal"))
    ends_on = models.DateField(_("al"))

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("fase")
        verbose_name_plural = _("fasi")
        constraints = [
            models.UniqueConstraint(fields=["district", "table", "kind"], name="phase_unique_kind"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="phase_dates_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.starts_on:%d/%m/%Y}-{self.ends_on:%d/%m/%Y})"


class Member(models.Model):
    """An organisation of the directory, a user, or a named person without an account."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinatore")
        MEMBER = "member", _("Membro")
        OBSERVER = "observer", _("Osservatore")

    district = models.ForeignKey(
        "territory.District", on_delete=models.CASCADE, related_name="participation_members"
    )
    table = models.ForeignKey(Table, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="table_memberships",
        verbose_name=_("ente"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="table_memberships",
        verbose_name=_("utente"),
    )
    name = models.CharField(_("nome e cognome"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    role = models.CharField(_("ruolo"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    is_demo = models.BooleanField(_("dati di esempio"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "name"]
        verbose_name = _("membro del tavolo")
        verbose_name_plural = _("membri del tavolo")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False)
                | models.Q(user__isnull=False)
                | ~models.Q(name=""),
                name="member_is_someone",
            ),
            models.UniqueConstraint(
                fields=["district", "table", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="member_unique_organisation",
            ),
            models.UniqueConstraint(
                fields=["district", "table", "user"],
                condition=models.Q(user__isnull=False),
                name="member_unique_user",
            ),
        ]
        indexes = [models.Index(fields=["district", "table"], name="member_district_table")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.organisation_id is not None:
            return str(self.organisation)
        if self.user_id is not None:
            return str(self.user)
        return self.name


class Meeting(models.Model):
    class MinutesStatus(models.TextChoices):
        NONE = "none", _("Non ancora scritto")
        DRAFT = "draft", _("Bozza in approvazione")
        APPROVED = "approved", _("Approvato")

    district = models.ForeignKey(
        "territory.District", on_delete=models.CASCADE, related_name="participation_meetings"
    )
    table = models.ForeignKey(Table, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("titolo"), max_length=200)
    starts_at = models.DateTimeField(_("inizio"))
    ends_at = models.DateTimeField(_("fine"))
    place = models.CharField(_("luogo"), max_length=250, blank=True)
    online_url = models.URLField(_("collegamento online"), blank=True)
    agenda = models.TextField(_("ordine del giorno"), blank=True, help_text=_("Un punto per riga."))
    minutes = models.TextField(_("verbale (Markdown)"), blank=True)
    minutes_status = models.CharField(
        _("stato del verbale"),
        max_length=10,
        choices=MinutesStatus.choices,
        default=MinutesStatus.NONE,
    )
    minutes_approved_at = models.DateTimeField(_("verbale approvato il"), null=True, blank=True)
    decisions = models.TextField(_("decisioni"), blank=True, help_text=_("Una per riga."))
    invitations_sent_at = models.DateTimeField(_("inviti spediti il"), null=True, blank=True)
    is_demo = models.BooleanField(_("dati di esempio"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("incontro")
        verbose_name_plural = _("incontri")
        indexes = [
            models.Index(fields=["district", "starts_at"], name="meeting_district_start"),
            models.Index(fields=["table", "starts_at"], name="meeting_table_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="meeting_dates_order"
            ),
            models.CheckConstraint(
                condition=~models.Q(place="") | ~models.Q(online_url=""),
                name="meeting_has_place_or_link",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]

    @property
    def decision_items(self) -> list[str]:
        return [line.strip() for line in self.decisions.splitlines() if line.strip()]


class Attendance(models.Model):
    district = models.ForeignKey(
        "territory.District", on_delete=models.CASCADE, related_name="participation_attendances"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="attendances"
    )
    name = models.CharField(_("nome e cognome"), max_length=200)
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("per l'ente"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("presenza")
        verbose_name_plural = _("presenze")

    def __str__(self) -> str:
        return self.name


class MinutesApproval(models.Model):
    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="approvals")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("approvazione del verbale")
        verbose_name_plural = _("approvazioni del verbale")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "meeting", "member"], name="approval_unique_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.meeting_id}"


class Attachment(models.Model):
    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("titolo"), max_length=200)
    file = models.FileField(_("file"), upload_to="participation/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("dimensione (byte)"))
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("allegato")
        verbose_name_plural = _("allegati")

    def __str__(self) -> str:
        return self.title


class Contribution(TerritoryMixin):
    class Kind(models.TextChoices):
        NEED = "need", _("Bisogno")
        PROPOSAL = "proposal", _("Proposta")
        RECOMMENDATION = "recommendation", _("Raccomandazione")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Ricevuto")
        UNDER_EVALUATION = "under_evaluation", _("In valutazione")
        ACCEPTED = "accepted", _("Accolto")
        MERGED = "merged", _("Unito a un altro contributo")
        REJECTED = "rejected", _("Non accolto")

    class Moderation(models.TextChoices):
        PUBLISHED = "published", _("Pubblicato")
        PENDING = "pending", _("In attesa di moderazione")
        REFUSED = "refused", _("Non pubblicato")

    district = models.ForeignKey(
        "territory.District", on_delete=models.CASCADE, related_name="participation_contributions"
    )
    table = models.ForeignKey(Table, on_delete=models.CASCADE, related_name="contributions")
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("titolo"), max_length=200)
    text = models.TextField(_("testo"))
    area = models.CharField(
        _("area di intervento"), max_length=30, choices=UserArea.choices, blank=True
    )
    needs = models.ManyToManyField(
        "profile.Need",
        through="ContributionNeed",
        blank=True,
        related_name="contributions",
        verbose_name=_("bisogni"),
    )
    author_member = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("membro autore"),
    )
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participation_contributions",
    )
    author_name = models.CharField(_("autore"), max_length=200)
    author_email = models.EmailField(_("e-mail dell'autore"), blank=True)
    is_citizen = models.BooleanField(_("inviato da un cittadino"), default=False)
    moderation = models.CharField(
        _("moderazione"),
        max_length=10,
        choices=Moderation.choices,
        default=Moderation.PUBLISHED,
    )
    status = models.CharField(
        _("stato"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    status_reason = models.TextField(_("motivazione"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("unito a"),
    )
    support_count = models.PositiveIntegerField(_("sostegni"), default=0)
    comment_count = models.PositiveIntegerField(_("commenti"), default=0)
    is_demo = models.BooleanField(_("dati di esempio"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("contributo")
        verbose_name_plural = _("contributi")
        indexes = [
            models.Index(
                fields=["table", "moderation", "-created_at", "-id"], name="contrib_table_list"
            ),
            models.Index(fields=["district", "status"], name="contrib_district_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="merged") | models.Q(merged_into__isnull=False),
                name="contrib_merged_has_target",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["merged", "rejected"])
                | ~models.Q(status_reason=""),
                name="contrib_reason_required",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.moderation == self.Moderation.PUBLISHED


class StatusChange(models.Model):
    """The history of a contribution's status, with who changed it and why."""

    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20, choices=Contribution.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Contribution.Status.choices)
    reason = models.TextField(_("motivazione"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_label = models.CharField(_("chi"), max_length=200)
    at = models.DateTimeField(_("quando"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("cambio di stato")
        verbose_name_plural = _("cambi di stato")

    def __str__(self) -> str:
        return f"{self.contribution_id}: {self.from_status} → {self.to_status}"


class Outcome(models.Model):
    """What became of a contribution: written by the planning room through
    ``services.record_outcome`` (an action of the plan, for instance); participation never
    imports planning."""

    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="outcomes"
    )
    source = models.CharField(_("origine"), max_length=100, help_text="planning.action:42")
    label = models.CharField(_("esito"), max_length=300)
    url = models.CharField(_("indirizzo"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["recorded_at"]
        verbose_name = _("esito")
        verbose_name_plural = _("esiti")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "contribution", "source"], name="outcome_unique_source"
            )
        ]

    def __str__(self) -> str:
        return self.label


class Support(models.Model):
    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="supports"
    )
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="supports")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sostegno")
        verbose_name_plural = _("sostegni")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "contribution", "member"], name="support_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.contribution_id}"


class Comment(models.Model):
    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_label = models.CharField(_("autore"), max_length=200)
    text = models.TextField(_("commento"))
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("commento")
        verbose_name_plural = _("commenti")

    def __str__(self) -> str:
        return f"{self.author_label}: {self.text[:40]}"


class Criterion(models.Model):
    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    table = models.ForeignKey(Table, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterio"), max_length=100)
    weight = models.PositiveSmallIntegerField(_("peso"), default=1)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("criterio")
        verbose_name_plural = _("criteri")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "table", "name"], name="criterion_unique_name"
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gte=1, weight__lte=10), name="criterion_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Score(models.Model):
    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("punteggio"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("punteggio")
        verbose_name_plural = _("punteggi")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "contribution", "criterion", "member"], name="score_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=1, value__lte=5), name="score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.criterion_id} · {self.value}"


class DotVote(models.Model):
    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="dot_votes"
    )
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="dot_votes")
    points = models.PositiveSmallIntegerField(_("punti"))
    at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("voto a punti")
        verbose_name_plural = _("voti a punti")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "contribution", "member"], name="dotvote_unique"
            ),
            models.CheckConstraint(condition=models.Q(points__gte=1), name="dotvote_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.contribution_id} · {self.points}"


class ContributionNeed(models.Model):
    """A need of the profile a contribution refers to (``Contribution.needs``)."""

    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="+")
    need = models.ForeignKey("profile.Need", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "participation_contribution_needs"
        constraints = [
            models.UniqueConstraint(
                fields=["district", "contribution", "need"], name="contribution_need_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contribution_id} · {self.need_id}"
