"""HSDS 3.0 export: the district as HSDS JSON and as the tabular data package (CSV files and
``datapackage.json`` following HSDS's tabular schema), and reading such a package back.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from tessere.core.errors import DomainError
from tessere.directory import hsds
from tessere.directory.models import Organisation, Service, Taxonomy
from tessere.directory.selectors import _with_locations
from tessere.territory.models import District

SCHEMA_DIR = Path(__file__).parent / "schemas"


class ImportFailed(DomainError):
    pass


# --- export --------------------------------------------------------------------------------


def export_district(district: District) -> dict[str, list[dict[str, Any]]]:
    qs = _with_locations(Service.objects.filter(district=district)).order_by("name", "id")
    service_list = [hsds.service(s) for s in qs]
    for item in service_list:
        item.pop("last_modified", None)  # changes on every write: not part of the exchange
    organisations = [
        hsds.organisation(o, services=[])
        for o in Organisation.objects.filter(district=district).order_by("name", "id")
    ]
    for o in organisations:
        o.pop("services", None)
    return {"organizations": organisations, "services": service_list}


TABLES: dict[str, list[str]] = {
    "organizations": ["id", "name", "description", "email", "website", "tax_id", "legal_status"],
    "organization_identifiers": [
        "id",
        "organization_id",
        "identifier_scheme",
        "identifier_type",
        "identifier",
    ],
    "services": [
        "id",
        "organization_id",
        "name",
        "description",
        "url",
        "email",
        "status",
        "application_process",
        "fees_description",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
        "assured_date",
    ],
    "locations": [
        "id",
        "location_type",
        "name",
        "organization_id",
        "latitude",
        "longitude",
        "external_identifier",
        "external_identifier_type",
    ],
    "addresses": [
        "id",
        "location_id",
        "address_1",
        "city",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    ],
    "service_at_locations": ["id", "service_id", "location_id", "description"],
    "schedules": [
        "id",
        "service_at_location_id",
        "freq",
        "wkst",
        "byday",
        "opens_at",
        "closes_at",
        "description",
    ],
    "phones": ["id", "service_id", "organization_id", "location_id", "number"],
    "languages": ["id", "service_id", "name", "code"],
    "cost_options": ["id", "service_id", "option", "currency", "amount", "amount_description"],
    "required_documents": ["id", "service_id", "document"],
    "accessibility": ["id", "location_id", "description", "details"],
    "attributes": ["id", "link_id", "link_type", "link_entity", "taxonomy_term_id", "value"],
    "taxonomy_terms": ["id", "code", "name", "description", "parent_id", "taxonomy_id"],
    "taxonomies": ["id", "name", "description", "uri", "version"],
}
# Our tables and the resources of HSDS's tabular schema (schemas/tabular.json).
RESOURCES = {
    "organizations": "organization",
    "organization_identifiers": "organization_identifier",
    "services": "service",
    "locations": "location",
    "addresses": "address",
    "service_at_locations": "service_at_location",
    "schedules": "schedule",
    "phones": "phone",
    "languages": "language",
    "cost_options": "cost_option",
    "required_documents": "required_document",
    "accessibility": "accessibility",
    "attributes": "attribute",
    "taxonomy_terms": "taxonomy_term",
    "taxonomies": "taxonomy",
}
DATAPACKAGE_TYPES = {"string", "number", "integer", "boolean"}


@functools.cache
def tabular_schema() -> dict[str, Any]:
    """HSDS's tabular resources by name: ``{"service": {"path": ..., "properties": ...}}``."""
    schema = json.loads((SCHEMA_DIR / "tabular.json").read_text(encoding="utf-8"))
    return {name: value["items"] for name, value in schema["properties"].items()}


def table_path(table: str) -> str:
    return str(tabular_schema()[RESOURCES[table]]["path"])


def _field(name: str, spec: dict[str, Any], required: set[str]) -> dict[str, Any]:
    prop = spec["properties"].get(name, {})
    field: dict[str, Any] = {
        "name": name,
        "type": prop.get("type") if prop.get("type") in DATAPACKAGE_TYPES else "string",
    }
    if prop.get("format") in {"uuid", "email", "uri"}:
        field["format"] = prop["format"]
    if prop.get("description"):
        field["description"] = prop["description"]
    if name in required:
        field["constraints"] = {"required": True}
    return field


def _rows(document: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    tables: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in TABLES}

    def put(table: str, row: dict[str, Any]) -> None:
        tables[table][row["id"]] = {k: row.get(k, "") for k in TABLES[table]}

    for o in document["organizations"]:
        put("organizations", o)
        for ident in o.get("organization_identifiers", []):
            put("organization_identifiers", ident)
        for phone in o.get("phones", []):
            put("phones", phone)
    for s in document["services"]:
        put("services", s)
        for phone in s.get("phones", []):
            put("phones", phone)
        for lang in s.get("languages", []):
            put("languages", lang)
        for cost in s.get("cost_options", []):
            put("cost_options", cost)
        for doc in s.get("required_documents", []):
            put("required_documents", doc)
        for attr in s.get("attributes", []):
            put("attributes", attr)
            put("taxonomy_terms", attr["taxonomy_term"])
        for item in s.get("service_at_locations", []):
            put("service_at_locations", item)
            loc = item["location"]
            put("locations", loc)
            for address in loc.get("addresses", []):
                put("addresses", address)
            for acc in loc.get("accessibility", []):
                put("accessibility", acc)
            for sched in item.get("schedules", []):
                put("schedules", sched)
    return {name: sorted(rows.values(), key=lambda r: r["id"]) for name, rows in tables.items()}


def write_export(district: District, directory: Path) -> list[Path]:
    """Write ``hsds.json`` and the tabular data package (CSV + datapackage.json)."""
    directory.mkdir(parents=True, exist_ok=True)
    document = export_district(district)
    written = [directory / "hsds.json"]
    written[0].write_text(
        json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    resources = []
    specs = tabular_schema()
    tables = _rows(document)
    used = {row["taxonomy_id"] for row in tables["taxonomy_terms"] if row.get("taxonomy_id")}
    tables["taxonomies"] = [
        {k: row.get(k, "") for k in TABLES["taxonomies"]}
        for row in (hsds.taxonomy(t) for t in Taxonomy.objects.filter(pk__in=used).order_by("pk"))
    ]
    for name, rows in tables.items():
        spec = specs[RESOURCES[name]]
        required = set(spec.get("required", [])) | set(spec.get("tabular_required", []))
        path = directory / spec["path"]
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=TABLES[name], lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if v is None else v for k, v in row.items()})
        path.write_text(buffer.getvalue(), encoding="utf-8")
        written.append(path)
        resources.append(
            {
                "name": RESOURCES[name],
                "path": spec["path"],
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [_field(f, spec, required) for f in TABLES[name]],
                    "primaryKey": "id",
                },
            }
        )
    package = {
        "name": f"hsds-{district.code}",
        "title": f"HSDS 3.0 · {district.name}",
        "profile": "tabular-data-package",
        "version": hsds.HSDS_VERSION,
        "resources": resources,
    }
    (directory / "datapackage.json").write_text(
        json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    written.append(directory / "datapackage.json")
    return written


# --- tabular data package ------------------------------------------------------------------

NUMBERS = {"minimum_age", "maximum_age", "latitude", "longitude", "amount"}


def _read_table(folder: Path, name: str, problems: list[str]) -> list[dict[str, Any]]:
    path = folder / table_path(name)
    if not path.exists():
        return []
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for line, raw in enumerate(csv.DictReader(handle), start=2):
            row: dict[str, Any] = {}
            for key, value in raw.items():
                if key is None or value in (None, ""):
                    continue
                if key in NUMBERS:
                    try:
                        row[key] = float(value) if "." in value else int(value)
                    except ValueError:
                        problems.append(
                            _(
                                "%(file)s, riga %(line)s, colonna %(column)s: "
                                "«%(value)s» non è un numero."
                            )
                            % {"file": path.name, "line": line, "column": key, "value": value}
                        )
                        continue
                else:
                    row[key] = value
            rows.append(row)
    return rows


def read_data_package(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """Rebuild nested HSDS objects from the CSV tables of a tabular data package."""
    problems: list[str] = []
    if not (folder / "datapackage.json").exists():
        raise ImportFailed(_("Manca datapackage.json."), details=[str(folder)])
    tables = {name: _read_table(folder, name, problems) for name in TABLES}
    if problems:
        raise ImportFailed(_("Il pacchetto tabellare non è valido."), details=problems)

    def by(table: str, key: str) -> dict[str, list[dict[str, Any]]]:
        grouped: dict[str, list[dict[str, Any]]] = {}
        for row in tables[table]:
            if row.get(key):
                grouped.setdefault(row[key], []).append(row)
        return grouped

    terms = {row["id"]: row for row in tables["taxonomy_terms"]}
    addresses = by("addresses", "location_id")
    accessibility = by("accessibility", "location_id")
    locations = {row["id"]: row for row in tables["locations"]}
    schedules = by("schedules", "service_at_location_id")
    organisations = []
    identifiers = by("organization_identifiers", "organization_id")
    org_phones = by("phones", "organization_id")
    for row in tables["organizations"]:
        organisations.append(
            row
            | {
                "organization_identifiers": identifiers.get(row["id"], []),
                "phones": org_phones.get(row["id"], []),
            }
        )
    links = {
        "phones": by("phones", "service_id"),
        "languages": by("languages", "service_id"),
        "cost_options": by("cost_options", "service_id"),
        "required_documents": by("required_documents", "service_id"),
    }
    attributes = by("attributes", "link_id")
    at_locations = by("service_at_locations", "service_id")
    services_out = []
    for row in tables["services"]:
        service = dict(row)
        for name, grouped in links.items():
            service[name] = grouped.get(row["id"], [])
        service["attributes"] = [
            attr
            | (
                {"taxonomy_term": terms[attr["taxonomy_term_id"]]}
                if attr.get("taxonomy_term_id") in terms
                else {}
            )
            for attr in attributes.get(row["id"], [])
        ]
        service["service_at_locations"] = []
        for item in at_locations.get(row["id"], []):
            location = dict(
                locations.get(item.get("location_id", ""), {"id": item.get("location_id")})
            )
            location["addresses"] = addresses.get(location.get("id", ""), [])
            location["accessibility"] = accessibility.get(location.get("id", ""), [])
            service["service_at_locations"].append(
                item | {"location": location, "schedules": schedules.get(item["id"], [])}
            )
        services_out.append(service)
    return {"organizations": organisations, "services": services_out}
