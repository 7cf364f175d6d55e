"""The office hub's queue: ``/api/v1/queue/...`` routes on the server's database.

The hub runs the very same use cases as a counter (``services/queue.QueueService``),
on its own tables (migration s0002), one queue per office of the calling device
(bearer device token, as for sync). Errors are JSON ``{"code", "reason", "params",
"errors"}``: the client rebuilds the ``DomainError`` so the UI shows the usual text.

``GET /queue/changes?after=<version>&wait=<s>`` is a long-poll: it answers as soon as
the office's queue version passes ``after`` (a condition variable wakes it within the
process; other server processes are seen by polling the version every 0.2 s).
"""
# No "from __future__ import annotations": FastAPI resolves the route signatures at runtime.

import inspect
import threading
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Body, Depends, FastAPI, Query
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import ColumnElement, String

from ..domain.errors import DomainError, NotFound, ValidationFailed
from ..domain.messages import message
from ..services.queue import QueueService
from ..storage.queue_store import SqlQueueStore
from ..sync.protocol import API
from .payloads import is_storable
from .queue_intake import MAX_INT
from .queue_models import tables
from .service import ServerService

Q = f"{API}/queue"
_bearer = HTTPBearer(auto_error=False)

# action -> (QueueService method, accepted body fields); the method's own checks do the rest.
ACTIONS: dict[str, tuple[str, frozenset[str]]] = {
    "issue": ("issue", frozenset({"prefix", "priority", "source", "clerk"})),
    "call-next": ("call_next", frozenset({"counter", "clerk"})),
    "call": ("call_specific", frozenset({"counter", "number", "out_of_order_ok", "clerk"})),
    "recall": ("recall", frozenset({"counter", "clerk"})),
    "no-show": ("no_show", frozenset({"counter", "clerk"})),
    "park": ("park", frozenset({"counter", "clerk"})),
    "return": ("return_parked", frozenset({"counter", "number", "clerk"})),
    "transfer": ("transfer", frozenset({"counter", "to_counter", "to_service", "note", "clerk"})),
    "serve": ("serve", frozenset({"counter", "clerk"})),
    "serve-dossier": ("serve_with_dossier", frozenset({"number", "dossier_id", "clerk"})),
    "done": ("done", frozenset({"counter", "clerk"})),
    "pickup": ("pickup_call", frozenset({"counter", "number", "clerk"})),
}
_INT_FIELDS = {"counter", "to_counter"}
_BOOL_FIELDS = {"out_of_order_ok"}
_NULLABLE = {"to_counter", "to_service"}
# Text fields and the column that stores each: its size is the field's limit (one definition).
_TEXT_COLUMNS = {"clerk": tables.events.c.actor, "prefix": tables.tickets.c.prefix,
                 "number": tables.tickets.c.number, "dossier_id": tables.tickets.c.dossier_id,
                 "priority": tables.tickets.c.priority, "to_service": tables.tickets.c.service}
_OTHER_TEXT_MAX = 500  # source, note: kept in JSON or TEXT, bounded all the same


def _length(column: ColumnElement[Any]) -> int:
    kind = column.type
    assert isinstance(kind, String) and kind.length is not None, f"{column} is not a sized text column"
    return kind.length


_TEXT_LIMITS = {key: _length(column) for key, column in _TEXT_COLUMNS.items()}


class HubQueues:
    """One ``QueueService`` per office on the server database, sharing one wake-up signal."""

    def __init__(self, server: ServerService) -> None:
        self.server = server
        self.signal = threading.Condition()
        self._services: dict[str, QueueService] = {}
        self._lock = threading.Lock()

    def store(self, office_code: str) -> SqlQueueStore:
        db = self.server.db
        return SqlQueueStore(db.write, db.read, tables, office_code, poll=0.2, signal=self.signal)

    def for_office(self, office_code: str) -> QueueService:
        with self._lock:
            svc = self._services.get(office_code)
            if svc is None:
                svc = QueueService(self.store(office_code), _LocalClock(), office_code=office_code, node="hub")
                self._services[office_code] = svc
            return svc


class _LocalClock:
    def now(self) -> datetime:
        # The office's wall time (the hub stands in the office), like the counters' clock.
        return datetime.now().replace(microsecond=0)


def install_queue_routes(app: FastAPI, server: ServerService) -> HubQueues:
    hub = HubQueues(server)
    app.state.queues = hub

    def queue(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> QueueService:
        device = server.authenticate(credentials.credentials if credentials else None)
        return hub.for_office(device.office_code)

    Svc = Annotated[QueueService, Depends(queue)]

    @app.get(f"{Q}/status", tags=["queue"])
    def status(svc: Svc) -> Any:
        return _guard(lambda: svc.status().to_json())

    @app.get(f"{Q}/changes", tags=["queue"])
    def changes(svc: Svc, after: Annotated[int, Query(ge=0, le=2**31)] = 0,
                wait: Annotated[float, Query(ge=0, le=60)] = 25.0) -> Any:
        return _guard(lambda: svc.changes(after, wait).to_json())

    @app.get(f"{Q}/stats", tags=["queue"])
    def stats(svc: Svc, day: Annotated[date | None, Query()] = None) -> Any:
        return _guard(lambda: svc.stats(day).to_json())

    @app.get(f"{Q}/config", tags=["queue"])
    def config(svc: Svc) -> Any:
        return _guard(lambda: svc.config().to_json())

    @app.post(f"{Q}/configure", tags=["queue"])
    def configure(svc: Svc, body: Annotated[dict[str, Any], Body()]) -> Any:
        if not is_storable(body):
            return _error(422, "request.invalid", "NUL character, invalid Unicode or non-finite number")
        return _guard(lambda: svc.configure(body).to_json())

    @app.post(Q + "/{action}", tags=["queue"])
    def act(action: str, svc: Svc, body: Annotated[dict[str, Any], Body()]) -> Any:
        if action not in ACTIONS:
            return _error(404, "http.404", f"unknown queue action {action!r}")
        method, fields = ACTIONS[action]
        unknown = set(body) - fields
        if unknown:
            return _error(422, "request.invalid", f"unknown fields: {', '.join(sorted(unknown))}")
        try:
            kwargs = {k: _argument(k, v) for k, v in body.items()}
            call = getattr(svc, method)
            inspect.signature(call).bind(**kwargs)
        except (TypeError, ValueError) as exc:
            return _error(422, "request.invalid", str(exc))
        return _guard(lambda: {"ticket": _json(call(**kwargs))})

    return hub


def _argument(key: str, value: Any) -> Any:
    """A body field as the use case takes it; ValueError with the reason for anything else
    (a database column must never be the first to refuse a value)."""
    if value is None and key in _NULLABLE:
        return None
    if key in _INT_FIELDS:
        # bool is an int in Python, and 1e400 arrives as float("inf"): neither is a counter number.
        text = str(value).strip() if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
        if not text.lstrip("-").isdigit() or not text.isascii() or len(text) > 10 or abs(int(text)) > MAX_INT:
            raise ValueError(f"{key} must be a whole number, not {str(value)[:40]!r}")
        return int(text)
    if key in _BOOL_FIELDS:
        if not isinstance(value, bool):
            raise ValueError(f"{key} must be true or false")
        return value
    if not isinstance(value, str):
        raise ValueError(f"{key} must be text, not {type(value).__name__}")
    if not is_storable(value):
        raise ValueError(f"{key}: NUL character or invalid Unicode")
    limit = _TEXT_LIMITS.get(key, _OTHER_TEXT_MAX)
    if len(value) > limit:
        raise ValueError(f"{key} is longer than {limit} characters")
    return value


def _json(view: Any) -> Any:
    return view.to_json() if view is not None else None


def _guard(fn: Any) -> Any:
    try:
        return fn()
    except DomainError as exc:
        status = 404 if isinstance(exc, NotFound) else 401 if exc.code in ("auth.required", "device.revoked") else 400
        body = {"code": exc.code, "reason": message(exc.code, "en", **exc.params),
                "params": {k: _plain(v) for k, v in exc.params.items()}}
        if isinstance(exc, ValidationFailed):
            body["errors"] = exc.errors
        return JSONResponse(status_code=status, content=body)


def _plain(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)


def _error(status: int, code: str, reason: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"code": code, "reason": reason})
