"""Forms of the planning pages (they only read input: services decide and write)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tessere.core.areas import UserArea
from tessere.core.forms import ItaliaFormMixin
from tessere.directory.models import Organisation, Service
from tessere.planning.models import Action, Area, Fund, Leps, Objective, Plan, Resource
from tessere.profile.models import Need


class PlanForm(ItaliaFormMixin, forms.Form):
    title = forms.CharField(label=_("Titolo"), max_length=250)
    first_year = forms.IntegerField(label=_("Primo anno"), min_value=2000, max_value=2100)
    last_year = forms.IntegerField(label=_("Ultimo anno"), min_value=2000, max_value=2100)


class ApprovalForm(ItaliaFormMixin, forms.Form):
    act_number = forms.CharField(label=_("Numero dell'atto dell'Assemblea dei Sindaci"))
    act_date = forms.DateField(
        label=_("Data dell'atto"), widget=forms.DateInput(attrs={"type": "date"})
    )


class AreaForm(ItaliaFormMixin, forms.Form):
    code = forms.SlugField(label=_("Codice"), max_length=40)
    name = forms.CharField(label=_("Nome"), max_length=120)
    user_area = forms.ChoiceField(
        label=_("Area d'utenza"), choices=[("", "—"), *UserArea.choices], required=False
    )


class ObjectiveForm(ItaliaFormMixin, forms.Form):
    title = forms.CharField(label=_("Obiettivo strategico"), max_length=250)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none())
    priority = forms.IntegerField(label=_("Priorità (1 = la più alta)"), min_value=1)
    rationale = forms.CharField(label=_("Motivazione"), widget=forms.Textarea, required=False)
    needs = forms.ModelMultipleChoiceField(
        label=_("Bisogni del profilo"),
        queryset=Need.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    indicator_codes = forms.CharField(
        label=_("Indicatori del profilo (codici separati da virgola)"), required=False
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(plan=plan)  # type: ignore[attr-defined]
        self.fields["needs"].queryset = Need.objects.filter(district=plan.district)  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(objective: Objective) -> dict[str, Any]:
        return {
            "title": objective.title,
            "area": objective.area_id,
            "priority": objective.priority,
            "rationale": objective.rationale,
            "needs": [n.pk for n in objective.needs.all()],
            "indicator_codes": ", ".join(objective.indicator_codes),
        }


class ActionForm(ItaliaFormMixin, forms.Form):
    # The version read with the form (optimistic locking, tessere.core.locking).
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    code = forms.CharField(label=_("Codice"), max_length=20)
    title = forms.CharField(label=_("Titolo"), max_length=250)
    objective = forms.ModelChoiceField(label=_("Obiettivo"), queryset=Objective.objects.none())
    kind = forms.ChoiceField(label=_("Tipo"), choices=Action.Kind.choices)
    description = forms.CharField(label=_("Descrizione"), widget=forms.Textarea, required=False)
    target_group = forms.CharField(label=_("Destinatari"), max_length=250, required=False)
    responsible = forms.ModelChoiceField(
        label=_("Ente responsabile"), queryset=Organisation.objects.none(), required=False
    )
    partners = forms.CharField(
        label=_("Partner (uno per riga: nome dell'ente | ruolo)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Servizi della guida"),
        queryset=Service.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    leps = forms.ModelMultipleChoiceField(
        label=_("LEPS"),
        queryset=Leps.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_date = forms.DateField(
        label=_("Inizio"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_("Fine"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    milestones = forms.CharField(
        label=_("Tappe (una per riga: AAAA-MM-GG | descrizione)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["objective"].queryset = Objective.objects.filter(plan=plan)  # type: ignore[attr-defined]
        organisations = Organisation.objects.filter(district=plan.district)
        self.fields["responsible"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["services"].queryset = Service.objects.filter(district=plan.district)  # type: ignore[attr-defined]
        for year in plan.years:
            self.fields[f"cost_{year}"] = forms.DecimalField(
                label=_("Costo %(year)s (€)") % {"year": year},
                min_value=Decimal(0),
                decimal_places=2,
                required=False,
            )
            self.fields[f"people_{year}"] = forms.IntegerField(
                label=_("Persone raggiunte attese %(year)s") % {"year": year},
                min_value=0,
                required=False,
            )
        for name in self.fields:
            widget = self.fields[name].widget
            if "class" not in widget.attrs:
                widget.attrs["class"] = "form-control"

    def clean_partners(self) -> list[tuple[Organisation, str]]:
        organisations = {o.name.lower(): o for o in self.fields["responsible"].queryset}  # type: ignore[attr-defined]
        result = []
        for line in self.cleaned_data["partners"].splitlines():
            if not line.strip():
                continue
            name, _sep, role = line.partition("|")
            organisation = organisations.get(name.strip().lower())
            if organisation is None:
                raise forms.ValidationError(
                    _("«%(name)s» non è un ente della guida di questo ambito.")
                    % {"name": name.strip()}
                )
            result.append((organisation, role.strip() or str(_("partner"))))
        return result

    def clean_milestones(self) -> list[dict[str, str]]:
        result = []
        for line in self.cleaned_data["milestones"].splitlines():
            if not line.strip():
                continue
            date, _sep, title = line.partition("|")
            try:
                forms.DateField().clean(date.strip())
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("Data della tappa non valida: «%(date)s».") % {"date": date.strip()}
                ) from None
            result.append({"date": date.strip(), "title": title.strip()})
        return result

    def costs(self) -> dict[int, Decimal]:
        return {y: self.cleaned_data.get(f"cost_{y}") or Decimal(0) for y in self.plan.years}

    def people(self) -> dict[int, int]:
        return {
            y: self.cleaned_data[f"people_{y}"]
            for y in self.plan.years
            if self.cleaned_data.get(f"people_{y}") is not None
        }

    @staticmethod
    def initial_for(action: Action) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "version": action.version,
            "code": action.code,
            "title": action.title,
            "objective": action.objective_id,
            "kind": action.kind,
            "description": action.description,
            "target_group": action.target_group,
            "responsible": action.responsible_id,
            "partners": "\n".join(
                f"{p.organisation.name} | {p.role}" for p in action.partners.all()
            ),
            "services": [s.pk for s in action.services.all()],
            "leps": [le.pk for le in action.leps.all()],
            "start_date": action.start_date,
            "end_date": action.end_date,
            "milestones": "\n".join(f"{m['date']} | {m['title']}" for m in action.milestones),
        }
        for cost in action.costs.all():
            initial[f"cost_{cost.year}"] = cost.amount
        for year, people in action.expected_people.items():
            initial[f"people_{year}"] = people
        return initial


class FundForm(ItaliaFormMixin, forms.Form):
    code = forms.CharField(label=_("Codice"), max_length=30)
    source = forms.ChoiceField(label=_("Fonte"), choices=Fund.Source.choices)
    name = forms.CharField(label=_("Nome"), max_length=200)
    any_area = forms.BooleanField(label=_("Può finanziare ogni area"), required=False)
    eligible_areas = forms.ModelMultipleChoiceField(
        label=_("Aree ammesse (se non ogni area)"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mandatory_actions = forms.ModelMultipleChoiceField(
        label=_("Azioni obbligatorie"),
        queryset=Action.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.areas = list(Area.objects.filter(plan=plan))
        self.fields["eligible_areas"].queryset = Area.objects.filter(plan=plan)  # type: ignore[attr-defined]
        self.fields["mandatory_actions"].queryset = Action.objects.filter(plan=plan)  # type: ignore[attr-defined]
        for year in plan.years:
            self.fields[f"amount_{year}"] = forms.DecimalField(
                label=_("Importo %(year)s (€)") % {"year": year},
                min_value=Decimal(0),
                decimal_places=2,
                required=False,
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
            )
        for area in self.areas:
            for side, label in (("min", _("quota minima")), ("max", _("quota massima"))):
                self.fields[f"{side}_{area.pk}"] = forms.DecimalField(
                    label=f"{area.name}: {label} (0-1)",
                    min_value=Decimal(0),
                    max_value=Decimal(1),
                    decimal_places=4,
                    required=False,
                    widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
                )

    def amounts(self) -> dict[int, Decimal]:
        return {y: self.cleaned_data.get(f"amount_{y}") or Decimal(0) for y in self.plan.years}

    def shares(self) -> dict[Area, tuple[Any, Any]]:
        return {
            area: (self.cleaned_data.get(f"min_{area.pk}"), self.cleaned_data.get(f"max_{area.pk}"))
            for area in self.areas
        }

    @staticmethod
    def initial_for(fund: Fund) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "code": fund.code,
            "source": fund.source,
            "name": fund.name,
            "any_area": fund.any_area,
            "eligible_areas": [a.pk for a in fund.eligible_areas.all()],
            "mandatory_actions": [a.pk for a in fund.mandatory_actions.all()],
        }
        for amount in fund.amounts.all():
            initial[f"amount_{amount.year}"] = amount.amount
        for share in fund.shares.all():
            initial[f"min_{share.area_id}"] = share.min_share
            initial[f"max_{share.area_id}"] = share.max_share
        return initial


class ResourceForm(ItaliaFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Tipo"), choices=Resource.Kind.choices)
    description = forms.CharField(label=_("Descrizione"), max_length=250)
    profession = forms.CharField(label=_("Profilo professionale"), max_length=120, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Ente"), queryset=Organisation.objects.none(), required=False
    )
    fte = forms.DecimalField(
        label=_("Unità equivalenti a tempo pieno"), min_value=Decimal(0), required=False
    )
    count = forms.IntegerField(label=_("Numero (volontari, posti)"), min_value=0, required=False)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(district=plan.district)  # type: ignore[attr-defined]


class OriginContributionForm(ItaliaFormMixin, forms.Form):
    """Pick a table contribution for an action; choices grouped by table (given, no queries)."""

    contribution = forms.TypedChoiceField(label=_("Contributo da accogliere"), coerce=int)

    def __init__(self, *args: Any, contributions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups: dict[str, list[tuple[int, str]]] = {}
        for c in contributions:
            group = f"{c.table.get_kind_display()} · {c.table.title}"
            groups.setdefault(group, []).append(
                (c.pk, f"{c.title} ({c.get_kind_display()}, {c.get_status_display()})")
            )
        field = self.fields["contribution"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *groups.items()]
