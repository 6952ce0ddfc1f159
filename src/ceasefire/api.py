"""The JSON API root. Each app contributes a router; errors come out in the one shape of
`ceasefire.core.errors` whatever raised them. Access is decided by the route table
(`ceasefire.permissions`) in the access middleware, before a view runs."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from ceasefire.accounts.api import router as accounts_router
from ceasefire.caches.api import router as caches_router
from ceasefire.convoys.api import router as convoys_router
from ceasefire.core.errors import CeasefireError, NotFound, ValidationFailed, error_response
from ceasefire.holdings.api import router as holdings_router
from ceasefire.incidents.api import router as incidents_router
from ceasefire.people.api import router as people_router
from ceasefire.places.api import router as places_router
from ceasefire.positions.api import router as positions_router
from ceasefire.registry.api import router as registry_router
from ceasefire.reports.api import router as reports_router
from ceasefire.stores.api import router as stores_router


class CeasefireAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        # The schema changes only with the code and the reader's language, and building it
        # took as long as a dozen pages: build it once per language and process.
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        schemas: dict[tuple[str, str], Any] = self.__dict__.setdefault("_schemas", {})
        key = (get_language(), path_prefix)
        if key not in schemas:
            schemas[key] = self._build_schema(path_prefix)
        return schemas[key]

    def _build_schema(self, path_prefix: str) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix)
        # Authentication is done by middleware (session cookie or bearer token), so ninja does
        # not know it; tell API clients here.
        components = schema.setdefault("components", {})
        components.setdefault("securitySchemes", {}).update(
            {
                "token": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "sessionid"},
            }
        )
        schema["security"] = [{"token": []}, {"session": []}, {}]
        return schema


api = CeasefireAPI(
    title="Ceasefire API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    # Lazy: read per request, in the caller's language, not once at import. Ninja types it
    # str, but only ever puts it into the schema, which the JSON encoder turns into one.
    description=gettext_lazy(  # type: ignore[arg-type]
        "Records of a ceasefire-monitoring mission. Authenticate with a session cookie or a "
        "bearer token (`Authorization: Bearer cf_...`). Errors have the shape "
        '`{"error": {"code": ..., "message": ..., "fields": {...}}}`. Lists are paginated '
        'with `limit` and `offset` and answer `{"items": [...], "count": n}`.'
    ),
)


@api.exception_handler(CeasefireError)
def _ceasefire_error(request: HttpRequest, exc: CeasefireError) -> HttpResponse:
    return error_response(request, exc)


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for problem in exc.errors:
        location = list(problem.get("loc", ()))
        # ("body", "payload", "role") -> "role"; ("query", "limit") -> "limit"
        name_parts = location[2:] if location[:1] == ["body"] else location[1:]
        name = ".".join(str(part) for part in name_parts) or "__all__"
        fields.setdefault(name, []).append(str(problem.get("msg", "")))
    return error_response(request, ValidationFailed(_("The request is not valid."), fields=fields))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, NotFound(_("Not found.")))


api.add_router("/", accounts_router)
api.add_router("/", places_router)
api.add_router("/", positions_router)
api.add_router("/", convoys_router)
api.add_router("/", incidents_router)
api.add_router("/", registry_router)
api.add_router("/", people_router)
api.add_router("/", holdings_router)
api.add_router("/", stores_router)
api.add_router("/", caches_router)
api.add_router("/", reports_router)
