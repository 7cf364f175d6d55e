"""Shared helpers of the issue #7 tests (real services on a real SQLite file)."""
from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from counter_app.paths import DB_FILE
from counter_app.services.commands import ApplicantInput, ReceiveCommand, ReturnCommand

AN = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678",
                    address="Số 12 đường Lê Lợi, phường Đông Hà, tỉnh Quảng Trị")
TUPHAP = "H45.123.01"
CLERK, SUPERVISOR, ADMIN = "canbo1", "totruong", "admin"


def receive(services, clerk: str = CLERK, procedure: str = "1.004873") -> str:
    return services.reception.receive(ReceiveCommand(procedure_code=procedure, applicant=AN), clerk).code


def ready(services, clerk: str = CLERK) -> str:
    """A dossier whose result is ready to return."""
    code = receive(services, clerk)
    services.lifecycle.handover([code], TUPHAP, clerk)
    services.lifecycle.record_result(code, "ready", clerk)
    return code


def give_back(services, code: str, clerk: str = CLERK, **kw) -> None:
    services.lifecycle.return_result(code, ReturnCommand(receiver_id=AN.id_number, **kw), clerk)


def audit_rows(data_dir: Path, action: str | None = None) -> list[tuple]:
    with sqlite3.connect(data_dir / DB_FILE) as db:
        rows = db.execute("SELECT actor, action, detail FROM audit_log ORDER BY seq").fetchall()
    return [r for r in rows if action is None or r[1] == action]


def count(data_dir: Path, table: str) -> int:
    with sqlite3.connect(data_dir / DB_FILE) as db:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def at(clock, *args) -> None:
    clock.current = datetime(*args)
