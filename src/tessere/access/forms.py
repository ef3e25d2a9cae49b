"""Forms of the access point's working screens (Italian, Bootstrap Italia)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tessere.access import selectors
from tessere.access.models import (
    Assessment,
    Case,
    ConsentRecord,
    Contact,
    DeliveredService,
    Dimension,
    HouseholdMember,
    Level,
    Person,
    ProjectReview,
    Referral,
    TeamMember,
)
from tessere.core.areas import UserArea
from tessere.core.forms import ItaliaFormMixin
from tessere.directory.models import Organisation
from tessere.territory.models import District, Municipality

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def service_label(service: Any) -> str:
    return f"{service.name} — {service.organisation.name}"


class ServiceSearchWidget(forms.Widget):
    """A search box for the service and a short list to choose from.

    The list holds the chosen service and, after a search, at most ``SERVICE_MATCHES`` matches:
    never the whole directory (tens of thousands of services in a large district). With
    JavaScript, htmx fills the list while the user types (``access:service_suggestions``);
    without it, the form is sent with the words typed, and the field takes the one service
    that matches or shows the matches to choose from.
    """

    template_name = "access/widgets/service_search.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.options: list[Any] = []
        self.chosen: Any = None

    def value_from_datadict(self, data: Any, files: Any, name: str) -> tuple[str, str]:
        return ((data.get(name) or "").strip(), (data.get(f"{name}_q") or "").strip())

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}_q" not in data

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        query = value[1] if isinstance(value, tuple | list) else ""
        options = list(self.options[:SERVICE_MATCHES])
        if self.chosen is not None and self.chosen not in options:
            options.insert(0, self.chosen)
        context["widget"].update(
            {
                "query": query,
                "options": [(str(s.pk), service_label(s)) for s in options],
                "chosen": str(self.chosen.pk) if self.chosen is not None else "",
                "more": len(self.options) > SERVICE_MATCHES,
                "url": reverse("access:service_suggestions"),
                "invalid": "is-invalid" in context["widget"]["attrs"].get("class", ""),
                "describedby": context["widget"]["attrs"].get("aria-describedby", ""),
            }
        )
        return context


SERVICE_MATCHES = 20


class ServiceChoiceField(forms.Field):
    """A published service of the district, found by searching instead of a full list.

    ``queryset`` is set by the form to the district's published services; the value sent is a
    service's key (chosen from the list) or, without one, the words typed in the search box.
    """

    widget = ServiceSearchWidget
    default_error_messages = {
        "invalid_choice": _("Scelta non valida: scegli un servizio pubblicato dell'ambito."),
        "none_found": _("Nessun servizio pubblicato dell'ambito corrisponde a «%(query)s»."),
        "many_found": _(
            "Più servizi corrispondono a «%(query)s»: scegli quello giusto dall'elenco e salva."
        ),
    }

    def __init__(self, *, queryset: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.queryset = queryset

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        result = super().__deepcopy__(memo)
        result.widget.options = []
        result.widget.chosen = None
        return result

    def to_python(self, value: Any) -> Any:
        key, query = value if isinstance(value, tuple | list) else (value or "", "")
        widget: ServiceSearchWidget = self.widget  # type: ignore[assignment]
        if key:
            try:
                service = self.queryset.filter(pk=uuid.UUID(str(key))).first()
            except ValueError:
                service = None
            if service is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                )
            widget.chosen = service
            return service
        if query:
            matches = list(selectors.match_services(self.queryset, query)[: SERVICE_MATCHES + 1])
            if len(matches) == 1:
                widget.chosen = matches[0]
                return matches[0]
            widget.options = matches
            code = "many_found" if matches else "none_found"
            raise forms.ValidationError(
                self.error_messages[code], code=code, params={"query": query}
            )
        return None

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class PlainSelect(forms.Select):
    """A select whose options are written by one loop instead of one template each: the
    lists of a large district (its 400 social workers, its organisations) render in a few
    milliseconds instead of tens."""

    template_name = "access/widgets/select.html"


class UserChoiceField(forms.ModelChoiceField):
    widget = PlainSelect

    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


class IntakeForm(ItaliaFormMixin, forms.Form):
    """One screen: the person (found or new), why, how, and what came of it."""

    person = forms.UUIDField(required=False, widget=forms.HiddenInput)
    code_kind = forms.ChoiceField(
        label=_("Tipo di codice"), choices=Person.CodeKind.choices, initial="cf"
    )
    code = forms.CharField(
        label=_("Codice fiscale o codice provvisorio"),
        required=False,
        max_length=20,
        help_text=_("Per un codice interno lascialo vuoto: verrà generato."),
    )
    last_name = forms.CharField(label=_("Cognome"), required=False, max_length=100)
    first_name = forms.CharField(label=_("Nome"), required=False, max_length=100)
    birth_date = forms.DateField(label=_("Data di nascita"), required=False, widget=DATE)
    sex = forms.ChoiceField(
        label=_("Sesso"), required=False, choices=[("", "—"), *Person.Sex.choices]
    )
    birth_place = forms.CharField(
        label=_("Comune di nascita (nome o codice catastale)"), required=False, max_length=100
    )
    residence_municipality = forms.ModelChoiceField(
        label=_("Comune di residenza"),
        required=False,
        queryset=Municipality.objects.none(),
        widget=PlainSelect,
    )
    phone = forms.CharField(label=_("Telefono"), required=False, max_length=40)
    language = forms.CharField(label=_("Lingua"), required=False, max_length=40, initial="italiano")
    citizenship = forms.CharField(label=_("Cittadinanza"), required=False, max_length=60)
    confirm_new = forms.BooleanField(
        label=_("Ho verificato: non è una persona già registrata"), required=False
    )
    channel = forms.ChoiceField(
        label=_("Canale"), choices=Contact.Channel.choices, initial="in_person"
    )
    area = forms.ChoiceField(label=_("Area"), choices=UserArea.choices)
    reason = forms.CharField(label=_("Motivo dell'accesso"), max_length=300)
    outcome = forms.ChoiceField(label=_("Esito"), choices=Contact.Outcome.choices)
    access_point = forms.ModelChoiceField(
        label=_("Punto di accesso"),
        required=False,
        queryset=selectors.AccessPoint.objects.none(),
        widget=PlainSelect,
    )
    service = ServiceChoiceField(
        label=_("Servizio (per un invio)"), required=False, queryset=Organisation.objects.none()
    )
    request = forms.CharField(
        label=_("Che cosa si chiede all'ente (per un invio)"), required=False, max_length=1000
    )
    sharing_consent = forms.BooleanField(
        label=_("La persona acconsente a condividere i suoi dati con l'ente a cui è inviata"),
        required=False,
    )
    manager = UserChoiceField(
        label=_("Responsabile del caso (per una presa in carico)"),
        required=False,
        queryset=Organisation.objects.none(),
    )

    def __init__(self, *args: Any, district: District, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["residence_municipality"].queryset = district.municipalities.order_by("name")  # type: ignore[attr-defined]
        self.fields["access_point"].queryset = selectors.access_points(district)  # type: ignore[attr-defined]
        self.fields["service"].queryset = selectors.district_services(district)  # type: ignore[attr-defined]
        self.fields["manager"].queryset = selectors.case_managers(district)  # type: ignore[attr-defined]

    def clean_birth_place(self) -> Municipality | None:
        value = (self.cleaned_data.get("birth_place") or "").strip()
        if not value:
            return None
        found = (
            Municipality.objects.filter(Q(cadastral_code__iexact=value) | Q(name__iexact=value))
            .order_by("-last_year")
            .first()
        )
        if found is None:
            raise forms.ValidationError(_("Comune non trovato: scrivi il nome esatto."))
        return found


class HouseholdForm(ItaliaFormMixin, forms.Form):
    name = forms.CharField(label=_("Nome del nucleo (se nuovo)"), required=False, max_length=200)
    member_code = forms.CharField(
        label=_("Codice della persona da aggiungere"), required=False, max_length=20
    )
    relation = forms.ChoiceField(
        label=_("Relazione con l'intestatario"),
        choices=HouseholdMember.Relation.choices,
        initial="child",
    )


class ConsentForm(ItaliaFormMixin, forms.Form):
    purpose = forms.ChoiceField(label=_("Finalità"), choices=ConsentRecord.Purpose.choices)
    given = forms.TypedChoiceField(
        label=_("Risposta della persona"),
        choices=[("1", _("consenso dato")), ("0", _("consenso negato"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(label=_("Nota"), required=False, max_length=200)


class SearchForm(ItaliaFormMixin, forms.Form):
    q = forms.CharField(label=_("Cognome e nome, o codice fiscale"), max_length=100)


class TeamMemberForm(ItaliaFormMixin, forms.Form):
    user = UserChoiceField(
        label=_("Operatore con accesso a Tessere"),
        required=False,
        queryset=Organisation.objects.none(),
    )
    name = forms.CharField(label=_("Oppure nome e cognome"), required=False, max_length=150)
    organisation = forms.ModelChoiceField(
        label=_("Ente"), required=False, queryset=Organisation.objects.none(), widget=PlainSelect
    )
    role = forms.ChoiceField(label=_("Ruolo nell'équipe"), choices=TeamMember.Role.choices)

    def __init__(self, *args: Any, district: District, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = selectors.district_staff(district)  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            district=district
        ).order_by("name")


class NoteForm(ItaliaFormMixin, forms.Form):
    text = forms.CharField(label=_("Nota"), widget=forms.Textarea(attrs={"rows": 3}))
    confidential = forms.BooleanField(
        label=_("Riservata: visibile solo a me e al responsabile del caso"), required=False
    )


class AssessmentForm(ItaliaFormMixin, forms.Form):
    # The version of the record read with the form (optimistic locking, tessere.core.locking).
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Tipo"), choices=Assessment.Kind.choices)
    outcome = forms.ChoiceField(
        label=_("Esito: percorso"), choices=[c for c in Case.Path.choices if c[0]]
    )
    summary = forms.CharField(
        label=_("Sintesi"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Dimension.choices:
            self.fields[f"level_{value}"] = forms.TypedChoiceField(
                label=label,
                choices=[("", _("non valutata")), *Level.choices],
                coerce=int,
                required=False,
                empty_value=None,
            )
            self.fields[f"notes_{value}"] = forms.CharField(
                label=_("Note: %(dimension)s") % {"dimension": label},
                required=False,
                max_length=1000,
            )
        # The mixin styled the fields declared on the class; style the added ones too.
        for name in self.fields:
            widget = self.fields[name].widget
            if "class" not in widget.attrs:
                widget.attrs["class"] = (
                    "form-select" if isinstance(widget, forms.Select) else "form-control"
                )

    def domains(self) -> dict[str, tuple[int, str]]:
        result = {}
        for value in Dimension.values:
            level = self.cleaned_data.get(f"level_{value}")
            if level is not None:
                result[value] = (level, self.cleaned_data.get(f"notes_{value}", ""))
        return result


class ProjectForm(ItaliaFormMixin, forms.Form):
    # The version of the record read with the form (optimistic locking, tessere.core.locking).
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    general_objectives = forms.CharField(
        label=_("Obiettivi generali"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ResultForm(ItaliaFormMixin, forms.Form):
    description = forms.CharField(label=_("Risultato atteso"), max_length=300)
    deadline = forms.DateField(label=_("Entro il"), widget=DATE)


class SupportForm(ItaliaFormMixin, forms.Form):
    service = ServiceChoiceField(label=_("Servizio"), queryset=Organisation.objects.none())
    description = forms.CharField(label=_("Descrizione"), required=False, max_length=300)

    def __init__(self, *args: Any, district: District, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = selectors.district_services(district)  # type: ignore[attr-defined]


class CommitmentForm(ItaliaFormMixin, forms.Form):
    description = forms.CharField(label=_("Impegno del nucleo"), max_length=300)


class SignForm(ItaliaFormMixin, forms.Form):
    # The version of the record read with the form (optimistic locking, tessere.core.locking).
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    signed_on = forms.DateField(label=_("Sottoscritto il"), widget=DATE)
    signed_by = forms.CharField(label=_("Sottoscritto da"), max_length=300)


class ReviewForm(ItaliaFormMixin, forms.Form):
    held_on = forms.DateField(label=_("Data dell'incontro"), widget=DATE)
    outcome = forms.ChoiceField(label=_("Esito"), choices=ProjectReview.Outcome.choices)
    notes = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReferralForm(SupportForm):
    request = forms.CharField(
        label=_("Che cosa si chiede all'ente (solo ciò che serve)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    sharing_consent = forms.BooleanField(
        label=_("Registra ora il consenso della persona alla condivisione con l'ente"),
        required=False,
    )


class DeliveredForm(ItaliaFormMixin, forms.Form):
    service = ServiceChoiceField(label=_("Servizio"), queryset=Organisation.objects.none())
    start = forms.DateField(label=_("Dal"), widget=DATE)
    end = forms.DateField(label=_("Al"), required=False, widget=DATE)
    quantity = forms.DecimalField(label=_("Quantità"), max_digits=10, decimal_places=2)
    unit = forms.ChoiceField(label=_("Unità"), choices=DeliveredService.Unit.choices)
    amount = forms.DecimalField(
        label=_("Importo (€)"), max_digits=12, decimal_places=2, required=False
    )

    def __init__(self, *args: Any, district: District, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = selectors.district_services(district)  # type: ignore[attr-defined]


class CloseForm(ItaliaFormMixin, forms.Form):
    # The version of the record read with the form (optimistic locking, tessere.core.locking).
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    closed_on = forms.DateField(label=_("Chiusa il"), widget=DATE)


class TransitionForm(ItaliaFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Nuovo stato"), choices=Referral.Status.choices)
    reason = forms.CharField(label=_("Motivo o nota"), required=False, max_length=300)
