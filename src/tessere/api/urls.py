"""The HTTP API (OpenAPI 3 at /api/v1/docs): one router per app, mounted here."""

from ninja import NinjaAPI

from tessere.territory.api import router as territory_router

api = NinjaAPI(
    title="Tessere API",
    version="1",
    description="API di Tessere: territorio, ambiti e, via via, le altre funzioni.",
    urls_namespace="api-v1",
)
api.add_router("/territory/", territory_router)
