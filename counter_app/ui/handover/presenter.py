"""Handover (Bàn giao) logic, free of widgets: build a batch by scanning, hand it over
to a department with a printed list, print control sheets, record the officer's signature.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from counter_app.domain.errors import DomainError
from counter_app.services.views import AgencyView, DossierView, HandoverBatchView

from ..dossier.presenter import outcome_text
from ..dossier.printjob import PrintOutcome, print_form, print_handover, retry_prints, unprinted
from ..dossier.timeline import status_refusal
from ..i18n import error_text, msg, tr

if TYPE_CHECKING:
    from counter_app.services.facade import Services

ACTION_HANDOVER = "handover"
ACTION_CONFIRM = "confirm"
ACTION_CONTROL_SHEET = "control_sheet"
ACTION_REMOVE = "remove"
ACTION_ADD_SELECTED = "add_selected"
ACTION_OPEN = "open"
ACTION_CLEAR = "clear"

HANDOVER_STATUSES = {2, 4}  # received, processing (back from a department)


class HandoverPort(Protocol):
    def show_departments(self, departments: list[AgencyView]) -> None: ...
    def show_waiting(self, dossiers: list[DossierView]) -> None: ...
    def show_pending(self, dossiers: list[DossierView]) -> None: ...
    def department(self) -> str: ...
    def select_department(self, code: str) -> bool: ...
    def department_label_of(self, code: str) -> str: ...
    def ask_confirm(self, title: str, text: str, yes: str, on_yes: Callable[[], None]) -> None: ...
    def note(self) -> str: ...
    def show_message(self, text: str, kind: str, *, pdf: bool = False, choose_printer: bool = False) -> None: ...
    def set_busy(self, busy: bool, *, batch: bool = False) -> None: ...
    def ask_officer(self, summary: str, on_ok: Callable[[str], None]) -> None: ...
    def clear_inputs(self) -> None: ...


class HandoverPresenter:
    def __init__(self, view: HandoverPort, services: Services, runner: Any, session: Any) -> None:
        self.view, self.services, self.runner, self.session = view, services, runner, session
        self.pending: list[DossierView] = []
        self.waiting: list[DossierView] = []
        self.last_batch: HandoverBatchView | None = None
        self.last_print: PrintOutcome | None = None
        self.unprinted: list[PrintOutcome] = []  # failed on the way to paper: "choose printer" retries them
        # Departments: the batch takes its first folder's department unless the clerk picked one; a
        # folder handled elsewhere joins only when scanned twice in a row ((code, target) acknowledged).
        self.target_chosen = False
        self.elsewhere_ok: set[tuple[str, str]] = set()
        self._last_refused = ""

    def start(self) -> None:
        self.runner.submit(self.services.lifecycle.departments, self.view.show_departments, self._failed)
        self.refresh()

    def refresh(self) -> None:
        self.runner.submit(self.services.lifecycle.not_handed_over, self._waiting, self._failed)

    def _waiting(self, dossiers: list[DossierView]) -> None:
        pending = {d.code for d in self.pending}
        self.waiting = [d for d in dossiers if d.code not in pending]
        self.view.show_waiting(self.waiting)

    def _failed(self, exc: BaseException) -> None:
        self.view.set_busy(False, batch=self.last_batch is not None)
        self.view.show_message(error_text(exc), "error")

    # --- building the batch -------------------------------------------------
    def add(self, code: str) -> None:
        """A scanned or typed code (dossier or lookup code) joins the batch being built."""
        code = code.strip()
        if code:
            self.runner.submit(lambda: self.services.lifecycle.scan(code), self._add_dossier, self._failed)

    def _add_dossier(self, dossier: DossierView) -> None:
        if any(d.code == dossier.code for d in self.pending):
            self.view.show_message(tr("Hồ sơ {code} đã có trong danh sách bàn giao").format(code=dossier.code), "warn")
            return
        if dossier.at_agency:
            self.view.show_message(msg("lifecycle.at_agency", code=dossier.code,
                                       agency=dossier.at_agency_name or dossier.at_agency), "error")
            return
        if dossier.status not in HANDOVER_STATUSES:
            self.view.show_message(status_refusal("lifecycle.cannot_handover", dossier), "error")
            return
        note, kind = "", "ok"
        if (not self.pending and not self.target_chosen and dossier.department
                and dossier.department != self.view.department()):
            if self.view.select_department(dossier.department):
                note = " " + tr("Bàn giao cho: {agency} (đơn vị giải quyết thủ tục này).").format(
                    agency=dossier.department_name)
        target = self.view.department()
        if self._elsewhere(dossier, target):
            if self._last_refused != dossier.code:
                self._last_refused = dossier.code
                self.view.show_message(self._elsewhere_text(dossier, target), "error")
                return
            self.elsewhere_ok.add((dossier.code, target))  # scanned again: the clerk means it
            note, kind = " " + tr("⚠ Hồ sơ này do {agency} giải quyết.").format(agency=dossier.department_name), "warn"
        self._last_refused = ""
        self.pending.append(dossier)
        self.waiting = [d for d in self.waiting if d.code != dossier.code]
        self.view.show_pending(self.pending)
        self.view.show_waiting(self.waiting)
        text = tr("Đã thêm hồ sơ {code} ({n} hồ sơ)").format(code=dossier.code, n=len(self.pending)) + note
        self.view.show_message(text, kind)

    @staticmethod
    def _elsewhere(dossier: DossierView, target: str) -> bool:
        return bool(target and dossier.department and dossier.department != target)

    def _elsewhere_text(self, dossier: DossierView, target: str) -> str:
        return tr("Hồ sơ {code} ({procedure}) do {agency} giải quyết, không phải {target}: chưa thêm vào danh sách."
                  " Lập danh sách riêng cho {agency}, hoặc quét lại mã này để vẫn thêm.").format(
            code=dossier.code, procedure=dossier.procedure_name, agency=dossier.department_name or dossier.department,
            target=self.view.department_label_of(target))

    def department_chosen(self, code: str) -> None:
        """The clerk picked the receiving department: keep it; mark folders that belong elsewhere."""
        self.target_chosen = True
        self._last_refused = ""
        self.view.show_pending(self.pending)

    def add_waiting(self, row: int) -> None:
        if 0 <= row < len(self.waiting):
            self._add_dossier(self.waiting[row])

    def remove(self, row: int) -> None:
        if 0 <= row < len(self.pending):
            self.pending.pop(row)
            self.view.show_pending(self.pending)
            self.refresh()

    def clear(self) -> None:
        self.pending.clear()
        self.target_chosen, self._last_refused = False, ""
        self.view.show_pending(self.pending)
        self.view.clear_inputs()
        self.refresh()

    # --- hand over, print, confirm -----------------------------------------
    def handover(self) -> None:
        if not self.pending:
            self.view.show_message(msg("batch.empty"), "error")
            return
        to = self.view.department()
        if not to:
            self.view.show_message(tr("Chọn đơn vị nhận hồ sơ"), "error")
            return
        elsewhere = [d for d in self.pending if self._elsewhere(d, to) and (d.code, to) not in self.elsewhere_ok]
        if elsewhere:
            # F9 is deliberate (not a scan), so a question is safe here; "Quay lại" is the default.
            lines = "\n".join(f"• {d.code} — {d.procedure_name}: {d.department_name or d.department}"
                              for d in elsewhere)
            text = tr("{n} hồ sơ trong danh sách do đơn vị khác giải quyết:\n{lines}\n\nVẫn bàn giao tất cả cho "
                      "{target}?").format(
                n=len(elsewhere), lines=lines, target=self.view.department_label_of(to))
            self.view.ask_confirm(tr("Hồ sơ của đơn vị khác"), text, tr("Vẫn bàn giao"),
                                  lambda: self._confirmed_elsewhere(elsewhere, to))
            return
        self._handover(to)

    def _confirmed_elsewhere(self, elsewhere: list[DossierView], to: str) -> None:
        self.elsewhere_ok |= {(d.code, to) for d in elsewhere}
        self._handover(to)

    def _handover(self, to: str) -> None:
        codes, note, clerk = [d.code for d in self.pending], self.view.note(), self.session.clerk

        def job() -> tuple[HandoverBatchView, PrintOutcome]:
            batch = self.services.lifecycle.handover(codes, to, clerk.username, note)
            return batch, print_handover(self.services, clerk, batch)

        self.view.set_busy(True)
        self.runner.submit(job, self._handed_over, self._handover_failed)

    def _handed_over(self, result: tuple[HandoverBatchView, PrintOutcome]) -> None:
        batch, outcome = result
        self.last_batch, self.last_print = batch, outcome
        self.pending = []
        self.target_chosen, self._last_refused = False, ""
        self.view.set_busy(False, batch=True)
        self.view.show_pending(self.pending)
        self.view.clear_inputs()
        text = tr("Đã bàn giao {n} hồ sơ cho {agency} (danh sách số {number}). Khi cán bộ nhận ký, nhấn F10 để xác "
                  "nhận.").format(
            n=len(batch.dossiers), agency=batch.to_name, number=batch.number or batch.batch_id[:8].upper())
        if outcome.error:
            text += " " + outcome_text(outcome)
        self.unprinted = unprinted([outcome])
        self.view.show_message(text, "warn" if outcome.error else "ok", pdf=outcome.pdf is not None,
                               choose_printer=bool(self.unprinted))
        self.refresh()

    def _handover_failed(self, exc: BaseException) -> None:
        details = getattr(exc, "errors", None)
        if isinstance(details, dict) and details:
            lines = [error_text(e) if isinstance(e, DomainError) else f"{c}: {e}" for c, e in details.items()]
            self.view.set_busy(False, batch=self.last_batch is not None)
            self.view.show_message(error_text(exc) + "\n" + "\n".join(lines), "error")
            return
        self._failed(exc)

    def print_control_sheets(self) -> None:
        """Mẫu 06 of every dossier of the last batch (the step is on it)."""
        if self.last_batch is None:
            self.view.show_message(tr("Chưa có lô bàn giao nào"), "warn")
            return
        codes, clerk = [d.code for d in self.last_batch.dossiers], self.session.clerk

        def job() -> list[PrintOutcome]:
            return [print_form(self.services, clerk, self.services.dossiers.get(code),
                               "control_sheet") for code in codes]

        self.view.set_busy(True)
        self.runner.submit(job, self._sheets_printed, self._failed)

    def _sheets_printed(self, outcomes: list[PrintOutcome]) -> None:
        self.view.set_busy(False, batch=True)
        failed = [o for o in outcomes if o.error]
        self.unprinted = unprinted(list(outcomes))
        if failed:
            self.view.show_message("\n".join(outcome_text(o) for o in failed), "warn",
                                   choose_printer=bool(self.unprinted))
        else:
            self.last_print = outcomes[-1] if outcomes else None
            self.view.show_message(tr("Đã in {n} phiếu kiểm soát (Mẫu 06)").format(n=len(outcomes)), "ok",
                                   pdf=bool(outcomes))

    def retry_print(self) -> None:
        """The clerk chose another printer or PDF folder: what failed to print goes there."""
        outcomes, clerk = list(self.unprinted), self.session.clerk
        if not outcomes:
            return
        self.view.set_busy(True)
        self.runner.submit(lambda: retry_prints(self.services, clerk, outcomes), self._reprinted, self._failed)

    def _reprinted(self, outcomes: list[PrintOutcome]) -> None:
        self.view.set_busy(False, batch=self.last_batch is not None)
        self.unprinted = unprinted(list(outcomes))
        self.last_print = outcomes[-1]
        self.view.show_message("\n".join(outcome_text(o) for o in outcomes), "warn" if self.unprinted else "ok",
                               pdf=True, choose_printer=bool(self.unprinted))

    def confirm(self) -> None:
        batch = self.last_batch
        if batch is None:
            self.view.show_message(tr("Chưa có lô bàn giao nào"), "warn")
            return
        summary = tr("{n} hồ sơ bàn giao cho {agency} lúc {when}").format(n=len(batch.dossiers), agency=batch.to_name,
                                                                          when=f"{batch.handed_at:%H:%M %d/%m/%Y}")
        self.view.ask_officer(summary, self._confirmed)

    def _confirmed(self, officer: str) -> None:
        batch, clerk = self.last_batch, self.session.clerk.username
        if batch is None:  # confirm() asks only for a batch
            return
        codes = [d.code for d in batch.dossiers]

        def done(_dossiers: list[DossierView]) -> None:
            self.last_batch = None
            self.view.set_busy(False)
            self.view.clear_inputs()
            text = tr("Đã ghi nhận {name} ({agency}) ký nhận {n} hồ sơ")
            self.view.show_message(text.format(name=officer, agency=batch.to_name, n=len(codes)), "ok")

        self.view.set_busy(True)
        self.runner.submit(lambda: self.services.lifecycle.confirm_handover(codes, officer, clerk), done, self._failed)

