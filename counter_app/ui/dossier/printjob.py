"""Printing from the lifecycle screens: the print use case (``services.printing``) delivering to
this workstation's printer or PDF folder (worker-thread functions).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from counter_app.services.dossiers import FORM_EVENTS
from counter_app.services.printing import FORM_NUMBERS, PrintOutcome
from counter_app.services.views import ClerkView, DossierView, HandoverBatchView

from ..printing import deliver

if TYPE_CHECKING:
    from counter_app.services.facade import Services

__all__ = ["FORM_LABELS", "FORM_NUMBERS", "PrintOutcome", "forms_of", "print_form", "print_handover",
           "retry_prints", "unprinted"]

FORM_LABELS = {  # Vietnamese, translated with tr() where shown
    "receipt": "Mẫu 01 – Giấy tiếp nhận, hẹn trả",
    "supplement": "Mẫu 02 – Yêu cầu bổ sung",
    "refusal": "Mẫu 03 – Từ chối",
    "apology": "Mẫu 04 – Xin lỗi, hẹn lại",
    "stop": "Mẫu 05 – Dừng giải quyết",
    "control_sheet": "Mẫu 06 – Phiếu kiểm soát",
    "handover": "Danh sách bàn giao",
}


def unprinted(outcomes: list[PrintOutcome | None]) -> list[PrintOutcome]:
    """Prints that failed on the way to paper (their PDF exists): what "print again" retries."""
    return [o for o in outcomes if o is not None and o.error and o.pdf is not None]


def retry_prints(services: Services, clerk: ClerkView, outcomes: list[PrintOutcome]) -> list[PrintOutcome]:
    """Deliver the PDFs of failed prints again, per the (just changed) printer setting (worker thread)."""
    return services.printing.retry(outcomes, clerk.username, deliver)


def print_form(services: Services, clerk: ClerkView, dossier: DossierView, form: str) -> PrintOutcome:
    """Print one form of a dossier (Mẫu 01–06) on the worker thread."""
    return services.printing.print_form(dossier.code, form, clerk.username, deliver)


def print_handover(services: Services, clerk: ClerkView, batch: HandoverBatchView) -> PrintOutcome:
    """Print a hand-over list; logged on the batch, so each batch's first paper is an original."""
    return services.printing.print_handover(batch.batch_id, clerk.username, deliver)


def forms_of(dossier: DossierView) -> list[str]:
    """The forms this dossier has (what can be reprinted), in Mẫu order."""
    kinds = {e.kind for e in dossier.events}
    return [form for form in FORM_NUMBERS if FORM_EVENTS[form].value in kinds]
