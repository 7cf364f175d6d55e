"""The composition root's part for the queue: the local SQLite queue, the office hub's client,
or both. Only ``app.open_counter`` calls it (``services.queue``)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

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
    return QueueService(local_queue_store(engine, "", node, on_commit=ctx.announcer.announce), ctx.clock,
                        office_code=office, node=node,
                        guide=local_guide(ctx), fallback_counter=fallback_counter)


def hub_token(data_dir: Path, enrolled: Any = None) -> str | None:
    """The device token: ``COUNTER_HUB_TOKEN`` or the sync enrolment's token of ``data_dir`` in the OS keyring."""
    token = os.environ.get(HUB_TOKEN_ENV)
    if token:
        return token
    from .credentials import KeyringSecretStore
    from .services.sync import TOKEN_KEY

    return KeyringSecretStore(folder=data_dir, legacy_owner=enrolled).get(TOKEN_KEY)


def hub_queue(ctx: ServiceContext, data_dir: Path, hub: str, *, counter: int | None = None,
              engine: Any = None) -> Any:
    """The office hub's queue (see services/api.md, "Queue"); with ``counter`` and the local
    ``engine``, a FallbackQueue that serves from this counter's own queue while the hub is away."""
    from .services.queue_fallback import FallbackQueue
    from .sync.queue_client import HubQueueClient

    def enrolled() -> bool:
        from .services.sync import SyncSetting

        with ctx.uow() as uow:
            return bool(uow.settings.get(SyncSetting.DEVICE_ID))

    client = HubQueueClient(hub, lambda: hub_token(data_dir, enrolled))
    if counter is None:
        return client  # kiosk and display: no own numbering, they show what the hub says
    return FallbackQueue(client, local_queue(engine, ctx, fallback_counter=counter))
