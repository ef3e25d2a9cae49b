"""Operations that change the profile: imported series and needs (one transaction each)."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tessere.core import audit
from tessere.core.areas import UserArea
from tessere.core.errors import DomainError
from tessere.core.models import AuditEntry, User
from tessere.profile import indicators as registry
from tessere.profile.models import (
    IndicatorDefinition,
    Need,
    Polarity,
    SeriesValue,
    TerritoryKind,
    indicator_code_validator,
)
from tessere.territory.models import District, Municipality

TERRITORY_COLUMNS = ("codice", "territorio", "codice_territorio", "territory", "code")
YEAR_COLUMNS = ("anno", "year", "periodo")
VALUE_COLUMNS = ("valore", "value")
MAX_ROWS = 20_000


class ImportRejected(DomainError):
    """The file was not imported; ``details`` lists each bad row and why."""


@dataclass
class ImportResult:
    definition: IndicatorDefinition
    created: bool
    rows: int
    replaced: int


def parse_number(raw: str) -> float | None:
    """``12,5`` / ``12.5`` / ``1.234,5`` / ``1234`` → float; anything else → None."""
    text = raw.strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".")
    elif "," in text:
        text = text.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def _column(header: Sequence[str], names: Iterable[str]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    return None


def _read_rows(content: bytes | str) -> list[list[str]]:
    if isinstance(content, bytes):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRejected(
                _("Il file non è un testo in UTF-8: salvalo come CSV UTF-8 e riprova.")
            ) from None
    else:
        text = content.lstrip("\ufeff")
    if "\x00" in text:
        raise ImportRejected(_("Il file contiene caratteri nulli: non è un CSV di testo."))
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as error:
        raise ImportRejected(
            _("Il file non è un CSV leggibile: %(error)s.") % {"error": error}
        ) from error
    return [row for row in rows if any(c.strip() for c in row)]


def _reach(district: District) -> tuple[dict[str, tuple[str, str]], set[str]]:
    """Codes a district may import values for → (kind, canonical code); and every known
    municipality code in Italy (to tell an unknown code from one outside the district)."""
    allowed: dict[str, tuple[str, str]] = {district.code: (TerritoryKind.DISTRICT, district.code)}
    for code in district.municipalities.values_list("code", flat=True):
        allowed[code] = (TerritoryKind.MUNICIPALITY, code)
    for sub_code in district.subdistricts.values_list("code", flat=True):
        canonical = f"{district.code}/{sub_code}"
        allowed[canonical] = (TerritoryKind.SUBDISTRICT, canonical)
        allowed.setdefault(sub_code, (TerritoryKind.SUBDISTRICT, canonical))
    return allowed, set()


def _clean_definition(
    *, code: str, name: str, unit: str, polarity: str, source: str
) -> tuple[str, list[str]]:
    problems = []
    code = code.strip().lower()
    try:
        indicator_code_validator(code)
    except ValidationError:
        problems.append(
            _(
                "Codice dell'indicatore non valido: «%(code)s» (lettere minuscole, cifre e "
                "trattini bassi, iniziando con una lettera)."
            )
            % {"code": code}
        )
    if registry.get(code) is not None:
        problems.append(
            _(
                "Il codice «%(code)s» è di un indicatore calcolato dalla popolazione: "
                "scegline un altro."
            )
            % {"code": code}
        )
    if not name.strip():
        problems.append(_("Manca il nome dell'indicatore."))
    if not unit.strip():
        problems.append(_("Manca l'unità di misura."))
    if polarity not in Polarity.values:
        problems.append(_("Polarità non valida: %(value)s.") % {"value": polarity})
    if not source.strip():
        problems.append(_("Manca la fonte dei dati."))
    return code, problems


@transaction.atomic
def import_series(
    *,
    actor: User | None,
    district: District,
    code: str,
    name: str,
    unit: str,
    polarity: str,
    source: str,
    content: bytes | str,
    formula: str = "",
) -> ImportResult:
    """Import one indicator's values from a CSV file (territory code, year, value).

    Every row is checked first; if any is bad, nothing is written and `ImportRejected` lists
    each bad row and why. A second import of the same code replaces the earlier values.
    """
    code, problems = _clean_definition(
        code=code, name=name, unit=unit, polarity=polarity, source=source
    )
    if problems:
        raise ImportRejected(_("La definizione dell'indicatore non è valida."), details=problems)
    rows = _read_rows(content)
    if not rows:
        raise ImportRejected(_("Il file è vuoto."))
    header = rows[0]
    columns = (
        _column(header, TERRITORY_COLUMNS),
        _column(header, YEAR_COLUMNS),
        _column(header, VALUE_COLUMNS),
    )
    if None in columns:
        raise ImportRejected(
            _(
                "Intestazione non riconosciuta: servono le colonne codice, anno e valore "
                "(trovate: %(found)s)."
            )
            % {"found": ", ".join(header)}
        )
    territory_col, year_col, value_col = (c for c in columns if c is not None)
    data = rows[1:]
    if not data:
        raise ImportRejected(_("Il file non contiene valori, solo l'intestazione."))
    if len(data) > MAX_ROWS:
        raise ImportRejected(
            _("Il file ha troppe righe (%(n)s, massimo %(max)s).")
            % {"n": len(data), "max": MAX_ROWS}
        )
    allowed, _unused = _reach(district)
    raw_codes = {row[territory_col].strip() for row in data if len(row) > territory_col}
    padded = {c.zfill(6) for c in raw_codes if c.isdigit() and len(c) <= 6}
    known_municipalities = set(
        Municipality.objects.filter(code__in=padded).values_list("code", flat=True)
    )

    errors: list[str] = []
    seen: dict[tuple[str, str, int], int] = {}
    values: list[SeriesValue] = []
    for line, row in enumerate(data, start=2):
        where = _("riga %(line)s") % {"line": line}
        if len(row) <= max(territory_col, year_col, value_col):
            errors.append(_("%(where)s: mancano delle colonne.") % {"where": where})
            continue
        raw_code = row[territory_col].strip()
        lookup = raw_code.zfill(6) if raw_code.isdigit() and len(raw_code) <= 6 else raw_code
        reason = None
        target = allowed.get(lookup)
        if target is None:
            if lookup in known_municipalities:
                reason = _("il comune %(code)s non fa parte dell'ambito") % {"code": raw_code}
            else:
                reason = _("codice di territorio sconosciuto: «%(code)s»") % {"code": raw_code}
        raw_year = row[year_col].strip()
        year = int(raw_year) if raw_year.isdigit() else None
        if year is None or not 1900 <= year <= 2100:
            reason = "; ".join(
                filter(None, [reason, _("anno non valido: «%(year)s»") % {"year": raw_year}])
            )
        value = parse_number(row[value_col])
        if value is None:
            reason = "; ".join(
                filter(
                    None,
                    [
                        reason,
                        _("il valore «%(value)s» non è un numero") % {"value": row[value_col]},
                    ],
                )
            )
        if reason is None and target is not None and year is not None:
            key = (target[0], target[1], year)
            if key in seen:
                reason = _("duplicato della riga %(other)s (stesso territorio e anno)") % {
                    "other": seen[key]
                }
            else:
                seen[key] = line
        if reason:
            errors.append(f"{where}: {reason}.")
            continue
        assert target is not None and year is not None and value is not None
        values.append(
            SeriesValue(
                district=district,
                territory_kind=target[0],
                territory_code=target[1],
                year=year,
                value=value,
            )
        )
    if errors:
        raise ImportRejected(
            _(
                "Il file non è stato importato: %(n)s righe non valide. Correggile e carica di "
                "nuovo il file (nessun valore è stato salvato)."
            )
            % {"n": len(errors)},
            details=errors,
        )

    definition = IndicatorDefinition.objects.filter(district=district, code=code).first()
    created = definition is None
    fields = {
        "name": name.strip(),
        "unit": unit.strip(),
        "polarity": polarity,
        "source": source.strip(),
        "formula": formula.strip(),
    }
    if definition is None:
        definition = IndicatorDefinition.objects.create(district=district, code=code, **fields)
        audit.record_create(actor=actor, obj=definition, district_id=district.pk)
        replaced = 0
    else:
        before = audit.snapshot(definition)
        for attr, field_value in fields.items():
            setattr(definition, attr, field_value)
        definition.save()
        audit.record_update(actor=actor, obj=definition, before=before, district_id=district.pk)
        replaced, _deleted = definition.values.all().delete()
    for item in values:
        item.indicator = definition
    SeriesValue.objects.bulk_create(values)
    audit.record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=definition,
        district_id=district.pk,
        changes={"valori importati": [replaced, len(values)]},
    )
    return ImportResult(definition=definition, created=created, rows=len(values), replaced=replaced)


def _check_need(
    *,
    district: District,
    statement: str,
    area: str,
    municipalities: Sequence[Municipality],
    evidence_indicators: Sequence[str],
) -> list[str]:
    problems = []
    if not statement.strip():
        problems.append(_("Scrivi il bisogno."))
    if area not in UserArea.values:
        problems.append(_("Area di intervento non valida: %(area)s.") % {"area": area})
    allowed = set(district.municipalities.values_list("pk", flat=True))
    outside = [m.name for m in municipalities if m.pk not in allowed]
    if outside:
        problems.append(_("Comuni fuori dall'ambito: %(names)s.") % {"names": ", ".join(outside)})
    known = {i.code for i in registry.registered()} | set(
        IndicatorDefinition.objects.filter(district=district).values_list("code", flat=True)
    )
    unknown = [c for c in evidence_indicators if c not in known]
    if unknown:
        problems.append(_("Indicatori sconosciuti: %(codes)s.") % {"codes": ", ".join(unknown)})
    return problems


@transaction.atomic
def create_need(
    *,
    actor: User | None,
    district: District,
    statement: str,
    area: str,
    municipalities: Sequence[Municipality] = (),
    evidence_indicators: Sequence[str] = (),
    evidence_note: str = "",
) -> Need:
    problems = _check_need(
        district=district,
        statement=statement,
        area=area,
        municipalities=municipalities,
        evidence_indicators=evidence_indicators,
    )
    if problems:
        raise DomainError(_("Il bisogno non è stato salvato."), details=problems)
    need = Need.objects.create(
        district=district,
        statement=statement.strip(),
        area=area,
        evidence_indicators=list(evidence_indicators),
        evidence_note=evidence_note.strip(),
    )
    need.municipalities.set(municipalities, through_defaults={"district_id": need.district_id})
    audit.record_create(actor=actor, obj=need, district_id=district.pk)
    return need


@transaction.atomic
def update_need(
    *,
    actor: User | None,
    need: Need,
    statement: str,
    area: str,
    municipalities: Sequence[Municipality] = (),
    evidence_indicators: Sequence[str] = (),
    evidence_note: str = "",
) -> Need:
    district = need.district
    problems = _check_need(
        district=district,
        statement=statement,
        area=area,
        municipalities=municipalities,
        evidence_indicators=evidence_indicators,
    )
    if problems:
        raise DomainError(_("Il bisogno non è stato salvato."), details=problems)
    before = audit.snapshot(need)
    before_places = sorted(need.municipalities.values_list("code", flat=True))
    need.statement = statement.strip()
    need.area = area
    need.evidence_indicators = list(evidence_indicators)
    need.evidence_note = evidence_note.strip()
    need.save()
    need.municipalities.set(municipalities, through_defaults={"district_id": need.district_id})
    entry = audit.record_update(actor=actor, obj=need, before=before, district_id=district.pk)
    after_places = sorted(m.code for m in municipalities)
    if after_places != before_places:
        if entry is None:
            entry = audit.record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                obj=need,
                district_id=district.pk,
                changes={},
            )
        entry.changes["municipalities"] = [before_places, after_places]
        entry.save(update_fields=["changes"])
    return need
