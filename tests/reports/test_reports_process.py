"""While a report runs: no cyclic collection and a short switch interval, restored after the
last of overlapping reports ends (so the clerk's thread gets the interpreter lock back quickly)."""
from __future__ import annotations

import gc
import sys
import threading

import pytest

from counter_app.services.report_memory import SWITCH_INTERVAL_S, as_report_work, report_work


def test_a_report_runs_with_a_short_switch_interval_and_no_collection_then_both_are_restored():
    before = sys.getswitchinterval()
    seen = {}

    @as_report_work
    def report():
        seen["interval"], seen["gc"] = sys.getswitchinterval(), gc.isenabled()

    report()
    assert seen == {"interval": pytest.approx(SWITCH_INTERVAL_S), "gc": False}
    assert sys.getswitchinterval() == pytest.approx(before) and gc.isenabled()


def test_overlapping_reports_restore_only_when_the_last_one_ends():
    before = sys.getswitchinterval()
    started, release = threading.Event(), threading.Event()

    def long_report():
        with report_work():
            started.set()
            release.wait(10)

    t = threading.Thread(target=long_report)
    t.start()
    started.wait(10)
    with report_work():
        pass  # a short one (the home screen's) ends while the long one still runs
    assert sys.getswitchinterval() == pytest.approx(SWITCH_INTERVAL_S) and not gc.isenabled()
    release.set()
    t.join(10)
    assert sys.getswitchinterval() == pytest.approx(before) and gc.isenabled()


def test_a_failing_report_restores_them_too():
    before = sys.getswitchinterval()

    @as_report_work
    def broken():
        raise ValueError("boom")

    with pytest.raises(ValueError):
        broken()
    assert sys.getswitchinterval() == pytest.approx(before) and gc.isenabled()



@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a thread's own nice value is Linux's")
def test_the_reports_thread_runs_at_a_lower_priority_than_the_clerks(qapp):
    import os

    from counter_app.services.report_memory import REPORT_NICENESS
    from counter_app.ui.reports.worker import ReportRunner

    runner = ReportRunner()
    got = []
    runner.submit(lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id()), got.append)
    assert runner.wait_idle(10_000)
    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert got == [min(19, mine + REPORT_NICENESS)]
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == mine  # the clerk's thread is untouched
    runner.shutdown()
