"""One ledger per office per year, and the day's running number of the code: a real office hub
under uvicorn on a free local port (SQLite and PostgreSQL), two counters on their own SQLite
files wired by the composition root and talking HTTP to it. Online the hub's numbers are
contiguous; with the hub down each counter numbers in its own reserved ranges; never a collision.
Mẫu 01 and Mẫu 07 are rendered and read back with pdftotext."""
from __future__ import annotations

import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from memory_secrets import MemorySecrets
from sqlalchemy import func, select

from counter_app.app import build_services, build_sync_services
from counter_app.domain.errors import DomainError
from counter_app.domain.numbering import LEDGER_BLOCK
from counter_app.printing.forms import PrintOptions, render_receipt
from counter_app.printing.reports_pdf import render_report_pdf
from counter_app.server.app import create_app
from counter_app.server.bootstrap import open_server, seed_defaults
from counter_app.server.hub import install_hub_routes, open_hub
from counter_app.server.hub_models import hub_state
from counter_app.server.models import DossierRow, FlagRow
from counter_app.services.commands import ApplicantInput, ReceiveCommand
from counter_app.sync.client import HttpTransport
from counter_app.sync.engine import RetryPolicy
from counter_app.sync.numbers import NOT_A_HUB_SECONDS, QUIET_SECONDS, HubNumbers

OFFICE, CLERK, PASSWORD = "H45.401", "canbo.so", "matkhau123"
APPLICANT = ApplicantInput(name="Trần Thị Bình", id_number="045190001234", phone="0912345678",
                           address="Thôn 3, xã Hải Thượng")


class LiveHub:
    """The hub's app (hub routes installed) under real uvicorn, stoppable and restartable on its port."""

    def __init__(self, hub, port: int = 0) -> None:
        import uvicorn

        app = create_app(hub)
        install_hub_routes(app, hub)
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        for _ in range(500):
            if self.server.started:
                break
            self.thread.join(0.01)
        assert self.server.started, "uvicorn did not start"
        self.port: int = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


class Tick:
    """A monotonic clock the test moves (the hub's quiet period after a failure)."""

    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


@pytest.fixture
def office_hub(backend, tmp_path: Path):
    hub = open_hub(backend.url, connect_args=backend.connect_args)
    seed_defaults(hub)  # a LAN server with the shipped catalogue; no upstream needed for numbers
    hub.add_office(OFFICE, "UBND xã Hải Thượng")
    hub.add_user(OFFICE, CLERK, "Nguyễn Thị Hà", "clerk", PASSWORD)
    live = LiveHub(hub)
    yield hub, live
    live.stop()
    hub.db.dispose()


def counter(tmp_path: Path, name: str, hub, live: LiveHub, tick: Tick):
    services = build_services(tmp_path / name)
    sync = build_sync_services(tmp_path / name, services=services, secrets=MemorySecrets(),
                               retry=RetryPolicy(attempts=1))
    sync.enrollment.enroll(live.url, hub.issue_enroll_code(OFFICE)["code"], f"Quầy {name}")
    assert isinstance(services.context.numbers, HubNumbers)  # the sync services wire it
    ctx = services.context
    # The same source, with a clock the test moves past the quiet period.
    ctx.numbers = HubNumbers(ctx, lambda url, token: HttpTransport(url, token), sync.gateway._token, monotonic=tick)
    return services, sync


class Counting:
    """A transport that counts the number requests it passes on."""

    def __init__(self, inner: HttpTransport) -> None:
        self.inner, self.calls = inner, 0

    def numbers(self, request):
        self.calls += 1
        return self.inner.numbers(request)

    def __getattr__(self, name: str):
        return getattr(self.inner, name)


def receive(services):
    return services.reception.receive(ReceiveCommand(procedure_code="1.001193", applicant=APPLICANT), CLERK)


def pdf_text(data: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def test_two_counters_online_then_offline_number_one_book_without_collision(office_hub, tmp_path) -> None:
    hub, live = office_hub
    tick = Tick()
    a, a_sync = counter(tmp_path, "a", hub, live, tick)
    b, b_sync = counter(tmp_path, "b", hub, live, tick)
    today = date.today()
    year, stem = today.year, f"{OFFICE}-{today:%y%m%d}-"
    book = f"01/{year}"

    # Online, interleaved: the hub's numbers, contiguous across both counters.
    online = [receive(x) for x in (a, b, a, b, b, a)]
    assert [d.code for d in online] == [f"{stem}{n:04d}" for n in range(1, 7)]
    assert [(d.ledger_book, d.ledger_number) for d in online] == [(book, n) for n in range(1, 7)]

    # The hub goes down: each counter falls back at once to its own reserved ranges.
    live.stop()
    offline = [receive(x) for x in (a, b, a, b)]
    slot_a, slot_b = (int(x.office.get_setting("workstation_slot", "0")) for x in (a, b))
    assert {slot_a, slot_b} == {1, 2}
    assert [d.code for d in offline] == [f"{stem}{slot_a}001", f"{stem}{slot_b}001", f"{stem}{slot_a}002",
                                         f"{stem}{slot_b}002"]
    assert [d.ledger_number for d in offline] == [slot_a * LEDGER_BLOCK + 1, slot_b * LEDGER_BLOCK + 1,
                                                  slot_a * LEDGER_BLOCK + 2, slot_b * LEDGER_BLOCK + 2]
    assert {d.ledger_book for d in offline} == {book}

    # Back on its port: still inside the quiet period the counters do not ask (ranges at once);
    # after it, the hub's numbers go on where they stopped.
    live = LiveHub(hub, port=live.port)
    try:
        quiet = receive(a)
        assert quiet.code == f"{stem}{slot_a}003" and quiet.ledger_number == slot_a * LEDGER_BLOCK + 3
        tick.value += QUIET_SECONDS + 1
        again = [receive(a), receive(b)]
        assert [d.code for d in again] == [f"{stem}0007", f"{stem}0008"]
        assert [d.ledger_number for d in again] == [7, 8]

        everything = [*online, *offline, quiet, *again]
        codes = [d.code for d in everything]
        numbers = [d.ledger_number for d in everything]
        assert len(set(codes)) == len(codes) == 13 and len(set(numbers)) == len(numbers)

        # Both counters push to the hub and pull the other's: no code collision anywhere.
        for sync in (a_sync, b_sync, a_sync):
            assert sync.engine().run_round().ok
        with hub.db.read() as s:
            assert s.scalar(select(func.count()).select_from(DossierRow)) == len(everything)
            assert s.scalar(select(func.count()).select_from(FlagRow).where(FlagRow.code == "code.collision")) == 0

        # Mẫu 07 on counter a: one book, in running order, the reserved ranges marked.
        view = a.reports.ledger(today, today)
        table = view.table("ledger")
        assert [title for _, title in table.groups] == [f"Quyển số {book}"]
        listed = [r[0] for r in table.rows]
        assert listed == sorted(listed) and len(listed) == len(everything)
        marked = {r[0]: r[13] for r in table.rows}
        assert f"Dải số dự phòng của máy trạm số {slot_a}" in marked[slot_a * LEDGER_BLOCK + 1]
        assert "dự phòng" not in marked[1].lower()
        ledger_pdf = pdf_text(render_report_pdf(view), tmp_path, "mau07.pdf")
        assert f"Quyển số: {book}" in ledger_pdf and online[0].code in ledger_pdf and offline[0].code in ledger_pdf

        # Mẫu 01 cites the office's book; an offline number says which range it is.
        office, clerk = a.office.office(), a.auth.clerk(CLERK)
        first = pdf_text(render_receipt(online[0], office, clerk, PrintOptions(copies=1)), tmp_path, "m01-a.pdf")
        assert f"Vào Sổ theo dõi hồ sơ, Quyển số {book}, Số thứ tự 1 " in first + " "
        assert "dự phòng" not in first
        spare = pdf_text(render_receipt(offline[0], office, clerk, PrintOptions(copies=1)), tmp_path, "m01-b.pdf")
        assert (f"Quyển số {book}, Số thứ tự {slot_a * LEDGER_BLOCK + 1} (dải số dự phòng của máy trạm số {slot_a})"
                in spare)
    finally:
        live.stop()
    for services in (a, b):
        services.database.engine.dispose()


def _device_token(hub, client: TestClient, name: str) -> str:
    answer = client.post("/api/v1/enroll", json={"code": hub.issue_enroll_code(OFFICE)["code"], "device_name": name})
    assert answer.status_code == 200, answer.text
    return answer.json()["token"]


def test_counters_asking_at_once_get_distinct_contiguous_numbers(office_hub) -> None:
    hub, live = office_hub
    tokens = []
    with TestClient(create_app(hub)) as enrol:
        tokens = [_device_token(hub, enrol, f"Quầy {i}") for i in range(4)]
    transports = [HttpTransport(live.url, lambda t=t: t) for t in tokens]
    from counter_app.sync.protocol import NumbersRequest

    day = date(2026, 11, 27)
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda i: transports[i % 4].numbers(NumbersRequest(day=day)), range(24)))
    assert sorted(a.daily_number for a in answers) == list(range(1, 25))
    assert sorted(a.ledger_number for a in answers) == list(range(1, 25))
    assert {a.office_code for a in answers} == {OFFICE}
    # The next day starts again at 0001; the book of the year goes on.
    nxt = transports[0].numbers(NumbersRequest(day=date(2026, 11, 30)))
    assert (nxt.daily_number, nxt.ledger_number) == (1, 25)
    for t in transports:
        t.close()


def test_the_hub_starts_above_what_it_knows_and_refuses_past_its_ranges(office_hub) -> None:
    from counter_app.server import hub_numbers

    hub, _ = office_hub
    day = date(2026, 11, 27)
    with hub.db.write() as s:  # dossiers already in the hub's projection (a replaced hub, a standalone past)
        for n, code, book, number in ((1, f"{OFFICE}-261127-0003", "01/2026", 41),
                                      (2, f"{OFFICE}-261127-1005", "01/2026", 1_000_007),
                                      (3, f"{OFFICE}-261126-0009", "02/2026", 90)):
            s.add(DossierRow(id=f"d{n}", code=code, office_code=OFFICE,
                             fields={"ledger_book": book, "ledger_number": number},
                             field_hlc={}, updated_at=datetime(2026, 11, 27, 8)))
        s.commit()
    issued = hub_numbers.issue(hub.db, OFFICE, day)
    assert (issued.daily_number, issued.ledger_number) == (4, 42)  # ranges of workstations and old books ignored
    with hub.db.write() as s:
        s.execute(hub_state.update().where(hub_state.c.key == f"numbers:day:{OFFICE}:20261127").values(value="999"))
        s.commit()
    with pytest.raises(DomainError) as caught:
        hub_numbers.issue(hub.db, OFFICE, day)
    assert caught.value.code == "numbers.exhausted"
    with hub.db.read() as s:  # nothing was counted for the refused request
        assert s.scalar(select(hub_state.c.value).where(hub_state.c.key == f"numbers:ledger:{OFFICE}:2026")) == "42"


def test_a_server_that_is_not_a_hub_gives_no_numbers_and_is_not_asked_again(tmp_path) -> None:
    server = open_server(f"sqlite:///{tmp_path / 'upstream.sqlite'}", seed=True)
    server.add_office(OFFICE, "UBND xã Hải Thượng")
    server.add_user(OFFICE, CLERK, "Nguyễn Thị Hà", "clerk", PASSWORD)
    made: list[Counting] = []
    with TestClient(create_app(server)) as client:
        def connect(url, token):
            made.append(Counting(HttpTransport(client, token)))
            return made[-1]

        def asked() -> int:
            return sum(t.calls for t in made)

        services = build_services(tmp_path / "c")
        sync = build_sync_services(tmp_path / "c", services=services, secrets=MemorySecrets(), connect=connect,
                                   retry=RetryPolicy(attempts=1))
        sync.enrollment.enroll("http://upstream.example", server.issue_enroll_code(OFFICE)["code"], "Quầy 1")
        tick = Tick()
        source = HubNumbers(services.context, connect, sync.gateway._token, monotonic=tick)
        services.context.numbers = source
        first = receive(services)
        second = receive(services)
        slot = int(services.office.get_setting("workstation_slot", "0"))
        assert [first.code[-4:], second.code[-4:]] == [f"{slot}001", f"{slot}002"]
        assert first.ledger_number == slot * LEDGER_BLOCK + 1
        assert asked() == 1  # the 404 was remembered: the second dossier did not ask
        tick.value += QUIET_SECONDS + 1
        assert source.reserve(date.today()) is None and asked() == 1  # still within the longer wait
        tick.value += NOT_A_HUB_SECONDS
        assert source.reserve(date.today()) is None and asked() == 2
        services.database.engine.dispose()
    server.db.dispose()


def test_a_standalone_counter_enrolled_later_tells_the_hub_how_far_its_book_went(office_hub, tmp_path) -> None:
    """Its standalone numbers (the office's own ranges, slot 0) are not yet pushed when it first
    asks: the hub starts above them all the same, and its earlier dossiers keep their numbers."""
    hub, live = office_hub
    services = build_services(tmp_path / "solo")
    sync = build_sync_services(tmp_path / "solo", services=services, secrets=MemorySecrets(),
                               retry=RetryPolicy(attempts=1))
    sync.enrollment.enroll(live.url, hub.issue_enroll_code(OFFICE)["code"], "Quầy 1")
    ctx = services.context
    saved_numbers, ctx.numbers = ctx.numbers, None  # as before enrolment: its own ranges
    with ctx.uow() as uow:  # it was the office's only counter (slot 0) until today
        uow.settings.set("workstation_slot", "0")
        uow.commit()
    before = [receive(services) for _ in range(3)]
    today = date.today()
    assert [d.code[-4:] for d in before] == ["0001", "0002", "0003"]
    assert [d.ledger_number for d in before] == [1, 2, 3]
    with ctx.uow() as uow:
        uow.settings.set("workstation_slot", "1")
        uow.commit()
    ctx.numbers = saved_numbers
    after = receive(services)
    assert after.code == f"{OFFICE}-{today:%y%m%d}-0004"
    assert (after.ledger_book, after.ledger_number) == (f"01/{today.year}", 4)
    assert [services.dossiers.get(d.code).ledger_number for d in before] == [1, 2, 3]
    services.database.engine.dispose()


class Broken(Counting):
    """A transport whose number request fails in a way no transport error covers (a bug on its way)."""

    def numbers(self, request):
        self.calls += 1
        raise AttributeError("numbers")


def test_a_fault_on_the_way_to_the_hub_numbers_in_own_ranges_and_never_stops_a_receive(tmp_path) -> None:
    server = open_server(f"sqlite:///{tmp_path / 'upstream.sqlite'}", seed=True)
    server.add_office(OFFICE, "UBND xã Hải Thượng")
    server.add_user(OFFICE, CLERK, "Nguyễn Thị Hà", "clerk", PASSWORD)
    made: list[Broken] = []
    with TestClient(create_app(server)) as client:
        def connect(url, token):
            made.append(Broken(HttpTransport(client, token)))
            return made[-1]

        services = build_services(tmp_path / "c")
        sync = build_sync_services(tmp_path / "c", services=services, secrets=MemorySecrets(), connect=connect,
                                   retry=RetryPolicy(attempts=1))
        sync.enrollment.enroll("http://upstream.example", server.issue_enroll_code(OFFICE)["code"], "Quầy 1")
        tick = Tick()
        services.context.numbers = HubNumbers(services.context, connect, sync.gateway._token, monotonic=tick)
        first, second = receive(services), receive(services)
        slot = int(services.office.get_setting("workstation_slot", "0"))
        assert [first.code[-4:], second.code[-4:]] == [f"{slot}001", f"{slot}002"]
        assert sum(t.calls for t in made) == 1  # quiet after the fault: the second dossier did not ask
        services.database.engine.dispose()
    server.db.dispose()
