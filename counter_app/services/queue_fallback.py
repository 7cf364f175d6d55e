"""A counter's queue that keeps working when the office hub goes away.

Every call goes to the hub; if the hub does not answer, the same call runs on the
counter's own SQLite queue, which numbers its tickets with this counter's fallback
prefix (``C3-001``) so they never collide with the hub's. Those tickets reach the hub
through the sync outbox (``queue.event`` changes) once it is back. ``offline`` tells the
UI which one answered last.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from ..domain.errors import DomainError
from ..domain.queue import QueueConfig
from .queue import QueueService
from .queue_views import GuideEntryView, QueueChanges, QueueStatusView

log = logging.getLogger("counter_app.queue")
T = TypeVar("T")
UNREACHABLE = "queue.hub_unreachable"


class FallbackQueue:
    def __init__(self, hub: Any, local: QueueService) -> None:
        self.hub, self.local = hub, local
        self.offline = False
        self._sync_config()

    def __getattr__(self, name: str) -> Callable[..., Any]:
        # The actions (issue, call_next, recall, ...) share one rule: hub first, else local.
        if name.startswith("_") or not callable(getattr(QueueService, name, None)):
            raise AttributeError(name)
        return lambda *args, **kwargs: self._either(lambda q: getattr(q, name)(*args, **kwargs))

    def status(self) -> QueueStatusView:
        view = self._either(lambda q: q.status())
        return replace(view, offline=self.offline)

    def changes(self, after: int, wait: float = 25.0) -> QueueChanges:
        if self.offline:
            # Try the hub quickly so a returning hub is noticed; local versions are another sequence.
            try:
                self.hub.status()
            except DomainError as exc:
                if exc.code != UNREACHABLE:
                    raise
                ch = self.local.changes(after, min(wait, 2.0))
                return replace(ch, status=replace(ch.status, offline=True))
            self._back_online()
            after = 0
        view = self._either(lambda q: q.changes(after, wait))
        return replace(view, status=replace(view.status, offline=self.offline))

    def guide(self, query: str = "") -> list[GuideEntryView]:
        return self.local.guide(query)

    def configure(self, config: QueueConfig | dict[str, Any]) -> QueueConfig:
        saved: QueueConfig = self.hub.configure(config)
        self.local.configure(saved)
        return saved

    def _either(self, call: Callable[[QueueService], T]) -> T:  # the hub answers as the local queue does
        try:
            result = call(self.hub)
        except DomainError as exc:
            if exc.code != UNREACHABLE:
                raise
            if not self.offline:
                log.warning("queue hub unreachable: serving from this counter's own queue")
            self.offline = True
            self.local.offline = True
            return call(self.local)
        if self.offline:
            self._back_online()
        return result

    def _back_online(self) -> None:
        log.info("queue hub is back")
        self.offline = False
        self.local.offline = False
        self._sync_config()

    def _sync_config(self) -> None:
        """Keep the hub's configuration locally: the fallback queue needs its services and counters."""
        try:
            config = self.hub.config()
        except DomainError as exc:
            if exc.code != UNREACHABLE:
                raise
            self.offline = self.local.offline = True
            return
        if config.services and config != self.local.config():
            self.local.configure(config)
