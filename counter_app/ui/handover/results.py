"""Results back (Nhận kết quả) logic: a folder comes back from a department; record the outcome.

Outcomes: result ready (status 9), more papers needed (Mẫu 02, clock stops), refused
(Mẫu 03), stopped (Mẫu 05); a supplement that arrived restarts the clock; before a
deadline is missed, the apology and new date (Mẫu 04).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from counter_app.domain.attachments import AttachmentDraft, AttachmentSource
from counter_app.domain.errors import DomainError
from counter_app.services.attachments import as_result
from counter_app.services.views import DossierView

from ..attachments.result_file import read_result_pdf
from ..attachments.texts import pages_text
from ..dossier.presenter import outcome_text
from ..dossier.printjob import PrintOutcome, print_form, retry_prints, unprinted
from ..i18n import due_text, error_text, tr

if TYPE_CHECKING:
    from counter_app.services.facade import Services

ACTION_READY = "ready"
ACTION_SUPPLEMENT = "supplement"
ACTION_REFUSE = "refuse"
ACTION_STOP = "stop"
ACTION_SUPPLEMENT_IN = "supplement_in"
ACTION_EXTEND = "extend"
ACTION_OPEN = "open"
ACTION_ATTACH_RESULT = "attach_result"

# Which actions make sense in which status (DVCQG numbers).
ALLOWED = {
    2: {ACTION_READY, ACTION_SUPPLEMENT, ACTION_REFUSE, ACTION_STOP, ACTION_EXTEND},
    4: {ACTION_READY, ACTION_SUPPLEMENT, ACTION_REFUSE, ACTION_STOP, ACTION_EXTEND},
    5: {ACTION_SUPPLEMENT_IN, ACTION_EXTEND, ACTION_STOP},
    6: {ACTION_EXTEND, ACTION_STOP},
}
# A result file waits for F9 while the department's answer is still being recorded; once the
# dossier has its result (ready, returned) it is attached at once.
AWAITS_RESULT = {2, 4}
HAS_RESULT = {9, 10}
RESULT_OUTCOMES = {"ready", "rejected"}  # the answers a result file goes with
OUTCOME_FORMS = {"supplement": "supplement", "stopped": "stop"}
# The service refused a second supplement request until a supervisor confirms it (with a reason):
# these codes keep the supervisor's dialog open to try again.
SECOND_SUPPLEMENT = "supplement.second_needs_override"
OVERRIDE_RETRY = {"supplement.override_invalid", "supplement.second_needs_reason"}


def allowed_actions(dossier: DossierView) -> set[str]:
    """What can succeed for this dossier now.

    Status 5 covers two cases: a supplement asked for after reception (the clock is paused:
    "supplement received" restarts it) and a Mẫu 02 handed out at the counter instead of a
    receipt — that dossier was never received, has no due date to extend, and becomes a
    received dossier only through Reception when the citizen brings the papers.
    """
    if dossier.status == 5 and not dossier.paused:
        return set()
    return set(ALLOWED.get(dossier.status or 0, set()))


def never_received(dossier: DossierView) -> bool:
    return dossier.status == 5 and not dossier.paused


class ResultsPort(Protocol):
    def show_dossier(self, dossier: DossierView | None, allowed: set[str]) -> None: ...
    def show_message(self, text: str, kind: str, *, pdf: bool = False, choose_printer: bool = False) -> None: ...
    def set_busy(self, busy: bool) -> None: ...
    def ask_supplement(self, on_ok: Callable[[list[str], str], None]) -> None: ...
    def ask_reason(self, title: str, label: str, on_ok: Callable[[str], None]) -> None: ...
    def ask_extend(self, dossier: DossierView, proposed: date, on_ok: Callable[[date, str], None]) -> None: ...
    def ask_confirm(self, title: str, text: str, yes_text: str, on_yes: Callable[[], None]) -> None: ...
    def ask_supplement_override(self, explanation: str, reason: str,
                                on_ok: Callable[[str, str, str], None]) -> None: ...
    def override_error(self, text: str) -> None: ...
    def close_override(self) -> None: ...
    def pick_result_file(self) -> str: ...  # "" when the clerk cancels
    def show_result_file(self, text: str) -> None: ...


def late_notice(exc: BaseException) -> bool:
    """The extension would go out inside the last working day: the clerk confirms it, or not."""
    return isinstance(exc, DomainError) and exc.code == "extend.late_notice"


def ask_late_notice(view: Any, exc: BaseException, on_yes: Callable[[], None]) -> None:
    view.ask_confirm(tr("Gửi văn bản gia hạn muộn?"), error_text(exc), tr("Vẫn gia hạn và in Mẫu 04"), on_yes)


def proposed_date(dossier: DossierView) -> date:
    """Three working days (Mon–Fri) after the current due date: a starting point the clerk edits."""
    due = dossier.current_due_at or dossier.due_at
    day = due.date() if due else date.today()
    added = 0
    while added < 3:
        day += timedelta(days=1)
        added += day.weekday() < 5
    return day


class ResultsPresenter:
    def __init__(self, view: ResultsPort, services: Services, runner: Any, session: Any) -> None:
        self.view, self.services, self.runner, self.session = view, services, runner, session
        self.dossier: DossierView | None = None
        self.last_print: PrintOutcome | None = None
        self.unprinted: list[PrintOutcome] = []  # failed on the way to paper: "choose printer" retries them
        self.result_file: tuple[str, AttachmentDraft] | None = None  # (dossier code, staged file) awaiting F9

    def load(self, code: str) -> None:
        code = code.strip()
        if not code:
            return
        lifecycle = self.services.lifecycle

        def job() -> tuple[DossierView, bool]:
            dossier = lifecycle.scan(code)
            return dossier, bool(allowed_actions(dossier)) and lifecycle.needs_apology(dossier.code)

        self.view.set_busy(True)
        self.runner.submit(job, self._loaded, self._failed)

    def _loaded(self, result: tuple[DossierView, bool]) -> None:
        dossier, at_risk = result
        self._show(dossier)
        if never_received(dossier):
            self.view.show_message(
                tr("Hồ sơ {code} được yêu cầu bổ sung ngay tại quầy (Mẫu 02), chưa được tiếp nhận. Khi công dân nộp đủ"
                   " giấy tờ, tiếp nhận hồ sơ ở màn hình Tiếp nhận (Ctrl+1).").format(code=dossier.code), "warn")
        elif at_risk:
            due = dossier.current_due_at or dossier.due_at  # at risk: it has a due date
            self.view.show_message(
                tr("Hồ sơ {code} sắp quá hạn ({due}): đề nghị lập văn bản xin lỗi và hẹn lại (Mẫu 04) — F4").format(
                    code=dossier.code, due=due_text(due) if due else "—"), "warn")
        else:
            self.view.show_message(tr("Hồ sơ {code}: chọn kết quả giải quyết").format(code=dossier.code), "ok")

    def _show(self, dossier: DossierView) -> None:
        if self.result_file is not None and self.result_file[0] != dossier.code:
            self.result_file = None  # picked for the folder before this one
        self.dossier = dossier
        self.view.set_busy(False)
        attachable = {ACTION_ATTACH_RESULT} if dossier.status in AWAITS_RESULT | HAS_RESULT else set()
        self.view.show_dossier(dossier, allowed_actions(dossier) | {ACTION_OPEN} | attachable)
        self.view.show_result_file(self._waiting_text())

    def _waiting_text(self) -> str:
        if self.result_file is None:
            return ""
        draft = self.result_file[1]
        return tr("Kết quả điện tử: {file} ({pages}) — đính kèm khi ghi nhận Có kết quả (F9)").format(
            file=draft.filename, pages=pages_text(draft.pages))

    # --- the electronic result ---------------------------------------------------
    def attach_result(self) -> None:
        """Pick the department's result PDF: staged now, attached now or with F9's answer."""
        if self.dossier is None or self.dossier.status not in AWAITS_RESULT | HAS_RESULT:
            return
        path = self.view.pick_result_file()
        if not path:
            return
        code, status, clerk = self.dossier.code, self.dossier.status, self.session.clerk.username
        attachments = self.services.attachments

        def job() -> tuple[AttachmentDraft, DossierView | None]:
            data, pages = read_result_pdf(path)
            draft = as_result(attachments.stage(data, pages=pages, source=AttachmentSource.IMPORT,
                                                filename=Path(path).name))
            if status not in HAS_RESULT:
                return draft, None
            attachments.attach(code, clerk, [draft])
            return draft, self.services.dossiers.get(code)

        def done(result: tuple[AttachmentDraft, DossierView | None]) -> None:
            draft, attached = result
            if attached is None:
                self.result_file = (code, draft)
                self.view.set_busy(False)
                self.view.show_result_file(self._waiting_text())
                return
            self._show(attached)
            self.view.show_message(self._attached_text(draft, code), "ok")

        self.view.set_busy(True)
        self.runner.submit(job, done, self._failed)

    @staticmethod
    def _attached_text(draft: AttachmentDraft, code: str) -> str:
        return tr("Đã đính kèm kết quả điện tử {file} ({pages}) vào hồ sơ {code}").format(
            file=draft.filename, pages=pages_text(draft.pages), code=code)

    def _attach_waiting(self, dossier: DossierView, text: str) -> None:
        """F9's answer is recorded: the result file picked for it goes on the dossier (a job of its own)."""
        if self.result_file is None or self.result_file[0] != dossier.code:
            return
        code, draft = self.result_file
        clerk = self.session.clerk.username

        def done(_views: object) -> None:
            self.result_file = None
            self.view.show_result_file("")
            self.view.show_message(text + ". " + self._attached_text(draft, code), "ok")

        def failed(exc: BaseException) -> None:  # the answer stays recorded; the file can be attached again
            self.view.show_message(tr("Đã ghi nhận kết quả nhưng chưa đính kèm được tệp: {reason}").format(
                reason=error_text(exc)), "error")

        self.runner.submit(lambda: self.services.attachments.attach(code, clerk, [draft]), done, failed)

    def _failed(self, exc: BaseException) -> None:
        self.view.set_busy(False)
        self.view.show_message(error_text(exc), "error")

    # --- outcomes -----------------------------------------------------------
    def ready(self) -> None:
        self._record("ready", tr("Hồ sơ {code} đã có kết quả, chờ trả cho công dân"))

    def supplement(self) -> None:
        if self.dossier is not None:
            self.view.ask_supplement(self._supplement)

    def _supplement(self, missing: list[str], reason: str, override: tuple[str, str] = ("", "")) -> None:
        def failed(exc: BaseException) -> None:
            code = exc.code if isinstance(exc, DomainError) else ""
            self.view.set_busy(False)
            if code == SECOND_SUPPLEMENT:
                self.view.show_message(error_text(exc), "warn")  # behind the dialog: why it is asked
                self.view.ask_supplement_override(
                    error_text(exc), reason,
                    lambda user, password, why: self._supplement(missing, why, (user, password)))
            elif code in OVERRIDE_RETRY and override[0]:
                self.view.override_error(error_text(exc))
            else:
                self.view.close_override()
                self._failed(exc)

        self._record("supplement", tr("Đã lập phiếu yêu cầu bổ sung cho hồ sơ {code}"), reason=reason, missing=missing,
                     override=override, failed=failed)

    def refuse(self) -> None:
        if self.dossier is not None:
            self.view.ask_reason(tr("Kết quả: trả lời không giải quyết"),
                                 tr("Lý do cơ quan có thẩm quyền nêu trong văn bản trả lời:"),
                                 lambda reason: self._record("rejected",
                                                             tr("Đã ghi nhận văn bản trả lời không giải quyết hồ sơ "
                                                                "{code}, chờ trả cho công dân"), reason=reason))

    def stop(self) -> None:
        if self.dossier is not None:
            self.view.ask_reason(tr("Dừng giải quyết hồ sơ (Mẫu 05)"), tr("Lý do dừng giải quyết (in trên thông báo):"),
                                 lambda reason: self._record("stopped", tr("Đã dừng giải quyết hồ sơ {code}"),
                                                             reason=reason))

    def _record(self, outcome: str, done_text: str, *, reason: str = "", missing: list[str] | None = None,
                override: tuple[str, str] = ("", ""), failed: Callable[[BaseException], None] | None = None) -> None:
        if self.dossier is None:
            return
        code, clerk = self.dossier.code, self.session.clerk

        def job() -> tuple[DossierView, PrintOutcome | None]:
            dossier = self.services.lifecycle.record_result(code, outcome, clerk.username, reason=reason,
                                                            missing=list(missing or ()),
                                                            override_user=override[0], override_password=override[1])
            form = OUTCOME_FORMS.get(outcome)
            printed = print_form(self.services, clerk, dossier, form) if form else None
            return (self.services.dossiers.get(code) if printed else dossier), printed

        self._run(job, done_text, failed, then=self._attach_waiting if outcome in RESULT_OUTCOMES else None)

    def supplement_received(self) -> None:
        if self.dossier is None:
            return
        code, clerk = self.dossier.code, self.session.clerk.username

        def done(dossier: DossierView) -> None:
            self._show(dossier)
            due = dossier.current_due_at or dossier.due_at
            text = tr("Đã nhận đủ hồ sơ bổ sung {code}. Hạn giải quyết mới: {due}")
            self.view.show_message(text.format(code=code, due=due_text(due) if due else "—"), "ok")

        self.view.set_busy(True)
        self.runner.submit(lambda: self.services.lifecycle.supplement_received(code, clerk), done, self._failed)

    def extend(self) -> None:
        if self.dossier is not None:
            self.view.ask_extend(self.dossier, proposed_date(self.dossier), self._extend_confirmed)

    def _extend_confirmed(self, until: date, reason: str, late_notice_ok: bool = False) -> None:
        if self.dossier is None:  # extend() asks only with a dossier on screen
            return
        code, clerk = self.dossier.code, self.session.clerk

        def job() -> tuple[DossierView, PrintOutcome | None]:
            dossier = self.services.lifecycle.extend(code, until, reason, clerk.username, late_notice_ok=late_notice_ok)
            printed = print_form(self.services, clerk, dossier, "apology")
            return self.services.dossiers.get(code), printed

        def failed(exc: BaseException) -> None:
            if late_notice(exc):
                self.view.set_busy(False)
                ask_late_notice(self.view, exc, lambda: self._extend_confirmed(until, reason, True))
            else:
                self._failed(exc)

        self._run(job, tr("Đã gia hạn hồ sơ {code} (vẫn tính là quá hạn)"), failed)

    def _run(self, job: Callable[[], tuple[DossierView, PrintOutcome | None]], done_text: str,
             failed: Callable[[BaseException], None] | None = None,
             then: Callable[[DossierView, str], None] | None = None) -> None:
        self.view.set_busy(True)

        def done(result: tuple[DossierView, PrintOutcome | None]) -> None:
            dossier, printed = result
            self.view.close_override()
            self._show(dossier)
            text = done_text.format(code=dossier.code)
            if printed is not None:
                self.last_print = printed
                text += ". " + outcome_text(printed)
            self.unprinted = unprinted([printed])
            self.view.show_message(text, "warn" if printed and printed.error else "ok",
                                   pdf=bool(printed and printed.pdf),
                                   choose_printer=bool(self.unprinted))
            if then is not None:
                then(dossier, text)

        self.runner.submit(job, done, failed or self._failed)

    def retry_print(self) -> None:
        """The clerk chose another printer or PDF folder: the form that failed to print goes there."""
        outcomes, clerk = list(self.unprinted), self.session.clerk
        if not outcomes:
            return

        def done(result: list[PrintOutcome]) -> None:
            self.view.set_busy(False)
            self.unprinted = unprinted(list(result))
            self.last_print = result[-1]
            self.view.show_message(outcome_text(result[-1]), "warn" if self.unprinted else "ok", pdf=True,
                                   choose_printer=bool(self.unprinted))

        self.view.set_busy(True)
        self.runner.submit(lambda: retry_prints(self.services, clerk, outcomes), done, self._failed)
