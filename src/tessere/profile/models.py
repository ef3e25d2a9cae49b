"""The community profile: needs, and the imported indicators that justify them.

The indicators computed from the population are defined in code (`indicators.py`); those a
district imports from a CSV file are rows of `IndicatorDefinition`, with their values in
`SeriesValue`.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tessere.core.areas import UserArea

indicator_code_validator = RegexValidator(
    r"^[a-z][a-z0-9_]{1,59}$",
    _("Usa lettere minuscole, cifre e trattini bassi, iniziando con una lettera."),
)


class Polarity(models.TextChoices):
    """Whether a higher value means more need."""

    HIGHER = "higher", _("più alto = più bisogno")
    LOWER = "lower", _("più basso = più bisogno")
    NEUTRAL = "neutral", _("neutro")


class TerritoryKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("comune")
    SUBDISTRICT = "subdistrict", _("sub-ambito")
    DISTRICT = "district", _("ambito")
    PROVINCE = "province", _("provincia")
    REGION = "region", _("regione")
    ITALY = "italy", _("Italia")


class IndicatorDefinition(models.Model):
    """An indicator a district imported from a CSV file (one file per indicator)."""

    district = models.ForeignKey(
        "territory.District", on_delete=models.CASCADE, related_name="indicator_definitions"
    )
    code = models.CharField(_("codice"), max_length=60, validators=[indicator_code_validator])
    name = models.CharField(_("nome"), max_length=200)
    unit = models.CharField(_("unità di misura"), max_length=40)
    polarity = models.CharField(
        _("polarità"), max_length=10, choices=Polarity.choices, default=Polarity.NEUTRAL
    )
    source = models.CharField(_("fonte"), max_length=300)
    formula = models.TextField(_("definizione"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("indicatore importato")
        verbose_name_plural = _("indicatori importati")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "code"], name="profile_indicator_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class SeriesValue(models.Model):
    """One imported value: an indicator, a territory (code of the district's reach), a year."""

    district = models.ForeignKey(
        "territory.District", on_delete=models.CASCADE, related_name="series_values"
    )
    indicator = models.ForeignKey(
        IndicatorDefinition, on_delete=models.CASCADE, related_name="values"
    )
    territory_kind = models.CharField(
        _("tipo di territorio"), max_length=20, choices=TerritoryKind.choices
    )
    territory_code = models.CharField(_("codice del territorio"), max_length=130)
    year = models.PositiveSmallIntegerField(_("anno"))
    value = models.FloatField(_("valore"))

    class Meta:
        verbose_name = _("valore importato")
        verbose_name_plural = _("valori importati")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "indicator", "territory_kind", "territory_code", "year"],
                name="profile_series_value_unique",
            )
        ]
        indexes = [models.Index(fields=["district", "year"], name="profile_series_district")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.territory_kind}:{self.territory_code} {self.year}"


class PopulationBands(models.Model):
    """A municipality's residents of one year summed by the profile's age bands.

    Derived from `territory.PopulationCount` by `services.refresh_population_bands()` whenever
    the loaded population changes, so that the comparisons with the region and Italy read
    16,000 rows instead of 1.6 million. Columns are the names of `indicators.FIELDS`.
    """

    municipality = models.ForeignKey(
        "territory.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey("territory.Region", on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey("territory.Province", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    males = models.PositiveIntegerField(default=0)
    females = models.PositiveIntegerField(default=0)
    a0_2 = models.PositiveIntegerField(default=0)
    a3_5 = models.PositiveIntegerField(default=0)
    a6_10 = models.PositiveIntegerField(default=0)
    a11_13 = models.PositiveIntegerField(default=0)
    a14 = models.PositiveIntegerField(default=0)
    a15_17 = models.PositiveIntegerField(default=0)
    a18_64 = models.PositiveIntegerField(default=0)
    a65_74 = models.PositiveIntegerField(default=0)
    a75_79 = models.PositiveIntegerField(default=0)
    a80_84 = models.PositiveIntegerField(default=0)
    a85 = models.PositiveIntegerField(default=0)
    f80 = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="profile_bands_unique")
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.year}"


class PopulationBandsState(models.Model):
    """Which load of the population `PopulationBands` was computed from (one row)."""

    signature = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.signature


class Need(models.Model):
    """A need of the community, with the area it concerns and its evidence."""

    district = models.ForeignKey(
        "territory.District", on_delete=models.CASCADE, related_name="needs"
    )
    statement = models.TextField(_("bisogno"))
    area = models.CharField(_("area di intervento"), max_length=30, choices=UserArea.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    municipalities = models.ManyToManyField(
        "territory.Municipality",
        through="NeedMunicipality",
        related_name="needs",
        blank=True,
        verbose_name=_("comuni interessati"),
        help_text=_("Nessuno: il bisogno riguarda tutto l'ambito."),
    )
    evidence_indicators = models.JSONField(_("indicatori a sostegno"), default=list, blank=True)
    evidence_note = models.TextField(_("note sulle evidenze"), blank=True)
    updated_at = models.DateTimeField(auto_now=True, null=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("bisogno")
        verbose_name_plural = _("bisogni")

    def __str__(self) -> str:
        return self.statement[:80]


class NeedMunicipality(models.Model):
    """A municipality a need concerns (``Need.municipalities``)."""

    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="+")
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey(
        "territory.Municipality", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        db_table = "profile_need_municipalities"
        constraints = [
            models.UniqueConstraint(
                fields=["district", "need", "municipality"], name="need_municipality_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.need_id} · {self.municipality_id}"
