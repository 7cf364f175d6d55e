"""Fixtures for the storage tests: a real SQLite file per test, and sample entities."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from counter_app.domain.catalog import ComponentKind, ComponentSpec, CountingMode, ProcedureVersion
from counter_app.domain.dossier import Applicant, Dossier, DossierEvent, ReceivedComponent
from counter_app.domain.fees import FeeRule, PageStep
from counter_app.domain.ids import uuid7
from counter_app.domain.ports import OutboxEntry
from counter_app.domain.status import EventKind
from counter_app.storage.engine import open_database
from counter_app.storage.uow import make_uow_factory


class Samples:
    """Builders of valid domain objects; each call gives fresh ids and codes."""

    def __init__(self) -> None:
        self._n = 0

    def dossier(self, name: str = "Nguyễn Văn An", received_at: datetime | None = None, **kw: Any) -> Dossier:
        self._n += 1
        n = self._n
        received_at = received_at or datetime(2025, 7, 10, 9, 30) + timedelta(minutes=n)
        base = Dossier(
            id=uuid7(),
            code=f"H45.123-{received_at:%y%m%d}-{n:04d}",
            lookup_code=f"K7Q-{n:04d}",
            office_code="H45.123",
            procedure_code="1.001193",
            procedure_version_id="pv-1",
            procedure_name="Đăng ký khai sinh",
            applicant=Applicant(name, f"0450900{n:05d}", f"09{n:08d}", "Thôn Đông, xã Gio Linh", "an@example.vn"),
            components=(
                ReceivedComponent("Tờ khai đăng ký khai sinh"),
                ReceivedComponent("Giấy chứng sinh", ComponentKind.CERTIFIED_COPY, 2),
            ),
            sets=1,
            pages=3,
            delivery="counter",
            fee=8000,
            fee_explanation="Lệ phí 8.000 đ",
            received_at=received_at,
            due_at=received_at + timedelta(days=3),
            due_explanation="3 ngày làm việc",
            competent_agency="H45.123",
            ledger_book="2025",
            ledger_number=n,
            received_by="canbo1",
            workstation_id="ws-1",
            note="Ghi chú",
            missing=("Bản sao CCCD",),
            reason="Thiếu giấy tờ",
        )
        return replace(base, **kw)

    def event(self, dossier: Dossier, kind: EventKind, hlc: str, **kw: Any) -> DossierEvent:
        base = DossierEvent(
            id=uuid7(),
            dossier_id=dossier.id,
            kind=kind,
            at=datetime(2025, 7, 10, 9, 31, 5, 123456),
            actor="canbo1",
            node="ws-1",
            hlc=hlc,
            prev_event_id=None,
            data={"ghi_chú": "đã nhận đủ", "n": 1},
        )
        return replace(base, **kw)

    def outbox(self, entity_id: str, kind: str = "dossier.created", **kw: Any) -> OutboxEntry:
        base = OutboxEntry(
            change_id=uuid7(),
            kind=kind,
            entity_id=entity_id,
            payload={"tên": "Nguyễn Văn An", "items": [1, 2]},
            created_at=datetime(2025, 7, 10, 9, 31),
            hlc="0000000001-0000-ws-1",
        )
        return replace(base, **kw)

    def version(self, code: str = "1.001193", effective_from: date = date(2025, 7, 1),
                version: str = "QĐ 1") -> ProcedureVersion:
        return ProcedureVersion(
            code=code,
            name="Đăng ký khai sinh",
            field="Hộ tịch",
            level="commune",
            version=version,
            effective_from=effective_from,
            duration=3,
            counting_mode=CountingMode.WORKING_DAYS,
            cutoff=time(15, 0),
            fee=FeeRule("per_page", per="copy", steps=(PageStep(1, 2, 2000), PageStep(3, None, 1000)), cap=200000),
            components=(
                ComponentSpec("Tờ khai", template="tk.docx"),
                ComponentSpec("Giấy chứng sinh", ComponentKind.COPY, 2, mandatory=False, condition="nếu có"),
            ),
            result="Giấy khai sinh",
            legal_basis="Luật Hộ tịch 2014",
            competent_agency="H45.123",
            note="ghi chú",
        )


@pytest.fixture
def samples() -> Samples:
    return Samples()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "counter.sqlite"


@pytest.fixture
def engine(db_path: Path):
    eng = open_database(db_path)
    yield eng
    eng.dispose()


@pytest.fixture
def uow_factory(engine):
    return make_uow_factory(engine)
