"""A small office history (October 2026) for the report tests, built through the real services."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from counter_app.services.commands import ApplicantInput, ReceiveCommand, ReturnCommand

P = "1.004873"  # 3 working days, fixed fee
HK = "1.001612"  # business household: another field
TUPHAP = "H45.123.01"
START, END = date(2026, 10, 1), date(2026, 10, 31)


class Clock:
    def __init__(self) -> None:
        self.current = datetime(2026, 9, 25, 8, 0)

    def now(self) -> datetime:
        return self.current


def build(data_dir: Path):
    from counter_app.app import build_services

    clock = Clock()
    numbers = iter(f"0451900{n:05d}" for n in range(1, 99))  # each office its own: one file each
    s = build_services(data_dir, clock=clock)
    s.setup.seed_demo()
    s.office.set_setting("target_percent", "10", actor="admin")
    life = s.lifecycle
    codes: dict[str, str] = {}
    ids: dict[str, str] = {}

    def at(y, m, d, hh, mm=0):
        clock.current = datetime(y, m, d, hh, mm)

    def receive(key, clerk, name, procedure=P):
        ids[key] = next(numbers)
        cmd = ReceiveCommand(procedure_code=procedure, applicant=ApplicantInput(
            name=name, id_number=ids[key], phone="0905123456", address="Số 1 Lê Lợi, Đông Hà"))
        codes[key] = s.reception.receive(cmd, clerk).code
        return codes[key]

    def back(key, clerk="canbo1", rating=None, fee=None):
        life.return_result(codes[key], ReturnCommand(receiver_id=ids[key], rating=rating, fee_collected=fee), clerk)

    at(2026, 9, 25, 9)
    receive("K", "canbo1", "Võ Văn Khải")  # before the period, still open at its end (overdue)
    at(2026, 9, 28, 9)
    receive("J", "canbo1", "Bùi Thị Giang")
    at(2026, 10, 1, 9)
    receive("A", "canbo1", "Nguyễn Thị Đào")
    at(2026, 10, 1, 9, 5)
    s.prints.record(codes["A"], "receipt", "canbo1")
    s.prints.record(codes["A"], "receipt", "canbo1")  # a reprint
    at(2026, 10, 1, 10)
    receive("B", "canbo2", "Trần Văn Bình", HK)
    at(2026, 10, 1, 10, 30)
    life.handover([codes["A"], codes["B"]], TUPHAP, "canbo1")
    at(2026, 10, 1, 11)
    life.record_result(codes["J"], "ready", "canbo1")  # on time (due 1/10 17:00)
    at(2026, 10, 1, 15)
    back("J", "canbo1", fee=30000)
    at(2026, 10, 2, 9)
    receive("C", "canbo1", "Lê Văn Cường")
    at(2026, 10, 2, 15)
    life.record_result(codes["A"], "ready", "canbo1")  # early (due 6/10)
    at(2026, 10, 5, 9)
    back("A", "canbo1", rating="very_satisfied")
    receive("D", "canbo2", "Phạm Thị Dung")
    at(2026, 10, 6, 9)
    life.record_result(codes["D"], "supplement", "canbo2", missing=["Bản sao giấy khai sinh"], reason="Thiếu")
    receive("E", "canbo1", "Hoàng Văn Em")
    at(2026, 10, 6, 16)
    life.record_result(codes["B"], "ready", "canbo2")  # on time (due 6/10 17:00)
    at(2026, 10, 7, 9)
    back("B", "canbo2", rating="satisfied")
    life.withdraw(codes["E"], "Công dân rút hồ sơ", "canbo1")
    s.reception.refuse(ReceiveCommand(procedure_code=P, applicant=ApplicantInput(
        name="Đỗ Văn Phúc", id_number=next(numbers), phone="0905123457", address="Đông Hà")), "Không thuộc thẩm quyền",
        "canbo1")
    at(2026, 10, 8, 9)
    s.reception.request_supplement(ReceiveCommand(procedure_code=P, applicant=ApplicantInput(
        name="Ngô Thị Giao", id_number=next(numbers), phone="0905123458", address="Đông Hà")),
        ["Tờ khai"], "Thiếu tờ khai", "canbo2")
    at(2026, 10, 9, 9)
    life.supplement_received(codes["D"], "canbo2")
    at(2026, 10, 12, 10)
    life.record_result(codes["C"], "ready", "canbo1")  # late (due 7/10)
    life.record_result(codes["D"], "ready", "canbo2")
    at(2026, 10, 12, 15)
    back("D", "canbo2", rating="satisfied")
    at(2026, 10, 13, 9)
    back("C", "canbo1", rating="not_satisfied")
    at(2026, 10, 15, 9)
    receive("N", "canbo1", "Lý Thị Ngân")
    at(2026, 10, 19, 9)
    life.extend(codes["N"], date(2026, 10, 22), "Cần xác minh", "canbo1")
    at(2026, 10, 20, 9)
    receive("L", "canbo1", "Dương Văn Long")
    at(2026, 10, 21, 9)
    life.record_result(codes["L"], "stopped", "canbo1", reason="Dừng theo đề nghị")
    life.record_result(codes["N"], "ready", "canbo1")  # late: an extension never makes it on time
    at(2026, 10, 22, 9)
    receive("M", "canbo2", "Hồ Thị Mai", HK)
    at(2026, 10, 23, 9)
    life.record_result(codes["M"], "rejected", "canbo2", reason="Không đủ điều kiện")
    at(2026, 10, 26, 9)
    receive("H", "canbo1", "Phan Văn Hải")  # open at the end, overdue (due 29/10)
    at(2026, 10, 29, 9)
    receive("I", "canbo2", "Vũ Thị Ích")  # open at the end, not yet due
    at(2026, 11, 3, 9)
    life.record_result(codes["K"], "ready", "canbo1")  # after the period
    at(2026, 11, 10, 9)
    return s, codes, clock
