"""Forms of the profile: importing an indicator, writing a need."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tessere.core.areas import UserArea
from tessere.core.forms import ItaliaFormMixin
from tessere.profile.indicators import Indicator
from tessere.profile.models import Polarity
from tessere.territory.models import Municipality

MAX_UPLOAD = 2 * 1024 * 1024


class ImportSeriesForm(ItaliaFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Codice dell'indicatore"),
        max_length=60,
        help_text=_(
            "Lettere minuscole, cifre e trattini bassi, per esempio reddito_contribuente. "
            "Per il rapporto LEPS usa assistenti_sociali."
        ),
    )
    name = forms.CharField(label=_("Nome"), max_length=200)
    unit = forms.CharField(
        label=_("Unità di misura"), max_length=40, help_text=_("Per esempio: persone, €, %.")
    )
    polarity = forms.ChoiceField(label=_("Polarità"), choices=Polarity.choices)
    source = forms.CharField(label=_("Fonte"), max_length=300)
    formula = forms.CharField(
        label=_("Definizione (facoltativa)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    file = forms.FileField(
        label=_("File CSV"),
        help_text=_(
            "Colonne: codice (codice ISTAT del comune, codice dell'ambito o del sub-ambito), "
            "anno, valore. Separatore virgola o punto e virgola."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Il file supera i 2 MB."))
        return upload


class NeedForm(ItaliaFormMixin, forms.Form):
    statement = forms.CharField(
        label=_("Bisogno"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    area = forms.ChoiceField(label=_("Area di intervento"), choices=UserArea.choices)
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Comuni interessati"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Nessuno: il bisogno riguarda tutto l'ambito."),
    )
    evidence_indicators = forms.MultipleChoiceField(
        label=_("Indicatori a sostegno"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    evidence_note = forms.CharField(
        label=_("Note sulle evidenze"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args: Any,
        municipalities: Any,
        indicators: list[Indicator],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipalities"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = municipalities
        evidence = self.fields["evidence_indicators"]
        assert isinstance(evidence, forms.MultipleChoiceField)
        evidence.choices = [(i.code, str(i.name)) for i in indicators]
