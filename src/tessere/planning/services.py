"""Changes to plans: each one checks permission and freezing, runs in one transaction and is
audited. Funds, allocations and the optimiser are in ``funding.py``."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessere.core.areas import UserArea
from tessere.core.audit import record as audit_record
from tessere.core.audit import record_create, record_delete, record_update, snapshot
from tessere.core.errors import DomainError, PermissionDenied
from tessere.core.locking import claim
from tessere.core.models import AuditEntry
from tessere.planning.models import (
    Action,
    ActionCost,
    ActionPartner,
    Allocation,
    Area,
    Fund,
    FundAmount,
    FundShare,
    Leps,
    Objective,
    Plan,
    Resource,
)
from tessere.territory.models import District

DEFAULT_AREAS = [
    ("famiglia_minori", gettext_lazy("Famiglia e minori"), UserArea.FAMILY_AND_MINORS),
    ("disabilita", gettext_lazy("Disabilità"), UserArea.DISABILITY),
    ("anziani", gettext_lazy("Anziani e non autosufficienza"), UserArea.ELDERLY),
    ("poverta", gettext_lazy("Povertà e inclusione"), UserArea.POVERTY),
    ("immigrazione", gettext_lazy("Immigrazione e multiculturalità"), UserArea.IMMIGRANTS),
    ("dipendenze", gettext_lazy("Dipendenze"), UserArea.ADDICTION),
    ("violenza_genere", gettext_lazy("Violenza di genere"), ""),
    ("salute_mentale", gettext_lazy("Salute mentale"), ""),
    ("giovani", gettext_lazy("Giovani"), ""),
]

TRANSITIONS = {
    Plan.Status.DRAFT: {Plan.Status.CONSULTATION},
    Plan.Status.CONSULTATION: {Plan.Status.DRAFT},
    Plan.Status.APPROVED: {Plan.Status.IN_FORCE},
    Plan.Status.IN_FORCE: {Plan.Status.CLOSED},
}


# --------------------------------------------------------------------------- guards


def require_planner(actor: Any, obj: Any) -> None:
    if actor is None:
        return  # system (demo loader, commands)
    if not actor.has_perm("planning.change_plan", obj):
        raise PermissionDenied(_("Solo l'Ufficio di Piano dell'ambito può modificare il piano."))


def require_editable(actor: Any, plan: Plan) -> None:
    require_planner(actor, plan)
    # Read the status again, locking the plan: an object in memory may be stale.
    plan.status = Plan.objects.select_for_update().values_list("status", flat=True).get(pk=plan.pk)
    if plan.is_frozen:
        raise DomainError(
            _(
                "Il piano è %(status)s e non si può più modificare: per l'aggiornamento annuale "
                "crea una nuova versione."
            )
            % {"status": plan.get_status_display()}
        )


def money(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(" ", "") or "0")
    except (InvalidOperation, ValueError):
        raise DomainError(_("%(field)s: importo non valido.") % {"field": field}) from None
    if not amount.is_finite() or amount < 0:
        raise DomainError(_("%(field)s: l'importo deve essere zero o positivo.") % {"field": field})
    if amount != amount.quantize(Decimal("0.01")):
        raise DomainError(_("%(field)s: al massimo due decimali.") % {"field": field})
    return amount.quantize(Decimal("0.01"))


def per_year(plan: Plan, values: Mapping[int, Any], label: str) -> dict[int, Decimal]:
    result: dict[int, Decimal] = {}
    for year, value in values.items():
        if int(year) not in plan.years:
            raise DomainError(
                _("%(label)s: l'anno %(year)s non è tra gli anni del piano.")
                % {"label": label, "year": year}
            )
        result[int(year)] = money(value, f"{label} {year}")
    return result


# --------------------------------------------------------------------------- plans


@transaction.atomic
def create_plan(
    *,
    actor: Any,
    district: District,
    title: str,
    first_year: int,
    last_year: int,
    default_areas: bool = True,
    is_example: bool = False,
) -> Plan:
    require_planner(actor, district)
    title = title.strip()
    if not title:
        raise DomainError(_("Il titolo del piano è obbligatorio."))
    if not 2000 <= first_year <= last_year <= first_year + 9:
        raise DomainError(
            _(
                "Gli anni del piano non sono validi: il primo deve precedere l'ultimo, al massimo "
                "dieci anni."
            )
        )
    if Plan.objects.filter(district=district, first_year=first_year).exists():
        raise DomainError(
            _(
                "Esiste già un piano dal %(year)s per questo ambito: aggiornalo con una nuova "
                "versione."
            )
            % {"year": first_year}
        )
    plan = Plan.objects.create(
        district=district,
        title=title,
        first_year=first_year,
        last_year=last_year,
        is_example=is_example,
    )
    record_create(actor=actor, obj=plan, district_id=district.pk)
    if default_areas:
        for position, (code, name, user_area) in enumerate(DEFAULT_AREAS):
            area = Area.objects.create(
                district=district,
                plan=plan,
                code=code,
                name=str(name),
                user_area=user_area,
                position=position,
            )
            record_create(actor=actor, obj=area, district_id=district.pk)
    return plan


@transaction.atomic
def change_status(*, actor: Any, plan: Plan, status: str) -> Plan:
    require_planner(actor, plan)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    allowed = TRANSITIONS.get(Plan.Status(plan.status), set())
    if status not in allowed:
        raise DomainError(
            _("Il piano è %(status)s: questo passaggio di stato non è possibile.")
            % {"status": plan.get_status_display()}
        )
    before = snapshot(plan)
    plan.status = status
    plan.save(update_fields=["status", "updated_at"])
    record_update(actor=actor, obj=plan, before=before, district_id=plan.district_id)
    return plan


@transaction.atomic
def approve_plan(*, actor: Any, plan: Plan, act_number: str, act_date: datetime.date) -> Plan:
    """Record the act of the mayors' assembly: the plan is approved and frozen."""
    if actor is not None and not actor.has_perm("planning.approve_plan", plan):
        raise PermissionDenied(
            _("Solo l'Assemblea dei Sindaci dell'ambito può registrare l'approvazione.")
        )
    from tessere.planning import selectors
    from tessere.planning.checks import checks

    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.CONSULTATION:
        raise DomainError(
            _("Si approva un piano dopo la consultazione pubblica; questo è %(status)s.")
            % {"status": plan.get_status_display()}
        )
    act_number = act_number.strip()
    if not act_number or act_date is None:
        raise DomainError(_("Servono il numero e la data dell'atto dell'Assemblea dei Sindaci."))
    broken = [c.message for c in checks(selectors.plan_data(plan)) if not c.ok]
    if broken:
        raise DomainError(
            _("Il piano non rispetta le regole dei fondi e non può essere approvato."),
            details=broken,
        )
    before = snapshot(plan)
    plan.status = Plan.Status.APPROVED
    plan.act_number = act_number
    plan.act_date = act_date
    plan.save(update_fields=["status", "act_number", "act_date", "updated_at"])
    record_update(actor=actor, obj=plan, before=before, district_id=plan.district_id)
    return plan


@transaction.atomic
def new_version(*, actor: Any, plan: Plan) -> Plan:
    """The annual update: a new draft copying everything of ``plan``."""
    require_planner(actor, plan)
    if not plan.is_frozen:
        raise DomainError(_("Si crea una nuova versione di un piano approvato."))
    version = (
        max(
            Plan.objects.filter(district=plan.district, first_year=plan.first_year).values_list(
                "version", flat=True
            )
        )
        + 1
    )
    copy = Plan.objects.create(
        district=plan.district,
        title=plan.title,
        first_year=plan.first_year,
        last_year=plan.last_year,
        version=version,
        previous=plan,
        is_example=plan.is_example,
    )
    record_create(actor=actor, obj=copy, district_id=plan.district_id)
    d = plan.district_id
    areas = {}
    for area in Area.objects.filter(plan=plan):
        old = area.pk
        area.pk = None
        area.plan = copy
        area.save()
        areas[old] = area
    objectives = {}
    for objective in Objective.objects.filter(plan=plan).prefetch_related("needs"):
        old, needs = objective.pk, list(objective.needs.all())
        objective.pk = None
        objective.plan = copy
        objective.area = areas[objective.area_id]
        objective.save()
        objective.needs.set(needs, through_defaults={"district_id": d})
        objectives[old] = objective
    actions = {}
    for action in Action.objects.filter(plan=plan).prefetch_related(
        "services", "leps", "costs", "partners", "origin_contributions"
    ):
        old = action.pk
        services, leps = list(action.services.all()), list(action.leps.all())
        costs, partners = list(action.costs.all()), list(action.partners.all())
        origins = list(action.origin_contributions.all())
        # The prefetched relations belong to the old row: forget them before copying.
        action.__dict__.pop("_prefetched_objects_cache", None)
        action.pk = None
        action.plan = copy
        action.objective = objectives[action.objective_id]
        action.save()
        action.services.set(services, through_defaults={"district_id": d})
        action.leps.set(leps, through_defaults={"district_id": d})
        action.origin_contributions.set(origins, through_defaults={"district_id": d})
        ActionCost.objects.bulk_create(
            ActionCost(district_id=d, action=action, year=c.year, amount=c.amount) for c in costs
        )
        ActionPartner.objects.bulk_create(
            ActionPartner(
                district_id=d, action=action, organisation_id=p.organisation_id, role=p.role
            )
            for p in partners
        )
        actions[old] = action
    funds = {}
    for fund in Fund.objects.filter(plan=plan).prefetch_related(
        "eligible_areas", "mandatory_actions", "amounts", "shares"
    ):
        old = fund.pk
        eligible, mandatory = list(fund.eligible_areas.all()), list(fund.mandatory_actions.all())
        amounts, shares = list(fund.amounts.all()), list(fund.shares.all())
        fund.pk = None
        fund.plan = copy
        fund.save()
        fund.eligible_areas.set(
            [areas[a.pk] for a in eligible], through_defaults={"district_id": d}
        )
        fund.mandatory_actions.set(
            [actions[a.pk] for a in mandatory], through_defaults={"district_id": d}
        )
        FundAmount.objects.bulk_create(
            FundAmount(district_id=d, fund=fund, year=a.year, amount=a.amount) for a in amounts
        )
        FundShare.objects.bulk_create(
            FundShare(
                district_id=d,
                fund=fund,
                area=areas[s.area_id],
                min_share=s.min_share,
                max_share=s.max_share,
            )
            for s in shares
        )
        funds[old] = fund
    Allocation.objects.bulk_create(
        Allocation(
            district_id=d,
            plan=copy,
            fund=funds[a.fund_id],
            action=actions[a.action_id],
            year=a.year,
            amount=a.amount,
        )
        for a in Allocation.objects.filter(plan=plan)
    )
    for resource in Resource.objects.filter(plan=plan):
        resource.pk = None
        resource.plan = copy
        resource.save()
    for action in actions.values():
        action.plan = copy
        _refresh_outcomes(actor, action)
    return copy


# --------------------------------------------------------------------------- areas, objectives


@transaction.atomic
def save_area(
    *, actor: Any, plan: Plan, code: str, name: str, user_area: str = "", area: Area | None = None
) -> Area:
    require_editable(actor, plan)
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise DomainError(_("Codice e nome dell'area sono obbligatori."))
    clash = Area.objects.filter(plan=plan, code=code)
    if area is not None:
        clash = clash.exclude(pk=area.pk)
    if clash.exists():
        raise DomainError(_("Il codice %(code)s è già usato in questo piano.") % {"code": code})
    if area is None:
        area = Area.objects.create(
            district=plan.district,
            plan=plan,
            code=code,
            name=name,
            user_area=user_area,
            position=Area.objects.filter(plan=plan).count(),
        )
        record_create(actor=actor, obj=area, district_id=plan.district_id)
        return area
    before = snapshot(area)
    area.code, area.name, area.user_area = code, name, user_area
    area.save()
    record_update(actor=actor, obj=area, before=before, district_id=plan.district_id)
    return area


@transaction.atomic
def delete_area(*, actor: Any, area: Area) -> None:
    require_editable(actor, area.plan)
    if area.objectives.exists():
        raise DomainError(_("L'area ha obiettivi: spostali o eliminali prima."))
    record_delete(actor=actor, obj=area, district_id=area.district_id)
    area.delete()


@transaction.atomic
def save_objective(
    *,
    actor: Any,
    plan: Plan,
    area: Area,
    title: str,
    priority: int,
    rationale: str = "",
    needs: Iterable[Any] = (),
    indicator_codes: Iterable[str] = (),
    objective: Objective | None = None,
) -> Objective:
    require_editable(actor, plan)
    if area.plan_id != plan.pk:
        raise DomainError(_("L'area non appartiene a questo piano."))
    title = title.strip()
    if not title:
        raise DomainError(_("Il titolo dell'obiettivo è obbligatorio."))
    if priority < 1:
        raise DomainError(_("La priorità parte da 1 (la più alta)."))
    needs = list(needs)
    if any(n.district_id != plan.district_id for n in needs):
        raise DomainError(_("I bisogni devono essere del profilo di questo ambito."))
    codes = sorted({c.strip() for c in indicator_codes if c.strip()})
    before = snapshot(objective) if objective is not None else None
    if objective is None:
        objective = Objective(district=plan.district, plan=plan)
    objective.area, objective.title, objective.priority = area, title, priority
    objective.rationale, objective.indicator_codes = rationale.strip(), codes
    objective.save()
    objective.needs.set(needs, through_defaults={"district_id": plan.district_id})
    if before is None:
        record_create(actor=actor, obj=objective, district_id=plan.district_id)
    else:
        record_update(actor=actor, obj=objective, before=before, district_id=plan.district_id)
    return objective


@transaction.atomic
def delete_objective(*, actor: Any, objective: Objective) -> None:
    require_editable(actor, objective.plan)
    if objective.actions.exists():
        raise DomainError(_("L'obiettivo ha azioni: spostale o eliminale prima."))
    record_delete(actor=actor, obj=objective, district_id=objective.district_id)
    objective.delete()


# --------------------------------------------------------------------------- actions


@transaction.atomic
def save_action(
    *,
    actor: Any,
    plan: Plan,
    objective: Objective,
    code: str,
    title: str,
    description: str = "",
    kind: str = Action.Kind.NEW,
    target_group: str = "",
    expected_people: Mapping[int, int] | None = None,
    responsible: Any = None,
    partners: Iterable[tuple[Any, str]] = (),
    services: Iterable[Any] = (),
    leps: Iterable[Leps] = (),
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    milestones: Iterable[Mapping[str, str]] = (),
    costs: Mapping[int, Any] | None = None,
    action: Action | None = None,
    version: int | None = None,
) -> Action:
    """Create an action, or change ``action``: ``version`` is the one the user read (see
    ``tessere.core.locking``); a stale one raises ``Conflict`` and nothing is written."""
    require_editable(actor, plan)
    code, title = code.strip(), title.strip()
    if objective.plan_id != plan.pk:
        raise DomainError(_("L'obiettivo non appartiene a questo piano."))
    if not code or not title:
        raise DomainError(_("Codice e titolo dell'azione sono obbligatori."))
    clash = Action.objects.filter(plan=plan, code=code)
    if action is not None:
        clash = clash.exclude(pk=action.pk)
    if clash.exists():
        raise DomainError(_("Il codice %(code)s è già usato in questo piano.") % {"code": code})
    if kind not in Action.Kind.values:
        raise DomainError(_("Tipo di azione non valido."))
    if start_date and end_date and end_date < start_date:
        raise DomainError(_("La fine dell'azione precede l'inizio."))
    partners, services = list(partners), list(services)
    organisations = [o for o, _role in partners] + ([responsible] if responsible else [])
    if any(o.district_id != plan.district_id for o in organisations):
        raise DomainError(_("Gli enti devono essere della guida di questo ambito."))
    if any(s.district_id != plan.district_id for s in services):
        raise DomainError(_("I servizi devono essere della guida di questo ambito."))
    people: dict[str, int] = {}
    for year, value in (expected_people or {}).items():
        if int(year) not in plan.years or int(value) < 0:
            raise DomainError(
                _("Persone attese: anno o numero non valido (%(year)s).") % {"year": year}
            )
        people[str(int(year))] = int(value)
    cost_values = per_year(plan, costs or {}, _("Costo"))
    before = snapshot(action) if action is not None else None
    if action is None:
        action = Action(district=plan.district, plan=plan)
    else:
        claim(action, version)
    action.objective, action.code, action.title = objective, code, title
    action.description, action.kind, action.target_group = description.strip(), kind, target_group
    action.expected_people, action.responsible = people, responsible
    action.start_date, action.end_date = start_date, end_date
    action.milestones = [
        {"date": str(m.get("date", "")), "title": str(m.get("title", "")).strip()}
        for m in milestones
        if str(m.get("title", "")).strip()
    ]
    action.save()
    action.services.set(services, through_defaults={"district_id": action.district_id})
    action.leps.set(list(leps), through_defaults={"district_id": action.district_id})
    action.partners.all().delete()
    ActionPartner.objects.bulk_create(
        ActionPartner(district=plan.district, action=action, organisation=o, role=role.strip())
        for o, role in partners
    )
    action.costs.all().delete()
    ActionCost.objects.bulk_create(
        ActionCost(district=plan.district, action=action, year=y, amount=a)
        for y, a in sorted(cost_values.items())
    )
    if before is None:
        record_create(actor=actor, obj=action, district_id=plan.district_id)
    else:
        record_update(actor=actor, obj=action, before=before, district_id=plan.district_id)
        if (before["code"], before["title"]) != (action.code, action.title):
            _refresh_outcomes(actor, action)
    return action


@transaction.atomic
def delete_action(*, actor: Any, action: Action, version: int | None = None) -> None:
    require_editable(actor, action.plan)
    claim(action, version)
    _drop_outcomes(actor, action)
    record_delete(actor=actor, obj=action, district_id=action.district_id)
    action.delete()


@transaction.atomic
def save_resource(
    *,
    actor: Any,
    plan: Plan,
    kind: str,
    description: str,
    profession: str = "",
    organisation: Any = None,
    fte: Decimal | None = None,
    count: int | None = None,
) -> Resource:
    require_editable(actor, plan)
    if kind not in Resource.Kind.values or not description.strip():
        raise DomainError(_("Tipo e descrizione della risorsa sono obbligatori."))
    if organisation is not None and organisation.district_id != plan.district_id:
        raise DomainError(_("L'ente deve essere della guida di questo ambito."))
    if fte is not None and fte < 0:
        raise DomainError(_("Le unità a tempo pieno non possono essere negative."))
    resource = Resource.objects.create(
        district=plan.district,
        plan=plan,
        kind=kind,
        description=description.strip(),
        profession=profession.strip(),
        organisation=organisation,
        fte=fte,
        count=count,
    )
    record_create(actor=actor, obj=resource, district_id=plan.district_id)
    return resource


@transaction.atomic
def delete_resource(*, actor: Any, resource: Resource) -> None:
    require_editable(actor, resource.plan)
    record_delete(actor=actor, obj=resource, district_id=resource.district_id)
    resource.delete()


@transaction.atomic
def request_document(*, actor: Any, plan: Plan, fmt: str) -> Any:
    """Queue the building of the plan document; an unfinished request is reused."""
    from tessere.planning.models import PlanDocument
    from tessere.planning.tasks import build_plan_document

    if fmt not in PlanDocument.Format.values:
        raise DomainError(_("Formato del documento non valido."))
    if actor is not None and not actor.has_perm("planning.view_plan", plan):
        raise PermissionDenied(_("Non puoi leggere questo piano."))
    waiting = PlanDocument.objects.filter(
        plan=plan,
        format=fmt,
        status__in=[PlanDocument.Status.PENDING, PlanDocument.Status.RUNNING],
    ).first()
    if waiting is not None:
        return waiting
    item = PlanDocument.objects.create(district=plan.district, plan=plan, format=fmt)
    record_create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        obj=item,
        district_id=plan.district_id,
    )
    transaction.on_commit(lambda: build_plan_document.enqueue(item.pk))
    return item


# --------------------------------------------------------------------------- table contributions

#: Statuses of a contribution that can still be accepted into an action (or already are).
LINKABLE_STATUSES = ("received", "under_evaluation", "accepted")


def action_url(action: Action) -> str:
    """The action sheet's address (public once the plan is approved)."""
    from django.urls import reverse

    return reverse("planning:action_detail", args=[action.plan_id, action.pk])


def outcome_source(action: Action) -> str:
    return f"planning.action:{action.pk}"


def outcome_label(action: Action) -> str:
    plan = action.plan
    label = _("Accolto nel %(plan)s %(first)s-%(last)s, azione %(code)s: %(title)s") % {
        "plan": plan.title,
        "first": plan.first_year,
        "last": plan.last_year,
        "code": action.code,
        "title": action.title,
    }
    if plan.version > 1:
        label += " " + _("(versione %(v)s)") % {"v": plan.version}
    return label[:300]


def _record_links(actor: Any, action: Action, before: list[int]) -> None:
    after = sorted(action.origin_contributions.values_list("pk", flat=True))
    if after != before:
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=action,
            district_id=action.district_id,
            changes={"origin_contributions": [before, after]},
        )


def _refuse_status(contribution: Any) -> None:
    from tessere.participation.models import Contribution

    if contribution.status == Contribution.Status.MERGED:
        raise DomainError(
            _(
                "Il contributo «%(title)s» è stato unito a un altro contributo: accogli nel piano "
                "quello in cui è stato unito."
            )
            % {"title": contribution.title}
        )
    if contribution.status == Contribution.Status.REJECTED:
        raise DomainError(
            _(
                "Il contributo «%(title)s» non è stato accolto dal tavolo: per portarlo nel piano "
                "il tavolo deve prima riaprirne la valutazione."
            )
            % {"title": contribution.title}
        )


@transaction.atomic
def accept_contribution_into_action(*, actor: Any, action: Action, contribution: Any) -> Action:
    """Accept a table's contribution into an action: the contribution becomes accepted (through
    the tables' own workflow and permission), the action lists it among its origins and the
    contribution's public page says what became of it."""
    from tessere.participation import rules as participation_rules
    from tessere.participation import services as participation
    from tessere.participation.models import Contribution

    plan = action.plan
    require_editable(actor, plan)
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if contribution.district_id != action.district_id:
        raise DomainError(
            _("Si accolgono nel piano solo i contributi dei tavoli di questo ambito.")
        )
    if not contribution.is_published:
        raise DomainError(_("Un contributo non pubblicato non si può accogliere nel piano."))
    _refuse_status(contribution)
    if contribution.status != Contribution.Status.ACCEPTED:
        table = contribution.table
        if actor is None:
            raise DomainError(_("Solo un contributo già accolto si collega senza una valutazione."))
        if not actor.has_perm("participation.evaluate_contribution", table):
            if not participation_rules.phase_allows(table, participation_rules.EVALUATE):
                raise DomainError(
                    _(
                        "Il contributo «%(title)s» è «%(status)s»: il tavolo «%(table)s» non è in "
                        "una fase in cui si valutano i contributi (proposte, prioritizzazione o "
                        "restituzione), quindi non si può accogliere ora."
                    )
                    % {
                        "title": contribution.title,
                        "status": contribution.get_status_display(),
                        "table": table.title,
                    }
                )
            raise PermissionDenied(
                _("Non puoi valutare i contributi del tavolo «%(table)s».") % {"table": table.title}
            )
        # received → accepted and under evaluation → accepted are both allowed moves.
        contribution = participation.change_status(
            actor=actor,
            contribution=contribution,
            status=Contribution.Status.ACCEPTED,
            reason=outcome_label(action),
        )
    before = sorted(action.origin_contributions.values_list("pk", flat=True))
    action.origin_contributions.add(
        contribution, through_defaults={"district_id": action.district_id}
    )
    _record_links(actor, action, before)
    participation.record_outcome(
        actor=actor,
        contribution=contribution,
        source=outcome_source(action),
        label=outcome_label(action),
        url=action_url(action),
    )
    return action


@transaction.atomic
def remove_contribution_from_action(*, actor: Any, action: Action, contribution: Any) -> Action:
    """Remove the link and the outcome; the contribution keeps its status."""
    from tessere.participation import services as participation

    require_editable(actor, action.plan)
    if not action.origin_contributions.filter(pk=contribution.pk).exists():
        raise DomainError(_("Il contributo non è collegato a questa azione."))
    before = sorted(action.origin_contributions.values_list("pk", flat=True))
    action.origin_contributions.remove(contribution)
    _record_links(actor, action, before)
    participation.remove_outcome(
        actor=actor, contribution=contribution, source=outcome_source(action)
    )
    return action


def _refresh_outcomes(actor: Any, action: Action) -> None:
    """Keep the outcomes' label in step with the action's code and title."""
    from tessere.participation import services as participation

    for contribution in action.origin_contributions.filter(status="accepted"):
        participation.record_outcome(
            actor=actor,
            contribution=contribution,
            source=outcome_source(action),
            label=outcome_label(action),
            url=action_url(action),
        )


def _drop_outcomes(actor: Any, action: Action) -> None:
    from tessere.participation import services as participation

    for contribution in action.origin_contributions.all():
        participation.remove_outcome(
            actor=actor, contribution=contribution, source=outcome_source(action)
        )
