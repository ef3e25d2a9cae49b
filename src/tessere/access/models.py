"""The access point: persons, households, intake, cases, team, assessment, project, referrals.

Everything about a person has a UUID primary key (never enumerable in URLs and the API) and
its own ``district`` foreign key, so scoping is one indexed filter.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tessere.core.areas import UserArea
from tessere.core.fields import DistrictOneToOneField

USER = settings.AUTH_USER_MODEL


class DistrictOwned(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class AccessPoint(DistrictOwned):
    class Kind(models.TextChoices):
        PUA = "pua", _("Punto Unico di Accesso")
        ONE_STOP_SHOP = "one_stop_shop", _("One Stop Shop")
        SOCIAL_DESK = "social_desk", _("Segretariato sociale")

    name = models.CharField(_("nome"), max_length=200)
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices, default=Kind.PUA)
    municipality = models.ForeignKey(
        "territory.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("indirizzo"), max_length=200, blank=True)
    hours = models.TextField(_("orari"), blank=True)
    staff: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        USER, through="AccessPointStaff", blank=True, related_name="access_points"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("punto di accesso")
        verbose_name_plural = _("punti di accesso")

    def __str__(self) -> str:
        return self.name


class Person(DistrictOwned):
    class CodeKind(models.TextChoices):
        FISCAL_CODE = "cf", _("Codice fiscale")
        STP = "stp", _("STP (straniero temporaneamente presente)")
        ENI = "eni", _("ENI (europeo non iscritto)")
        INTERNAL = "internal", _("Codice interno provvisorio")

    class Sex(models.TextChoices):
        FEMALE = "F", _("femmina")
        MALE = "M", _("maschio")

    code_kind = models.CharField(
        _("tipo di codice"), max_length=10, choices=CodeKind.choices, default=CodeKind.FISCAL_CODE
    )
    code = models.CharField(_("codice fiscale o provvisorio"), max_length=20)
    last_name = models.CharField(_("cognome"), max_length=100)
    first_name = models.CharField(_("nome"), max_length=100)
    birth_date = models.DateField(_("data di nascita"), null=True, blank=True)
    sex = models.CharField(_("sesso"), max_length=1, choices=Sex.choices, blank=True)
    birth_municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("comune di nascita"),
    )
    citizenship = models.CharField(_("cittadinanza"), max_length=60, blank=True)
    residence_municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("comune di residenza"),
    )
    address = models.CharField(_("indirizzo"), max_length=200, blank=True)
    phone = models.CharField(_("telefono"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("lingua"), max_length=40, blank=True, default="italiano")
    notes = models.TextField(_("note"), blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    anonymised_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("persona")
        verbose_name_plural = _("persone")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "code"],
                condition=models.Q(merged_into__isnull=True, anonymised_at__isnull=True),
                name="access_person_unique_code",
            )
        ]
        indexes = [
            models.Index(fields=["district", "birth_date"], name="access_person_birth"),
            models.Index(fields=["district", "last_name"], name="access_person_name"),
        ]

    def __str__(self) -> str:
        return f"{self.last_name} {self.first_name}"

    @property
    def masked_code(self) -> str:
        return self.code[:6] + "•" * max(len(self.code) - 6, 0)


class ConsentRecord(DistrictOwned):
    class Purpose(models.TextChoices):
        PROCESSING = "processing", _("Trattamento dei dati per la presa in carico")
        SHARING = "sharing", _("Condivisione con gli enti a cui la persona è inviata")
        EMPLOYMENT = "employment", _("Condivisione con il Centro per l'impiego")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("finalità"), max_length=20, choices=Purpose.choices)
    given = models.BooleanField(_("consenso dato"), default=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.CharField(_("nota"), max_length=200, blank=True)
    withdrawn_at = models.DateTimeField(_("revocato il"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("consenso")
        verbose_name_plural = _("consensi")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} · {self.created_at:%d/%m/%Y}"


class Household(DistrictOwned):
    name = models.CharField(_("nome del nucleo"), max_length=200)
    municipality = models.ForeignKey(
        "territory.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("nucleo familiare")
        verbose_name_plural = _("nuclei familiari")

    def __str__(self) -> str:
        return self.name


class HouseholdMember(DistrictOwned):
    class Relation(models.TextChoices):
        HEAD = "head", _("intestatario")
        PARTNER = "partner", _("coniuge o convivente")
        CHILD = "child", _("figlio o figlia")
        PARENT = "parent", _("genitore")
        SIBLING = "sibling", _("fratello o sorella")
        OTHER = "other", _("altro")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    relation = models.CharField(_("relazione"), max_length=20, choices=Relation.choices)

    class Meta:
        verbose_name = _("componente del nucleo")
        verbose_name_plural = _("componenti del nucleo")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "household", "person"], name="access_member_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_relation_display()}"


class Case(DistrictOwned):
    class Status(models.TextChoices):
        OPEN = "open", _("aperta")
        ACTIVE = "active", _("in corso")
        SUSPENDED = "suspended", _("sospesa")
        CLOSED = "closed", _("chiusa")

    class Path(models.TextChoices):
        UNDECIDED = "", _("da definire")
        WORK = "work", _("percorso lavorativo (Centro per l'impiego)")
        SOCIAL = "social", _("percorso sociale")
        COMPLEX = "complex", _("bisogni complessi (équipe multidisciplinare)")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    area = models.CharField(_("area"), max_length=20, choices=UserArea.choices)
    manager = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsabile del caso")
    )
    access_point = models.ForeignKey(
        AccessPoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("stato"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    path = models.CharField(
        _("percorso"), max_length=20, choices=Path.choices, blank=True, default=""
    )
    opened_on = models.DateField(_("aperta il"))
    closed_on = models.DateField(_("chiusa il"), null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    # Optimistic locking (tessere.core.locking): bumped by every change of the case's row.
    version = models.PositiveIntegerField(_("versione"), default=1, editable=False)

    class Meta:
        ordering = ["-opened_on", "-created_at"]
        verbose_name = _("presa in carico")
        verbose_name_plural = _("prese in carico")
        indexes = [
            models.Index(fields=["district", "status"], name="access_case_status"),
            # With the person (PostgreSQL): the dashboard's people taken in charge by month and
            # by municipality read the year's cases from the index alone.
            models.Index(
                fields=["district", "-opened_on"], name="access_case_opened", include=["person"]
            ),
        ]

    def __str__(self) -> str:
        return gettext("Presa in carico del %(date)s") % {
            "date": self.opened_on.strftime("%d/%m/%Y")
        }


class TeamMember(DistrictOwned):
    class Role(models.TextChoices):
        MANAGER = "manager", _("responsabile del caso")
        SOCIAL_WORKER = "social_worker", _("assistente sociale")
        EMPLOYMENT = "employment", _("operatore del Centro per l'impiego")
        HEALTH = "health", _("operatore sanitario")
        SCHOOL = "school", _("scuola")
        EDUCATOR = "educator", _("educatore")
        THIRD_SECTOR = "third_sector", _("Terzo Settore")
        OTHER = "other", _("altro")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        USER, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("nome"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    role = models.CharField(_("ruolo nell'équipe"), max_length=20, choices=Role.choices)
    # The case's opening date, copied here so that a worker's case list is read in order
    # from one index, however many cases the district has.
    case_opened_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("componente dell'équipe")
        verbose_name_plural = _("équipe")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "case", "user"],
                condition=models.Q(user__isnull=False),
                name="access_team_unique_user",
            )
        ]
        indexes = [
            models.Index(fields=["user", "district"], name="access_team_user"),
            models.Index(
                fields=["user", "district", "-case_opened_on", "case"], name="access_team_list"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CaseNote(DistrictOwned):
    """A note on a case; a confidential one (oscuramento) is shown only to its author and to
    the case manager."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("testo"))
    confidential = models.BooleanField(
        _("riservata (oscurata al resto dell'équipe)"), default=False
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("nota")
        verbose_name_plural = _("note")

    def __str__(self) -> str:
        return gettext("Nota del %(date)s") % {"date": f"{self.created_at:%d/%m/%Y}"}


class Dimension(models.TextChoices):
    """The six dimensions of the national assessment framework."""

    FUNCTIONING = "functioning", _("Funzionamento personale e sociale")
    ECONOMIC = "economic", _("Situazione economica")
    WORK = "work", _("Situazione lavorativa e occupabilità")
    EDUCATION = "education", _("Educazione, istruzione e formazione")
    HOUSING = "housing", _("Condizione abitativa")
    NETWORKS = "networks", _("Reti familiari, di prossimità e sociali")


class Level(models.IntegerChoices):
    NONE = 0, _("nessuna criticità")
    LOW = 1, _("criticità lieve")
    MEDIUM = 2, _("criticità moderata")
    HIGH = 3, _("criticità grave")


class Assessment(DistrictOwned):
    class Kind(models.TextChoices):
        PRELIMINARY = "preliminary", _("analisi preliminare")
        IN_DEPTH = "in_depth", _("quadro di analisi approfondito")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    assessed_on = models.DateField(_("data"))
    assessor = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    outcome = models.CharField(_("esito: percorso"), max_length=20, choices=Case.Path.choices)
    summary = models.TextField(_("sintesi"), blank=True)

    class Meta:
        ordering = ["assessed_on", "created_at"]
        verbose_name = _("valutazione")
        verbose_name_plural = _("valutazioni")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.assessed_on:%d/%m/%Y}"


class AssessmentDomain(DistrictOwned):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="domains")
    dimension = models.CharField(_("dimensione"), max_length=20, choices=Dimension.choices)
    level = models.PositiveSmallIntegerField(_("livello"), choices=Level.choices)
    notes = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["assessment", "dimension"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "assessment", "dimension"], name="access_domain_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()}: {self.level}"


class PersonalisedProject(DistrictOwned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("bozza")
        SIGNED = "signed", _("sottoscritto")
        CLOSED = "closed", _("concluso")

    case = DistrictOneToOneField(Case, on_delete=models.CASCADE, related_name="project")
    general_objectives = models.TextField(_("obiettivi generali"))
    status = models.CharField(
        _("stato"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    signed_on = models.DateField(_("sottoscritto il"), null=True, blank=True)
    signed_by = models.CharField(_("sottoscritto da"), max_length=300, blank=True)
    # Optimistic locking (tessere.core.locking): bumped by every change of the project's row.
    version = models.PositiveIntegerField(_("versione"), default=1, editable=False)

    class Meta:
        verbose_name = _("progetto personalizzato")
        verbose_name_plural = _("progetti personalizzati")
        constraints = [
            models.UniqueConstraint(fields=["district", "case"], name="access_project_unique_case")
        ]

    def __str__(self) -> str:
        return gettext("Progetto personalizzato")


class ExpectedResult(DistrictOwned):
    project = models.ForeignKey(
        PersonalisedProject, on_delete=models.CASCADE, related_name="results"
    )
    description = models.CharField(_("risultato atteso"), max_length=300)
    deadline = models.DateField(_("entro il"))
    achieved = models.BooleanField(_("raggiunto"), default=False)

    class Meta:
        ordering = ["deadline", "created_at"]

    def __str__(self) -> str:
        return self.description


class ProjectSupport(DistrictOwned):
    project = models.ForeignKey(
        PersonalisedProject, on_delete=models.CASCADE, related_name="supports"
    )
    service = models.ForeignKey("directory.Service", on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("descrizione"), max_length=300, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.description or str(self.service_id)


class Commitment(DistrictOwned):
    project = models.ForeignKey(
        PersonalisedProject, on_delete=models.CASCADE, related_name="commitments"
    )
    description = models.CharField(_("impegno del nucleo"), max_length=300)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.description


class ProjectReview(DistrictOwned):
    class Outcome(models.TextChoices):
        ON_TRACK = "on_track", _("in linea con il progetto")
        PARTIAL = "partial", _("raggiunto in parte")
        NOT_MET = "not_met", _("non raggiunto")
        REVISE = "revise", _("da rivedere")

    project = models.ForeignKey(
        PersonalisedProject, on_delete=models.CASCADE, related_name="reviews"
    )
    held_on = models.DateField(_("data dell'incontro"))
    outcome = models.CharField(_("esito"), max_length=20, choices=Outcome.choices)
    notes = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["held_on", "created_at"]

    def __str__(self) -> str:
        return f"{self.held_on:%d/%m/%Y} · {self.get_outcome_display()}"


class Referral(DistrictOwned):
    class Status(models.TextChoices):
        SENT = "sent", _("inviato")
        ACCEPTED = "accepted", _("accettato")
        DECLINED = "declined", _("rifiutato")
        IN_PROGRESS = "in_progress", _("in corso")
        COMPLETED = "completed", _("concluso")
        NO_SHOW = "no_show", _("persona non presentata")
        CANCELLED = "cancelled", _("annullato")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="referrals"
    )
    service = models.ForeignKey("directory.Service", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    consent = models.ForeignKey(ConsentRecord, on_delete=models.PROTECT, related_name="+")
    request = models.TextField(_("richiesta all'ente"))
    status = models.CharField(
        _("stato"), max_length=20, choices=Status.choices, default=Status.SENT
    )
    decline_reason = models.CharField(_("motivo del rifiuto"), max_length=300, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invio")
        verbose_name_plural = _("invii")
        indexes = [
            models.Index(fields=["district", "organisation", "status"], name="access_ref_inbox")
        ]

    def __str__(self) -> str:
        return f"{gettext('Invio')} · {self.get_status_display()}"


class ReferralEvent(DistrictOwned):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=Referral.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Referral.Status.choices)
    actor = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_label = models.CharField(max_length=150)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class Contact(DistrictOwned):
    """An intake: someone came to the door (or phoned), for a reason, with an outcome."""

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("di persona")
        PHONE = "phone", _("telefono")
        EMAIL = "email", _("e-mail")
        REFERRED = "referred", _("segnalazione di un altro servizio")

    class Outcome(models.TextChoices):
        INFORMATION = "information", _("informazioni date")
        REFERRAL = "referral", _("invio a un servizio")
        CASE_OPENED = "case_opened", _("presa in carico aperta")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="contacts")
    access_point = models.ForeignKey(
        AccessPoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    operator = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    channel = models.CharField(_("canale"), max_length=20, choices=Channel.choices)
    area = models.CharField(_("area"), max_length=20, choices=UserArea.choices)
    reason = models.CharField(_("motivo"), max_length=300)
    outcome = models.CharField(_("esito"), max_length=20, choices=Outcome.choices)
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("accesso")
        verbose_name_plural = _("accessi")

    def __str__(self) -> str:
        return f"{gettext('Accesso')} · {self.get_outcome_display()}"


class DeliveredService(DistrictOwned):
    class Unit(models.TextChoices):
        HOURS = "hours", _("ore")
        ACCESSES = "accesses", _("accessi")
        DAYS = "days", _("giorni")
        EUROS = "euros", _("contributo in euro")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="delivered")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey("directory.Service", on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(
        Referral, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    start = models.DateField(_("dal"))
    end = models.DateField(_("al"), null=True, blank=True)
    quantity = models.DecimalField(_("quantità"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("unità"), max_length=10, choices=Unit.choices)
    amount = models.DecimalField(_("importo (€)"), max_digits=12, decimal_places=2, default=0)

    class Meta:
        ordering = ["-start", "created_at"]
        verbose_name = _("prestazione erogata")
        verbose_name_plural = _("prestazioni erogate")

    def __str__(self) -> str:
        return f"{self.start:%d/%m/%Y} · {self.quantity} {self.get_unit_display()}"


class AccessPointStaff(models.Model):
    """A member of staff who works at an access point (``AccessPoint.staff``)."""

    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    access_point = models.ForeignKey(
        AccessPoint, on_delete=models.CASCADE, related_name="+", db_column="accesspoint_id"
    )
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "access_accesspoint_staff"
        constraints = [
            models.UniqueConstraint(
                fields=["district", "access_point", "user"], name="access_point_staff_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.access_point_id} · {self.user_id}"
