"""Dossier view (Xem hồ sơ): timeline, derived status and due date, reprints, withdrawal."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from counter_app.domain.change_set import ChangeSet
from counter_app.services.attachments import AttachmentView

from ..announcements import RefreshOnChange
from ..attachments import open_attachment
from ..printing import offer_printer_choice, preview, save_as
from .presenter import ACTION_REFRESH, ACTION_WITHDRAW, DossierPresenter
from .view import DossierDialog

if TYPE_CHECKING:
    from counter_app.services.facade import Services


def create(services: Services, runner: Any, session: Any, parent: QWidget | None = None) -> DossierDialog:
    view = DossierDialog(parent)
    presenter = DossierPresenter(view, services, runner, session)
    view.presenter = presenter
    handlers = {ACTION_WITHDRAW: presenter.withdraw, ACTION_REFRESH: presenter.refresh}
    view.sig_action.connect(lambda name: handlers[name]() if name in handlers else None)
    view.sig_reprint.connect(presenter.reprint)

    def view_file(shown: AttachmentView) -> None:
        view.viewer = open_attachment(services, runner, session, shown, view, presenter.load_attachments)

    view.attachments.sig_open.connect(view_file)
    view.attachments.sig_detach.connect(presenter.detach)

    def last_pdf() -> tuple[bytes, str] | None:
        last = presenter.last
        return (last.pdf, last.title) if last and last.pdf else None

    view.banner.preview.clicked.connect(lambda: (pdf := last_pdf()) and preview(pdf[0], view))
    view.banner.save.clicked.connect(lambda: (pdf := last_pdf()) and save_as(pdf[0], title=pdf[1], parent=view))
    offer_printer_choice(view.banner, view, services, runner, session, presenter.retry_print)
    # The dossier on screen changed (handed over at another counter, pulled): show it as it is now.
    # Opening the dialog loads the dossier anyway, so a hidden one is not refreshed on show.
    view.refresher = RefreshOnChange(view, presenter.reload_quietly, lambda changes: _shown_in(presenter, changes),
                                     on_show=False)
    return view


def _shown_in(presenter: DossierPresenter, changes: ChangeSet) -> bool:
    return presenter.dossier is not None and presenter.dossier.id in changes.dossiers
