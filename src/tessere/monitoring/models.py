"""Monitoring of the plan: indicators of actions, their measurements, the progress of actions
and what was spent from each fund.

Every table carries its own ``district``. Values are ``Decimal``; targets per year are stored
as ``{"2025": "120"}`` (the year as a string, as JSON wants).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionIndicator(models.Model):
    class Kind(models.TextChoices):
        OUTPUT = "output", _("di realizzazione (output)")
        OUTCOME = "outcome", _("di risultato (outcome)")

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("mensile")
        QUARTERLY = "quarterly", _("trimestrale")
        HALF_YEARLY = "half_yearly", _("semestrale")
        YEARLY = "yearly", _("annuale")

    class Source(models.TextChoices):
        MANUAL = "", _("inserimento manuale")
        PEOPLE_IN_CHARGE = "people_in_charge", _("persone in carico nell'area (accesso)")
        REFERRALS_COMPLETED = "referrals_completed", _("invii conclusi (accesso)")
        ACTIVE_SERVICES = "active_services", _("servizi attivi nella guida")
        PROJECTS_SIGNED = (
            "projects_signed",
            _("progetti personalizzati firmati nell'area (accesso)"),
        )
        DAYS_TO_PROJECT = (
            "days_to_project",
            _("mediana dei giorni dalla presa in carico alla firma del progetto (accesso)"),
        )

    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(
        "planning.Action", on_delete=models.CASCADE, related_name="monitoring_indicators"
    )
    name = models.CharField(_("indicatore"), max_length=250)
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices, default=Kind.OUTPUT)
    unit = models.CharField(_("unità di misura"), max_length=60)
    baseline = models.DecimalField(
        _("valore di partenza"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    targets = models.JSONField(_("obiettivo per anno"), default=dict, blank=True)
    higher_is_better = models.BooleanField(_("più alto è meglio"), default=True)
    responsible = models.CharField(_("responsabile della misura"), max_length=200, blank=True)
    responsible_email = models.EmailField(
        _("e-mail del responsabile"),
        blank=True,
        help_text=_(
            "Riceve il promemoria delle misurazioni da inserire; se vuota, lo ricevono "
            "gli utenti dell'Ufficio di Piano dell'ambito."
        ),
    )
    frequency = models.CharField(
        _("frequenza"), max_length=20, choices=Frequency.choices, default=Frequency.YEARLY
    )
    source = models.CharField(
        _("fonte automatica"), max_length=30, choices=Source.choices, default="", blank=True
    )

    class Meta:
        ordering = ["action__code", "pk"]
        verbose_name = _("indicatore dell'azione")
        verbose_name_plural = _("indicatori delle azioni")

    def __str__(self) -> str:
        return self.name

    def target_for(self, year: int) -> str | None:
        value = self.targets.get(str(year))
        return None if value in (None, "") else str(value)


class Measurement(models.Model):
    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(
        ActionIndicator, on_delete=models.CASCADE, related_name="measurements"
    )
    date = models.DateField(_("data (fine del periodo)"))
    value = models.DecimalField(_("valore"), max_digits=14, decimal_places=2)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("misurazione")
        verbose_name_plural = _("misurazioni")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "indicator", "date"], name="measurement_unique_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.date}: {self.value}"


class ProgressEntry(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("non avviata")
        IN_PROGRESS = "in_progress", _("in corso")
        COMPLETED = "completed", _("conclusa")
        SUSPENDED = "suspended", _("sospesa")
        CANCELLED = "cancelled", _("annullata")

    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(
        "planning.Action", on_delete=models.CASCADE, related_name="progress_entries"
    )
    date = models.DateField(_("data"))
    status = models.CharField(_("stato"), max_length=20, choices=Status.choices)
    percent = models.PositiveSmallIntegerField(_("avanzamento (%)"))
    note = models.TextField(_("nota"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("stato di avanzamento")
        verbose_name_plural = _("stati di avanzamento")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__lte=100), name="progress_percent_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action_id} {self.date}: {self.percent}%"


class Spending(models.Model):
    """What was spent from a fund of the plan in one year (entered by the planners)."""

    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    fund = models.ForeignKey("planning.Fund", on_delete=models.CASCADE, related_name="spending")
    year = models.PositiveSmallIntegerField(_("anno"))
    amount = models.DecimalField(_("speso"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["year"]
        verbose_name = _("spesa")
        verbose_name_plural = _("spese")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "fund", "year"], name="spending_unique_year"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="spending_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.fund_id} {self.year}: {self.amount}"


class MeasurementReminder(models.Model):
    """A reminder sent for a measurement due and missing: one per indicator and period, so
    that nobody is reminded twice of the same thing."""

    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(
        ActionIndicator, on_delete=models.CASCADE, related_name="reminders"
    )
    period_end = models.DateField(_("fine del periodo"))
    recipients = models.TextField(_("destinatari"))
    sent_at = models.DateTimeField(_("inviato il"), auto_now_add=True)

    class Meta:
        ordering = ["period_end"]
        verbose_name = _("promemoria di misurazione")
        verbose_name_plural = _("promemoria di misurazione")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "indicator", "period_end"], name="reminder_unique_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period_end}"


class MonitoringReport(models.Model):
    """An annual monitoring report built in the background (a task) and kept for download."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF/A"
        ODT = "odt", "ODT"

    class Status(models.TextChoices):
        PENDING = "pending", _("in coda")
        RUNNING = "running", _("in preparazione")
        DONE = "done", _("pronto")
        FAILED = "failed", _("non riuscito")

    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(
        "planning.Plan", on_delete=models.CASCADE, related_name="monitoring_reports"
    )
    year = models.PositiveSmallIntegerField(_("anno"))
    format = models.CharField(_("formato"), max_length=3, choices=Format.choices)
    status = models.CharField(
        _("stato"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    content = models.BinaryField(null=True, blank=True, editable=False)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("rapporto di monitoraggio")
        verbose_name_plural = _("rapporti di monitoraggio")

    def __str__(self) -> str:
        return f"{self.plan_id} {self.year} {self.format} {self.status}"
