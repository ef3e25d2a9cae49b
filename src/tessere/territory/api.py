"""Public API of the territory: districts and their municipalities with population."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from tessere.territory import selectors
from tessere.territory.models import District

router = Router(tags=["territory"])


class DistrictOut(Schema):
    code: str
    name: str
    kind: str
    region: str
    lead_municipality: str
    is_demo: bool


class MunicipalityPopulationOut(Schema):
    code: str
    name: str
    males: int
    females: int
    total: int


class DistrictDetailOut(DistrictOut):
    year: int | None
    population: int
    municipalities: list[MunicipalityPopulationOut]


def _district_out(district: District) -> dict:
    return {
        "code": district.code,
        "name": district.name,
        "kind": district.kind,
        "region": district.region.code,
        "lead_municipality": district.lead_municipality.code,
        "is_demo": district.is_demo,
    }


@router.get("/districts", response=list[DistrictOut], summary="Elenco degli ambiti")
def list_districts(request: HttpRequest) -> list[dict]:
    return [_district_out(d) for d in selectors.public_districts()]


@router.get("/districts/{code}", response=DistrictDetailOut, summary="Un ambito con i suoi comuni")
def get_district(request: HttpRequest, code: str) -> dict:
    district = selectors.public_districts().filter(code=code).first()
    if district is None:
        raise Http404("Ambito non trovato")
    population = selectors.district_population(district)
    return {
        **_district_out(district),
        "year": population.year,
        "population": population.total,
        "municipalities": [
            {
                "code": row.municipality.code,
                "name": row.municipality.name,
                "males": row.males,
                "females": row.females,
                "total": row.total,
            }
            for row in population.rows
        ],
    }
