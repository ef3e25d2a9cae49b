"""Italy's territory (ISTAT codes) and the districts built on it."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_AGE = 100  # the last age class: 100 years and over

district_code_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    _("Usa lettere minuscole, cifre e trattini (per esempio piana-di-lucca)."),
)


class Region(models.Model):
    code = models.CharField(_("codice ISTAT"), max_length=2, unique=True)
    name = models.CharField(_("nome"), max_length=100)
    boundary = models.TextField(_("confine (GeoJSON semplificato)"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("regione")
        verbose_name_plural = _("regioni")

    def __str__(self) -> str:
        return self.name


class Province(models.Model):
    code = models.CharField(_("codice ISTAT"), max_length=3, unique=True)
    name = models.CharField(_("nome"), max_length=100)
    abbreviation = models.CharField(_("sigla"), max_length=2)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="provinces")
    boundary = models.TextField(_("confine (GeoJSON semplificato)"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("provincia")
        verbose_name_plural = _("province")

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})"


class Municipality(models.Model):
    """A comune, by the six-digit ISTAT code (e.g. ``046007``)."""

    code = models.CharField(_("codice ISTAT"), max_length=6, unique=True)
    name = models.CharField(_("nome"), max_length=100, db_index=True)
    cadastral_code = models.CharField(_("codice catastale"), max_length=4)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="municipalities")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities")
    boundary = models.TextField(_("confine (GeoJSON semplificato)"), blank=True)
    latitude = models.FloatField(_("latitudine"), null=True, blank=True)
    longitude = models.FloatField(_("longitudine"), null=True, blank=True)
    first_year = models.PositiveSmallIntegerField(_("primo anno nei dati"))
    last_year = models.PositiveSmallIntegerField(_("ultimo anno nei dati"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("comune")
        verbose_name_plural = _("comuni")

    def __str__(self) -> str:
        return self.name


class PopulationCount(models.Model):
    """Residents of one municipality on 1 January of ``year``, of one age, by sex."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="population"
    )
    year = models.PositiveSmallIntegerField(_("anno"))
    age = models.PositiveSmallIntegerField(
        _("età"), validators=[MinValueValidator(0), MaxValueValidator(MAX_AGE)]
    )
    males = models.PositiveIntegerField(_("maschi"))
    females = models.PositiveIntegerField(_("femmine"))

    class Meta:
        verbose_name = _("popolazione per età")
        verbose_name_plural = _("popolazione per età")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "age"], name="population_unique_age"
            ),
            models.CheckConstraint(
                condition=models.Q(age__lte=MAX_AGE), name="population_age_range"
            ),
        ]
        indexes = [models.Index(fields=["year", "municipality"], name="population_year_mun")]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.year} {self.age}: {self.males} M, {self.females} F"


class TerritoryLoad(models.Model):
    """What the territory loader last loaded, so that a second run reloads nothing."""

    dataset = models.CharField(max_length=40, unique=True)
    source_version = models.CharField(max_length=40)
    checksum = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.dataset} ({self.source_version})"


class District(models.Model):
    """An Ambito Territoriale Sociale / Zona distretto: the municipalities that plan together."""

    class Kind(models.TextChoices):
        SOCIAL = "social", _("Ambito territoriale sociale / Zona distretto")
        HEALTH = "health", _("Distretto sanitario")

    code = models.CharField(
        _("codice"), max_length=60, unique=True, validators=[district_code_validator]
    )
    name = models.CharField(_("nome"), max_length=200)
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices, default=Kind.SOCIAL)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="districts")
    lead_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="led_districts",
        verbose_name=_("comune capofila"),
    )
    municipalities = models.ManyToManyField(
        Municipality, through="DistrictMunicipality", related_name="districts"
    )
    is_demo = models.BooleanField(_("dati dimostrativi"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("ambito")
        verbose_name_plural = _("ambiti")

    def __str__(self) -> str:
        return self.name


class DistrictMunicipality(models.Model):
    """A municipality's membership of a district; one district per kind for each municipality."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="memberships")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="district_memberships"
    )
    kind = models.CharField(max_length=20, choices=District.Kind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "kind"], name="one_district_per_kind"),
            models.UniqueConstraint(
                fields=["district", "municipality"], name="district_municipality_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district_id} · {self.municipality_id}"


class SubDistrict(models.Model):
    """A sub-ambito: a part of a district made of some of its municipalities."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="subdistricts")
    code = models.CharField(_("codice"), max_length=60, validators=[district_code_validator])
    name = models.CharField(_("nome"), max_length=200)
    municipalities = models.ManyToManyField(Municipality, related_name="subdistricts")

    class Meta:
        ordering = ["name"]
        verbose_name = _("sub-ambito")
        verbose_name_plural = _("sub-ambiti")
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="subdistrict_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Neighbourhood(models.Model):
    """A quartiere: a part of a municipality, named by the district that uses it."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="neighbourhoods")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="neighbourhoods"
    )
    code = models.CharField(_("codice"), max_length=60, validators=[district_code_validator])
    name = models.CharField(_("nome"), max_length=200)
    boundary = models.TextField(_("confine (GeoJSON)"), blank=True)

    class Meta:
        ordering = ["municipality__name", "name"]
        verbose_name = _("quartiere")
        verbose_name_plural = _("quartieri")
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="neighbourhood_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality.name})"
