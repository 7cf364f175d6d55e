"""Reception (Tiếp nhận): receive a dossier and print Mẫu 01, or Mẫu 02 / Mẫu 03."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..printing import offer_printer_choice, preview, save_as
from ..tasks import TaskRunner
from .presenter import (
    ACTION_FILL_RETURNING,
    ACTION_NEW,
    ACTION_RECEIVE,
    ACTION_REFUSE,
    ACTION_REPRINT,
    ACTION_SUPPLEMENT,
    ReceptionPresenter,
    Session,
)
from .view import ReceptionWidget

if TYPE_CHECKING:
    from counter_app.services.facade import Services


def create(services: Services, runner: TaskRunner, session: Session) -> ReceptionWidget:
    """Build the screen: widget + presenter wired through signals (the presenter owns no widget)."""
    view = ReceptionWidget()
    presenter = ReceptionPresenter(view, services, runner, session)
    view.presenter = presenter  # keep it alive with the widget, and reachable from tests
    view.draft, view.restore_draft = presenter.draft, presenter.restore  # kept over a log-out (ui/session.py)
    handlers = {
        ACTION_RECEIVE: presenter.receive,
        ACTION_SUPPLEMENT: presenter.supplement,
        ACTION_REFUSE: presenter.refuse,
        ACTION_NEW: presenter.new,
        ACTION_REPRINT: presenter.reprint,
        ACTION_FILL_RETURNING: presenter.fill_returning,
    }
    view.sig_action.connect(lambda name: handlers[name]())
    view.picker.sig_query_changed.connect(presenter.filter)
    def picked(code: str) -> None:
        presenter.pick(code)
        view.fields["applicant.name"].setFocus()

    view.picker.sig_picked.connect(picked)
    view.sig_field_left.connect(presenter.field_left)
    view.sig_inputs_changed.connect(presenter.refresh_quote)

    def last_pdf() -> tuple[bytes, str] | None:
        last = presenter.last
        return (last.pdf, f"{last.dossier.code}_Mau{last.form}") if last and last.pdf else None

    view.sig_preview.connect(lambda: (pdf := last_pdf()) and preview(pdf[0], view))
    view.sig_save_pdf.connect(lambda: (pdf := last_pdf()) and save_as(pdf[0], title=pdf[1], parent=view))
    offer_printer_choice(view.banner, view, services, runner, session, presenter.reprint)
    presenter.start()
    return view
