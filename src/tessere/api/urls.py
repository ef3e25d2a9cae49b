"""The HTTP API (OpenAPI 3 at /api/v1/docs): one router per app, mounted here."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from tessere.access.api import router as access_router
from tessere.core.errors import DomainError
from tessere.directory.api import router as directory_router
from tessere.monitoring.api import router as monitoring_router
from tessere.participation.api import router as participation_router
from tessere.planning.api import router as planning_router
from tessere.profile.api import router as profile_router
from tessere.territory.api import router as territory_router

api = NinjaAPI(
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
