"""Login: the main window is built while the password is checked (scrypt leaves the GUI thread
free), shown only once the login succeeds, and dropped unseen when it is refused."""
from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counter_app.ui.main import AppController
from counter_app.ui.main_window import MainWindow, window_state


def _login_dialog(controller, qtbot):
    controller.start()
    qtbot.waitUntil(lambda: controller.login is not None and controller.login.isVisible())
    qtbot.addWidget(controller.login)
    return controller.login


def _submit(dialog, keyboard, username: str, password: str) -> None:
    dialog.username.clear()
    keyboard.type(dialog.username, username)
    keyboard.type(dialog.password, password)
    keyboard.press(dialog.password, Qt.Key.Key_Return)


def _visible_main_windows() -> list[MainWindow]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]


def test_the_window_is_built_during_the_password_check_and_is_the_one_shown(office, runner, qtbot, keyboard,
                                                                            monkeypatch):
    checking, go_on = threading.Event(), threading.Event()
    login = office.auth.login

    def slow_login(username: str, password: str):
        checking.set()
        if not go_on.wait(20):
            raise TimeoutError("the test never let the password check finish")
        return login(username, password)

    monkeypatch.setattr(office.auth, "login", slow_login)
    controller = AppController(services=office, runner=runner)
    dialog = _login_dialog(controller, qtbot)
    _submit(dialog, keyboard, "canbo1", "canbo123")
    # The worker is still inside the password check when the window has been built.
    qtbot.waitUntil(lambda: controller._prepared is not None)
    prepared = controller._prepared
    assert checking.is_set() and controller.window is None
    assert not prepared.isVisible() and not _visible_main_windows()
    assert prepared.session.clerk.username == "canbo1"
    go_on.set()
    qtbot.waitUntil(lambda: controller.window is not None)
    qtbot.addWidget(controller.window)
    assert controller.window is prepared and prepared.isVisible()
    reception = prepared.widgets["reception"]
    qtbot.waitUntil(lambda: reception.picker.list.count() > 0)  # its first screen's held queries ran


def test_a_refused_login_drops_the_prepared_window_unseen(office, runner, qtbot, keyboard, monkeypatch):
    controller = AppController(services=office, runner=runner)
    dialog = _login_dialog(controller, qtbot)
    prepared: list[MainWindow] = []
    dialog.sig_checking.connect(lambda _session: prepared.append(controller._prepared))
    asked, ran = [], []  # the jobs submitted while the window was being prepared, and those of them that ran
    submit = runner.submit

    def recording_submit(fn, on_done=None, on_error=None):
        if (controller._prepared is None and controller.login is not None and dialog.session is None
                and not dialog.ok.isEnabled()):
            asked.append(fn)

            def job(fn=fn):
                ran.append(fn)
                return fn()

            return submit(job, on_done, on_error)
        return submit(fn, on_done, on_error)

    monkeypatch.setattr(runner, "submit", recording_submit)
    _submit(dialog, keyboard, "canbo1", "sai-mat-khau")
    qtbot.waitUntil(dialog.error.isVisible)
    assert "Sai tên đăng nhập hoặc mật khẩu" in dialog.error.text()
    assert prepared and prepared[0] is not None  # a window was prepared for the account
    assert controller.window is None and controller._prepared is None and not _visible_main_windows()
    runner.wait_idle()
    monkeypatch.setattr(runner, "submit", submit)
    assert len(asked) > 2 and ran[:2] == asked[:2] and len(ran) == 2  # the account and the login; none of the window's
    qtbot.waitUntil(lambda: not controller._retired)  # destroyed once its held queries had answered
    assert not [k for k in window_state().allKeys() if k.startswith("main_window")]  # no size kept for it

    _submit(dialog, keyboard, "canbo1", "canbo123")
    qtbot.waitUntil(lambda: controller.window is not None)
    qtbot.addWidget(controller.window)
    assert controller.window.isVisible() and controller.window is not prepared[0]
    assert _visible_main_windows() == [controller.window]


def test_an_unknown_account_prepares_nothing(office, runner, qtbot, keyboard):
    controller = AppController(services=office, runner=runner)
    dialog = _login_dialog(controller, qtbot)
    checked: list[object] = []
    dialog.sig_checking.connect(checked.append)
    _submit(dialog, keyboard, "khong-co-ai", "canbo123")
    qtbot.waitUntil(dialog.error.isVisible)
    assert checked == [] and controller._prepared is None and controller.window is None
