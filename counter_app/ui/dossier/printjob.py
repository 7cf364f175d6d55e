"""Printing a dossier's forms from the lifecycle screens (worker-thread functions).

Same order as Reception: ask ``is_reprint`` (a copy is marked BẢN SAO), render,
deliver per the printer setting, and only then ``record`` — a failed attempt is
not a print, so the first paper that really comes out is the original.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from counter_app.services.views import ClerkView, DossierView, HandoverBatchView

from ..printing import PrintFailed, deliver

if TYPE_CHECKING:
    from counter_app.services.facade import Services

# services.prints form name -> Mẫu number printed in file names and messages.
FORM_NUMBERS = {"receipt": "01", "supplement": "02", "refusal": "03", "apology": "04", "stop": "05", "control_sheet": "06"}
FORM_LABELS = {  # Vietnamese, translated with tr() where shown
    "receipt": "Mẫu 01 – Giấy tiếp nhận, hẹn trả",
    "supplement": "Mẫu 02 – Yêu cầu bổ sung",
    "refusal": "Mẫu 03 – Từ chối",
    "apology": "Mẫu 04 – Xin lỗi, hẹn lại",
    "stop": "Mẫu 05 – Dừng giải quyết",
    "control_sheet": "Mẫu 06 – Phiếu kiểm soát",
    "handover": "Danh sách bàn giao",
}


@dataclass(frozen=True)
class PrintOutcome:
    """What came out: the PDF (for preview / save), where it went, or why paper is missing."""

    form: str
    title: str
    pdf: bytes | None
    where: str = ""
    error: str = ""
    original: bool = True
    code: str = ""
    batch_id: str = ""  # a hand-over list is logged per batch


def _renderer(form: str) -> Any:
    # Imported late: reportlab is heavy and only needed to print.
    from counter_app.printing import forms, handover_list, lifecycle_forms

    return {
        "receipt": forms.render_receipt,
        "supplement": forms.render_supplement_request,
        "refusal": forms.render_refusal,
        "apology": lifecycle_forms.render_apology,
        "stop": lifecycle_forms.render_stop_notice,
        "control_sheet": lifecycle_forms.render_control_sheet,
        "handover": handover_list.render_handover_list,
    }[form]


def _options(services: Services, reprint: bool) -> Any:
    from counter_app.printing import forms

    return forms.PrintOptions(paper=services.office.get_setting("paper", "A4"), copies=1, reprint=reprint)


def _deliver(services: Services, clerk: ClerkView, form: str, code: str, title: str, subject: Any,
             batch_id: str = "") -> PrintOutcome:
    pdf, reprint = None, False
    try:
        reprint = services.prints.is_reprint(code, form, batch_id=batch_id)
        pdf = _renderer(form)(subject, services.office.office(), clerk, _options(services, reprint))
        where = deliver(pdf, title=title, printer=services.office.get_setting("printer", ""), reprint=reprint)
        services.prints.record(code, form, clerk.username, batch_id=batch_id)
        return PrintOutcome(form, title, pdf, where=where, original=not reprint, code=code, batch_id=batch_id)
    except PrintFailed as exc:
        return PrintOutcome(form, title, pdf, error=str(exc.params.get("reason", "")), original=not reprint, code=code,
                            batch_id=batch_id)
    except Exception as exc:  # noqa: BLE001 - the action is saved; say why paper is missing
        return PrintOutcome(form, title, pdf, error=str(exc) or type(exc).__name__, original=not reprint, code=code,
                            batch_id=batch_id)


def unprinted(outcomes: list[PrintOutcome | None]) -> list[PrintOutcome]:
    """Prints that failed on the way to paper (their PDF exists): what "print again" retries."""
    return [o for o in outcomes if o is not None and o.error and o.pdf is not None]


def retry_prints(services: Services, clerk: ClerkView, outcomes: list[PrintOutcome]) -> list[PrintOutcome]:
    """Deliver the PDFs of failed prints again, per the (just changed) printer setting (worker thread).

    The failed attempt was not logged, so the first paper that comes out is still the original.
    """
    out = []
    for o in outcomes:
        try:
            where = deliver(o.pdf or b"", title=o.title, printer=services.office.get_setting("printer", ""), reprint=not o.original)
            services.prints.record(o.code, o.form, clerk.username, batch_id=o.batch_id)
            out.append(replace(o, where=where, error=""))
        except PrintFailed as exc:
            out.append(replace(o, error=str(exc.params.get("reason", ""))))
        except Exception as exc:  # noqa: BLE001 - say why paper is still missing
            out.append(replace(o, error=str(exc) or type(exc).__name__))
    return out


def print_form(services: Services, clerk: ClerkView, dossier: DossierView, form: str) -> PrintOutcome:
    """Print one form of a dossier (Mẫu 01–06) on the worker thread."""
    title = f"{dossier.code}_Mau{FORM_NUMBERS[form]}"
    return _deliver(services, clerk, form, dossier.code, title, with_latest_request(dossier, form))


def with_latest_request(dossier: DossierView, form: str) -> DossierView:
    """Mẫu 02 / 03 print ``missing`` and ``reason``: those of the LATEST request or refusal.

    The dossier's own fields hold what was decided at the counter; a department's later
    request lives in its event (docs/events.md), so the form must show that one.
    """
    kind = {"supplement": "supplement_requested", "refusal": "refused"}.get(form)
    events = [e for e in dossier.events if e.kind == kind]
    if not events:
        return dossier
    data = events[-1].data
    return replace(dossier, missing=tuple(data.get("missing") or dossier.missing), reason=str(data.get("reason") or dossier.reason))


def print_handover(services: Services, clerk: ClerkView, batch: HandoverBatchView) -> PrintOutcome:
    """Print a hand-over list; logged on the batch (through its first dossier), so each batch's first paper is an original."""
    code = batch.dossiers[0].code if batch.dossiers else ""
    title = f"BanGiao_{batch.number or batch.batch_id[-6:]}_{batch.to}_{batch.handed_at:%y%m%d-%H%M}"
    return _deliver(services, clerk, "handover", code, title, batch, batch.batch_id)


def forms_of(dossier: DossierView) -> list[str]:
    """The forms this dossier has (what can be reprinted), in Mẫu order."""
    kinds = {e.kind for e in dossier.events}
    have = {
        "receipt": "received" in kinds,
        "supplement": "supplement_requested" in kinds,
        "refusal": "refused" in kinds,
        "apology": "extended" in kinds,
        "stop": "stopped" in kinds,
        "control_sheet": "handed_over" in kinds,
    }
    return [form for form in FORM_NUMBERS if have[form]]
