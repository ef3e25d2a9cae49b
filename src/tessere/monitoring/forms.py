from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tessere.core.forms import ItaliaFormMixin
from tessere.monitoring.models import ActionIndicator, ProgressEntry


class IndicatorForm(ItaliaFormMixin, forms.Form):
    name = forms.CharField(label=_("Indicatore"), max_length=250)
    kind = forms.ChoiceField(label=_("Tipo"), choices=ActionIndicator.Kind.choices)
    unit = forms.CharField(label=_("Unità di misura"), max_length=60)
    baseline = forms.CharField(label=_("Valore di partenza"), required=False, max_length=20)
    higher_is_better = forms.BooleanField(
        label=_("Più alto è meglio"), required=False, initial=True
    )
    responsible = forms.CharField(label=_("Responsabile della misura"), required=False)
    responsible_email = forms.EmailField(
        label=_("E-mail del responsabile"),
        required=False,
        help_text=_("Riceve il promemoria delle misurazioni da inserire."),
    )
    frequency = forms.ChoiceField(label=_("Frequenza"), choices=ActionIndicator.Frequency.choices)
    source = forms.ChoiceField(
        label=_("Fonte automatica"), choices=ActionIndicator.Source.choices, required=False
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.years = years
        for year in years:
            self.fields[f"target_{year}"] = forms.CharField(
                label=_("Obiettivo %(year)s") % {"year": year}, required=False, max_length=20
            )
            self.fields[f"target_{year}"].widget.attrs["class"] = "form-control"

    def targets(self) -> dict[int, str]:
        return {y: self.cleaned_data.get(f"target_{y}", "") for y in self.years}


class MeasurementForm(ItaliaFormMixin, forms.Form):
    indicator = forms.TypedChoiceField(label=_("Indicatore"), coerce=int)
    date = forms.DateField(
        label=_("Data (fine del periodo)"), input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )
    value = forms.CharField(label=_("Valore"), max_length=20)

    def __init__(self, *args: Any, indicators: list[ActionIndicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [(i.pk, i.name) for i in indicators]  # type: ignore[attr-defined]


class ProgressForm(ItaliaFormMixin, forms.Form):
    date = forms.DateField(label=_("Data"), input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    status = forms.ChoiceField(label=_("Stato"), choices=ProgressEntry.Status.choices)
    percent = forms.IntegerField(label=_("Avanzamento (%)"), min_value=0, max_value=100)
    note = forms.CharField(
        label=_("Nota"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ImportForm(ItaliaFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File CSV delle misurazioni"),
        help_text=_("Colonne: indicatore (numero), data (GG/MM/AAAA), valore."),
    )
