"""Every dialog a clerk meets fits 1366×768 in both languages, and an error message takes its own space."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from fit_helpers import AVAILABLE, fits, log_in, unreachable_buttons
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)


def _dialog_openers(window, services):
    """(name, opens the dialog and returns it) for every dialog reachable from the screens."""
    from counter_app.ui.admin.procedure_editor import ProcedureEditor
    from counter_app.ui.dossier.dialogs import (
        ExtendDialog,
        OfficerDialog,
        OverrideDialog,
    )
    from counter_app.ui.first_run import FirstRunDialog
    from counter_app.ui.login import LoginDialog
    from counter_app.ui.queue.dialogs import TransferDialog
    from counter_app.ui.reason_dialog import ReasonDialog

    reception = window.widgets["reception"]
    long_reason = "Người nhận không mang theo giấy tờ tùy thân trùng với người nộp hồ sơ " * 2

    def keep(dialog):
        dialog.show()
        return dialog

    def via_window(open_):
        open_()
        return window.dialog

    def via_reception(open_):
        open_()
        return reception.dialog

    def first_run_setup():
        wizard = FirstRunDialog(services, window.runner)
        wizard.show()
        wizard.setup_button.click()
        return wizard

    return [
        ("settings", lambda: via_window(window.open_settings)),
        ("help", lambda: via_window(window.open_help)),
        ("supplement",
         lambda: via_reception(lambda: reception.ask_supplement(["Giấy chứng sinh", "Tờ khai đăng ký khai sinh"],
                                                                lambda *_: None))),
        ("refusal", lambda: via_reception(lambda: reception.ask_refusal(lambda *_: None))),
        ("discard", lambda: via_reception(lambda: reception.confirm_discard(lambda: None))),
        ("reason", lambda: keep(ReasonDialog("Dừng giải quyết", "Lý do (in trên Mẫu 05):", lambda *_: None, window))),
        ("extend",
         lambda: keep(ExtendDialog("H45.123-261127-0001", datetime(2026, 11, 30, 17), date(2026, 12, 4),
                                   lambda *_: None, window))),
        ("officer",
         lambda: keep(OfficerDialog("3 hồ sơ cho Công chức Tư pháp - Hộ tịch (H45.123.01)", lambda *_: None, window))),
        ("override", lambda: keep(OverrideDialog(long_reason, lambda *_: None, window))),
        ("transfer",
         lambda: keep(TransferDialog([(2, "Quầy 2"), (3, "Quầy 3")], [("A", "Hộ tịch"), ("B", "Chứng thực")],
                                     lambda *_: None, window))),
        ("login", lambda: keep(LoginDialog(services, window.runner, services.office.office()))),
        ("first-run", lambda: keep(FirstRunDialog(services, window.runner))),
        ("first-run-setup", first_run_setup),
        ("procedure-editor",
         lambda: keep(ProcedureEditor(services.catalog.versions("1.001193")[-1].to_dict(), lambda *_: None, window))),
    ]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_dialog_fits_and_shows_its_buttons(office, runner, qtbot, keyboard, lang):
    window = log_in(office, runner, qtbot, keyboard, "admin").window
    if lang == "en":
        window.apply_settings({"language": "en", "paper": "A4", "printer": window.session.settings["printer"]})
    bad, seen = [], 0
    for name, open_dialog in _dialog_openers(window, office):
        dialog = open_dialog()
        assert isinstance(dialog, QDialog), name
        qtbot.addWidget(dialog)
        QApplication.processEvents()
        seen += 1
        if not fits(dialog.minimumSizeHint()) or not fits(dialog.size()):
            bad.append(f"{name}: needs {dialog.minimumSizeHint().toTuple()}, is {dialog.size().toTuple()}")
        bad += [f"{name}: {b}" for b in unreachable_buttons(dialog)]
        dialog.close()
    assert seen == 14
    from counter_app.services.commands import ApplicantInput, ReceiveCommand

    applicant = ApplicantInput("Nguyễn Thị Phương Thảo", "045190001111", "0912000111", "Số 5 Lê Lợi, Đông Hà")
    code = office.reception.receive(ReceiveCommand(procedure_code="1.004873", applicant=applicant), "canbo1").code
    window.open_dossier(code)
    dialog = window.dossier_dialog
    runner.wait_idle()
    QApplication.processEvents()
    if not fits(dialog.minimumSizeHint()) or not fits(dialog.size()):
        bad.append(f"dossier: needs {dialog.minimumSizeHint().toTuple()}, is {dialog.size().toTuple()}")
    bad += [f"dossier: {b}" for b in unreachable_buttons(dialog)]
    assert not bad, "\n".join(bad)


def _field_heights(dialog: QWidget) -> dict[str, int]:
    fields = [w for w in dialog.findChildren(QWidget) if isinstance(w, QLineEdit | QComboBox | QPlainTextEdit)
              and w.isVisible()]
    return {f"{type(w).__name__}#{i}": w.height() for i, w in enumerate(fields)}


@pytest.mark.parametrize("name", ["reason", "extend", "officer", "override", "refusal", "first-run-setup"])
def test_an_error_message_does_not_squash_the_fields(office, runner, qtbot, keyboard, name):
    """The dialog grows by the message's height; every field keeps its height and the message is readable."""
    window = log_in(office, runner, qtbot, keyboard, "admin").window
    dialog = dict(_dialog_openers(window, office))[name]()
    qtbot.addWidget(dialog)
    qtbot.wait(30)
    before, height = _field_heights(dialog), dialog.height()
    if name == "first-run-setup":
        dialog.create_button.click()
    else:
        dialog.accept()
    def errors() -> list[QLabel]:
        return [w for w in dialog.findChildren(QLabel) if w.property("role") == "error" and w.isVisible()]

    qtbot.waitUntil(lambda: bool(errors()), timeout=10_000)  # the first-run check runs in the background
    runner.wait_idle()
    qtbot.wait(30)
    assert dialog.isVisible(), name
    assert _field_heights(dialog) == before
    assert dialog.height() > height
    for label in errors():
        assert label.height() >= label.heightForWidth(label.width()) - 1, label.text()
    assert fits(dialog.size(), AVAILABLE)
