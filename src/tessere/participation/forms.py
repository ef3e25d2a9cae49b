"""Forms of the tables: they shape input; the rules live in services."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tessere.core.areas import UserArea
from tessere.core.forms import ItaliaFormMixin
from tessere.core.models import User
from tessere.directory.models import Organisation
from tessere.participation.models import Contribution, Member, Phase, Table, Territory
from tessere.profile.models import Need
from tessere.territory.models import District, Municipality, Neighbourhood, SubDistrict

AREA_CHOICES = [("", _("— nessuna in particolare —")), *UserArea.choices]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class TerritoryFields(forms.Form):
    territory = forms.ChoiceField(label=_("Territorio"), choices=Territory.choices)
    subdistrict = forms.ModelChoiceField(
        label=_("Sub-ambito"), queryset=SubDistrict.objects.none(), required=False
    )
    municipality = forms.ModelChoiceField(
        label=_("Comune"), queryset=Municipality.objects.none(), required=False
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Quartiere"), queryset=Neighbourhood.objects.none(), required=False
    )

    def limit_territory(self, district: District) -> None:
        self.fields["subdistrict"].queryset = SubDistrict.objects.filter(  # type: ignore[attr-defined]
            district=district
        ).order_by("name")
        self.fields["municipality"].queryset = district.municipalities.order_by(  # type: ignore[attr-defined]
            "name"
        )
        self.fields["neighbourhood"].queryset = Neighbourhood.objects.filter(  # type: ignore[attr-defined]
            district=district
        ).order_by("name")


class TableForm(ItaliaFormMixin, TerritoryFields):
    kind = forms.ChoiceField(label=_("Tipo di tavolo"), choices=Table.Kind.choices)
    title = forms.CharField(label=_("Titolo"), max_length=200)
    description = forms.CharField(
        label=_("Descrizione"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    area = forms.ChoiceField(label=_("Area di intervento"), choices=AREA_CHOICES, required=False)
    coordinator = forms.ModelChoiceField(
        label=_("Coordinatore"), queryset=User.objects.none(), required=False
    )
    plan_cycle = forms.RegexField(
        label=_("Ciclo del piano"),
        regex=r"^\d{4}-\d{4}$",
        help_text=_("Per esempio 2025-2027."),
        error_messages={"invalid": _("Scrivi il ciclo come 2025-2027.")},
    )
    visibility = forms.ChoiceField(label=_("Visibilità"), choices=Table.Visibility.choices)
    public_consultation = forms.BooleanField(
        label=_("Consultazione pubblica aperta ai cittadini nella fase delle proposte"),
        required=False,
    )
    method = forms.ChoiceField(label=_("Metodo di prioritizzazione"), choices=Table.Method.choices)
    dot_budget = forms.IntegerField(
        label=_("Punti per membro (voto a punti)"), min_value=1, max_value=100, initial=10
    )

    def __init__(self, *args: Any, district: District, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in Phase.Kind.choices:
            self.fields[f"{kind}_start"] = forms.DateField(
                label=_("%(phase)s: dal") % {"phase": label}, required=False, widget=DateInput()
            )
            self.fields[f"{kind}_end"] = forms.DateField(
                label=_("%(phase)s: al") % {"phase": label}, required=False, widget=DateInput()
            )
        self.limit_territory(district)
        self.fields["coordinator"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(memberships__district=district).distinct().order_by("username")
        )
        for field in self.fields.values():
            widget = field.widget
            if "class" not in widget.attrs:
                widget.attrs["class"] = (
                    "form-select" if isinstance(widget, forms.Select) else "form-control"
                )

    def phases(self) -> dict[str, tuple[datetime.date, datetime.date]]:
        result = {}
        for kind in Phase.Kind.values:
            start = self.cleaned_data.get(f"{kind}_start")
            end = self.cleaned_data.get(f"{kind}_end")
            if start and end:
                result[kind] = (start, end)
        return result

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for kind, label in Phase.Kind.choices:
            if bool(data.get(f"{kind}_start")) != bool(data.get(f"{kind}_end")):
                self.add_error(
                    f"{kind}_end",
                    _("Indica l'inizio e la fine della fase «%(phase)s».") % {"phase": label},
                )
        return data


class PhasesForm(ItaliaFormMixin, forms.Form):
    """The four phases' dates; a phase left empty is not held."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in Phase.Kind.choices:
            self.fields[f"{kind}_start"] = forms.DateField(
                label=_("%(phase)s: dal") % {"phase": label}, required=False, widget=DateInput()
            )
            self.fields[f"{kind}_end"] = forms.DateField(
                label=_("%(phase)s: al") % {"phase": label}, required=False, widget=DateInput()
            )
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def phases(self) -> dict[str, tuple[datetime.date, datetime.date]]:
        result = {}
        for kind in Phase.Kind.values:
            start = self.cleaned_data.get(f"{kind}_start")
            end = self.cleaned_data.get(f"{kind}_end")
            if start and end:
                result[kind] = (start, end)
        return result

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for kind, label in Phase.Kind.choices:
            if bool(data.get(f"{kind}_start")) != bool(data.get(f"{kind}_end")):
                self.add_error(
                    f"{kind}_end",
                    _("Indica l'inizio e la fine della fase «%(phase)s».") % {"phase": label},
                )
        return data


class MemberForm(ItaliaFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Ruolo"), choices=Member.Role.choices)
    organisation = forms.ModelChoiceField(
        label=_("Ente"), queryset=Organisation.objects.none(), required=False
    )
    user = forms.ModelChoiceField(
        label=_("Utente di Tessere"), queryset=User.objects.none(), required=False
    )
    name = forms.CharField(
        label=_("Nome e cognome (persona senza account)"), max_length=200, required=False
    )
    email = forms.EmailField(label=_("E-mail per gli inviti"), required=False)

    def __init__(self, *args: Any, district: District, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            district=district
        ).only("id", "name")
        self.fields["user"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(memberships__district=district).distinct().order_by("username")
        )


class MeetingForm(ItaliaFormMixin, forms.Form):
    title = forms.CharField(label=_("Titolo"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Inizio"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Fine"), widget=DateTimeInput())
    place = forms.CharField(label=_("Luogo"), max_length=250, required=False)
    online_url = forms.URLField(
        label=_("Collegamento online"), required=False, assume_scheme="https"
    )
    agenda = forms.CharField(
        label=_("Ordine del giorno (un punto per riga)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class MinutesForm(ItaliaFormMixin, forms.Form):
    minutes = forms.CharField(
        label=_("Verbale"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Markdown semplice: # titolo, **grassetto**, *corsivo*, elenchi con - e "
            "collegamenti [testo](https://...)."
        ),
    )
    decisions = forms.CharField(
        label=_("Decisioni (una per riga)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    present = forms.ModelMultipleChoiceField(
        label=_("Presenti"),
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    guests = forms.CharField(
        label=_("Altri presenti (uno per riga)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args: Any, table: Table, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = Member.objects.filter(  # type: ignore[attr-defined]
            table=table
        ).select_related("organisation", "user")


class AttachmentForm(ItaliaFormMixin, forms.Form):
    title = forms.CharField(label=_("Titolo dell'allegato"), max_length=200, required=False)
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, ODT, ODS, DOCX, PNG, JPG, CSV o TXT; al massimo 10 MB.")
    )


class ContributionForm(ItaliaFormMixin, TerritoryFields):
    kind = forms.ChoiceField(label=_("Tipo"), choices=Contribution.Kind.choices)
    title = forms.CharField(label=_("Titolo"), max_length=200)
    text = forms.CharField(label=_("Testo"), widget=forms.Textarea(attrs={"rows": 6}))
    area = forms.ChoiceField(label=_("Area di intervento"), choices=AREA_CHOICES, required=False)
    needs = forms.ModelMultipleChoiceField(
        label=_("Bisogni del profilo di comunità collegati"),
        queryset=Need.objects.none(),
        required=False,
    )

    field_order = ["kind", "title", "text", "area", "territory"]

    def __init__(self, *args: Any, district: District, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_territory(district)
        self.fields["needs"].queryset = Need.objects.filter(district=district)  # type: ignore[attr-defined]
        for field in self.fields.values():
            widget = field.widget
            if "class" not in widget.attrs:
                widget.attrs["class"] = (
                    "form-select" if isinstance(widget, forms.Select) else "form-control"
                )


class CitizenContributionForm(ItaliaFormMixin, forms.Form):
    name = forms.CharField(label=_("Il tuo nome"), max_length=200)
    email = forms.EmailField(
        label=_("La tua e-mail (per sapere che fine fa il contributo)"), required=False
    )
    kind = forms.ChoiceField(label=_("Tipo"), choices=Contribution.Kind.choices)
    title = forms.CharField(label=_("Titolo"), max_length=200)
    text = forms.CharField(
        label=_("Testo"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )
    area = forms.ChoiceField(label=_("Area di intervento"), choices=AREA_CHOICES, required=False)
    consent = forms.BooleanField(
        label=_(
            "Accetto che nome e contributo siano pubblicati dopo la moderazione "
            "(l'e-mail resta riservata)."
        )
    )


class StatusForm(ItaliaFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Nuovo stato"), choices=Contribution.Status.choices)
    reason = forms.CharField(
        label=_("Motivazione (pubblica; obbligatoria per unire o non accogliere)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    merged_into = forms.IntegerField(
        label=_("Numero del contributo in cui unirlo"), required=False, min_value=1
    )


class CommentForm(ItaliaFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Commento"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000
    )


class ModerationForm(ItaliaFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decisione"),
        choices=[("publish", _("Pubblica")), ("refuse", _("Non pubblicare"))],
    )
    reason = forms.CharField(label=_("Motivo (se non pubblicato)"), max_length=500, required=False)
