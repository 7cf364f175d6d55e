"""Reports read on their own read-only connection: the counter keeps writing meanwhile,
progress grows, cancel stops the run; the fast working-time clock equals the engine's."""
from __future__ import annotations

import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from reports_scenario import END, START, build  # noqa: E402

from counter_app.domain.calendar import WorkingCalendar  # noqa: E402
from counter_app.domain.deadline import _working_seconds  # noqa: E402
from counter_app.domain.errors import DomainError  # noqa: E402
from counter_app.domain.org import OfficeHours  # noqa: E402
from counter_app.seed.holidays_vn import default_entries  # noqa: E402
from counter_app.services.commands import ApplicantInput, ReceiveCommand  # noqa: E402
from counter_app.services.report_clock import WorkClock  # noqa: E402


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    services, codes, _ = build(tmp_path_factory.mktemp("reader") / "data")
    return services, codes


def test_a_receive_commits_while_a_report_is_reading(office):
    services, _ = office
    saved, seen = [], []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if not saved:  # in the middle of the report's read transaction, on the same thread
            cmd = ReceiveCommand(procedure_code="1.004873", applicant=ApplicantInput(
                name="Trần Thị Hoa", id_number="045190099001", phone="0905123499", address="Đông Hà"))
            saved.append(services.reception.receive(cmd, "canbo1").code)

    view = services.reports.ledger(START, END, progress=progress)
    assert saved and saved[0] not in {r[1] for r in view.table("ledger").rows}  # the report read its own snapshot
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and seen[-1][0] == seen[-1][1]


def test_cancel_stops_the_report(office):
    services, _ = office
    with pytest.raises(DomainError) as err:
        services.reports.monthly(START, END, cancelled=lambda: True)
    assert err.value.code == "report.cancelled"


def test_report_engine_cannot_write(office):
    services, _ = office
    with services.reports.read_uow() as uow, pytest.raises(Exception, match="readonly|read-only|query_only"):
        uow.reports._s.connection().exec_driver_sql("DELETE FROM settings")


def test_work_clock_equals_the_deadline_engine():
    cal, hours = WorkingCalendar(default_entries([2025, 2026, 2027])), OfficeHours()
    clock, rng = WorkClock(cal, hours), random.Random(7)
    for _ in range(3000):
        a = datetime(2026, 1, 1) + timedelta(seconds=rng.randrange(400 * 86400), microseconds=rng.choice([0, 123456]))
        if rng.random() < 0.3:
            a = a.replace(hour=rng.choice([7, 11, 13, 17]), minute=rng.choice([0, 30]), second=0, microsecond=0)
        b = a + timedelta(seconds=rng.randrange(-3600, 30 * 86400), microseconds=rng.choice([0, 654321]))
        assert clock.seconds(a, b) == _working_seconds(a, b, cal, hours), (a, b)
