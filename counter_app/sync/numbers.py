"""The counter's side of the office hub's numbers (``POST /api/v1/hub/numbers``).

Receiving never waits long on the hub: one short request (``client.NUMBERS_TIMEOUT``), and
after a failure the hub is not asked again for ``QUIET_SECONDS`` — those dossiers are
numbered at once in the workstation's own ranges. A server that is not a hub (404: an
upstream reached directly, an older hub) is not asked again for ``NOT_A_HUB_SECONDS``.
It runs where the reception service runs: the database worker, never the GUI thread.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from ..domain.errors import DomainError
from ..domain.numbering import (
    OFFICE_SLOT,
    IssuedNumbers,
    code_key,
    hub_code_key,
    hub_ledger_key,
    ledger_key,
)
from ..services.context import ServiceContext, SettingKey
from ..services.sync import SyncSetting
from .engine import TransportError
from .protocol import NumbersRequest

log = logging.getLogger(__name__)

QUIET_SECONDS = 30.0  # after the hub did not answer: the next dossiers go to the own ranges at once
NOT_A_HUB_SECONDS = 600.0  # the server answered that it hands out no numbers


class HubNumbers:
    """``domain.ports.NumberSource`` on the sync transport to this workstation's server."""

    def __init__(self, ctx: ServiceContext, connect: Callable[[str, Callable[[], str | None]], Any],
                 token: Callable[[], str | None], *, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._ctx = ctx
        self._connect = connect
        self._token = token
        self._monotonic = monotonic
        self._quiet_until = 0.0
        self._transport: tuple[str, Any] | None = None  # (url, transport), kept for its connection
        self._lock = threading.Lock()

    def reserve(self, day: date) -> IssuedNumbers | None:
        if self._monotonic() < self._quiet_until:
            return None
        with self._ctx.uow() as uow:
            url = uow.settings.get(SyncSetting.SERVER_URL)
            enrolled = uow.settings.get(SyncSetting.DEVICE_ID)
            office = uow.settings.get(SettingKey.OFFICE_CODE) or ""
            seq = uow.sequences
            after_daily = max(seq.current(code_key(office, day, OFFICE_SLOT)), seq.current(hub_code_key(office, day)))
            after_ledger = max(seq.current(ledger_key(day.year, OFFICE_SLOT)),
                               seq.current(hub_ledger_key(office, day.year)))
        if not url or not enrolled:
            return None
        request = NumbersRequest(day=day, after_daily=after_daily, after_ledger=after_ledger)
        try:
            answer = self._transport_for(url).numbers(request)
        except (TransportError, DomainError) as exc:
            code = getattr(exc, "code", "")
            not_a_hub = code in ("http.404", "http.405")
            self._quiet_until = self._monotonic() + (NOT_A_HUB_SECONDS if not_a_hub else QUIET_SECONDS)
            log.info("office hub numbers unavailable (%s); own ranges for the next %.0f s", code,
                     NOT_A_HUB_SECONDS if not_a_hub else QUIET_SECONDS)
            return None
        except Exception:  # the hub's numbers are optional: a fault on their way must never stop a receive
            self._quiet_until = self._monotonic() + QUIET_SECONDS
            log.exception("office hub numbers failed; own ranges for the next %.0f s", QUIET_SECONDS)
            return None
        return IssuedNumbers(answer.office_code, answer.day, answer.daily_number, answer.ledger_number)

    def _transport_for(self, url: str) -> Any:
        with self._lock:
            if self._transport is None or self._transport[0] != url:
                self._transport = (url, self._connect(url, self._token))
            return self._transport[1]
