"""Hand-over batches: a readable number made with the batch, synced in its events, and a
print log per batch (the list of a dossier's second batch is an original, not a copy)."""
from __future__ import annotations

import json
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from counter_app.domain.errors import NotFound
from counter_app.paths import DB_FILE
from counter_app.printing.handover_list import render_handover_list
from counter_app.services.commands import ApplicantInput, ReceiveCommand

AN = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678",
                    address="Số 12 đường Lê Lợi, phường Đông Hà, tỉnh Quảng Trị")
TUPHAP, VHXH = "H45.123.01", "H45.123.02"


def receive(demo, clock, when: datetime) -> str:
    clock.current = when
    return demo.reception.receive(ReceiveCommand(procedure_code="1.004873", applicant=AN), "canbo1").code


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def set_slot(uow_factory, slot: int) -> None:
    with uow_factory() as uow:
        uow.settings.set("workstation_slot", str(slot))
        uow.commit()


def test_batches_are_numbered_per_year_in_the_workstation_block(demo, clock, uow_factory, data_dir):
    a, b, c = (receive(demo, clock, datetime(2026, 4, 28, 9, m)) for m in (0, 1, 2))
    clock.current = datetime(2026, 4, 28, 10, 0)
    first = demo.lifecycle.handover([a], TUPHAP, "canbo1")
    second = demo.lifecycle.handover([b], VHXH, "canbo1")
    assert (first.number, second.number) == ("BG-2026-000001", "BG-2026-000002")
    # Another workstation of the office (slot 3) numbers inside its own block: no collision offline.
    set_slot(uow_factory, 3)
    third = demo.lifecycle.handover([c], TUPHAP, "canbo1")
    assert third.number == "BG-2026-300001"
    # The number is kept with the batch and travels upstream in the event payload.
    assert demo.lifecycle.handover_batch(first.batch_id).number == "BG-2026-000001"
    # The number on the paper finds the batch too (what a clerk reads off a returned list).
    assert demo.lifecycle.handover_batch("bg-2026-300001").batch_id == third.batch_id
    with pytest.raises(NotFound):
        demo.lifecycle.handover_batch("BG-2025-000001")
    with sqlite3.connect(data_dir / DB_FILE) as db:
        payloads = [json.loads(p) for (p,) in db.execute("select payload from outbox where kind = 'dossier.event'")]
    numbers = {p["data"].get("batch_number") for p in payloads if p["kind"] == "handed_over"}
    assert numbers == {"BG-2026-000001", "BG-2026-000002", "BG-2026-300001"}
    assert first.to_json()["number"] == "BG-2026-000001"


def test_a_new_year_starts_again_at_one(demo, clock):
    a, b = receive(demo, clock, datetime(2026, 12, 31, 9, 0)), receive(demo, clock, datetime(2026, 12, 31, 9, 5))
    clock.current = datetime(2026, 12, 31, 10, 0)
    assert demo.lifecycle.handover([a], TUPHAP, "canbo1").number == "BG-2026-000001"
    clock.current = datetime(2027, 1, 4, 8, 0)
    assert demo.lifecycle.handover([b], TUPHAP, "canbo1").number == "BG-2027-000001"


def test_the_list_prints_the_number_and_the_officer_who_signed(demo, clock, tmp_path: Path):
    code = receive(demo, clock, datetime(2026, 4, 28, 9, 0))
    clock.current = datetime(2026, 4, 28, 10, 0)
    batch = demo.lifecycle.handover([code], TUPHAP, "canbo1")
    clock.current = datetime(2026, 4, 28, 14, 0)
    demo.lifecycle.confirm_handover([code], "Phạm Văn Bình", "canbo1")
    batch = demo.lifecycle.handover_batch(batch.batch_id)
    assert batch.received_by == "Phạm Văn Bình"
    clerk = demo.auth.clerk("canbo1")
    path = tmp_path / "list.pdf"
    path.write_bytes(render_handover_list(batch, demo.office.office(), clerk))
    text = pdf_text(path)
    assert "Số: BG-2026-000001" in text
    assert "Phạm Văn Bình" in text.split("NGƯỜI NHẬN", 1)[1]
    assert batch.batch_id not in text and batch.batch_id.split("-")[0].upper() not in text  # no UUID anywhere
    assert "BG-2026-000001 In lúc" in text  # the footer names the batch by its number


def test_print_log_is_kept_per_batch(demo, clock):
    code = receive(demo, clock, datetime(2026, 4, 28, 9, 0))
    clock.current = datetime(2026, 4, 28, 10, 0)
    first = demo.lifecycle.handover([code], TUPHAP, "canbo1")
    assert demo.prints.is_reprint(code, "handover", batch_id=first.batch_id) is False
    assert demo.prints.record(code, "handover", "canbo1", batch_id=first.batch_id) is False
    assert demo.prints.is_reprint(code, "handover", batch_id=first.batch_id) is True
    # Back from the department, then handed over again in a second batch: its list is an original.
    clock.current = datetime(2026, 4, 29, 9, 0)
    demo.lifecycle.record_result(code, "supplement", "canbo1", missing=["Bản sao Căn cước"], reason="Thiếu")
    demo.lifecycle.supplement_received(code, "canbo1")
    second = demo.lifecycle.handover([code], VHXH, "canbo1")
    assert second.number == "BG-2026-000002"
    assert demo.prints.is_reprint(code, "handover", batch_id=second.batch_id) is False
    assert demo.prints.record(code, "handover", "canbo1", batch_id=second.batch_id) is False
    assert demo.prints.record(code, "handover", "canbo1", batch_id=second.batch_id) is True
