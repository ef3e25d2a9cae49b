"""Public API of the profile: every indicator of a territory, with region and Italy beside it.

``GET /api/v1/profile/{kind}/{code}?year=YYYY`` (kind: municipality, subdistrict, district,
province, region, italy) and ``GET /api/v1/profile/italy``. A sub-district's code is
``district-code/sub-code`` (the slash may be written as is).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from tessere.core.errors import DomainError, NotFound
from tessere.profile import selectors
from tessere.profile.models import TerritoryKind
from tessere.profile.selectors import Profile

router = Router(tags=["profile"])


class YearQuery(Schema):
    year: int | None = None


class TerritoryIndicatorOut(Schema):
    code: str
    name: str
    unit: str
    polarity: str
    source: str
    formula: str
    imported: bool
    year: int | None
    value: float | None
    previous: float | None
    region: float | None
    italy: float | None


class PartOut(Schema):
    code: str
    name: str
    values: dict[str, float | None]
    ranks: dict[str, int]


class LepsOut(Schema):
    social_workers: float
    population: int
    per_5000: float
    needed_essential: int
    needed_objective: int
    missing_essential: float
    missing_objective: float


class ProfileOut(Schema):
    kind: str
    code: str
    name: str
    year: int
    years: list[int]
    region: str | None
    credit: str
    indicators: list[TerritoryIndicatorOut]
    municipalities: list[PartOut]
    leps: LepsOut | None


class ErrorOut(Schema):
    detail: str
    errors: list[str] = []


def profile_out(profile: Profile) -> dict[str, Any]:
    territory = profile.territory
    leps = profile.leps
    return {
        "kind": territory.kind,
        "code": territory.code,
        "name": territory.name,
        "year": profile.year,
        "years": profile.years,
        "region": profile.region_name,
        "credit": "Dati ISTAT elaborati da Openpolis, CC BY 4.0",
        "indicators": [
            {
                "code": row.indicator.code,
                "name": str(row.indicator.name),
                "unit": str(row.indicator.unit),
                "polarity": row.indicator.polarity,
                "source": row.indicator.source,
                "formula": str(row.indicator.formula),
                "imported": row.indicator.imported,
                "year": row.year,
                "value": row.value,
                "previous": row.previous,
                "region": row.region,
                "italy": row.italy,
            }
            for row in profile.rows
        ],
        "municipalities": [
            {
                "code": part.municipality.code,
                "name": part.municipality.name,
                "values": part.values,
                "ranks": part.ranks,
            }
            for part in profile.parts
        ],
        "leps": None
        if leps is None
        else {
            "social_workers": leps.workers,
            "population": leps.population,
            "per_5000": leps.per_5000,
            "needed_essential": leps.needed_essential,
            "needed_objective": leps.needed_objective,
            "missing_essential": leps.missing_essential,
            "missing_objective": leps.missing_objective,
        },
    }


def _profile(kind: str, code: str, year: int | None) -> dict[str, Any]:
    if kind not in selectors.KINDS:
        raise HttpError(
            404,
            f"Tipo di territorio sconosciuto: {kind}. Tipi: {', '.join(selectors.KINDS)}.",
        )
    if year is not None and not 1900 <= year <= 2100:
        raise HttpError(422, f"Anno non valido: {year}.")
    try:
        territory = selectors.resolve(kind, code)
        return profile_out(selectors.territory_profile(territory, year=year))
    except NotFound as exc:
        raise HttpError(404, exc.message) from exc
    except DomainError as exc:
        raise HttpError(422, exc.message) from exc


RESPONSES = {200: ProfileOut, 404: ErrorOut, 422: ErrorOut}


@router.get(
    "/italy",
    response=RESPONSES,
    summary="Profilo dell'Italia",
    description="Tutti gli indicatori dell'Italia nell'anno scelto (predefinito: l'ultimo).",
)
def italy_profile(request: HttpRequest, filters: Query[YearQuery]) -> dict[str, Any]:
    return _profile(TerritoryKind.ITALY, "it", filters.year)


@router.get(
    "/{kind}/{path:code}",
    response=RESPONSES,
    summary="Profilo di un territorio",
    description=(
        "Tutti gli indicatori di un territorio, con il valore della regione e dell'Italia. "
        "kind: municipality (codice ISTAT a 6 cifre), subdistrict (ambito/sub-ambito), "
        "district (codice dell'ambito), province (3 cifre), region (2 cifre), italy (it)."
    ),
)
def territory_profile(
    request: HttpRequest, kind: str, code: str, filters: Query[YearQuery]
) -> dict[str, Any]:
    return _profile(kind, code, filters.year)
