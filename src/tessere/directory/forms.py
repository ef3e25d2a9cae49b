"""Forms of the staff pages and of the public search."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from tessere.core.areas import UserArea
from tessere.core.forms import ItaliaFormMixin
from tessere.directory.models import (
    Accessibility,
    Language,
    Organisation,
    Service,
    TaxonomyTerm,
)
from tessere.directory.taxonomy import NOMENCLATURE


class SearchForm(ItaliaFormMixin, forms.Form):
    q = forms.CharField(label=_("Cerca"), required=False, max_length=200)
    area = forms.ChoiceField(
        label=_("Area"), required=False, choices=[("", _("Tutte")), *UserArea.choices]
    )
    municipality = forms.ChoiceField(label=_("Comune"), required=False)
    kind = forms.ChoiceField(
        label=_("Tipo di ente"),
        required=False,
        choices=[("", _("Tutti")), *Organisation.Kind.choices],
    )
    cost = forms.ChoiceField(
        label=_("Costo"), required=False, choices=[("", _("Qualsiasi")), *Service.Cost.choices]
    )
    language = forms.ChoiceField(
        label=_("Lingua"), required=False, choices=[("", _("Qualsiasi")), *Language.choices]
    )
    accessibility = forms.MultipleChoiceField(
        label=_("Accessibilità"),
        required=False,
        choices=Accessibility.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    age = forms.IntegerField(label=_("Età"), required=False, min_value=0, max_value=120)
    projects = forms.ChoiceField(
        label=_("Servizi o progetti"),
        required=False,
        choices=[("", _("Tutti")), ("services", _("Servizi")), ("projects", _("Progetti"))],
    )

    def __init__(self, *args: Any, municipalities: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["municipality"]).choices = [
            ("", _("Tutti")),
            *municipalities,
        ]


class VersionField(forms.IntegerField):
    """The version of the record the editor loaded (optimistic locking), hidden."""

    def __init__(self) -> None:
        super().__init__(required=False, min_value=1, widget=forms.HiddenInput)


class OrganisationForm(ItaliaFormMixin, forms.Form):
    version = VersionField()
    kind = forms.ChoiceField(label=_("Tipo"), choices=Organisation.Kind.choices)
    name = forms.CharField(label=_("Nome"), max_length=250)
    description = forms.CharField(label=_("Descrizione"), required=False, widget=forms.Textarea)
    tax_code = forms.CharField(label=_("Codice fiscale o partita IVA"), required=False)
    runts_id = forms.CharField(label=_("Numero RUNTS"), required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Telefono"), required=False, max_length=40)
    website = forms.URLField(label=_("Sito web"), required=False, assume_scheme="https")


class ServiceForm(ItaliaFormMixin, forms.Form):
    version = VersionField()
    organisation = forms.ChoiceField(label=_("Ente"))
    name = forms.CharField(label=_("Nome"), max_length=250)
    status = forms.ChoiceField(label=_("Stato"), choices=Service.Status.choices)
    description = forms.CharField(label=_("Descrizione"), required=False, widget=forms.Textarea)
    areas = forms.MultipleChoiceField(
        label=_("Aree di utenza"), choices=UserArea.choices, widget=forms.CheckboxSelectMultiple
    )
    nomenclature = forms.ModelChoiceField(
        label=_("Voce del Nomenclatore CISIS"),
        required=False,
        queryset=TaxonomyTerm.objects.filter(taxonomy__key=NOMENCLATURE),
    )
    eligibility = forms.CharField(label=_("A chi è rivolto"), required=False, widget=forms.Textarea)
    min_age = forms.IntegerField(label=_("Età minima"), required=False, min_value=0)
    max_age = forms.IntegerField(label=_("Età massima"), required=False, min_value=0)
    access_steps = forms.CharField(
        label=_("Come accedere (un passo per riga)"), required=False, widget=forms.Textarea
    )
    required_documents = forms.CharField(
        label=_("Documenti da portare (uno per riga)"), required=False, widget=forms.Textarea
    )
    cost_kind = forms.ChoiceField(label=_("Costo"), choices=Service.Cost.choices)
    cost_amount = forms.DecimalField(
        label=_("Importo (€)"), required=False, min_value=0, decimal_places=2
    )
    cost_description = forms.CharField(
        label=_("Dettagli sul costo"), required=False, widget=forms.Textarea
    )
    languages = forms.MultipleChoiceField(
        label=_("Lingue"), choices=Language.choices, widget=forms.CheckboxSelectMultiple
    )
    accessibility = forms.MultipleChoiceField(
        label=_("Accessibilità"),
        required=False,
        choices=Accessibility.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    accessibility_notes = forms.CharField(
        label=_("Note sull'accessibilità"), required=False, widget=forms.Textarea
    )
    capacity = forms.IntegerField(label=_("Posti disponibili"), required=False, min_value=0)
    start_date = forms.DateField(label=_("Inizio (solo progetti)"), required=False)
    end_date = forms.DateField(label=_("Fine (solo progetti)"), required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Telefono"), required=False, max_length=40)
    url = forms.URLField(label=_("Pagina web"), required=False, assume_scheme="https")
    location_name = forms.CharField(label=_("Sede: nome"), required=False, max_length=250)
    location_address = forms.CharField(label=_("Sede: indirizzo"), required=False)
    location_municipality = forms.ChoiceField(label=_("Sede: comune"), required=False)
    location_latitude = forms.FloatField(label=_("Sede: latitudine"), required=False)
    location_longitude = forms.FloatField(label=_("Sede: longitudine"), required=False)
    location_hours = forms.CharField(
        label=_("Sede: orari (una riga per giorno, es. «lun-ven 9:00-12:30»)"),
        required=False,
        widget=forms.Textarea,
    )

    def __init__(
        self,
        *args: Any,
        organisations: list[tuple[str, str]],
        municipalities: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["organisation"]).choices = organisations
        cast(forms.ChoiceField, self.fields["location_municipality"]).choices = [
            ("", "—"),
            *municipalities,
        ]


class ImportForm(ItaliaFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File HSDS (JSON, oppure ZIP del pacchetto tabellare)"),
    )
