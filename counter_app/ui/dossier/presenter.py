"""Dossier view logic (no widgets): load a dossier, reprint its forms, withdraw it."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from counter_app.domain.permissions import Permission, has_permission
from counter_app.services.attachments import AttachmentView
from counter_app.services.views import DossierView

from ..i18n import error_text, tr
from .printjob import FORM_LABELS, PrintOutcome, forms_of, print_form, retry_prints, unprinted
from .timeline import TimelineRow, cannot_return_reason, timeline

if TYPE_CHECKING:
    from counter_app.services.facade import Services

# Action names (constants, not bare strings).
ACTION_WITHDRAW = "withdraw"
ACTION_CLOSE = "close"
ACTION_REFRESH = "refresh"


class DossierPort(Protocol):
    def show_dossier(self, dossier: DossierView, rows: list[TimelineRow], forms: list[str], reason: str) -> None: ...
    def show_message(self, text: str, kind: str, *, pdf: bool = False, choose_printer: bool = False) -> None: ...
    def set_busy(self, busy: bool) -> None: ...
    def ask_withdraw(self, on_ok: Callable[[str], None]) -> None: ...
    def show_attachments(self, attachments: list[AttachmentView], name_of: Callable[[str], str],
                         may_detach: bool) -> None: ...
    def ask_detach(self, shown: AttachmentView, on_ok: Callable[[str], None]) -> None: ...


def outcome_text(outcome: PrintOutcome) -> str:
    label = tr(FORM_LABELS[outcome.form])
    if outcome.error:
        text = tr("Chưa in được {form}: {reason}").format(form=label, reason=outcome.error)
        return text + (". " + tr("Chọn máy in hoặc thư mục PDF rồi in lại.") if outcome.pdf is not None else "")
    if outcome.original:
        return tr("Đã in {form}").format(form=label)
    return tr("Đã in lại {form} (bản sao)").format(form=label)


class DossierPresenter:
    def __init__(self, view: DossierPort, services: Services, runner: Any, session: Any) -> None:
        self.view, self.services, self.runner, self.session = view, services, runner, session
        self.dossier: DossierView | None = None
        self.explain = False  # say why it cannot be returned (opened by a scan)
        self.last: PrintOutcome | None = None

    def load(self, code: str, *, explain: bool = False) -> None:
        self.explain = explain
        self.view.set_busy(True)
        self.runner.submit(lambda: self.services.dossiers.get(code), self._loaded, self._failed)

    def show(self, dossier: DossierView, *, explain: bool = False) -> None:
        self.explain = explain
        self._loaded(dossier)

    def refresh(self) -> None:
        if self.dossier is not None:
            self.load(self.dossier.code, explain=self.explain)

    def reload_quietly(self) -> None:
        """The dossier changed elsewhere: show it as it is now without disabling anything, so a
        reprint clicked meanwhile is not lost (the reprint reads the dossier afresh anyway)."""
        if self.dossier is not None:
            code = self.dossier.code
            self.runner.submit(lambda: self.services.dossiers.get(code), self._reloaded, lambda _exc: None)

    def _reloaded(self, dossier: DossierView) -> None:
        if self.dossier is not None and dossier.id == self.dossier.id:
            self._loaded(dossier)

    def _loaded(self, dossier: DossierView) -> None:
        self.view.set_busy(False)
        self.dossier = dossier
        office = self.session.office.name if self.session is not None else ""
        reason = cannot_return_reason(dossier) if self.explain else ""
        self.view.show_dossier(dossier, timeline(dossier, office), forms_of(dossier), reason)
        self.load_attachments()

    # --- electronic copies ----------------------------------------------------
    def load_attachments(self) -> None:
        """The dossier's attachments as this counter has them (a file opened since may be here now)."""
        if self.dossier is None:
            return
        dossier = self.dossier
        role = self.session.clerk.role if self.session is not None else ""
        may_detach = bool(role) and has_permission(role, Permission.RECEIVE)

        def shown(found: list[AttachmentView]) -> None:
            if self.dossier is not None and self.dossier.id == dossier.id:
                self.view.show_attachments(found, dossier.name_of, may_detach)

        self.runner.submit(lambda: self.services.attachments.of_dossier(dossier.code), shown, self._failed)

    def detach(self, shown: AttachmentView) -> None:
        if self.dossier is not None:
            self.view.ask_detach(shown, lambda reason: self._detach_confirmed(shown, reason))

    def _detach_confirmed(self, shown: AttachmentView, reason: str) -> None:
        code, clerk = shown.dossier_code, self.session.clerk.username

        def job() -> DossierView:
            self.services.attachments.detach(code, clerk, shown.id, reason)
            return self.services.dossiers.get(code)

        def done(dossier: DossierView) -> None:
            self._loaded(dossier)
            self.view.show_message(tr("Đã gỡ bản điện tử khỏi hồ sơ {code}").format(code=code), "ok")

        self.view.set_busy(True)
        self.runner.submit(job, done, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.view.set_busy(False)
        self.view.show_message(error_text(exc), "error")

    def reprint(self, form: str) -> None:
        if self.dossier is None:
            return
        code, clerk = self.dossier.code, self.session.clerk

        def job() -> tuple[PrintOutcome, DossierView]:
            fresh = self.services.dossiers.get(code)
            outcome = print_form(self.services, clerk, fresh, form)
            return outcome, self.services.dossiers.get(code)  # the print is now in the timeline

        self.view.set_busy(True)
        self.runner.submit(job, self._printed, self._failed)

    def _printed(self, result: tuple[PrintOutcome, DossierView]) -> None:
        outcome, dossier = result
        self.last = outcome
        self._loaded(dossier)
        failed = bool(unprinted([outcome]))
        self.view.show_message(outcome_text(outcome), "warn" if outcome.error else "ok", pdf=outcome.pdf is not None,
                               choose_printer=failed)

    def retry_print(self) -> None:
        """The clerk chose another printer or PDF folder: the failed print goes there."""
        failed = unprinted([self.last])
        if not failed or self.dossier is None:
            return
        code, clerk = self.dossier.code, self.session.clerk

        def job() -> tuple[PrintOutcome, DossierView]:
            return retry_prints(self.services, clerk, failed)[0], self.services.dossiers.get(code)

        self.view.set_busy(True)
        self.runner.submit(job, self._printed, self._failed)

    def withdraw(self) -> None:
        if self.dossier is not None:
            self.view.ask_withdraw(self._withdraw_confirmed)

    def _withdraw_confirmed(self, reason: str) -> None:
        if self.dossier is None:  # withdraw() asks only with a dossier on screen
            return
        code, clerk = self.dossier.code, self.session.clerk.username
        self.view.set_busy(True)

        def done(dossier: DossierView) -> None:
            self._loaded(dossier)
            self.view.show_message(tr("Công dân đã rút hồ sơ {code}").format(code=code), "ok")

        self.runner.submit(lambda: self.services.lifecycle.withdraw(code, reason, clerk), done, self._failed)
