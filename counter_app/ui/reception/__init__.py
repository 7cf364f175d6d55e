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
from .scan_panel import IMPORT, RESCAN, REUSE, ROTATE, SCAN
from .scan_presenter import ScanPresenter
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
    _wire_files(view, presenter, services, runner)
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


def _wire_files(view: ReceptionWidget, presenter: ReceptionPresenter, services: Services, runner: TaskRunner) -> None:
    """The scan panel on its own worker: a feeder's scan never holds up the database worker's save."""
    files_runner = TaskRunner()
    panel = view.scan_panel
    scans = ScanPresenter(panel, services, files_runner, runner, lambda text: view.show_banner(text, "error"))
    view.files_runner, view.scans, presenter.files = files_runner, scans, scans
    def rotate() -> None:
        tile = panel.selected_tile()
        if tile is not None:
            scans.rotate(tile)

    handlers = {SCAN: scans.scan, RESCAN: scans.rescan, REUSE: scans.reuse, ROTATE: rotate,
                IMPORT: lambda: panel.choose_file(scans.import_file)}
    panel.sig_action.connect(lambda name: handlers[name]())
    panel.strip.sig_move.connect(scans.move)
    panel.strip.sig_rotate.connect(scans.rotate)
    panel.strip.sig_delete.connect(scans.delete)
    panel.strip.sig_reordered.connect(scans.reorder)
    view.components.currentCellChanged.connect(lambda *_: scans.select(view.components.current_name()))
    view.destroyed.connect(lambda: files_runner.shutdown(wait=False))  # a scan nobody will read
