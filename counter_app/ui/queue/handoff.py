"""From the queue to Reception: the served ticket's procedures and note go into the form.

The queue panel only knows the main window by its public face (``show_screen`` and the
``widgets`` registry), so it works in any window that has a "reception" screen.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from ..i18n import tr

SCREEN_RECEPTION = "reception"


def reception_of(window: QWidget | None) -> Any:
    return getattr(window, "widgets", {}).get(SCREEN_RECEPTION)


def prefill_reception(window: QWidget | None, ticket: Any) -> Any:
    """Show Reception for ``ticket``: its one procedure chosen, or the list narrowed to its service's."""
    show = getattr(window, "show_screen", None)
    reception = show(SCREEN_RECEPTION) if show is not None else None
    if reception is None:
        return None
    presenter = reception.presenter
    known = {p.code for p in presenter.procedures}
    codes = [c for c in ticket.procedures if c in known]
    if len(codes) == 1:
        presenter.pick(codes[0])
        reception.fields["applicant.name"].setFocus(Qt.FocusReason.OtherFocusReason)
    elif codes:
        reception.picker.search.clear()
        reception.show_procedures([p for p in presenter.procedures if p.code in codes])
    text = tr("Đang phục vụ số {number} — {service}").format(number=ticket.number, service=ticket.service_name)
    if ticket.note:
        text += " · " + tr("Ghi chú: {note}").format(note=ticket.note)
    reception.show_banner(text, "ok")
    return reception
