"""Deterministic sync simulation: one server in-process, three counters, a seeded fault plan.

Everything is real (the FastAPI server through TestClient, SQLite files, the
reception service, the engine and its store); only the network and the processes
misbehave, as ``FaultyTransport`` and ``Killed`` decide from the seed:

- a request is dropped before the server sees it, or its answer after the server committed;
- a push is sent twice, or an older push is replayed later (reordered);
- the server restarts (a new app object on the same database) before a call;
- a counter dies before/after a call or between applying a pulled page and its commit,
  and comes back with a fresh engine on the same file;
- counter clocks are skewed by up to ±10 minutes (wall time and hybrid clock);
- a malicious or broken device pushes copies of real changes with far-future and malformed
  clock stamps (each must be refused, and no counter's clock may follow them).

After the random phase the faults stop, every counter syncs until quiet, and
``check`` verifies: no loss, no duplicate, convergence, status == fold(events),
unique codes, drained outboxes.
"""
from __future__ import annotations

import random
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from invariants import check
from memory_secrets import MemorySecrets
from sqlalchemy import select

from counter_app.domain.catalog import CountingMode, ProcedureVersion
from counter_app.domain.errors import DomainError
from counter_app.domain.hlc import HybridClock, format_stamp, is_adoptable, wall_ms
from counter_app.server.app import create_app
from counter_app.server.bootstrap import open_server
from counter_app.services.commands import ApplicantInput, ReceiveCommand
from counter_app.services.context import ServiceContext, SettingKey
from counter_app.services.dossiers import PrintLog
from counter_app.services.reception import ReceptionService
from counter_app.services.sync import TOKEN_KEY, EnrollmentService
from counter_app.storage.engine import create_sqlite_engine, open_database
from counter_app.storage.models import outbox
from counter_app.storage.sync_store import SqlSyncStore
from counter_app.storage.uow import make_uow_factory
from counter_app.sync.client import HttpTransport
from counter_app.sync.engine import RetryPolicy, SyncEngine, TransportError
from counter_app.sync.gateway import EngineGateway

START = datetime(2026, 11, 27, 8, 0)
OFFICE_A, OFFICE_B = "H45.201", "H45.202"
CLERK = {OFFICE_A: "canbo.a", OFFICE_B: "canbo.b"}
NODE_OFFICES = (OFFICE_A, OFFICE_A, OFFICE_B)
ROUTED = "9.990001"  # received anywhere, handled by office B (competent agency)
LOCAL_PROCEDURES = ("1.001193", "1.004873", "2.000635")
APPLICANT = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678",
                           address="Số 12 đường Lê Lợi, phường Đông Hà", email="")


class Killed(BaseException):
    """The counter's process died here (BaseException: nothing in the app may catch it)."""


class SimTime:
    """The simulated "now" shared by every node; each node reads it through its skew."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def advance(self, seconds: int) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class SkewedClock:
    time: SimTime
    skew: timedelta = timedelta(0)

    def now(self) -> datetime:
        return (self.time.now + self.skew).replace(microsecond=0)

    def utcnow(self) -> datetime:
        return (self.time.now + self.skew).replace(tzinfo=UTC)

    def wall_ms(self) -> int:
        return int((self.time.now + self.skew).replace(tzinfo=UTC).timestamp() * 1000)


class SimContext(ServiceContext):
    """ServiceContext whose hybrid clock reads the node's skewed simulated wall time."""

    def stamps(self, uow: Any, count: int) -> list[str]:
        # ``stamp`` asks this too: every stamp of the node, one or a batch, reads the simulated clock.
        if self._hlc is None:
            node = uow.settings.get(SettingKey.WORKSTATION_ID) or "local"
            self._hlc = HybridClock(node, wall=self.clock.wall_ms)  # type: ignore[attr-defined]
            last = uow.settings.get(SettingKey.HLC_LAST)
            if last:
                self._hlc.observe(last)
        values = [self._hlc.now() for _ in range(count)]
        uow.settings.set(SettingKey.HLC_LAST, values[-1])
        return values


class ServerHost:
    """The server in-process; ``restart`` builds a new service and app on the same database."""

    def __init__(self, url: str, connect_args: dict[str, Any] | None = None, *, seed: bool = False,
                 now: Callable[[], datetime] | None = None) -> None:
        self.url, self.connect_args = url, connect_args or {}
        self.now = now  # the simulated time: counters measure their skew against the server's hello
        self.service = self._start(seed)
        self.client = self._client()
        self.restarts = 0

    def _start(self, seed: bool) -> Any:
        service = self._open(seed)
        if self.now is not None:
            service.now = self.now
        return service

    def _open(self, seed: bool) -> Any:
        return open_server(self.url, connect_args=self.connect_args, seed=seed, today=START.date())

    def _app(self) -> Any:
        return create_app(self.service)

    def _client(self) -> TestClient:
        # Entered once: one event-loop portal for all requests instead of one per request.
        client = TestClient(self._app())
        client.__enter__()
        return client

    def restart(self) -> None:
        self.close()
        self.service = self._start(False)
        self.client = self._client()
        self.restarts += 1

    def close(self) -> None:
        self.client.__exit__(None, None, None)
        self.service.db.dispose()

    def transport(self, token: Callable[[], str | None]) -> HttpTransport:
        return HttpTransport(self.client, token)


@dataclass
class Faults:
    """Probabilities per transport call (or per pulled page for ``kill_in_apply``)."""

    drop_request: float = 0.08
    drop_response: float = 0.08
    duplicate_push: float = 0.10
    replay_push: float = 0.10
    restart_server: float = 0.02
    kill_before: float = 0.03
    kill_after: float = 0.03
    kill_in_apply: float = 0.05

    def scaled(self, factor: float) -> Faults:
        return Faults(**{name: min(0.5, value * factor) for name, value in self.__dict__.items()})


class FaultyTransport:
    """Wraps the real HTTP transport to the in-process server and misbehaves on purpose."""

    def __init__(self, host: ServerHost, token: Callable[[], str | None], rng: random.Random, faults: Faults) -> None:
        self.host, self.token, self.rng, self.faults = host, token, rng, faults
        self.enabled = True
        self.sent: list[Any] = []  # earlier push requests, for replays
        self.log: list[str] = []

    def _inner(self) -> HttpTransport:
        return self.host.transport(self.token)  # always the current app (it may have restarted)

    def enroll(self, req: Any) -> Any:
        return self._inner().enroll(req)

    def hello(self, req: Any) -> Any:
        return self._call("hello", lambda t: t.hello(req))

    def pull(self, after: int, limit: int, after_id: str = "") -> Any:
        return self._call("pull", lambda t: t.pull(after, limit, after_id))

    def confirm(self, req: Any) -> Any:
        return self._call("confirm", lambda t: t.confirm(req))

    def review(self, after: str = "") -> Any:
        return self._call("review", lambda t: t.review(after))

    def resolve(self, item_id: str, req: Any) -> Any:
        return self._call("resolve", lambda t: t.resolve(item_id, req))

    def push(self, req: Any) -> Any:
        if self.enabled and self.sent and self._roll(self.faults.replay_push, "replay"):
            old = self.rng.choice(self.sent)
            try:
                self._inner().push(old)  # delivered late: the server must see only duplicates
            except TransportError:
                pass
        self.sent = [*self.sent[-4:], req]
        return self._call("push", lambda t: t.push(req), duplicate=True)

    def _call(self, name: str, fn: Callable[[HttpTransport], Any], duplicate: bool = False) -> Any:
        if not self.enabled:
            return fn(self._inner())
        f = self.faults
        if self._roll(f.restart_server, f"restart before {name}"):
            self.host.restart()
        if self._roll(f.kill_before, f"kill before {name}"):
            raise Killed(name)
        if self._roll(f.drop_request, f"drop {name} request"):
            raise TransportError(True, "sync.offline", "request lost")
        result = fn(self._inner())
        if duplicate and self._roll(f.duplicate_push, "duplicate push"):
            result = fn(self._inner())  # the second answer must say "duplicate" for everything
        if self._roll(f.drop_response, f"drop {name} response"):
            raise TransportError(True, "sync.offline", "answer lost after the server committed")
        if self._roll(f.kill_after, f"kill after {name}"):
            raise Killed(name)
        return result

    def _roll(self, p: float, what: str) -> bool:
        hit = self.rng.random() < p
        if hit:
            self.log.append(what)
        return hit


class Node:
    """One counter: its database file, services and sync engine, rebuilt after a crash."""

    def __init__(self, world: World, index: int, office: str, data_dir: Path, secrets: MemorySecrets,
                 skew: timedelta, host: ServerHost | None = None) -> None:
        self.world, self.index, self.office, self.data_dir = world, index, office, data_dir
        self.secrets = secrets
        self.clock = SkewedClock(world.time, skew)
        self.rng = random.Random(world.seed * 31 + index)
        self.transport = FaultyTransport(host or world.host, lambda: self.secrets.get(TOKEN_KEY), self.rng,
                                         world.faults)
        self.crashes = 0
        self._open()

    def _open(self) -> None:
        # The file is migrated already (template or enrolment): open it like the app would.
        self.db = create_sqlite_engine(self.data_dir / "counter.sqlite")
        self.ctx = SimContext(make_uow_factory(self.db), self.clock)
        self.reception = ReceptionService(self.ctx, rng=self.rng)
        self.prints = PrintLog(self.ctx)
        self.store = SqlSyncStore(self.db)
        self.store.before_commit = self._maybe_kill_in_apply
        self.engine = SyncEngine(self.transport, self.store, self.clock,
                                 retry=RetryPolicy(attempts=2, sleep=lambda _s: None, rand=self.rng.random),
                                 utcnow=self.clock.utcnow, on_pulled=lambda _page: self.ctx.reset_identity(),
                                 push_size=10,
                                 pull_size=40)

    def crash(self) -> None:
        """Forget everything in memory and start again on the same file."""
        self.crashes += 1
        self.db.dispose()
        self._open()

    def close(self) -> None:
        self.db.dispose()

    def _maybe_kill_in_apply(self) -> None:
        if self.transport.enabled and self.transport._roll(self.world.faults.kill_in_apply, "kill in apply"):
            raise Killed("apply_page")

    # ---- operations --------------------------------------------------------------------
    def receive(self) -> str:
        code = ROUTED if self.rng.random() < 0.3 else self.rng.choice(LOCAL_PROCEDURES)
        view = self.reception.receive(ReceiveCommand(procedure_code=code, applicant=APPLICANT, pages=2),
                                      CLERK[self.office])
        return view.code

    def print_receipt(self) -> bool:
        """Print (or reprint) the receipt of a dossier this counter has; False if it has none."""
        with self.ctx.uow() as uow:
            rows = uow.dossiers.search(_all_query())
        received = [d for d in rows if d.due_at is not None]
        if not received:
            return False
        dossier = self.rng.choice(sorted(received, key=lambda d: d.id))
        self.prints.record(dossier.code, "receipt", CLERK[self.office])
        return True


def _all_query() -> Any:
    from counter_app.domain.ports import DossierQuery

    return DossierQuery(limit=100_000)


# ---- the world -----------------------------------------------------------------------------

def routed_procedure() -> ProcedureVersion:
    return ProcedureVersion(
        code=ROUTED, name="Thủ tục liên thông thử nghiệm", field="Thử nghiệm", level="commune", version="QĐ thử",
        effective_from=START.date().replace(month=1, day=1), duration=5, counting_mode=CountingMode.WORKING_DAYS,
        cutoff=time(15, 0), competent_agency=OFFICE_B,
    )


def build_template(root: Path, url: str | None = None, connect_args: dict[str, Any] | None = None) -> dict[str, Any]:
    """Server with offices A and B, their clerks, the catalogue (+ a procedure routed to B),
    and three enrolled counters that did their first download. Returns the tokens."""
    root.mkdir(parents=True, exist_ok=True)
    host = ServerHost(url or f"sqlite:///{root / 'server.sqlite'}", connect_args, seed=True)
    try:
        seed_offices(host)
        tokens = []
        for index, office in enumerate(NODE_OFFICES):
            tokens.append(enroll_node(host, root / f"node{index}", office, SkewedClock(SimTime())))
    finally:
        host.close()
    return {"tokens": tokens}


def seed_offices(host: ServerHost) -> None:
    """Offices A and B, a clerk each, and the procedure routed to B."""
    for office in (OFFICE_A, OFFICE_B):
        host.service.add_office(office, f"UBND xã {office}")
        host.service.add_user(office, CLERK[office], f"Cán bộ {office}", "clerk", "matkhau123")
    host.service.publish_catalog([routed_procedure()])


def enroll_node(host: ServerHost, data_dir: Path, office: str, clock: SkewedClock) -> str:
    """Enrol a fresh counter database with the real enrolment service; returns its token."""
    engine = open_database(data_dir / "counter.sqlite")
    try:
        ctx = ServiceContext(make_uow_factory(engine), clock)
        secrets = MemorySecrets()
        gateway = EngineGateway(lambda _url, token: host.transport(token), SqlSyncStore(engine), secrets, clock)
        code = host.service.issue_enroll_code(office)["code"]
        EnrollmentService(ctx, secrets, gateway).enroll("http://testserver", code, f"máy {data_dir.name}")
        return secrets.values[TOKEN_KEY]
    finally:
        engine.dispose()


class World:
    def __init__(self, seed: int, root: Path, template: Path, tokens: list[str], *, server_url: str | None = None,
                 connect_args: dict[str, Any] | None = None, faults: Faults | None = None) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        # Some seeds are calm, some stormy: retries hide light faults, heavy ones get through.
        self.faults = faults or Faults().scaled(self.rng.choice((0.5, 1.0, 2.0, 3.0)))
        self.time = SimTime()
        if Path(template) != Path(root):
            shutil.copytree(template, root, dirs_exist_ok=True)
        self.host = ServerHost(server_url or f"sqlite:///{root / 'server.sqlite'}", connect_args, now=self.server_now)
        self.nodes: list[Node] = []
        for index, office in enumerate(NODE_OFFICES):
            secrets = MemorySecrets()
            secrets.set(TOKEN_KEY, tokens[index])
            skew = timedelta(seconds=self.rng.randint(-600, 600))
            self.nodes.append(Node(self, index, office, root / f"node{index}", secrets, skew))
        self.receipts = 0  # successful receive operations
        self.prints = 0  # successful print operations
        self.hostile = 0  # pushes of forged clock stamps, all refused

    def server_now(self) -> datetime:
        """The servers' clock: the simulated time, unskewed (the counters' skews are relative to it)."""
        return self.time.now.replace(tzinfo=UTC)

    def close(self) -> None:
        for node in self.nodes:
            node.close()
        self.host.close()

    # ---- phases ------------------------------------------------------------------------
    def operations(self) -> dict[str, tuple[float, Callable[[Node], Any]]]:
        """What a step may do (name -> (weight, action on a random counter))."""
        return {
            "receive": (4, self._receive),
            "print": (2, self._print),
            "sync": (5, lambda node: node.engine.run_round()),
            "restart": (0.3, lambda _node: self.host.restart()),
            "hostile": (0.6, self._hostile),
        }

    def _hostile(self, node: Node) -> None:
        """A malicious or broken device of ``node``'s office (its token) pushes copies of the
        node's changes with far-future and malformed clock stamps: each must be refused alone."""
        with node.db.connect() as conn:
            rows = conn.execute(select(outbox).order_by(outbox.c.seq)).all()
        if not rows:
            return
        now_ms = wall_ms()  # the server judges by its own (real) clock
        stamps = [format_stamp(9_999_999_999_999, 99_999, "evil"), format_stamp(now_ms + 86_400_000, 0, "evil"),
                  "10000000000000-00000-evil", "garbage", format_stamp(now_ms, 0, "")]
        changes = []
        for stamp in self.rng.sample(stamps, 3):
            row = self.rng.choice(rows)
            payload = dict(row.payload or {})
            if row.kind == "dossier.event":
                payload["hlc"] = stamp
            changes.append({"change_id": str(uuid.uuid4()), "kind": row.kind, "entity_id": row.entity_id,
                            "payload": payload, "hlc": stamp, "created_at": START.isoformat()})
        host = node.transport.host  # the server or hub this node talks to (its token is for it)
        answer = host.client.post("/api/v1/sync/push", json={"changes": changes},
                                       headers={"Authorization": f"Bearer {node.secrets.get(TOKEN_KEY)}"})
        assert answer.status_code == 200, f"seed {self.seed}: hostile push answered {answer.status_code}"
        codes = {r["code"] for r in answer.json()["results"] if r["result"] == "rejected"}
        assert len(codes) and all(r["result"] == "rejected" for r in answer.json()["results"]), answer.text
        assert codes <= {"hlc.ahead", "payload.invalid"}, answer.text
        self.hostile += 1

    def _receive(self, node: Node) -> None:
        node.receive()
        self.receipts += 1

    def _print(self, node: Node) -> None:
        self.prints += node.print_receipt()

    def run(self, steps: int = 24) -> None:
        ops = self.operations()
        names, weights = list(ops), [weight for weight, _ in ops.values()]
        for _ in range(steps):
            self.time.advance(self.rng.randint(5, 900))
            node = self.rng.choice(self.nodes)
            op = self.rng.choices(names, weights=weights)[0]
            try:
                ops[op][1](node)
            except Killed:
                node.crash()
        self.quiesce()

    def quiesce(self, max_passes: int = 10) -> None:
        """Faults stop; every counter syncs until a full pass moves nothing."""
        for node in self.nodes:
            node.transport.enabled = False
        for _ in range(max_passes):
            moved = 0
            for node in self.nodes:
                summary = node.engine.run_round()
                if not summary.ok:
                    raise AssertionError(f"seed {self.seed}: clean round failed on node {node.index}: {summary}")
                moved += summary.pushed + summary.pulled
            if not moved:
                return
        raise AssertionError(f"seed {self.seed}: still moving changes after {max_passes} clean passes")


def check_clocks_bounded(world: World) -> None:
    """No counter adopted a forged stamp: every persisted clock is within the allowed drift."""
    for node in world.nodes:
        with node.ctx.uow() as uow:
            last = uow.settings.get(SettingKey.HLC_LAST) or ""
        assert not last or is_adoptable(last, wall_ms()), f"seed {world.seed}: node {node.index} clock {last!r}"


def run_seed(seed: int, root: Path, template: Path, tokens: list[str], *, steps: int = 30,
             server_url: str | None = None, connect_args: dict[str, Any] | None = None,
             faults: Faults | None = None) -> World:
    world = World(seed, root, template, tokens, server_url=server_url, connect_args=connect_args, faults=faults)
    try:
        world.run(steps)
        check(world)
        check_clocks_bounded(world)
    except DomainError as exc:
        raise AssertionError(f"seed {seed}: {exc.code}: {exc}") from exc
    finally:
        world.close()
    return world

