"""Worklist (Việc cần làm) logic: what is due, late, at risk, waiting where."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from counter_app.services.views import DossierView, WorklistItem, WorklistView

from ..dossier.presenter import error_text, outcome_text
from ..dossier.printjob import PrintOutcome, print_form, retry_prints, unprinted
from ..handover.results import ask_late_notice, late_notice, proposed_date
from ..i18n import tr

if TYPE_CHECKING:
    from counter_app.services.facade import Services

ACTION_REFRESH = "refresh"
ACTION_OPEN = "open"
ACTION_EXTEND = "extend"

SECTIONS = (  # (WorklistView attribute, Vietnamese title)
    ("overdue", "Quá hạn"),
    ("due_today", "Đến hạn hôm nay"),
    ("due_tomorrow", "Đến hạn ngày làm việc tiếp theo"),
    ("at_risk", "Có nguy cơ trễ hạn — đề nghị Mẫu 04 (F4)"),
    ("waiting_supplement", "Chờ công dân bổ sung"),
    ("not_handed_over", "Chưa bàn giao"),
    ("result_ready", "Có kết quả, chờ trả"),
)


class WorklistPort(Protocol):
    def show_sections(self, sections: list[tuple[str, list[WorklistItem]]]) -> None: ...
    def show_message(self, text: str, kind: str, *, pdf: bool = False, choose_printer: bool = False) -> None: ...
    def ask_extend(self, dossier: DossierView, proposed: date, on_ok: Callable[[date, str], None]) -> None: ...
    def ask_confirm(self, title: str, text: str, yes_text: str, on_yes: Callable[[], None]) -> None: ...


def sections_of(view: WorklistView) -> list[tuple[str, list[WorklistItem]]]:
    out = [(tr(title), list(getattr(view, key))) for key, title in SECTIONS]
    out += [(tr("Đang ở {agency}").format(agency=q.name or q.code), list(q.dossiers)) for q in view.at_departments]
    return out


class WorklistPresenter:
    def __init__(self, view: WorklistPort, services: Services, runner: Any, session: Any) -> None:
        self.view, self.services, self.runner, self.session = view, services, runner, session
        self.last: WorklistView | None = None
        self.last_print: PrintOutcome | None = None
        self.unprinted: list[PrintOutcome] = []  # failed on the way to paper: "choose printer" retries them

    def refresh(self) -> None:
        self.runner.submit(self.services.worklist.worklist, self._loaded, self._failed)

    def _loaded(self, view: WorklistView) -> None:
        self.last = view
        self.view.show_sections(sections_of(view))

    def retranslate(self) -> None:
        if self.last is not None:
            self.view.show_sections(sections_of(self.last))

    def _failed(self, exc: BaseException) -> None:
        self.view.show_message(error_text(exc), "error")

    def extend(self, code: str) -> None:
        if code:
            self.runner.submit(lambda: self.services.dossiers.get(code),
                               lambda d: self.view.ask_extend(d, proposed_date(d),
                                                              lambda until, reason: self._extend(code, until, reason)),
                                                              self._failed)

    def _extend(self, code: str, until: date, reason: str, late_notice_ok: bool = False) -> None:
        clerk = self.session.clerk

        def job() -> PrintOutcome:
            dossier = self.services.lifecycle.extend(code, until, reason, clerk.username, late_notice_ok=late_notice_ok)
            return print_form(self.services, clerk, dossier, "apology")

        def done(outcome: PrintOutcome) -> None:
            self._show_print(outcome, tr("Đã gia hạn hồ sơ {code} (vẫn tính là quá hạn)").format(code=code) + ". ")
            self.refresh()

        def failed(exc: BaseException) -> None:
            if late_notice(exc):
                ask_late_notice(self.view, exc, lambda: self._extend(code, until, reason, True))
            else:
                self._failed(exc)

        self.runner.submit(job, done, failed)

    def _show_print(self, outcome: PrintOutcome, prefix: str = "") -> None:
        self.last_print = outcome
        self.unprinted = unprinted([outcome])
        self.view.show_message(prefix + outcome_text(outcome), "warn" if outcome.error else "ok",
                               pdf=outcome.pdf is not None, choose_printer=bool(self.unprinted))

    def retry_print(self) -> None:
        """The clerk chose another printer or PDF folder: the Mẫu 04 that failed to print goes there."""
        outcomes, clerk = list(self.unprinted), self.session.clerk
        if outcomes:
            self.runner.submit(lambda: retry_prints(self.services, clerk, outcomes),
                               lambda done: self._show_print(done[-1]),
                               self._failed)
