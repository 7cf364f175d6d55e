"""Return result (Trả kết quả) logic, free of widgets.

The service decides whether the person may collect (ID = applicant's, or a
representative with name + authorisation, or a supervisor's override); the screen
shows the match live and asks for the override only when the service requires it.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from counter_app.domain.deadline import judge
from counter_app.domain.errors import DomainError, ValidationFailed
from counter_app.services.attachments import AttachmentView
from counter_app.services.commands import ReturnCommand
from counter_app.services.views import DossierView

from ..attachments.texts import result_summary, results_of
from ..dossier.presenter import error_text
from ..dossier.timeline import RATINGS, cannot_return_reason
from ..i18n import msg, tr

if TYPE_CHECKING:
    from counter_app.services.facade import Services

ACTION_RETURN = "return"
ACTION_NEW = "new"
ACTION_OPEN = "open"
ACTION_CITIZEN_SCREEN = "citizen_screen"
ACTION_VIEW_RESULT = "view_result"
ACTION_EXPORT = "export_result"
RATING_KEYS = ("very_satisfied", "satisfied", "not_satisfied")  # keys 1, 2, 3


@dataclass(frozen=True)
class ReturnForm:
    representative: bool = False
    receiver_id: str = ""
    receiver_name: str = ""
    authorisation: str = ""
    channel: str = "counter"
    fee_collected: int = 0


class ReturnPort(Protocol):
    def show_dossier(self, dossier: DossierView | None, *, returnable: bool, judgement: str | None) -> None: ...
    def form(self) -> ReturnForm: ...
    def show_match(self, state: str) -> None: ...  # "match" | "mismatch" | ""
    def show_message(self, text: str, kind: str) -> None: ...
    def show_errors(self, errors: dict[str, str]) -> None: ...  # field path -> message; {} clears
    def set_busy(self, busy: bool) -> None: ...
    def ask_override(self, reason: str, on_ok: Callable[[str, str], None]) -> None: ...
    def override_error(self, text: str) -> None: ...
    def close_override(self) -> None: ...
    def ask_rating(self, active: bool) -> None: ...
    def clear(self) -> None: ...
    def show_result(self, summary: str, electronic: bool) -> None: ...
    def choose_folder(self) -> str: ...  # "" when the clerk cancels


def electronic_results(dossier: DossierView | None) -> list[AttachmentView]:
    """The dossier's electronic result files, as the viewer and the export take them."""
    if dossier is None:
        return []
    return [AttachmentView(a, dossier.code, local=False) for a in results_of(dossier.attachments)]


def result_line(dossier: DossierView) -> str:
    """ "Kết quả: bản giấy · bản điện tử (2 trang)": a paper result came back with the folder."""
    paper = any(e.kind == "result_received" for e in dossier.events)
    return result_summary(paper, results_of(dossier.attachments))


def id_key(text: str) -> str:
    return "".join(text.split()).upper()


def expected_judgement(dossier: DossierView) -> str | None:
    """How the dossier will be judged: when its result was ready against the statutory due."""
    if dossier.judgement:
        return dossier.judgement
    due = dossier.statutory_due_at or dossier.due_at
    ready = [e.at for e in dossier.events if e.kind == "result_received"]
    return judge(due, ready[-1]) if due and ready else None


class ReturnPresenter:
    def __init__(self, view: ReturnPort, services: Services, runner: Any, session: Any) -> None:
        self.view, self.services, self.runner, self.session = view, services, runner, session
        self.dossier: DossierView | None = None
        self.rating_open = False

    def load(self, code: str) -> None:
        code = code.strip()
        if code:
            self.view.set_busy(True)
            self.runner.submit(lambda: self.services.lifecycle.scan(code), self.show, self._failed)

    def show(self, dossier: DossierView) -> None:
        """Show a dossier (loaded here, or handed over by the main window after a scan)."""
        self.view.set_busy(False)
        self.view.clear()
        self.dossier = dossier
        self.rating_open = False
        self.view.ask_rating(False)  # the last citizen's rating panel goes with the last dossier
        returnable = dossier.status == 9
        self.view.show_dossier(dossier, returnable=returnable, judgement=expected_judgement(dossier))
        self._show_result(dossier)
        if returnable:
            self.view.show_message(
                tr("Hồ sơ {code} có kết quả: kiểm tra giấy tờ tùy thân của người nhận").format(code=dossier.code), "ok")
        else:
            self.view.show_message(cannot_return_reason(dossier), "error")

    def reload(self) -> None:
        """The dossier on screen changed elsewhere (its result recorded at another counter, pulled)."""
        if self.dossier is not None:
            code = self.dossier.code
            self.runner.submit(lambda: self.services.lifecycle.scan(code), self._reloaded, lambda _exc: None)

    def _reloaded(self, dossier: DossierView) -> None:
        # Only a new status is shown again: the receiver's details the clerk is typing stay, and
        # the clerk's own return (already on screen) changes nothing here. A result file that
        # arrived meanwhile is shown at once.
        if self.dossier is None or dossier.id != self.dossier.id:
            return
        if dossier.status == self.dossier.status:
            self.dossier = dossier
            self._show_result(dossier)
            return
        self.show(dossier)

    def _show_result(self, dossier: DossierView) -> None:
        self.view.show_result(result_line(dossier), bool(results_of(dossier.attachments)))

    # --- the electronic result --------------------------------------------------
    def export(self) -> None:
        """Save the electronic result for the citizen where the clerk points (a USB stick)."""
        shown = electronic_results(self.dossier)
        if not shown:
            return
        folder = self.view.choose_folder()
        if not folder:
            return
        clerk, attachments = self.session.clerk.username, self.services.attachments

        def job() -> list[str]:
            return [attachments.export(v.dossier_code, v.id, clerk, folder) for v in shown]

        def done(paths: list[str]) -> None:
            self.view.show_message(tr("Đã lưu bản điện tử cho công dân: {paths}").format(paths="; ".join(paths)),
                                   "ok")

        self.runner.submit(job, done, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.view.set_busy(False)
        self.view.show_message(error_text(exc), "error")

    def id_changed(self, text: str) -> None:
        if self.dossier is None or not text.strip():
            self.view.show_match("")
            return
        self.view.show_match("match" if id_key(text) == id_key(self.dossier.applicant.id_number) else "mismatch")

    def do_return(self, override: tuple[str, str] = ("", "")) -> None:
        if self.dossier is None or self.dossier.status != 9:
            if self.dossier is not None:
                self.view.show_message(cannot_return_reason(self.dossier), "error")
            return
        form = self.view.form()
        cmd = ReturnCommand(
            receiver_id=form.receiver_id.strip(),
            receiver_name=form.receiver_name.strip() if form.representative else "",
            authorisation=form.authorisation.strip() if form.representative else "",
            channel=form.channel,
            fee_collected=form.fee_collected,
            override_user=override[0],
            override_password=override[1],
        )
        code, clerk = self.dossier.code, self.session.clerk.username
        self.view.show_errors({})
        self.view.set_busy(True)
        self.runner.submit(lambda: self.services.lifecycle.return_result(code, cmd, clerk), self._returned,
                           self._return_failed)

    def _returned(self, dossier: DossierView) -> None:
        self.view.close_override()
        self.view.set_busy(False)
        self.dossier = dossier
        self.view.show_dossier(dossier, returnable=False, judgement=dossier.judgement)
        self._show_result(dossier)
        self.rating_open = True
        self.view.ask_rating(True)
        self.view.show_message(
            tr("Đã trả kết quả hồ sơ {code}. Mời công dân đánh giá: phím 1, 2 hoặc 3").format(code=dossier.code), "ok")

    def _return_failed(self, exc: BaseException) -> None:
        self.view.set_busy(False)
        code = exc.code if isinstance(exc, DomainError) else ""
        if code == "return.override_required":
            self.view.show_message(error_text(exc), "warn")
            self.view.ask_override(error_text(exc), lambda user, password: self.do_return((user, password)))
        elif code == "return.override_invalid":
            self.view.override_error(error_text(exc))
        elif isinstance(exc, ValidationFailed):
            self.view.close_override()
            self.view.show_errors({path: msg(err, **exc.field_params.get(path, {}))
                                   for path, err in exc.errors.items()})
            self.view.show_message(error_text(exc), "error")
        else:
            self.view.close_override()
            self.view.show_message(error_text(exc), "error")

    def rate(self, index: int) -> None:
        if not self.rating_open or self.dossier is None or not 0 <= index < len(RATING_KEYS):
            return
        rating, code, clerk = RATING_KEYS[index], self.dossier.code, self.session.clerk.username
        self.rating_open = False
        self.view.ask_rating(False)

        def done(dossier: DossierView) -> None:
            self.dossier = dossier
            self.view.show_dossier(dossier, returnable=False, judgement=dossier.judgement)
            self.view.show_message(tr("Cảm ơn công dân đã đánh giá: {rating}").format(rating=tr(RATINGS[rating])), "ok")

        self.runner.submit(lambda: self.services.lifecycle.rate(code, rating, clerk), done, self._failed)

    def new(self) -> None:
        self.dossier = None
        self.rating_open = False
        self.view.ask_rating(False)
        self.view.clear()
        self.view.show_dossier(None, returnable=False, judgement=None)
        self.view.show_result("", False)
