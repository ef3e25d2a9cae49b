"""Writes of the monitoring room: each checks permission, runs in one transaction, is audited
and raises a ``DomainError`` in Italian on bad input (nothing is written then)."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from tessere.core.audit import record_create, record_update, snapshot
from tessere.core.errors import DomainError, PermissionDenied
from tessere.monitoring.models import ActionIndicator, Measurement, ProgressEntry, Spending
from tessere.planning.models import Action, Fund, Plan

MAX_VALUE = Decimal("999999999999.99")


def require_planner(actor: Any, obj: Any) -> None:
    if actor is None:
        return  # system (demo loader, commands)
    if not actor.has_perm("monitoring.change_monitoring", obj):
        raise PermissionDenied(
            _("Solo l'Ufficio di Piano dell'ambito può inserire i dati del monitoraggio.")
        )


def _user(actor: Any) -> Any:
    return actor if actor is not None and actor.is_authenticated else None


def parse_decimal(value: Any, label: str, *, allow_negative: bool = False) -> Decimal:
    text = str(value if value is not None else "").strip().replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")  # Italian 1.234,5
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise DomainError(
            _("%(field)s: «%(value)s» non è un numero.") % {"field": label, "value": value}
        ) from None
    if not number.is_finite() or abs(number) > MAX_VALUE:
        raise DomainError(_("%(field)s: il numero è troppo grande.") % {"field": label})
    if number < 0 and not allow_negative:
        raise DomainError(_("%(field)s: non può essere negativo.") % {"field": label})
    return number.quantize(Decimal("0.01"))


def parse_date(value: Any, label: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise DomainError(
        _("%(field)s: «%(value)s» non è una data (usa GG/MM/AAAA).")
        % {"field": label, "value": text}
    )


def _check_year_in_plan(plan: Plan, year: int, label: str) -> None:
    if year not in plan.years:
        raise DomainError(
            _("%(field)s: l'anno %(year)s non è tra gli anni del piano (%(first)s-%(last)s).")
            % {"field": label, "year": year, "first": plan.first_year, "last": plan.last_year}
        )


@transaction.atomic
def save_indicator(
    *,
    actor: Any,
    action: Action,
    name: str,
    unit: str,
    kind: str = ActionIndicator.Kind.OUTPUT,
    baseline: Any = None,
    targets: Mapping[int, Any] | None = None,
    higher_is_better: bool = True,
    responsible: str = "",
    responsible_email: str = "",
    frequency: str = ActionIndicator.Frequency.YEARLY,
    source: str = "",
    indicator: ActionIndicator | None = None,
) -> ActionIndicator:
    require_planner(actor, action.district)
    if indicator is not None and indicator.action_id != action.pk:
        raise DomainError(_("L'indicatore non appartiene a questa azione."))
    errors: list[str] = []
    if not name.strip():
        errors.append(_("Il nome dell'indicatore è obbligatorio."))
    if not unit.strip():
        errors.append(_("L'unità di misura è obbligatoria."))
    if kind not in ActionIndicator.Kind.values:
        errors.append(_("Tipo di indicatore non valido."))
    if frequency not in ActionIndicator.Frequency.values:
        errors.append(_("Frequenza non valida."))
    if source not in ActionIndicator.Source.values:
        errors.append(_("Fonte automatica non valida."))
    responsible_email = (responsible_email or "").strip()
    if responsible_email:
        try:
            validate_email(responsible_email)
        except ValidationError:
            errors.append(
                _("E-mail del responsabile: «%(value)s» non è un indirizzo valido.")
                % {"value": responsible_email}
            )
    clean_targets: dict[str, str] = {}
    clean_baseline: Decimal | None = None
    try:
        if baseline not in (None, ""):
            clean_baseline = parse_decimal(baseline, _("Valore di partenza"))
        for year, value in (targets or {}).items():
            if value in (None, ""):
                continue
            label = _("Obiettivo %(year)s") % {"year": year}
            _check_year_in_plan(action.plan, int(year), label)
            clean_targets[str(int(year))] = str(parse_decimal(value, label))
    except DomainError as error:
        errors.append(error.message)
    if errors:
        raise DomainError(_("L'indicatore non è stato salvato."), details=errors)
    fields = {
        "name": name.strip(),
        "unit": unit.strip(),
        "kind": kind,
        "baseline": clean_baseline,
        "targets": clean_targets,
        "higher_is_better": higher_is_better,
        "responsible": responsible.strip(),
        "responsible_email": responsible_email,
        "frequency": frequency,
        "source": source,
    }
    if indicator is None:
        indicator = ActionIndicator.objects.create(
            district=action.district, action=action, **fields
        )
        record_create(actor=_user(actor), obj=indicator, district_id=action.district_id)
        return indicator
    before = snapshot(indicator)
    for key, value in fields.items():
        setattr(indicator, key, value)
    indicator.save()
    record_update(actor=_user(actor), obj=indicator, before=before, district_id=action.district_id)
    return indicator


def _measurement(
    actor: Any, indicator: ActionIndicator, date: Any, value: Any
) -> tuple[datetime.date, Decimal]:
    clean_date = parse_date(date, _("Data"))
    plan = indicator.action.plan
    if not plan.first_year - 1 <= clean_date.year <= plan.last_year + 1:
        raise DomainError(
            _("Data: il %(date)s è fuori dal periodo del piano (%(first)s-%(last)s).")
            % {
                "date": clean_date.strftime("%d/%m/%Y"),
                "first": plan.first_year,
                "last": plan.last_year,
            }
        )
    return clean_date, parse_decimal(value, _("Valore"), allow_negative=True)


def _store_measurement(
    actor: Any, indicator: ActionIndicator, date: datetime.date, value: Decimal
) -> Measurement:
    existing = Measurement.objects.filter(indicator=indicator, date=date).first()
    if existing is not None:
        before = snapshot(existing)
        existing.value = value
        existing.entered_by = _user(actor)
        existing.save()
        record_update(
            actor=_user(actor), obj=existing, before=before, district_id=indicator.district_id
        )
        return existing
    measurement = Measurement.objects.create(
        district=indicator.district,
        indicator=indicator,
        date=date,
        value=value,
        entered_by=_user(actor),
    )
    record_create(actor=_user(actor), obj=measurement, district_id=indicator.district_id)
    return measurement


@transaction.atomic
def record_measurement(
    *, actor: Any, indicator: ActionIndicator, date: Any, value: Any
) -> Measurement:
    """Record the value of ``indicator`` at ``date`` (a second value on the same date replaces
    the first, audited)."""
    require_planner(actor, indicator.district)
    clean_date, clean_value = _measurement(actor, indicator, date, value)
    return _store_measurement(actor, indicator, clean_date, clean_value)


@transaction.atomic
def import_measurements(*, actor: Any, plan: Plan, text: str) -> int:
    """Import measurements from CSV (columns ``indicatore``, ``data``, ``valore``; comma or
    semicolon). All or nothing: any bad row raises a ``DomainError`` listing every bad row."""
    require_planner(actor, plan.district)
    if "\x00" in text:
        raise DomainError(_("Il file contiene caratteri nulli: non è un CSV di testo."))
    sample = text[:2000]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
        records = list(reader)
    except csv.Error as error:
        raise DomainError(
            _("Il file non è un CSV leggibile: %(error)s.") % {"error": error}
        ) from error
    required = {"indicatore", "data", "valore"}
    if not required <= set(header):
        missing = ", ".join(sorted(required - set(header)))
        raise DomainError(
            _("Il file non ha le colonne richieste: %(columns)s.") % {"columns": missing}
        )
    indicators = {
        str(i.pk): i
        for i in ActionIndicator.objects.filter(
            action__plan=plan, district=plan.district
        ).select_related("action__plan")
    }
    rows: list[tuple[ActionIndicator, datetime.date, Decimal]] = []
    errors: list[str] = []
    seen: set[tuple[int, datetime.date]] = set()
    for number, raw in enumerate(records, start=2):
        # Cells beyond the header come as a list under the key None: they are ignored.
        row = {
            (k or "").strip().lower(): v.strip() if isinstance(v, str) else ""
            for k, v in raw.items()
        }
        if not any(row.values()):
            continue
        indicator = indicators.get(row.get("indicatore", ""))
        if indicator is None:
            errors.append(
                _("riga %(row)s: l'indicatore «%(id)s» non esiste in questo piano.")
                % {"row": number, "id": row.get("indicatore", "")}
            )
            continue
        try:
            date, value = _measurement(actor, indicator, row.get("data"), row.get("valore"))
        except DomainError as error:
            errors.append(_("riga %(row)s: %(error)s") % {"row": number, "error": error.message})
            continue
        if (indicator.pk, date) in seen:
            errors.append(
                _("riga %(row)s: l'indicatore ha già un valore per questa data nel file.")
                % {"row": number}
            )
            continue
        seen.add((indicator.pk, date))
        rows.append((indicator, date, value))
    if errors:
        raise DomainError(
            _("Nessuna misurazione importata: il file ha %(n)s righe con errori.")
            % {"n": len(errors)},
            details=errors,
        )
    if not rows:
        raise DomainError(_("Il file non contiene misurazioni."))
    for indicator, date, value in rows:
        _store_measurement(actor, indicator, date, value)
    return len(rows)


@transaction.atomic
def record_progress(
    *,
    actor: Any,
    action: Action,
    date: Any,
    status: str,
    percent: Any,
    note: str = "",
) -> ProgressEntry:
    require_planner(actor, action.district)
    errors: list[str] = []
    clean_date: datetime.date | None = None
    try:
        clean_date = parse_date(date, _("Data"))
    except DomainError as error:
        errors.append(error.message)
    if status not in ProgressEntry.Status.values:
        errors.append(_("Stato dell'azione non valido."))
    try:
        clean_percent = int(str(percent).strip())
    except ValueError:
        clean_percent = -1
    if not 0 <= clean_percent <= 100:
        errors.append(_("L'avanzamento deve essere un numero intero tra 0 e 100."))
    if status == ProgressEntry.Status.COMPLETED and clean_percent != 100:
        errors.append(_("Un'azione conclusa ha l'avanzamento al 100%."))
    if status == ProgressEntry.Status.NOT_STARTED and clean_percent not in (-1, 0):
        errors.append(_("Un'azione non avviata ha l'avanzamento allo 0%."))
    if errors or clean_date is None:
        raise DomainError(_("Lo stato di avanzamento non è stato salvato."), details=errors)
    entry = ProgressEntry.objects.create(
        district=action.district,
        action=action,
        date=clean_date,
        status=status,
        percent=clean_percent,
        note=note.strip(),
        entered_by=_user(actor),
    )
    record_create(actor=_user(actor), obj=entry, district_id=action.district_id)
    return entry


@transaction.atomic
def set_spending(*, actor: Any, fund: Fund, year: int, amount: Any) -> Spending:
    """Record what was spent from ``fund`` in ``year`` (replacing an earlier figure)."""
    require_planner(actor, fund.district)
    _check_year_in_plan(fund.plan, int(year), _("Anno"))
    value = parse_decimal(amount, _("Spesa"))
    spending = Spending.objects.filter(fund=fund, year=year).first()
    if spending is None:
        spending = Spending.objects.create(
            district=fund.district, fund=fund, year=year, amount=value
        )
        record_create(actor=_user(actor), obj=spending, district_id=fund.district_id)
        return spending
    before = snapshot(spending)
    spending.amount = value
    spending.save()
    record_update(actor=_user(actor), obj=spending, before=before, district_id=fund.district_id)
    return spending


@transaction.atomic
def request_report(*, actor: Any, plan: Plan, year: Any, fmt: str) -> Any:
    """Queue the annual monitoring report of ``year`` as ``fmt`` (``pdf`` or ``odt``): planners
    and mayors of the district. An unfinished request for the same report is reused."""
    from tessere.monitoring.models import MonitoringReport
    from tessere.monitoring.tasks import build_monitoring_report

    if actor is not None and not actor.has_perm("monitoring.download_report", plan.district):
        raise PermissionDenied(
            _("Solo l'Ufficio di Piano e i sindaci dell'ambito possono scaricare il rapporto.")
        )
    errors: list[str] = []
    if fmt not in MonitoringReport.Format.values:
        errors.append(_("Formato del rapporto non valido: scegli PDF/A o ODT."))
    clean_year = int(year) if str(year).isdigit() else None
    if clean_year not in plan.years:
        errors.append(
            _("L'anno «%(year)s» non è tra gli anni del piano (%(first)s-%(last)s).")
            % {"year": year, "first": plan.first_year, "last": plan.last_year}
        )
    if errors:
        raise DomainError(_("Il rapporto non può essere preparato."), details=errors)
    assert clean_year is not None
    waiting = MonitoringReport.objects.filter(
        plan=plan,
        year=clean_year,
        format=fmt,
        status__in=[MonitoringReport.Status.PENDING, MonitoringReport.Status.RUNNING],
    ).first()
    if waiting is not None:
        return waiting
    item = MonitoringReport.objects.create(
        district=plan.district, plan=plan, year=clean_year, format=fmt, requested_by=_user(actor)
    )
    record_create(actor=_user(actor), obj=item, district_id=plan.district_id)
    transaction.on_commit(lambda: build_monitoring_report.enqueue(item.pk))
    return item
