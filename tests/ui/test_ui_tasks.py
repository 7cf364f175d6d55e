"""The background runner: one worker thread, jobs in order, results on the GUI thread."""
from __future__ import annotations

import threading

from counter_app.domain.errors import DomainError
from counter_app.ui.i18n import msg


def test_jobs_run_in_order_off_the_gui_thread_and_report_on_it(runner):
    gui = threading.get_ident()
    ran, delivered = [], []
    for i in range(5):
        runner.submit(lambda i=i: ran.append((i, threading.get_ident())) or i,
                      lambda r: delivered.append((r, threading.get_ident())))
    assert runner.wait_idle()
    assert [i for i, _ in ran] == [0, 1, 2, 3, 4]
    assert len({t for _, t in ran}) == 1 and ran[0][1] != gui  # one serial worker
    assert delivered == [(i, gui) for i in range(5)]


def test_domain_errors_keep_their_code(runner):
    errors = []

    def job():
        raise DomainError("auth.invalid")

    runner.submit(job, on_error=errors.append)
    runner.wait_idle()
    assert [e.code for e in errors] == ["auth.invalid"]


def test_unexpected_exceptions_become_a_generic_message(runner, caplog):
    errors = []
    runner.submit(lambda: 1 / 0, on_error=errors.append)
    runner.wait_idle()
    assert errors[0].code == "ui.unexpected"
    assert "ZeroDivision" not in msg(errors[0].code)  # the clerk never sees a traceback
    assert "ZeroDivisionError" in caplog.text  # but the log keeps it
    # The worker survived: the next job still runs.
    done = []
    runner.submit(lambda: "ok", done.append)
    runner.wait_idle()
    assert done == ["ok"]


def test_a_job_submitted_after_shutdown_is_dropped_quietly(qtbot):
    """A closing window's timer may still fire: it must not raise into whatever runs next."""
    from counter_app.ui.tasks import TaskRunner

    runner = TaskRunner()
    runner.shutdown()
    ran: list[int] = []
    runner.submit(lambda: ran.append(1), lambda _r: ran.append(2), lambda _e: ran.append(3))
    qtbot.wait(50)
    assert ran == [] and runner.pending == 0


def test_held_jobs_wait_for_release_then_run_in_order(runner, qtbot):
    """The main window holds its first screen's queries until it has been painted."""
    ran, delivered = [], []
    runner.submit(lambda: ran.append("before"))
    assert runner.wait_idle()
    runner.hold()
    for i in range(3):
        runner.submit(lambda i=i: ran.append(i) or i, delivered.append)
    qtbot.wait(50)
    assert ran == ["before"] and delivered == [] and runner.pending == 3
    runner.release()
    runner.submit(lambda: ran.append("after"))  # not held any more
    assert runner.wait_idle()
    assert ran == ["before", 0, 1, 2, "after"] and delivered == [0, 1, 2]


def test_shutting_down_runs_the_held_jobs(qtbot):
    """A held job may be a receipt being saved: closing the app still runs it."""
    from counter_app.ui.tasks import TaskRunner

    runner = TaskRunner()
    ran: list[int] = []
    runner.hold()
    runner.submit(lambda: ran.append(1))
    runner.shutdown()
    assert ran == [1]
