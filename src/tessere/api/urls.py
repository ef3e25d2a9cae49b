"""The HTTP API (OpenAPI 3 at /api/v1/docs): one router per app, mounted here."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

from tessere.access.api import router as access_router
from tessere.core.errors import DomainError
from tessere.directory.api import router as directory_router
from tessere.monitoring.api import router as monitoring_router
from tessere.participation.api import router as participation_router
from tessere.planning.api import router as planning_router
from tessere.profile.api import router as profile_router
from tessere.territory.api import router as territory_router

# What any operation may answer besides what it declares: the request's own errors (the
# session is missing or may not do this, no such record, a parameter or body that does not
# validate, a broken domain rule), all in the same error body.
ERROR_BODY = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["detail"],
}
ERROR_STATUSES = {
    "400": "Richiesta non valida",
    "401": "Accesso richiesto",
    "403": "Operazione non permessa",
    "404": "Non trovato",
    "422": "Dati non validi",
}


class TessereAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """Ninja's schema, with the error answers every operation can give declared."""
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_STATUSES.items():
                    responses.setdefault(
                        status,
                        {
                            "description": description,
                            "content": {"application/json": {"schema": ERROR_BODY}},
                        },
                    )
        return schema


api = TessereAPI(
    title="Tessere API",
    version="1",
    description=(
        "API di Tessere: territorio, profilo di comunità, guida ai servizi, tavoli, Piano di "
        "Zona, sportello e monitoraggio. Gli errori hanno la forma "
        '{"detail": "messaggio", "errors": ["dettaglio", ...]}.'
    ),
    urls_namespace="api-v1",
)
api.add_router("/territory/", territory_router)
api.add_router("/profile/", profile_router)
api.add_router("/directory/", directory_router)
api.add_router("/participation/", participation_router)
api.add_router("/planning/", planning_router)
api.add_router("/access/", access_router)
api.add_router("/monitoring/", monitoring_router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """A broken domain rule: its message, its details and its 4xx status, as JSON."""
    return api.create_response(
        request, {"detail": exc.message, "errors": exc.details}, status=exc.status_code
    )


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A parameter or body that does not validate: the documented error body, one line per
    wrong field, with status 422."""
    errors = []
    for error in exc.errors:
        where = ".".join(str(part) for part in error.get("loc", ()))
        errors.append(f"{where}: {error.get('msg', '')}" if where else str(error.get("msg", "")))
    return api.create_response(
        request, {"detail": _("Dati non validi."), "errors": errors}, status=422
    )
