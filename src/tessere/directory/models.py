"""The district's directory: organisations and their services and projects (UUIDs, as HSDS).

Lists of values a service has several of (user areas, languages, accessibility features, the
municipalities where it is offered) are stored as ``|a|b|`` text keys: one indexed-free
``LIKE`` filters them on every database, without a join per filter.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tessere.core.areas import UserArea


def split_key(value: str) -> list[str]:
    return [part for part in value.split("|") if part]


def join_key(values: list[str] | tuple[str, ...] | set[str]) -> str:
    cleaned = sorted({v for v in values if v})
    return "|" + "|".join(cleaned) + "|" if cleaned else ""


class Language(models.TextChoices):
    ITALIAN = "it", _("Italiano")
    ENGLISH = "en", _("Inglese")
    FRENCH = "fr", _("Francese")
    SPANISH = "es", _("Spagnolo")
    ARABIC = "ar", _("Arabo")
    ROMANIAN = "ro", _("Romeno")
    ALBANIAN = "sq", _("Albanese")
    CHINESE = "zh", _("Cinese")
    UKRAINIAN = "uk", _("Ucraino")
    LIS = "ise", _("Lingua dei segni italiana (LIS)")


class Accessibility(models.TextChoices):
    STEP_FREE = "step_free", _("Accesso senza gradini")
    WHEELCHAIR_TOILET = "wheelchair_toilet", _("Bagno accessibile in carrozzina")
    LIFT = "lift", _("Ascensore")
    HEARING_LOOP = "hearing_loop", _("Anello a induzione per apparecchi acustici")
    SIGN_LANGUAGE = "sign_language", _("Interprete LIS su richiesta")
    EASY_READ = "easy_read", _("Materiali in linguaggio facile da leggere")
    BRAILLE = "braille", _("Indicazioni in Braille o tattili")
    DISABLED_PARKING = "disabled_parking", _("Parcheggio riservato")
    HOME_VISITS = "home_visits", _("Servizio anche a domicilio")
    REMOTE = "remote", _("Servizio anche a distanza (telefono, video)")


class Taxonomy(models.Model):
    """A classification (the Nomenclatore CISIS, the user areas): reference data, all districts."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.SlugField(_("chiave"), max_length=40, unique=True)
    name = models.CharField(_("nome"), max_length=250)
    description = models.TextField(_("descrizione"), blank=True)
    uri = models.URLField(_("indirizzo"), blank=True)
    version = models.CharField(_("versione"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("classificazione")
        verbose_name_plural = _("classificazioni")

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.CASCADE, related_name="terms")
    code = models.CharField(_("codice"), max_length=40)
    name = models.CharField(_("nome"), max_length=300)
    description = models.TextField(_("descrizione"), blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )

    class Meta:
        ordering = ["taxonomy", "code"]
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "code"], name="directory_term_code_unique")
        ]
        verbose_name = _("voce di classificazione")
        verbose_name_plural = _("voci di classificazione")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Comune")
        HEALTH_AGENCY = "health_agency", _("Azienda sanitaria")
        ASP_CONSORTIUM = "asp_consortium", _("ASP o consorzio")
        EMPLOYMENT_CENTRE = "employment_centre", _("Centro per l'impiego")
        SCHOOL = "school", _("Scuola")
        THIRD_SECTOR = "third_sector", _("Ente del Terzo Settore")
        SOCIAL_COOPERATIVE = "social_cooperative", _("Cooperativa sociale")
        ASSOCIATION = "association", _("Associazione di volontariato o di promozione sociale")
        FOUNDATION = "foundation", _("Fondazione")
        PARISH = "parish", _("Parrocchia o Caritas")
        COMPANY = "company", _("Impresa")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    district = models.ForeignKey(
        "territory.District", on_delete=models.CASCADE, related_name="organisations"
    )
    kind = models.CharField(_("tipo"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("nome"), max_length=250)
    description = models.TextField(_("descrizione"), blank=True)
    tax_code = models.CharField(
        _("codice fiscale o partita IVA"),
        max_length=16,
        blank=True,
        help_text=_("11 cifre (partita IVA o codice fiscale numerico) o 16 caratteri."),
    )
    runts_id = models.CharField(
        _("numero di iscrizione al RUNTS"),
        max_length=20,
        blank=True,
        help_text=_("Per gli enti del Terzo Settore: il numero di repertorio, solo cifre."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefono"), max_length=40, blank=True)
    website = models.URLField(_("sito web"), blank=True)
    is_example = models.BooleanField(_("dati di esempio"), default=False)
    version = models.PositiveIntegerField(
        _("versione"), default=1, editable=False, help_text=_("Cresce a ogni modifica.")
    )
    created_at = models.DateTimeField(auto_now_add=True, null=True)
    updated_at = models.DateTimeField(auto_now=True, null=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("ente")
        verbose_name_plural = _("enti")

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """A service (unità d'offerta) or, when it has a start and an end, a project."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("attivo")
        SUSPENDED = "suspended", _("sospeso")
        CLOSED = "closed", _("chiuso")

    class Cost(models.TextChoices):
        FREE = "free", _("gratuito")
        ISEE = "isee", _("in base all'ISEE")
        FIXED = "fixed", _("a tariffa fissa")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    district = models.ForeignKey(
        "territory.District", on_delete=models.CASCADE, related_name="services"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(_("nome"), max_length=250)
    status = models.CharField(
        _("stato"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    description = models.TextField(_("descrizione"), blank=True)
    areas = models.CharField(_("aree di utenza"), max_length=200, blank=True)
    nomenclature = models.ForeignKey(
        TaxonomyTerm,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("voce del Nomenclatore CISIS"),
    )
    eligibility = models.TextField(_("a chi è rivolto"), blank=True)
    min_age = models.PositiveSmallIntegerField(_("età minima"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("età massima"), null=True, blank=True)
    access_steps = models.TextField(_("come accedere"), blank=True)
    required_documents = models.TextField(
        _("documenti da portare"), blank=True, help_text=_("Uno per riga.")
    )
    cost_kind = models.CharField(_("costo"), max_length=10, choices=Cost.choices, default="free")
    cost_amount = models.DecimalField(
        _("importo (€)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    cost_description = models.TextField(_("dettagli sul costo"), blank=True)
    languages = models.CharField(_("lingue"), max_length=200, blank=True, default="|it|")
    accessibility = models.CharField(_("accessibilità"), max_length=400, blank=True)
    accessibility_notes = models.TextField(_("note sull'accessibilità"), blank=True)
    capacity = models.PositiveIntegerField(_("posti disponibili"), null=True, blank=True)
    start_date = models.DateField(_("inizio (per i progetti)"), null=True, blank=True)
    end_date = models.DateField(_("fine (per i progetti)"), null=True, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefono"), max_length=40, blank=True)
    url = models.URLField(_("pagina web"), blank=True)
    verified_at = models.DateTimeField(_("ultima verifica"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verificato da"),
    )
    is_published = models.BooleanField(_("pubblicato"), default=False)
    is_example = models.BooleanField(_("dati di esempio"), default=False)
    municipality_codes = models.CharField(max_length=800, blank=True, editable=False)
    search_stems = models.TextField(blank=True, default="", editable=False)
    name_stems = models.TextField(blank=True, default="", editable=False)
    version = models.PositiveIntegerField(
        _("versione"), default=1, editable=False, help_text=_("Cresce a ogni modifica.")
    )
    created_at = models.DateTimeField(auto_now_add=True, null=True)
    updated_at = models.DateTimeField(auto_now=True, null=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            # The guide without words: the page in name order and its count read this index
            # alone (the filters' columns are in it), never the wide rows.
            models.Index(
                fields=[
                    "district",
                    "name",
                    "is_published",
                    "status",
                    "areas",
                    "municipality_codes",
                    "cost_kind",
                    "min_age",
                    "max_age",
                    "start_date",
                ],
                name="dir_service_guide_idx",
            ),
            models.Index(fields=["district", "verified_at"], name="dir_service_verif_idx"),
        ]
        verbose_name = _("servizio")
        verbose_name_plural = _("servizi")

    def __str__(self) -> str:
        return self.name

    @property
    def is_project(self) -> bool:
        return self.start_date is not None and self.end_date is not None

    @property
    def area_list(self) -> list[str]:
        return split_key(self.areas)

    @property
    def area_labels(self) -> list[str]:
        labels = dict(UserArea.choices)
        return [str(labels.get(a, a)) for a in self.area_list]

    @property
    def language_list(self) -> list[str]:
        return split_key(self.languages)

    @property
    def language_labels(self) -> list[str]:
        labels = dict(Language.choices)
        return [str(labels.get(a, a)) for a in self.language_list]

    @property
    def accessibility_list(self) -> list[str]:
        return split_key(self.accessibility)

    @property
    def accessibility_labels(self) -> list[str]:
        labels = dict(Accessibility.choices)
        return [str(labels.get(a, a)) for a in self.accessibility_list]

    @property
    def document_list(self) -> list[str]:
        return [line.strip() for line in self.required_documents.splitlines() if line.strip()]

    @property
    def step_list(self) -> list[str]:
        return [line.strip() for line in self.access_steps.splitlines() if line.strip()]

    @property
    def cost_amount_or_zero(self) -> Decimal:
        return self.cost_amount or Decimal(0)


class Location(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    district = models.ForeignKey(
        "territory.District", on_delete=models.CASCADE, related_name="directory_locations"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="locations", null=True, blank=True
    )
    name = models.CharField(_("nome della sede"), max_length=250)
    address = models.CharField(_("indirizzo"), max_length=250)
    postal_code = models.CharField(_("CAP"), max_length=5, blank=True)
    municipality = models.ForeignKey(
        "territory.Municipality", on_delete=models.PROTECT, related_name="directory_locations"
    )
    latitude = models.FloatField(_("latitudine"), null=True, blank=True)
    longitude = models.FloatField(_("longitudine"), null=True, blank=True)
    phone = models.CharField(_("telefono"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sede")
        verbose_name_plural = _("sedi")

    def __str__(self) -> str:
        return f"{self.name}, {self.address}"


class ServiceAtLocation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    district = models.ForeignKey(
        "territory.District", on_delete=models.CASCADE, related_name="service_locations"
    )
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="services_at")
    description = models.TextField(_("note"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["district", "service", "location"], name="directory_sal_unique"
            )
        ]
        verbose_name = _("servizio in sede")
        verbose_name_plural = _("servizi in sede")

    def __str__(self) -> str:
        return f"{self.service_id} @ {self.location_id}"


class Schedule(models.Model):
    """Opening hours: one weekday, from, to, at a service's location."""

    class Weekday(models.IntegerChoices):
        MONDAY = 1, _("lunedì")
        TUESDAY = 2, _("martedì")
        WEDNESDAY = 3, _("mercoledì")
        THURSDAY = 4, _("giovedì")
        FRIDAY = 5, _("venerdì")
        SATURDAY = 6, _("sabato")
        SUNDAY = 7, _("domenica")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    district = models.ForeignKey(
        "territory.District", on_delete=models.CASCADE, related_name="directory_schedules"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation, on_delete=models.CASCADE, related_name="schedules"
    )
    weekday = models.PositiveSmallIntegerField(_("giorno"), choices=Weekday.choices)
    opens_at = models.TimeField(_("apre alle"))
    closes_at = models.TimeField(_("chiude alle"))
    notes = models.CharField(_("note"), max_length=250, blank=True)

    class Meta:
        ordering = ["weekday", "opens_at"]
        verbose_name = _("orario")
        verbose_name_plural = _("orari")

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}-{self.closes_at:%H:%M}"


class ExchangeJob(models.Model):
    """An HSDS import or export of the planner's page, run in the background (a task)."""

    class Kind(models.TextChoices):
        IMPORT = "import", _("importazione")
        EXPORT = "export", _("esportazione")

    class Status(models.TextChoices):
        PENDING = "pending", _("in coda")
        RUNNING = "running", _("in corso")
        DONE = "done", _("completata")
        FAILED = "failed", _("non riuscita")

    district = models.ForeignKey(
        "territory.District", on_delete=models.CASCADE, related_name="directory_exchanges"
    )
    kind = models.CharField(_("tipo"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("stato"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file_name = models.CharField(_("nome del file"), max_length=250, blank=True)
    upload = models.BinaryField(null=True, blank=True, editable=False)
    content = models.BinaryField(null=True, blank=True, editable=False)
    organisations = models.PositiveIntegerField(default=0)
    services = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("scambio HSDS")
        verbose_name_plural = _("scambi HSDS")

    def __str__(self) -> str:
        return f"{self.kind} {self.district_id} {self.status}"

    @property
    def is_waiting(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)
