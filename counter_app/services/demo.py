"""The demo office: accounts, and a realistic history of past dossiers.

Generation is pure (no I/O) so it is fast and testable; the composition root
bulk-loads the result. Deterministic for a given seed.
"""
from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from ..domain.calendar import WorkingCalendar
from ..domain.catalog import ProcedureVersion
from ..domain.codes import DefaultCodeFormat, DossierCodeFormat, NumberBlock, lookup_code
from ..domain.deadline import compute_due
from ..domain.dossier import Applicant, Dossier, DossierEvent, ReceivedComponent
from ..domain.fees import FeeInput
from ..domain.ids import uuid7
from ..domain.messages import message
from ..domain.numbering import OFFICE_SLOT, office_book
from ..domain.org import OfficeHours, OrgUnit
from ..domain.status import EventKind
from ..domain.users import PasswordCost, Role, User, hash_password
from .lifecycle_routing import department_for

DEMO_OFFICE = OrgUnit(
    code="H45.123",
    name="UBND phường Đông Hà",
    level="commune",
    parent_code="H45",
    parent_name="UBND tỉnh Quảng Trị",
    place_name="Đông Hà",
    address="Số 1 đường Hùng Vương, phường Đông Hà, tỉnh Quảng Trị",
    phone="0233 3852 123",
)

# Departments of the demo commune, so a demo data file can hand dossiers over and get results back.
DEMO_DEPARTMENTS = tuple(
    OrgUnit(code=code, name=name, level="department", parent_code=DEMO_OFFICE.code, parent_name=DEMO_OFFICE.name,
            place_name=DEMO_OFFICE.place_name, address=DEMO_OFFICE.address, phone=DEMO_OFFICE.phone)
    for code, name in (
        ("H45.123.01", "Công chức Tư pháp - Hộ tịch"),
        ("H45.123.02", "Công chức Văn hóa - Xã hội"),
        ("H45.123.03", "Phòng Kinh tế"),
    )
)

# The demo office's queue: an area per field of the shipped catalogue, a result pick-up line,
# and three counters. Quầy 1 (this workstation's counter in the demo) serves every area, so a
# newcomer can take any ticket at the kiosk and call it from the Queue panel.
DEMO_QUEUE_AREAS = (
    ("A", "Hộ tịch", "Civil status", ("1.001193", "1.000894", "1.000656", "1.004873", "1.004859", "1.001022",
                                      "1.004837", "1.004884", "1.004746", "2.000635"), False, 8),
    ("B", "Chứng thực", "Certification", ("2.000815", "2.000884"), False, 4),
    ("C", "Kinh doanh", "Household business", ("1.001612", "2.000575"), False, 10),
    ("D", "Bảo trợ xã hội", "Social protection", ("1.001699", "1.011607"), False, 10),
    ("R", "Trả kết quả", "Results pick-up", (), True, 3),
)
DEMO_QUEUE_COUNTERS = (
    (1, "Quầy 1", ("A", "B", "C", "D", "R")),
    (2, "Quầy 2", ("A", "B")),
    (3, "Quầy 3", ("C", "D", "R")),
)


def demo_queue_config() -> dict[str, Any]:
    """The demo queue set-up, as ``queue configure`` takes it."""
    return {
        "services": [{"prefix": p, "name": n, "name_en": en, "procedures": list(procs), "pickup": pickup,
                      "avg_minutes": minutes} for p, n, en, procs, pickup, minutes in DEMO_QUEUE_AREAS],
        "counters": [{"number": n, "name": name, "services": list(areas)} for n, name, areas in DEMO_QUEUE_COUNTERS],
    }


# Which department handles each procedure field in the demo commune (setting "handover.routing"):
# the handover screen starts a batch with it and warns when a folder belongs elsewhere.
DEMO_ROUTING = {
    "Hộ tịch": "H45.123.01",
    "Chứng thực": "H45.123.01",
    "Bảo trợ xã hội": "H45.123.02",
    "Thành lập và hoạt động của hộ kinh doanh": "H45.123.03",
}

# username, password, full name, role — documented in the README.
DEMO_ACCOUNTS = (
    ("admin", "admin123", "Lê Văn Quản", Role.ADMINISTRATOR),
    ("totruong", "totruong123", "Trần Thị Thu Hà", Role.SUPERVISOR),
    ("canbo1", "canbo123", "Nguyễn Thị Lan", Role.CLERK),
    ("canbo2", "canbo123", "Hoàng Minh Tuấn", Role.CLERK),
)

_FAMILY = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý".split()
_MIDDLE_M = "Văn Hữu Đức Minh Quang Công Thành Xuân".split()
_MIDDLE_F = "Thị Ngọc Thu Thanh Kim Diệu Hồng Bảo".split()
_GIVEN_M = "An Bình Cường Dũng Hải Hùng Khánh Long Nam Phong Quân Sơn Thắng Trung Tuấn Việt".split()
_GIVEN_F = "Hà Hạnh Hoa Hương Lan Linh Mai Nga Ngọc Phương Tâm Thảo Trang Vân Yến Nhung".split()
_STREETS = ["Hùng Vương", "Lê Duẩn", "Trần Hưng Đạo", "Lê Lợi", "Nguyễn Trãi", "Quốc lộ 9", "Lý Thường Kiệt",
            "Phan Bội Châu"]
_AREAS = ["khu phố 1", "khu phố 2", "khu phố 3", "khu phố 5", "khu phố 7", "khu phố 9"]
_PREFIXES = ["090", "091", "094", "097", "098", "086", "083", "035", "039", "070", "077", "081"]


# The demo accounts' passwords are printed in the README: a costly hash would protect nothing
# and slow every demo start; a login raises it to the configured cost like any other.
DEMO_COST = PasswordCost(n=2**14)


def demo_users() -> list[User]:
    return [
        User(uuid7(), username, full_name, role, DEMO_OFFICE.code, hash_password(password, cost=DEMO_COST))
        for username, password, full_name, role in DEMO_ACCOUNTS
    ]


def random_applicant(rng: random.Random) -> Applicant:
    female = rng.random() < 0.5
    name = " ".join((
        rng.choice(_FAMILY),
        rng.choice(_MIDDLE_F if female else _MIDDLE_M),
        rng.choice(_GIVEN_F if female else _GIVEN_M),
    ))
    year = rng.randint(1950, 2006)
    century_sex = (0 if year < 2000 else 2) + (1 if female else 0)
    id_number = f"045{century_sex}{year % 100:02d}{rng.randint(0, 999999):06d}"
    phone = rng.choice(_PREFIXES) + f"{rng.randint(0, 9999999):07d}"
    address = (f"Số {rng.randint(1, 250)} đường {rng.choice(_STREETS)}, {rng.choice(_AREAS)}, "
               "phường Đông Hà, tỉnh Quảng Trị")
    return Applicant(name, id_number, phone, address, "")


@dataclass(frozen=True)
class History:
    dossiers: list[Dossier]
    events: list[DossierEvent]
    sequences: dict[str, int]  # counters to advance so new dossiers never reuse a code


def generate_history(
    count: int, *, versions: list[ProcedureVersion], calendar: WorkingCalendar, hours: OfficeHours,
    office_code: str, clerks: list[str], node: str, today: date, days_back: int = 180,
    seed: int = 2026, code_format: DossierCodeFormat | None = None,
    routing: Mapping[str, str] | None = None, departments: Sequence[OrgUnit] = DEMO_DEPARTMENTS,
    ledger_after: Mapping[int, int] | None = None,
) -> History:
    """``count`` dossiers on the working days before ``today``, most of them returned long ago.

    Each is handed over to the department the office's routing table (``handover.routing``)
    names for its procedure, as the Handover screen would propose: the demo history must
    not contradict the office's own setting.
    """
    rng = random.Random(seed)
    route = DemoRoute(DEMO_ROUTING if routing is None else routing, departments)
    fmt = code_format or DefaultCodeFormat()
    # About 600 a day at most on average, so no day overflows the 999-number block of slot 9.
    days_back = max(days_back, count * 145 // 60000 + 1)
    days = [today - timedelta(days=i) for i in range(days_back, 0, -1)]
    days = [d for d in days if calendar.is_working_day(d)] or [today - timedelta(days=1)]
    per_day = _spread(count, len(days), rng)
    # Frequent procedures first: certified copies and birth registration dominate a commune's day.
    weights = [30 if v.code.startswith("2.0008") else 10 if v.code == "1.001193" else 3 for v in versions]
    block = NumberBlock(9)  # slot 9 is reserved for demo history and the paper backlog
    dossiers: list[Dossier] = []
    events: list[DossierEvent] = []
    sequences: dict[str, int] = {}
    ledger = Counter(ledger_after or {})  # year -> running numbers the office's book already has
    for day_index in sorted(per_day):
        day = days[day_index]
        n = per_day[day_index]
        for seq in range(1, n + 1):
            pv = rng.choices(versions, weights)[0]
            received_at = datetime.combine(day, time(7, 30)) + timedelta(minutes=rng.randrange(0, 570))
            applicant = random_applicant(rng)
            sets = 1 if rng.random() < 0.8 else rng.randint(2, 5)
            pages = rng.randint(1, 12) if pv.fee.kind == "per_page" else None
            fee = pv.fee.quote(FeeInput(copies=sets, pages=pages))
            due = compute_due(received_at, pv.duration, pv.counting_mode, calendar, hours, cutoff=pv.cutoff)
            ledger[day.year] += 1
            clerk = rng.choice(clerks)
            dossier = Dossier(
                id=uuid7(int(received_at.timestamp() * 1000)), code=fmt.format(office_code, day, block.number(seq)),
                lookup_code=lookup_code(rng), office_code=office_code, procedure_code=pv.code,
                procedure_version_id=pv.id, procedure_name=pv.name, applicant=applicant,
                components=tuple(ReceivedComponent(c.name, c.kind, c.count) for c in pv.mandatory_components),
                sets=sets, pages=pages, delivery="post" if rng.random() < 0.05 else "counter",
                fee=fee.amount, fee_explanation=message(fee.code, "vi", **fee.params),
                received_at=received_at, due_at=due.due_at, due_explanation=due.explain("vi"),
                competent_agency=pv.competent_agency or office_code, ledger_book=office_book(day.year),
                ledger_number=ledger[day.year], received_by=clerk, workstation_id=node,
            )
            dossiers.append(dossier)
            events.extend(_life(dossier, due.due_at, today, clerk, node, rng, route.department(pv)))
        sequences[f"code:{office_code}:{day:%Y%m%d}:{block.slot}"] = n
    # The history fills the office's book with its running numbers (as the hub or a standalone
    # counter gives them); a standalone demo counter (slot 0) goes on after them.
    for year, value in ledger.items():
        sequences[f"ledger:{year}:{OFFICE_SLOT}"] = value
    return History(dossiers, events, sequences)


def _spread(count: int, days: int, rng: random.Random, cap: int = 999) -> Counter[int]:
    """Randomly spread ``count`` dossiers over ``days`` with at most ``cap`` a day (none lost)."""
    if count > days * cap:
        raise ValueError(f"{count} dossiers do not fit in {days} days of {cap}")
    per_day = Counter(rng.randrange(days) for _ in range(count))
    excess = sum(max(0, n - cap) for n in per_day.values())
    for day in list(per_day):
        per_day[day] = min(per_day[day], cap)
    day = 0
    while excess:  # move the overflow to days that still have room, in order
        if per_day[day] < cap:
            per_day[day] += 1
            excess -= 1
        else:
            day = (day + 1) % days
    return per_day


@dataclass(frozen=True)
class DemoRoute:
    """Which department a demo dossier goes to: the routing table, else the first department."""

    routing: Mapping[str, str]
    departments: Sequence[OrgUnit]

    def department(self, pv: ProcedureVersion) -> tuple[str, str]:
        names = {unit.code: unit.name for unit in self.departments}
        code = department_for(self.routing, pv.code, pv.field)
        if code:
            return code, names.get(code, code)
        first = self.departments[0] if self.departments else DEMO_DEPARTMENTS[0]
        return first.code, first.name


def _life(d: Dossier, due_at: datetime, today: date, clerk: str, node: str, rng: random.Random,
          dept: tuple[str, str]) -> list[DossierEvent]:
    """Received → handed over → result → returned, as far as the dossier's age allows."""
    steps = [(EventKind.RECEIVED, d.received_at)]
    age_days = (today - d.received_at.date()).days
    span = max(due_at - d.received_at, timedelta(hours=2))
    late = rng.random() < 0.06
    if age_days >= 1 or span <= timedelta(hours=9):
        steps.append((EventKind.HANDED_OVER, d.received_at + timedelta(minutes=rng.randint(10, 120))))
        done = d.received_at + span * (1.3 if late else rng.uniform(0.4, 0.95))
        if done.date() < today:
            steps.append((EventKind.RESULT_RECEIVED, done))
            if age_days > 7 or rng.random() < 0.7:
                steps.append((EventKind.RETURNED, done + timedelta(hours=rng.randint(1, 72))))
    out: list[DossierEvent] = []
    prev = None
    dept_code, dept_name = dept  # chosen without rng: the seeds stay stable
    datas = {
        EventKind.HANDED_OVER: {"to": dept_code, "to_name": dept_name, "from": d.office_code,
                                "from_name": DEMO_OFFICE.name,
                                "batch_id": "", "note": ""},
        EventKind.RESULT_RECEIVED: {"outcome": "ready", "from": dept_code, "from_name": dept_name, "note": ""},
    }
    for index, (kind, at) in enumerate(steps):
        ms = int(at.timestamp() * 1000)
        event = DossierEvent(
            id=uuid7(ms), dossier_id=d.id, kind=kind, at=at, actor=clerk, node=node,
            hlc=f"{ms:013d}-{index:05d}-{node}", prev_event_id=prev, data=dict(datas.get(kind, {})),
        )
        out.append(event)
        prev = event.id
    return out
