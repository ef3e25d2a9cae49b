"""The Piano di Zona: plan, areas, objectives, actions, resources, funds and allocations.

Every table carries its own ``district`` so that scoping is one indexed filter. Money is stored
as ``Decimal`` with two places; per-year figures are rows (``ActionCost``, ``FundAmount``,
``Allocation``) so that totals are sums in the database.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from tessere.core.areas import UserArea


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("bozza")
        CONSULTATION = "consultation", _("in consultazione pubblica")
        APPROVED = "approved", _("approvato")
        IN_FORCE = "in_force", _("in vigore")
        CLOSED = "closed", _("concluso")

    #: Statuses where the plan is frozen: nothing of it may change.
    FROZEN = (Status.APPROVED, Status.IN_FORCE, Status.CLOSED)
    #: Statuses where the plan is public.
    PUBLIC = (Status.APPROVED, Status.IN_FORCE)

    district = models.ForeignKey(
        "territory.District", on_delete=models.CASCADE, related_name="plans"
    )
    title = models.CharField(_("titolo"), max_length=250)
    first_year = models.PositiveSmallIntegerField(_("primo anno"))
    last_year = models.PositiveSmallIntegerField(_("ultimo anno"))
    status = models.CharField(
        _("stato"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveSmallIntegerField(_("versione"), default=1)
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="updates",
        verbose_name=_("versione precedente"),
    )
    act_number = models.CharField(_("numero dell'atto di approvazione"), max_length=50, blank=True)
    act_date = models.DateField(_("data dell'atto di approvazione"), null=True, blank=True)
    is_example = models.BooleanField(_("dati di esempio"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-first_year", "-version"]
        verbose_name = _("piano di zona")
        verbose_name_plural = _("piani di zona")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "first_year", "version"], name="plan_unique_version"
            ),
            models.CheckConstraint(
                condition=models.Q(last_year__gte=models.F("first_year")),
                name="plan_years_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    @property
    def is_frozen(self) -> bool:
        return self.status in self.FROZEN

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC


class Area(models.Model):
    """An area of intervention of one plan (the list is editable per plan)."""

    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="areas")
    code = models.SlugField(_("codice"), max_length=40)
    name = models.CharField(_("nome"), max_length=120)
    user_area = models.CharField(
        _("area d'utenza"), max_length=30, choices=UserArea.choices, blank=True
    )
    position = models.PositiveSmallIntegerField(_("ordine"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("area di intervento")
        verbose_name_plural = _("aree di intervento")
        constraints = [
            models.UniqueConstraint(fields=["district", "plan", "code"], name="area_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name


class Objective(models.Model):
    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="objectives")
    title = models.CharField(_("obiettivo strategico"), max_length=250)
    rationale = models.TextField(_("motivazione"), blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priorità"), default=1, help_text=_("1 è la priorità più alta.")
    )
    needs = models.ManyToManyField(
        "profile.Need",
        through="ObjectiveNeed",
        blank=True,
        related_name="objectives",
        verbose_name=_("bisogni"),
    )
    indicator_codes = models.JSONField(_("indicatori del profilo"), default=list, blank=True)

    class Meta:
        ordering = ["priority", "title"]
        verbose_name = _("obiettivo strategico")
        verbose_name_plural = _("obiettivi strategici")

    def __str__(self) -> str:
        return self.title


class Leps(models.Model):
    """An essential level of social services, as named by a national plan (reference data)."""

    code = models.CharField(_("codice"), max_length=20)
    plan_period = models.CharField(_("piano nazionale"), max_length=20)
    name = models.CharField(_("nome"), max_length=250)
    user_area = models.CharField(
        _("area d'utenza"), max_length=30, choices=UserArea.choices, blank=True
    )
    legal_basis = models.CharField(_("riferimento normativo"), max_length=250, blank=True)
    target = models.TextField(_("obiettivo"), blank=True)
    population_per_unit = models.PositiveIntegerField(
        _("abitanti per unità"), null=True, blank=True
    )
    source = models.CharField(_("fonte"), max_length=300, blank=True)

    class Meta:
        ordering = ["plan_period", "code"]
        verbose_name = _("LEPS")
        verbose_name_plural = _("LEPS")
        constraints = [
            models.UniqueConstraint(fields=["code", "plan_period"], name="leps_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.plan_period})"


class Action(models.Model):
    """A scheda intervento."""

    class Kind(models.TextChoices):
        NEW = "new", _("nuova")
        CONTINUING = "continuing", _("in continuità")

    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="actions")
    code = models.CharField(_("codice"), max_length=20)
    title = models.CharField(_("titolo"), max_length=250)
    description = models.TextField(_("descrizione"), blank=True)
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices, default=Kind.NEW)
    target_group = models.CharField(_("destinatari"), max_length=250, blank=True)
    expected_people = models.JSONField(
        _("persone raggiunte attese per anno"), default=dict, blank=True
    )
    responsible = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_for_actions",
        verbose_name=_("ente responsabile"),
    )
    services = models.ManyToManyField(
        "directory.Service",
        through="ActionService",
        blank=True,
        related_name="plan_actions",
        verbose_name=_("servizi"),
    )
    leps = models.ManyToManyField(
        Leps, through="ActionLeps", blank=True, related_name="actions", verbose_name=_("LEPS")
    )
    start_date = models.DateField(_("inizio"), null=True, blank=True)
    end_date = models.DateField(_("fine"), null=True, blank=True)
    milestones = models.JSONField(_("tappe"), default=list, blank=True)
    origin_contributions = models.ManyToManyField(
        "participation.Contribution",
        through="ActionOriginContribution",
        blank=True,
        related_name="plan_actions",
        verbose_name=_("contributi dei tavoli da cui nasce"),
    )
    # Optimistic locking (tessere.core.locking): bumped by every save of the action.
    version = models.PositiveIntegerField(_("versione della scheda"), default=1, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("azione")
        verbose_name_plural = _("azioni")
        constraints = [
            models.UniqueConstraint(fields=["district", "plan", "code"], name="action_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ActionPartner(models.Model):
    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="plan_partnerships"
    )
    role = models.CharField(_("ruolo"), max_length=200)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partner")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "action", "organisation"], name="partner_unique_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.role})"


class ActionCost(models.Model):
    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="costs")
    year = models.PositiveSmallIntegerField(_("anno"))
    amount = models.DecimalField(_("costo"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["district", "action", "year"], name="cost_unique_year"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.action_id} {self.year}: {self.amount}"


class Resource(models.Model):
    """A non-financial resource: staff (FTE), volunteers or a facility."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("personale")
        VOLUNTEERS = "volunteers", _("volontari")
        FACILITY = "facility", _("struttura")

    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("descrizione"), max_length=250)
    profession = models.CharField(_("profilo professionale"), max_length=120, blank=True)
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_resources",
        verbose_name=_("ente"),
    )
    fte = models.DecimalField(
        _("unità equivalenti a tempo pieno"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    count = models.PositiveIntegerField(_("numero"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "profession", "description"]
        verbose_name = _("risorsa")
        verbose_name_plural = _("risorse")

    def __str__(self) -> str:
        return self.description


class Fund(models.Model):
    class Source(models.TextChoices):
        FNPS = "FNPS", _("Fondo nazionale per le politiche sociali")
        FNA = "FNA", _("Fondo per le non autosufficienze")
        POVERTY = "POVERTA", _("Fondo Povertà, quota servizi")
        PNRR = "PNRR_M5C2", _("PNRR Missione 5 Componente 2")
        AFTER_US = "DOPO_DI_NOI", _("Fondo Dopo di Noi")
        REGIONAL = "REGIONALE", _("Fondo regionale")
        MUNICIPAL = "COMUNALE", _("Risorse dei comuni")
        HEALTH = "ASL", _("Azienda sanitaria")
        COPAYMENT = "COMPARTECIPAZIONE", _("Compartecipazione degli utenti")
        OTHER = "ALTRO", _("Altra fonte")

    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="funds")
    code = models.CharField(_("codice"), max_length=30)
    source = models.CharField(_("fonte"), max_length=30, choices=Source.choices)
    name = models.CharField(_("nome"), max_length=200)
    any_area = models.BooleanField(_("può finanziare ogni area"), default=True)
    eligible_areas = models.ManyToManyField(
        Area,
        through="FundEligibleArea",
        blank=True,
        related_name="eligible_funds",
        verbose_name=_("aree ammesse"),
    )
    mandatory_actions = models.ManyToManyField(
        Action,
        through="FundMandatoryAction",
        blank=True,
        related_name="mandatory_for_funds",
        verbose_name=_("azioni obbligatorie"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("fondo")
        verbose_name_plural = _("fondi")
        constraints = [
            models.UniqueConstraint(fields=["district", "plan", "code"], name="fund_unique_code"),
        ]

    def __str__(self) -> str:
        return self.code


class FundAmount(models.Model):
    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="amounts")
    year = models.PositiveSmallIntegerField(_("anno"))
    amount = models.DecimalField(_("importo"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "fund", "year"], name="fund_amount_unique_year"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="fund_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund_id} {self.year}: {self.amount}"


class FundShare(models.Model):
    """Minimum and maximum share of a fund (over all years) for an area."""

    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="shares")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="fund_shares")
    min_share = models.DecimalField(
        _("quota minima"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    max_share = models.DecimalField(
        _("quota massima"), max_digits=5, decimal_places=4, null=True, blank=True
    )

    class Meta:
        ordering = ["area__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "fund", "area"], name="fund_share_unique_area"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund_id} {self.area_id}"


class Allocation(models.Model):
    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="allocations")
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="allocations")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="allocations")
    year = models.PositiveSmallIntegerField(_("anno"))
    amount = models.DecimalField(_("importo"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["fund__code", "action__code", "year"]
        verbose_name = _("assegnazione")
        verbose_name_plural = _("assegnazioni")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "fund", "action", "year"], name="allocation_unique_cell"
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="allocation_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.fund_id} → {self.action_id} {self.year}: {self.amount}"


ZERO = Decimal("0.00")


class PlanDocument(models.Model):
    """A plan document built in the background (a task) and kept for download."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF/A"
        ODT = "odt", "ODT"

    class Status(models.TextChoices):
        PENDING = "pending", _("in coda")
        RUNNING = "running", _("in preparazione")
        DONE = "done", _("pronto")
        FAILED = "failed", _("non riuscito")

    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="documents")
    format = models.CharField(_("formato"), max_length=3, choices=Format.choices)
    status = models.CharField(
        _("stato"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    content = models.BinaryField(null=True, blank=True, editable=False)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("documento del piano")
        verbose_name_plural = _("documenti del piano")

    def __str__(self) -> str:
        return f"{self.plan_id} {self.format} {self.status}"


class ObjectiveNeed(models.Model):
    """An objective answers a need of the profile (``Objective.needs``)."""

    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="+")
    need = models.ForeignKey("profile.Need", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "planning_objective_needs"
        constraints = [
            models.UniqueConstraint(
                fields=["district", "objective", "need"], name="objective_need_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.objective_id} · {self.need_id}"


class ActionService(models.Model):
    """A service of the guide that carries out an action (``Action.services``)."""

    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey("directory.Service", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "planning_action_services"
        constraints = [
            models.UniqueConstraint(
                fields=["district", "action", "service"], name="action_service_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.action_id} · {self.service_id}"


class ActionLeps(models.Model):
    """A LEPS an action guarantees (``Action.leps``)."""

    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="+")
    leps = models.ForeignKey(Leps, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "planning_action_leps"
        constraints = [
            models.UniqueConstraint(
                fields=["district", "action", "leps"], name="action_leps_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.action_id} · {self.leps_id}"


class ActionOriginContribution(models.Model):
    """A table's contribution an action answers (``Action.origin_contributions``)."""

    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="+")
    contribution = models.ForeignKey(
        "participation.Contribution", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        db_table = "planning_action_origin_contributions"
        constraints = [
            models.UniqueConstraint(
                fields=["district", "action", "contribution"], name="action_origin_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.action_id} · {self.contribution_id}"


class FundEligibleArea(models.Model):
    """An area a fund may finance (``Fund.eligible_areas``)."""

    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "planning_fund_eligible_areas"
        constraints = [
            models.UniqueConstraint(fields=["district", "fund", "area"], name="fund_area_unique")
        ]

    def __str__(self) -> str:
        return f"{self.fund_id} · {self.area_id}"


class FundMandatoryAction(models.Model):
    """An action a fund must finance (``Fund.mandatory_actions``)."""

    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "planning_fund_mandatory_actions"
        constraints = [
            models.UniqueConstraint(
                fields=["district", "fund", "action"], name="fund_action_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.fund_id} · {self.action_id}"
