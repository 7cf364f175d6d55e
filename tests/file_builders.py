"""Builders of the file-channel tests and the simulation: dossiers with attached events, a local
file store and queue per counter."""
from __future__ import annotations

import hashlib
import itertools
from datetime import datetime
from pathlib import Path

from counter_app.domain.catalog import ComponentKind
from counter_app.domain.dossier import Applicant, Dossier, DossierEvent, ReceivedComponent
from counter_app.domain.hlc import format_stamp
from counter_app.domain.ids import uuid7
from counter_app.domain.status import EventKind

_ms = itertools.count(1_780_000_000_000, 1000)


def stamp(node: str = "ws1") -> str:
    return format_stamp(next(_ms), 0, node)


def routed_dossier(office: str, agency: str = "") -> Dossier:
    return Dossier(
        id=uuid7(), code=f"{office}-261127-{next(_ms) % 9000 + 1000:04d}", lookup_code="7K3M-Q9XD",
        office_code=office, procedure_code="1.001612", procedure_version_id=uuid7(),
        procedure_name="Đăng ký khai sinh", applicant=Applicant(name="Nguyễn Văn An", phone="0912345678"),
        components=(ReceivedComponent("Tờ khai đăng ký khai sinh", ComponentKind.ORIGINAL, 1),), sets=1, pages=None,
        delivery="counter", fee=0, fee_explanation="Miễn phí", received_at=datetime(2026, 11, 27, 9, 30),
        due_at=datetime(2026, 11, 27, 17, 0), due_explanation="Trong ngày", competent_agency=agency,
        ledger_book="2026", ledger_number=7, received_by="clerk1", workstation_id="ws1")


def attached_event(dossier_id: str, data: bytes) -> DossierEvent:
    event_id = uuid7()
    return DossierEvent(id=event_id, dossier_id=dossier_id, kind=EventKind.ATTACHED, at=datetime(2026, 11, 27, 10, 0),
                        actor="clerk1", node="ws1", hlc=stamp(), prev_event_id=None, data={
                            "attachment_id": event_id, "role": "dossier", "component": "Tờ khai đăng ký khai sinh",
                            "sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
                            "media_type": "application/pdf", "pages": 1, "filename": "", "source": "scan",
                            "reused_from": "", "signed": False})


def local_files(root: Path):  # type: ignore[no-untyped-def]
    """A counter's file store and upload/download queue (TEMP: minimal until the lead's land)."""
    from dataclasses import dataclass
    from types import SimpleNamespace

    root.mkdir(parents=True, exist_ok=True)

    class Store:
        def __init__(self) -> None:
            self.root = root

        def path(self, sha: str) -> Path:
            return root / sha[:2] / sha

        def has(self, sha: str) -> bool:
            return self.path(sha).exists()

        def size(self, sha: str) -> int:
            return self.path(sha).stat().st_size

        def open(self, sha: str):  # type: ignore[no-untyped-def]
            return self.path(sha).open("rb")

        def read(self, sha: str) -> bytes:
            return self.path(sha).read_bytes()

        def verify(self, sha: str) -> bool:
            return hashlib.sha256(self.read(sha)).hexdigest() == sha

        def put_bytes(self, data: bytes):  # type: ignore[no-untyped-def]
            sha = hashlib.sha256(data).hexdigest()
            self.path(sha).parent.mkdir(exist_ok=True)
            self.path(sha).write_bytes(data)
            return SimpleNamespace(sha256=sha, size=len(data))

        def put_path(self, path: Path):  # type: ignore[no-untyped-def]
            return self.put_bytes(Path(path).read_bytes())

    @dataclass
    class Task:
        sha256: str
        direction: str
        size: int
        dossier_id: str = ""
        attempts: int = 0

    class Queue:
        def __init__(self) -> None:
            self.tasks: dict[tuple[str, str], Task] = {}
            self.failed: dict[str, str] = {}

        def add(self, sha: str, direction: str, size: int) -> None:
            self.tasks[(sha, direction)] = Task(sha, direction, size)

        def pending(self, direction: str, limit: int) -> list[Task]:
            return [t for t in self.tasks.values() if t.direction == direction][:limit]

        def mark_done(self, sha: str, direction: str, at) -> None:  # type: ignore[no-untyped-def]
            self.tasks.pop((sha, direction), None)

        def mark_failed(self, sha: str, direction: str, reason: str, at) -> None:  # type: ignore[no-untyped-def]
            self.failed[sha] = reason
            self.tasks[(sha, direction)].attempts += 1

        def pending_count(self, direction: str) -> int:
            return len(self.pending(direction, 10**9))

    return Store(), Queue()
