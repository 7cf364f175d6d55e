"""Composition of the queue (issue #5): local SQLite queue, office hub client, or both.

Used by ``app.build_services`` (``services.queue``), the queue CLI and the kiosk /
display windows (``open_queue``).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .domain.ports import Clock, SystemClock
from .services.context import ServiceContext, SettingKey
from .services.queue import QueueService
from .services.queue_guide import local_guide

HUB_TOKEN_ENV = "COUNTER_HUB_TOKEN"


def local_queue(engine: Any, ctx: ServiceContext, *, fallback_counter: int | None = None) -> QueueService:
    """The queue in this counter's SQLite file (one-counter office, or the fallback of a hub)."""
    from .storage.queue_models import local_queue_store

    with ctx.uow() as uow:
        office = uow.settings.get(SettingKey.OFFICE_CODE) or ""
        node = uow.settings.get(SettingKey.WORKSTATION_ID) or "local"
    # The file holds one office's queue: a fixed key, so setting up the office later keeps it.
    return QueueService(local_queue_store(engine, "", node, on_commit=ctx.announcer.announce), ctx.clock, office_code=office, node=node,
                        guide=local_guide(ctx), fallback_counter=fallback_counter)


def hub_token(data_dir: Path, enrolled: Any = None) -> str | None:
    """The device token: ``COUNTER_HUB_TOKEN`` or the sync enrolment's token of ``data_dir`` in the OS keyring."""
    token = os.environ.get(HUB_TOKEN_ENV)
    if token:
        return token
    from .credentials import KeyringSecretStore
    from .services.sync import TOKEN_KEY

    return KeyringSecretStore(folder=data_dir, legacy_owner=enrolled).get(TOKEN_KEY)


def open_queue(data_dir: Path | None = None, hub: str | None = None, *, counter: int | None = None,
               clock: Clock | None = None, token: str | None = None) -> Any:
    """The queue a window or command works on (see services/api.md, "Queue")."""
    from .paths import DB_FILE, default_data_dir
    from .storage.engine import open_database
    from .storage.uow import make_uow_factory

    data_dir = Path(data_dir or default_data_dir())
    engine = open_database(data_dir / DB_FILE)
    ctx = ServiceContext(make_uow_factory(engine), clock or SystemClock())
    if not hub:
        return local_queue(engine, ctx)
    from .services.queue_fallback import FallbackQueue
    from .sync.queue_client import HubQueueClient

    def enrolled() -> bool:
        from .services.sync import SyncSetting

        with ctx.uow() as uow:
            return bool(uow.settings.get(SyncSetting.DEVICE_ID))

    client = HubQueueClient(hub, (lambda: token) if token else (lambda: hub_token(data_dir, enrolled)))
    if counter is None:
        return client  # kiosk and display: no own numbering, they show what the hub says
    return FallbackQueue(client, local_queue(engine, ctx, fallback_counter=counter))
