"""The office hub's queue over HTTP (httpx): the same methods as ``services.queue.QueueService``.

A hub that does not answer raises ``HubUnreachable`` (a ``DomainError``, code
``queue.hub_unreachable``); an error answer is rebuilt as the ``DomainError`` the hub
raised, with its params, so the UI shows the same Vietnamese text as for a local queue.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import httpx

from ..domain.errors import DomainError, NotFound, ValidationFailed
from ..domain.queue import QueueConfig
from ..services.queue_views import (
    GuideEntryView,
    QueueChanges,
    QueueStatsView,
    QueueStatusView,
    TicketView,
)

QUEUE = "/api/v1/queue"
CONNECT_TIMEOUT = 2.0
READ_TIMEOUT = 10.0


class HubUnreachable(DomainError):
    def __init__(self, url: str) -> None:
        super().__init__("queue.hub_unreachable", url=url)


class HubQueueClient:
    def __init__(self, base: str | httpx.Client, token: Callable[[], str | None] = lambda: None) -> None:
        if isinstance(base, httpx.Client):
            self._http, self.url = base, str(base.base_url)
        else:
            self.url = base.rstrip("/")
            self._http = httpx.Client(base_url=self.url, timeout=httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT))
        self._token = token
        self.offline = False

    def close(self) -> None:
        self._http.close()

    # --- actions ---
    def issue(self, prefix: str, priority: str = "", *, source: str = "kiosk", clerk: str = "") -> TicketView:
        return self._ticket("issue", prefix=prefix, priority=priority, source=source, clerk=clerk)

    def call_next(self, counter: int, clerk: str = "") -> TicketView | None:
        return self._maybe_ticket("call-next", counter=counter, clerk=clerk)

    def call_specific(self, counter: int, number: str, *, out_of_order_ok: bool = False, clerk: str = "") -> TicketView:
        return self._ticket("call", counter=counter, number=number, out_of_order_ok=out_of_order_ok, clerk=clerk)

    def pickup_call(self, counter: int, number: str, clerk: str = "") -> TicketView:
        return self._ticket("pickup", counter=counter, number=number, clerk=clerk)

    def recall(self, counter: int, clerk: str = "") -> TicketView:
        return self._ticket("recall", counter=counter, clerk=clerk)

    def no_show(self, counter: int, clerk: str = "") -> TicketView:
        return self._ticket("no-show", counter=counter, clerk=clerk)

    def park(self, counter: int, clerk: str = "") -> TicketView:
        return self._ticket("park", counter=counter, clerk=clerk)

    def return_parked(self, counter: int, number: str, clerk: str = "") -> TicketView:
        return self._ticket("return", counter=counter, number=number, clerk=clerk)

    def transfer(self, counter: int, *, to_counter: int | None = None, to_service: str | None = None,
                 note: str = "", clerk: str = "") -> TicketView:
        return self._ticket("transfer", counter=counter, to_counter=to_counter, to_service=to_service, note=note,
                            clerk=clerk)

    def serve(self, counter: int, clerk: str = "") -> TicketView:
        return self._ticket("serve", counter=counter, clerk=clerk)

    def serve_with_dossier(self, number: str, dossier_id: str, clerk: str = "") -> TicketView:
        return self._ticket("serve-dossier", number=number, dossier_id=dossier_id, clerk=clerk)

    def done(self, counter: int, clerk: str = "") -> TicketView:
        return self._ticket("done", counter=counter, clerk=clerk)

    # --- reading ---
    def status(self) -> QueueStatusView:
        return QueueStatusView.from_json(self._send("GET", "/status"))

    def changes(self, after: int, wait: float = 25.0) -> QueueChanges:
        timeout = httpx.Timeout(wait + READ_TIMEOUT, connect=CONNECT_TIMEOUT)
        data = self._send("GET", "/changes", params={"after": int(after), "wait": wait}, timeout=timeout)
        return QueueChanges.from_json(data)

    def stats(self, day: date | None = None) -> QueueStatsView:
        return QueueStatsView.from_json(self._send("GET", "/stats", params={"day": day.isoformat()} if day else None))

    def config(self) -> QueueConfig:
        return QueueConfig.from_json(self._send("GET", "/config"))

    def configure(self, config: QueueConfig | dict[str, Any]) -> QueueConfig:
        body = config.to_json() if isinstance(config, QueueConfig) else config
        return QueueConfig.from_json(self._send("POST", "/configure", json=body))

    def guide(self, query: str = "") -> list[GuideEntryView]:
        return []  # the guide comes from the counter's own catalogue (FallbackQueue)

    # --- plumbing ---
    def _maybe_ticket(self, action: str, **body: Any) -> TicketView | None:
        """An action that may find nothing to do (call-next on an empty queue): no ticket, None."""
        data = self._send("POST", f"/{action}", json=body)
        return TicketView.from_json(data["ticket"]) if data.get("ticket") else None

    def _ticket(self, action: str, **body: Any) -> TicketView:
        """An action that always acts on a ticket: a hub answering without one is a hub error."""
        ticket = self._maybe_ticket(action, **body)
        if ticket is None:
            raise DomainError("queue.hub_error", reason=f"no ticket in the answer to {action}")
        return ticket

    def _send(self, method: str, path: str, **kwargs: Any) -> Any:
        token = self._token()
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        try:
            resp = self._http.request(method, QUEUE + path, headers=headers, **kwargs)
        except httpx.TransportError:
            self.offline = True
            raise HubUnreachable(self.url) from None
        self.offline = False
        if resp.status_code >= 400:
            raise _error(resp)
        return resp.json()


def _error(resp: httpx.Response) -> DomainError:
    try:
        body = resp.json()
    except ValueError:
        body = {}
    code = str(body.get("code") or f"http.{resp.status_code}")
    params = body.get("params") or {}
    if code == "validation.failed" and isinstance(body.get("errors"), dict):
        return ValidationFailed(body["errors"])
    if code.startswith("queue.") or code.startswith("auth.") or code.startswith("device."):
        cls = NotFound if resp.status_code == 404 else DomainError
        return cls(code, **params)
    return DomainError("queue.hub_error", reason=str(body.get("reason") or resp.reason_phrase))
