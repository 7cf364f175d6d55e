"""Printing a form: one use case for every form, first paper or reprint, on every screen and the
command line.

The order is the law of the print log: read what the paper needs (one read, no write lock),
render, deliver, and only then ``PrintLog.record`` — a failed attempt is not a print, so the
first paper that really comes out is the original and every later one a copy (BẢN SAO).

The paper is signed by the clerk who made the act it records (the receiving clerk on Mẫu 01,
the one who extended on Mẫu 04…), whoever prints it; the print log records who printed.
Rendering (reportlab) and delivering (a printer, a PDF folder, a file) are ports the composition
root and the caller plug in, so this module imports no framework.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from ..domain.errors import DomainError
from ..domain.ports import UnitOfWork
from .context import ServiceContext, SettingKey
from .dossiers import FORM_EVENTS, PrintLog, printed_before, require_form
from .lifecycle_support import Session, find_dossier
from .office import office_of
from .security import Permission, guard
from .views import ClerkView, DossierView, HandoverBatchView, OfficeView
from .views_build import clerk_view

# Form name -> Mẫu number, in file names and messages (the hand-over list has none).
FORM_NUMBERS = {"receipt": "01", "supplement": "02", "refusal": "03", "apology": "04", "stop": "05",
                "control_sheet": "06"}
_COPIES = {"receipt": 2}  # Mẫu 01 has two liên: the citizen's and the one the office keeps

PrintSubject = DossierView | HandoverBatchView


class RenderForm(Protocol):
    """PDF bytes of ``form`` for ``subject``, signed by ``signer`` (``printing/render_form.py``)."""

    def __call__(self, form: str, subject: PrintSubject, office: OfficeView, signer: ClerkView, *,
                 paper: str, copies: int, reprint: bool) -> bytes: ...


class DeliverPdf(Protocol):
    """Put ``pdf`` on paper or disk; returns where it went. Raises ``DomainError("print.failed",
    reason=...)`` when it could not (no printer, a folder that refuses the file)."""

    def __call__(self, pdf: bytes, /, *, title: str, printer: str, reprint: bool) -> str: ...


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


@dataclass(frozen=True)
class _Job:
    form: str
    title: str
    code: str
    subject: PrintSubject
    office: OfficeView
    signer: ClerkView
    paper: str
    printer: str
    reprint: bool
    batch_id: str = ""


class PrintService:
    def __init__(self, ctx: ServiceContext, render: RenderForm | None,
                 batches: Callable[[str], HandoverBatchView]) -> None:
        self._ctx = ctx
        self._render = render
        self._batches = batches  # a hand-over list by batch id (the lifecycle service's view)
        self._log = PrintLog(ctx)

    def print_form(self, code: str, form: str, clerk: str, deliver: DeliverPdf, *, paper: str = "") -> PrintOutcome:
        """Print ``form`` (Mẫu 01–06) of dossier ``code`` for ``clerk``; ``paper`` "" = the workstation's."""
        if form not in FORM_NUMBERS:
            raise DomainError("dossier.no_such_form", code=code, form=form)
        with self._ctx.reading() as uow:
            guard(uow, clerk, Permission.PRINT)
            dossier = find_dossier(uow, code)
            events = uow.events.for_dossier(dossier.id)
            require_form(events, dossier.code, form, "")
            view = with_latest_request(Session(self._ctx, uow).view(dossier), form)
            job = _Job(form, f"{view.code}_Mau{FORM_NUMBERS[form]}", view.code, view, office_of(uow),
                       _signer(uow, _actor(view, form), view.office_code), *_paper_and_printer(uow, paper),
                       reprint=printed_before(events, form, ""))
        return self._run(job, clerk, deliver)

    def print_handover(self, batch_id: str, clerk: str, deliver: DeliverPdf, *, paper: str = "") -> PrintOutcome:
        """Print the hand-over list of a batch (by id or by its "BG-…" number); one original per batch."""
        batch = self._batches(batch_id)
        code = batch.dossiers[0].code if batch.dossiers else ""
        title = f"BanGiao_{batch.number or batch.batch_id[-6:]}_{batch.to}_{batch.handed_at:%y%m%d-%H%M}"
        with self._ctx.reading() as uow:
            guard(uow, clerk, Permission.PRINT)
            dossier = find_dossier(uow, code)
            events = uow.events.for_dossier(dossier.id)
            require_form(events, code, "handover", batch.batch_id)
            job = _Job("handover", title, code, batch, office_of(uow), _signer(uow, batch.clerk, batch.from_code),
                       *_paper_and_printer(uow, paper), reprint=printed_before(events, "handover", batch.batch_id),
                       batch_id=batch.batch_id)
        return self._run(job, clerk, deliver)

    def retry(self, outcomes: Sequence[PrintOutcome], clerk: str, deliver: DeliverPdf) -> list[PrintOutcome]:
        """Deliver the PDFs of failed prints again, per the (just changed) printer setting.

        The failed attempt was not logged, so the first paper that comes out is still the original.
        """
        with self._ctx.reading() as uow:
            printer = _setting(uow, SettingKey.PRINTER, "")
        out = []
        for o in outcomes:
            try:
                where = deliver(o.pdf or b"", title=o.title, printer=printer, reprint=not o.original)
                self._log.record(o.code, o.form, clerk, batch_id=o.batch_id)
                out.append(replace(o, where=where, error=""))
            except Exception as exc:  # noqa: BLE001 - say why paper is still missing
                out.append(replace(o, error=_reason(exc)))
        return out

    def _run(self, job: _Job, clerk: str, deliver: DeliverPdf) -> PrintOutcome:
        if self._render is None:
            raise DomainError("print.failed", reason="no renderer")
        pdf: bytes | None = None
        outcome = PrintOutcome(job.form, job.title, None, original=not job.reprint, code=job.code,
                               batch_id=job.batch_id)
        try:
            pdf = self._render(job.form, job.subject, job.office, job.signer, paper=job.paper,
                               copies=_COPIES.get(job.form, 1), reprint=job.reprint)
            where = deliver(pdf, title=job.title, printer=job.printer, reprint=job.reprint)
            # Logged only once paper (or the PDF) came out: a failed attempt is not a print.
            self._log.record(job.code, job.form, clerk, batch_id=job.batch_id)
            return replace(outcome, pdf=pdf, where=where)
        except Exception as exc:  # noqa: BLE001 - the act is saved; say why paper is missing
            return replace(outcome, pdf=pdf, error=_reason(exc))


def with_latest_request(dossier: DossierView, form: str) -> DossierView:
    """Mẫu 02 / 03 print ``missing`` and ``reason``: those of the LATEST request or refusal.

    The dossier's own fields hold what was decided at the counter; a department's later
    request lives in its event (docs/events.md), so the form must show that one.
    """
    if form not in ("supplement", "refusal"):
        return dossier
    events = [e for e in dossier.events if e.kind == FORM_EVENTS[form].value]
    if not events:
        return dossier
    data = events[-1].data
    return replace(dossier, missing=tuple(data.get("missing") or dossier.missing),
                   reason=str(data.get("reason") or dossier.reason))


def _actor(dossier: DossierView, form: str) -> str:
    if form == "receipt":
        return dossier.received_by
    acts = [e for e in dossier.events if e.kind == FORM_EVENTS[form].value]  # the act the paper records
    return acts[-1].actor if acts else dossier.received_by


def _signer(uow: UnitOfWork, username: str, office_code: str) -> ClerkView:
    """The clerk who made the act; a clerk this workstation does not know (another counter's,
    since removed) still signs with the name the dossier keeps."""
    user = uow.users.get_by_username(username) if username else None
    return clerk_view(user) if user is not None else ClerkView(username, username, "", office_code)


def _paper_and_printer(uow: UnitOfWork, paper: str) -> tuple[str, str]:
    return paper or _setting(uow, SettingKey.PAPER, "A4"), _setting(uow, SettingKey.PRINTER, "")


def _setting(uow: UnitOfWork, key: str, default: str) -> str:
    value = uow.settings.get(key)
    return default if value is None else value


def _reason(exc: BaseException) -> str:
    if isinstance(exc, DomainError) and exc.code == "print.failed":
        return str(exc.params.get("reason", ""))
    return str(exc) or type(exc).__name__
