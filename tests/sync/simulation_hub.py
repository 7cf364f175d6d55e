"""The simulation with an office hub on the commune LAN (design.md §4, issue 3 "Office hub").

Counters 0 and 1 (office A) sync through the hub; counter 2 (office B) straight with the
upstream. On top of the faults of ``simulation.py`` (which now also hit the hub's own
link to the upstream: a kill there is the hub process dying), the hub's disk may be
restored from an earlier backup, losing what it accepted since. After the faults stop and
everyone syncs until quiet, ``invariants.check`` holds against the upstream, no counter
still owes a relayed change (every change is confirmed upstream), and the hub has nothing
left to forward.
"""
from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

from invariants import check
from memory_secrets import MemorySecrets
from simulation import (
    NODE_OFFICES,
    OFFICE_A,
    Faults,
    FaultyTransport,
    Killed,
    Node,
    ServerHost,
    SimTime,
    SkewedClock,
    World,
    enroll_node,
    seed_offices,
)
from sqlalchemy import func, select

from counter_app.domain.errors import DomainError
from counter_app.server.app import create_app
from counter_app.server.hub import TOKEN_KEY as HUB_TOKEN
from counter_app.server.hub import HubReplicator, enroll_hub, install_hub_routes, open_hub
from counter_app.server.hub_models import hub_outbox
from counter_app.storage.models import outbox
from counter_app.sync.engine import RetryPolicy

HUB_NODES = (0, 1)  # office A's counters
UPSTREAM_URL = "http://upstream"


class HubHost(ServerHost):
    """The hub in-process: the same server program with the hub's routes and outbox."""

    def _open(self, seed: bool) -> Any:
        return open_hub(self.url, connect_args=self.connect_args)

    def _app(self) -> Any:
        app = create_app(self.service)
        install_hub_routes(app, self.service)
        return app

    def reopen(self) -> None:
        self.service = self._start(False)
        self.client = self._client()
        self.restarts += 1


def build_hub_template(root: Path) -> dict[str, Any]:
    """Upstream with offices A and B; a hub enrolled for A that did its first download;
    counters 0 and 1 enrolled with the hub, counter 2 with the upstream."""
    root.mkdir(parents=True, exist_ok=True)
    upstream = ServerHost(f"sqlite:///{root / 'server.sqlite'}", seed=True)
    hub = HubHost(f"sqlite:///{root / 'hub.sqlite'}")
    try:
        seed_offices(upstream)
        secrets = MemorySecrets()
        connect = lambda _url, token: upstream.transport(token)  # noqa: E731
        enroll_hub(hub.service, UPSTREAM_URL, upstream.service.issue_enroll_code(OFFICE_A)["code"], secrets, connect)
        first = HubReplicator(hub.service, secrets, connect, retry=RetryPolicy(attempts=1)).run_round()
        assert first.ok and first.pulled > 0, first
        tokens = [enroll_node(hub if index in HUB_NODES else upstream, root / f"node{index}", office,
                              SkewedClock(SimTime()))
                  for index, office in enumerate(NODE_OFFICES)]
    finally:
        hub.close()
        upstream.close()
    return {"tokens": tokens, "hub_token": secrets.values[HUB_TOKEN]}


class HubWorld(World):
    def __init__(self, seed: int, root: Path, template: Path, tokens: list[str], hub_token: str, *,
                 faults: Faults | None = None) -> None:
        super().__init__(seed, root, template, tokens, faults=faults)
        self.hub = HubHost(f"sqlite:///{root / 'hub.sqlite'}", now=self.server_now)
        for index in HUB_NODES:  # re-wired to the hub (same files, skews and secrets)
            old = self.nodes[index]
            old.close()
            self.nodes[index] = Node(self, index, old.office, old.data_dir, old.secrets, old.clock.skew, host=self.hub)
        self.hub_secrets = MemorySecrets()
        self.hub_secrets.set(HUB_TOKEN, hub_token)
        self.hub_rng = random.Random(seed * 31 + 97)
        self.hub_link = FaultyTransport(self.host, lambda: self.hub_secrets.get(HUB_TOKEN), self.hub_rng, self.faults)
        self.backup = root / "hub.backup"
        self.hub_events: list[str] = []
        self._start_replicator()

    def _start_replicator(self) -> None:
        self.replicator = HubReplicator(self.hub.service, self.hub_secrets, lambda _url, _token: self.hub_link,
                                        retry=RetryPolicy(attempts=2, sleep=lambda _s: None, rand=self.hub_rng.random))

    def close(self) -> None:
        self.hub.close()
        super().close()

    # ---- the hub's own troubles -----------------------------------------------------------
    def hub_round(self) -> Any:
        try:
            return self.replicator.run_round()
        except Killed:
            self.restart_hub()
            return None

    def restart_hub(self) -> None:
        self.hub_events.append("restart")
        self.hub.restart()
        self._start_replicator()

    def back_up_hub(self) -> None:
        self.hub_events.append("backup")
        self.hub.service.db.dispose()  # every connection closed: the WAL is checkpointed into the file
        shutil.copy(Path(self.hub.url.removeprefix("sqlite:///")), self.backup)

    def restore_hub(self) -> None:
        if not self.backup.exists():
            return
        self.hub_events.append("restore")
        self.hub.close()
        db_file = Path(self.hub.url.removeprefix("sqlite:///"))
        for stale in (db_file, db_file.with_name(db_file.name + "-wal"), db_file.with_name(db_file.name + "-shm")):
            stale.unlink(missing_ok=True)
        shutil.copy(self.backup, db_file)
        self.hub.reopen()
        self._start_replicator()

    # ---- phases -------------------------------------------------------------------------
    def operations(self) -> dict[str, tuple[float, Any]]:
        return {
            **super().operations(),
            "hub_sync": (3, lambda _node: self.hub_round()),
            "hub_restart": (0.3, lambda _node: self.restart_hub()),
            "hub_backup": (0.8, lambda _node: self.back_up_hub()),
            "hub_restore": (0.8, lambda _node: self.restore_hub()),
        }

    def quiesce(self, max_passes: int = 12) -> None:
        """Faults stop; the hub, then every counter, syncs until a full pass moves nothing."""
        self.hub_link.enabled = False
        for node in self.nodes:
            node.transport.enabled = False
        for _ in range(max_passes):
            hub = self.replicator.run_round()
            if not hub.ok:
                raise AssertionError(f"seed {self.seed}: clean hub round failed: {hub}")
            moved = hub.pushed + hub.pulled
            for node in self.nodes:
                summary = node.engine.run_round()
                if not summary.ok:
                    raise AssertionError(f"seed {self.seed}: clean round failed on node {node.index}: {summary}")
                moved += summary.pushed + summary.pulled
            if not moved and not self._owed():
                return
        raise AssertionError(f"seed {self.seed}: still moving changes after {max_passes} clean passes "
                             f"(owed: {self._owed()}, hub: {self.hub_events})")

    def _owed(self) -> int:
        """Changes a counter still owes (relayed, unconfirmed) or the hub has not forwarded."""
        owed = 0
        for node in self.nodes:
            with node.db.connect() as conn:
                owed += conn.execute(select(func.count()).select_from(outbox)
                                     .where(outbox.c.state.in_(("pending", "relayed")))).scalar_one()
        with self.hub.service.db.read() as s:
            owed += s.scalar(select(func.count()).select_from(hub_outbox)
                             .where(hub_outbox.c.state.in_(("pending", "relayed")))) or 0
        return owed


def run_hub_seed(seed: int, root: Path, template: Path, tokens: list[str], hub_token: str, *,
                 steps: int = 30) -> HubWorld:
    world = HubWorld(seed, root, template, tokens, hub_token)
    try:
        world.run(steps)
        check(world)
        assert world._owed() == 0, f"seed {seed}: changes still owed after quiescence"
    except DomainError as exc:
        raise AssertionError(f"seed {seed}: {exc.code}: {exc} (hub: {world.hub_events})") from exc
    finally:
        world.close()
    return world
