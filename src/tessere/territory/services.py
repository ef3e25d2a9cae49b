"""Operations that change districts, sub-districts and neighbourhoods (one transaction each)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tessere.core import audit
from tessere.core.errors import DomainError
from tessere.core.models import User
from tessere.territory.models import (
    District,
    DistrictMunicipality,
    Municipality,
    Neighbourhood,
    Region,
    SubDistrict,
    district_code_validator,
)


class DistrictError(DomainError):
    """A district could not be created as asked; ``details`` names each offending code."""


def normalise_istat_code(raw: str) -> str:
    code = raw.strip()
    if code.isdigit() and len(code) <= 6:
        return code.zfill(6)
    return code


def _find_region(value: str) -> Region | None:
    value = value.strip()
    if value.isdigit():
        return Region.objects.filter(code=value.zfill(2)).first()
    return Region.objects.filter(name__iexact=value).first()


@dataclass
class DistrictSpec:
    code: str
    name: str
    region: str
    lead: str
    municipalities: list[str]
    kind: str = District.Kind.SOCIAL
    is_demo: bool = False
    line: int | None = None  # where it came from, for error messages

    def where(self) -> str:
        return _("riga %(line)s: ") % {"line": self.line} if self.line else ""


@dataclass
class _Checked:
    spec: DistrictSpec
    region: Region
    lead: Municipality
    municipalities: list[Municipality] = field(default_factory=list)


def _check(spec: DistrictSpec, taken_in_batch: dict[tuple[str, str], str]) -> _Checked | list[str]:
    """Validate one district; return the problems, or what is needed to write it."""
    problems: list[str] = []
    where = spec.where()
    try:
        district_code_validator(spec.code)
    except ValidationError:
        problems.append(
            where
            + _("codice ambito «%(code)s» non valido: usa minuscole, cifre e trattini")
            % {"code": spec.code}
        )
    if not spec.name.strip():
        problems.append(where + _("il nome dell'ambito è obbligatorio"))
    if spec.kind not in District.Kind.values:
        problems.append(where + _("tipo di ambito «%(kind)s» sconosciuto") % {"kind": spec.kind})
    if District.objects.filter(code=spec.code).exists():
        problems.append(
            where + _("esiste già un ambito con codice «%(code)s»") % {"code": spec.code}
        )
    region = _find_region(spec.region)
    if region is None:
        problems.append(where + _("regione «%(region)s» sconosciuta") % {"region": spec.region})

    codes = [normalise_istat_code(c) for c in spec.municipalities if c.strip()]
    lead_code = normalise_istat_code(spec.lead)
    if not codes:
        problems.append(where + _("nessun comune indicato"))
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        problems.append(where + _("comuni ripetuti: %(codes)s") % {"codes": ", ".join(duplicates)})
    found = {m.code: m for m in Municipality.objects.filter(code__in=[*codes, lead_code])}
    unknown = sorted({c for c in [*codes, lead_code] if c not in found})
    if unknown:
        problems.append(
            where + _("codici ISTAT sconosciuti: %(codes)s") % {"codes": ", ".join(unknown)}
        )
    if region is not None:
        foreign = sorted(c for c in codes if c in found and found[c].region_id != region.pk)
        if foreign:
            problems.append(
                where
                + _("comuni di un'altra regione (non %(region)s): %(codes)s")
                % {"region": region.name, "codes": ", ".join(foreign)}
            )
    if lead_code in found and lead_code not in codes:
        problems.append(
            where
            + _("il comune capofila %(code)s non è tra i comuni dell'ambito") % {"code": lead_code}
        )
    taken = {
        m.municipality.code: m.district.code
        for m in DistrictMunicipality.objects.filter(
            municipality__code__in=codes, kind=spec.kind
        ).select_related("municipality", "district")
    }
    for code in codes:
        other = taken.get(code) or taken_in_batch.get((code, spec.kind))
        if other and other != spec.code:
            taken[code] = other
    if taken:
        problems.append(
            where
            + _("comuni già in un altro ambito dello stesso tipo: %(codes)s")
            % {
                "codes": ", ".join(
                    f"{code} ({district})" for code, district in sorted(taken.items())
                )
            }
        )
    if problems or region is None:
        return problems
    return _Checked(
        spec=spec,
        region=region,
        lead=found[lead_code],
        municipalities=[found[c] for c in codes],
    )


def _write(checked: _Checked, actor: User | None) -> District:
    spec = checked.spec
    district = District.objects.create(
        code=spec.code,
        name=spec.name.strip(),
        kind=spec.kind,
        region=checked.region,
        lead_municipality=checked.lead,
        is_demo=spec.is_demo,
    )
    DistrictMunicipality.objects.bulk_create(
        [
            DistrictMunicipality(district=district, municipality=m, kind=spec.kind)
            for m in checked.municipalities
        ]
    )
    audit.record_create(actor=actor, obj=district, district_id=district.pk)
    return district


@transaction.atomic
def create_districts(*, actor: User | None, specs: Sequence[DistrictSpec]) -> list[District]:
    """Create every district or none: all problems are reported together."""
    problems: list[str] = []
    checked: list[_Checked] = []
    taken_in_batch: dict[tuple[str, str], str] = {}
    seen_codes: set[str] = set()
    for spec in specs:
        if spec.code in seen_codes:
            problems.append(
                spec.where() + _("codice ambito «%(code)s» ripetuto nel file") % {"code": spec.code}
            )
            continue
        seen_codes.add(spec.code)
        result = _check(spec, taken_in_batch)
        if isinstance(result, list):
            problems.extend(result)
            continue
        checked.append(result)
        for m in result.municipalities:
            taken_in_batch.setdefault((m.code, spec.kind), spec.code)
    if problems:
        raise DistrictError(_("Nessun ambito è stato creato."), details=problems)
    return [_write(item, actor) for item in checked]


def create_district(
    *,
    actor: User | None,
    code: str,
    name: str,
    region: str,
    lead: str,
    municipalities: Iterable[str],
    kind: str = District.Kind.SOCIAL,
    is_demo: bool = False,
) -> District:
    spec = DistrictSpec(
        code=code,
        name=name,
        region=region,
        lead=lead,
        municipalities=list(municipalities),
        kind=kind,
        is_demo=is_demo,
    )
    return create_districts(actor=actor, specs=[spec])[0]


CSV_COLUMNS = ["codice_ambito", "nome_ambito", "tipo", "regione", "capofila", "comune"]


def parse_districts_csv(content: str) -> list[DistrictSpec]:
    """Read districts from CSV, one row per municipality (comma or semicolon separated).

    Columns: codice_ambito, nome_ambito, tipo (optional), regione, capofila, comune.
    """
    if "\x00" in content:
        raise DistrictError(_("Il file contiene caratteri nulli: non è un CSV di testo."))
    sample = content[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
        records = list(reader)
    except csv.Error as error:
        raise DistrictError(
            _("Il file non è un CSV leggibile: %(error)s.") % {"error": error}
        ) from error
    missing = [c for c in CSV_COLUMNS if c != "tipo" and c not in header]
    if missing:
        raise DistrictError(
            _("Intestazione del file non valida."),
            details=[_("colonne mancanti: %(cols)s") % {"cols": ", ".join(missing)}],
        )
    specs: dict[str, DistrictSpec] = {}
    problems: list[str] = []
    for number, raw in enumerate(records, start=2):
        # Cells beyond the header come as a list under the key None: they are ignored.
        row = {
            (k or "").strip().lower(): v.strip() if isinstance(v, str) else ""
            for k, v in raw.items()
        }
        code = row.get("codice_ambito", "")
        if not code:
            problems.append(_("riga %(line)s: codice ambito mancante") % {"line": number})
            continue
        kind = row.get("tipo") or District.Kind.SOCIAL
        spec = specs.get(code)
        if spec is None:
            specs[code] = DistrictSpec(
                code=code,
                name=row.get("nome_ambito", ""),
                region=row.get("regione", ""),
                lead=row.get("capofila", ""),
                municipalities=[row.get("comune", "")],
                kind=kind,
                line=number,
            )
            continue
        if (spec.name, spec.region, spec.lead, spec.kind) != (
            row.get("nome_ambito", ""),
            row.get("regione", ""),
            row.get("capofila", ""),
            kind,
        ):
            problems.append(
                _(
                    "riga %(line)s: nome, tipo, regione o capofila diversi dalla riga "
                    "%(first)s per l'ambito «%(code)s»"
                )
                % {"line": number, "first": spec.line, "code": code}
            )
            continue
        spec.municipalities.append(row.get("comune", ""))
    if problems:
        raise DistrictError(_("Nessun ambito è stato creato."), details=problems)
    if not specs:
        raise DistrictError(_("Il file non contiene ambiti."))
    return list(specs.values())


def import_districts_csv(*, actor: User | None, content: str) -> list[District]:
    return create_districts(actor=actor, specs=parse_districts_csv(content))


def _district_municipalities(district: District, codes: Iterable[str]) -> list[Municipality]:
    wanted = [normalise_istat_code(c) for c in codes if c.strip()]
    found = {m.code: m for m in district.municipalities.filter(code__in=wanted)}
    outside = sorted(set(wanted) - set(found))
    if outside:
        raise DistrictError(
            _("Comuni che non fanno parte dell'ambito %(district)s: %(codes)s")
            % {"district": district.name, "codes": ", ".join(outside)}
        )
    if not wanted:
        raise DistrictError(_("Indica almeno un comune."))
    return [found[c] for c in wanted]


@transaction.atomic
def create_subdistrict(
    *, actor: User | None, district: District, code: str, name: str, municipalities: Iterable[str]
) -> SubDistrict:
    members = _district_municipalities(district, municipalities)
    if SubDistrict.objects.filter(district=district, code=code).exists():
        raise DistrictError(_("Esiste già un sub-ambito con codice «%(code)s».") % {"code": code})
    try:
        district_code_validator(code)
    except ValidationError:
        raise DistrictError(_("Codice «%(code)s» non valido.") % {"code": code}) from None
    subdistrict = SubDistrict.objects.create(district=district, code=code, name=name)
    subdistrict.municipalities.set(members)
    audit.record_create(actor=actor, obj=subdistrict, district_id=district.pk)
    return subdistrict


@transaction.atomic
def create_neighbourhood(
    *, actor: User | None, district: District, municipality: str, code: str, name: str
) -> Neighbourhood:
    (member,) = _district_municipalities(district, [municipality])
    if Neighbourhood.objects.filter(district=district, code=code).exists():
        raise DistrictError(_("Esiste già un quartiere con codice «%(code)s».") % {"code": code})
    try:
        district_code_validator(code)
    except ValidationError:
        raise DistrictError(_("Codice «%(code)s» non valido.") % {"code": code}) from None
    neighbourhood = Neighbourhood.objects.create(
        district=district, municipality=member, code=code, name=name
    )
    audit.record_create(actor=actor, obj=neighbourhood, district_id=district.pk)
    return neighbourhood
