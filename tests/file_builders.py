"""Builders of the file-channel tests, the simulation and the bench: dossiers with attached events, a
counter's real file store and queue."""
from __future__ import annotations

import hashlib
import itertools
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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


def local_files(root: Path) -> tuple[Any, Any]:
    """A counter's real file store and file queue (``LocalFileStore``, ``SqlFileSyncQueue`` on a migrated
    counter database) under ``root``; the queue has two conveniences for tests: ``add`` and ``failed``."""
    from counter_app.storage.engine import open_database
    from counter_app.storage.file_store import LocalFileStore
    from counter_app.storage.file_sync_store import SqlFileSyncQueue

    class Queue(SqlFileSyncQueue):
        def add(self, sha: str, direction: str, size: int, dossier_id: str = "") -> None:
            self.queue(sha, direction, size, dossier_id, datetime.now(UTC))

        @property
        def failed(self) -> dict[str, str]:
            return {t.sha256: t.last_error for d in ("up", "down") for t in self.pending(d, 10_000) if t.last_error}

    root.mkdir(parents=True, exist_ok=True)
    return LocalFileStore(root / "files"), Queue(open_database(root / "counter.sqlite"))
