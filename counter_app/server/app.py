"""HTTP adapters of the sync server (routes as documented in ``sync/protocol.py``).

Every error answer is JSON ``{"code", "reason"}`` with a 4xx status: malformed
input never becomes a 500. OpenAPI is served at ``/docs`` (and ``/openapi.json``).
"""
# No "from __future__ import annotations": FastAPI must see the dependency objects of the
# routes defined inside _routes(), which are locals and not resolvable from strings.

import logging
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware

from ..domain.errors import DomainError, NotFound
from ..domain.messages import message
from ..sync.protocol import (
    API,
    MAX_PULL,
    MAX_REQUEST_BYTES,
    MAX_REVIEW,
    UPDATES_PATH,
    VERSION_HEADER,
    EnrollRequest,
    EnrollResponse,
    ErrorBody,
    HelloRequest,
    HelloResponse,
    PullResponse,
    PushRequest,
    PushResponse,
    ResolveRequest,
    ReviewItem,
    ReviewResponse,
)
from .limits import BodyLimit
from .payloads import is_storable
from .service import Device, ServerService

log = logging.getLogger("counter_app.server")

STATUS = {
    "auth.required": 401,
    "device.revoked": 401,
    "client.revoked": 401,
    "client.scope_missing": 403,
    "scope.forbidden": 403,
    "slots.exhausted": 409,
    "enroll.throttled": 429,
    "request.invalid": 422,
    "sync.version_unsupported": 426,  # Upgrade Required
    "update.changed": 409,
    "file.bad_hash": 422,
    "file.bad_chunk": 422,
    "file.not_referenced": 403,
    "file.offset_mismatch": 409,  # the answer names ``received``: the client resumes from it
    "file.hash_mismatch": 422,
    "file.too_large": 413,
    "file.chunk_too_large": 413,
    "file.range_invalid": 416,
}
MAX_SEQ = 2**62  # larger cursors cannot exist (BIGINT)
# A pull page of 1,000 changes is ~1 MB of JSON and ~0.1 MB gzipped: what a slow commune line
# feels. Level 6 costs ~9 ms of server CPU per such page against ~25 ms at Starlette's default 9,
# for 4 % more bytes; answers under 1 KB (errors, hello) are not worth the work.
GZIP_MIN_BYTES, GZIP_LEVEL = 1000, 6
# An installer is compressed already: gzipping ~100 MB would cost the server seconds of CPU per
# download for nothing, and drop the Content-Length the counter checks against.
INSTALLER_MEDIA_TYPE = "application/octet-stream"
_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody} for status in (400, 401, 403, 404, 409, 413, 416, 422, 429)
}

_bearer = HTTPBearer(auto_error=False, description="The device token from POST /api/v1/enroll")


def create_app(service: ServerService | str) -> FastAPI:
    """The ASGI app on ``service`` (or on a database URL, opened and seeded here)."""
    if isinstance(service, str):
        from .bootstrap import open_server

        service = open_server(service)
    app = FastAPI(title="counter_app sync server", version="1", docs_url="/docs", responses=_ERRORS)
    app.state.service = service
    # Only when the client asks (Accept-Encoding: gzip); httpx does by default and decodes.
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES, compresslevel=GZIP_LEVEL,
                       exclude_content_types=(*DEFAULT_EXCLUDED_CONTENT_TYPES, INSTALLER_MEDIA_TYPE))
    # Added last, so outermost: a body too large is refused before anything else runs.
    app.add_middleware(BodyLimit, max_bytes=MAX_REQUEST_BYTES)
    _install_handlers(app)
    _routes(app, service)
    from .queue_routes import install_queue_routes  # the office hub also serves its counters' queue

    install_queue_routes(app, service)
    return app


def _routes(app: FastAPI, service: ServerService) -> None:
    device, any_device = _device_dependencies(service)
    _sync_routes(app, service, device, any_device)
    _update_routes(app, service, device)
    _review_routes(app, service, device)
    from .files_routes import install_file_routes

    install_file_routes(app, service, device)


DeviceDependency = Callable[..., Awaitable[Device]]


def _device_dependencies(service: ServerService) -> tuple[DeviceDependency, DeviceDependency]:
    """The calling device, from its bearer token: an active one, or any (a revoked one too)."""
    # Async: a sync dependency costs each request a hop to the thread pool and back. A device
    # found in the cache (nearly always) is answered on the event loop; only a miss reads the
    # database, in the pool.
    async def token(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> str | None:
        return credentials.credentials if credentials else None

    async def caller(raw: str | None, allow_revoked: bool) -> Device:
        found = service.cached_device(raw, allow_revoked=allow_revoked)
        if found is not None:
            return found
        return await run_in_threadpool(lambda: service.authenticate(raw, allow_revoked=allow_revoked))

    async def device(raw: Annotated[str | None, Depends(token)]) -> Device:
        return await caller(raw, allow_revoked=False)

    async def any_device(raw: Annotated[str | None, Depends(token)]) -> Device:
        # hello answers a revoked device with required_action "reenroll" instead of 401.
        return await caller(raw, allow_revoked=True)

    return device, any_device


def _sync_routes(app: FastAPI, service: ServerService, device: DeviceDependency,
                 any_device: DeviceDependency) -> None:
    @app.post(f"{API}/enroll", response_model=EnrollResponse, tags=["sync"])
    def enroll(body: EnrollRequest, request: Request) -> EnrollResponse:
        _require_storable(body.code, body.device_name)
        # The peer's address as the socket sees it: X-Forwarded-For is anyone's to write.
        return service.enroll(body, client=request.client.host if request.client else "unknown")

    @app.post(f"{API}/sync/hello", response_model=HelloResponse, tags=["sync"])
    def hello(body: HelloRequest, caller: Annotated[Device, Depends(any_device)],
              version: Annotated[str | None, Header(alias=VERSION_HEADER, max_length=40)] = None) -> Response:
        # Serialised here: FastAPI would add the update fields (as defaults) for an old counter too.
        answer = service.hello(caller, body, version)
        return _json(answer, exclude=None if version is not None else _UPDATE_FIELDS)

    @app.post(f"{API}/sync/push", response_model=PushResponse, tags=["sync"])
    def push(body: PushRequest, caller: Annotated[Device, Depends(device)],
             version: Annotated[str | None, Header(alias=VERSION_HEADER, max_length=40)] = None) -> Response:
        service.require_version(version)
        return _json(service.push(caller, body))

    @app.get(f"{API}/sync/pull", response_model=PullResponse, tags=["sync"])
    def pull(
        caller: Annotated[Device, Depends(device)],
        after: Annotated[int, Query(ge=0, le=MAX_SEQ)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PULL)] = MAX_PULL,
        after_id: Annotated[str, Query(max_length=64)] = "",
    ) -> Response:
        _require_storable(after_id)
        return Response(content=service.pull_json(caller, after, limit, after_id), media_type="application/json")


def _update_routes(app: FastAPI, service: ServerService, device: DeviceDependency) -> None:
    @app.get(f"{UPDATES_PATH}/{{file_name}}", tags=["updates"], response_class=FileResponse)
    def installer(file_name: Annotated[str, Path(min_length=1, max_length=200)],
                  caller: Annotated[Device, Depends(device)]) -> FileResponse:
        """The installer this server offers (enrolled devices only); other names are 404."""
        hosted = service.updates.installer if service.updates is not None else None
        if hosted is None or file_name != hosted.file_name:
            raise NotFound("update.not_found", name=file_name[:200])
        if not hosted.unchanged():
            # Not served: its hash is no longer the one hello announced.
            raise DomainError("update.changed", name=hosted.file_name)
        return FileResponse(hosted.path, media_type=INSTALLER_MEDIA_TYPE, filename=hosted.file_name)


def _review_routes(app: FastAPI, service: ServerService, device: DeviceDependency) -> None:
    @app.get(f"{API}/sync/review", response_model=ReviewResponse, tags=["sync"])
    def review(
        caller: Annotated[Device, Depends(device)],
        after: Annotated[str, Query(max_length=80)] = "",
        limit: Annotated[int, Query(ge=1, le=MAX_REVIEW)] = MAX_REVIEW,
    ) -> ReviewResponse:
        """Open flags and lost field edits of this office's dossiers, for a supervisor, a page at a time."""
        return service.review(caller, after, limit)

    @app.post(f"{API}/sync/review/{{item_id}}/resolve", response_model=ReviewItem, tags=["sync"])
    def resolve(item_id: Annotated[str, Path(min_length=2, max_length=20)], body: ResolveRequest,
                caller: Annotated[Device, Depends(device)]) -> ReviewItem:
        _require_storable(item_id, body.resolved_by, body.note)
        return service.resolve_review(caller, item_id, body)

    @app.get(f"{API}/dossiers/{{dossier_id}}", tags=["dossiers"])
    def dossier(dossier_id: Annotated[str, Path(min_length=1, max_length=64)],
                caller: Annotated[Device, Depends(device)]) -> dict[str, Any]:
        """The server's merged view: fields, events, derived status, flags, conflicts."""
        _require_storable(dossier_id)
        return service.get_dossier(caller, dossier_id)


_UPDATE_FIELDS = {"latest_version", "minimum_version", "installer"}


def _json(model: BaseModel, exclude: set[str] | None = None) -> Response:
    """The answer serialised once by pydantic (returning the model makes FastAPI validate it
    again against ``response_model`` and encode it in Python; push answers are on the hot path)."""
    return Response(content=model.model_dump_json(exclude=exclude), media_type="application/json")


def _require_storable(*values: str) -> None:
    if not is_storable(list(values)):
        raise DomainError("request.invalid", detail="NUL character or invalid Unicode")


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(_request: Request, exc: DomainError) -> JSONResponse:
        status = 404 if isinstance(exc, NotFound) else STATUS.get(exc.code, 400)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        if status == 429:
            headers = {"Retry-After": str(exc.params.get("seconds", 1))}
        reason = message(exc.code, "en", **exc.params)
        if exc.code == "sync.version_unsupported":  # the counter's log and the operator see which versions
            reason += f" (this counter: {exc.params['version']}; minimum: {exc.params['minimum']})"
        extra = {"received": exc.params["received"]} if exc.code == "file.offset_mismatch" else None
        return _error(status, exc.code, reason, headers, extra)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return _error(422, "request.invalid", f"{where}: {first.get('msg', '')}".strip(": "))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, f"http.{exc.status_code}", str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected failure on %s %s", request.method, request.url.path)
        return _error(500, "server.error", "unexpected server failure; details are in the server log")


def _error(status: int, code: str, reason: str, headers: dict[str, str] | None = None,
           extra: dict[str, Any] | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content={"code": code, "reason": reason, **(extra or {})},
                        headers=headers)
