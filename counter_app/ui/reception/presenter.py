"""Reception screen logic, free of widgets (Mu's habit): testable with a fake view.

The presenter turns what the clerk typed into a ``ReceiveCommand``, sends every
service call through the background runner, and tells the view what to show.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

from counter_app.domain.attachments import AttachmentDraft
from counter_app.domain.errors import ValidationFailed
from counter_app.domain.text import matches
from counter_app.services.commands import ApplicantInput, ComponentInput, ReceiveCommand
from counter_app.services.views import DossierView, ProcedureView, QuoteView

from ..clerk_session import Session
from ..i18n import due_text, error_text, language, money, msg, tr
from ..printing import deliver

if TYPE_CHECKING:
    from counter_app.services.facade import Services

# Field paths of ValidationFailed, in screen (tab) order: the first one gets the focus.
FIELD_ORDER = (
    "procedure",
    "applicant.name",
    "applicant.id_number",
    "applicant.phone",
    "applicant.address",
    "applicant.email",
    "components",
    "sets",
    "pages",
    "delivery",
    "received_at",
    "extension",
    "extension_reason",
)

# Action names (Spyder habit: constants, not bare strings).
ACTION_RECEIVE = "receive"
ACTION_SUPPLEMENT = "supplement"
ACTION_REFUSE = "refuse"
ACTION_NEW = "new"
ACTION_REPRINT = "reprint"
ACTION_FILL_RETURNING = "fill_returning"
RETURNING_FIELDS = ("name", "phone", "address", "email")  # ApplicantView attribute = FormData attribute

FORM_NAMES = {"01": "receipt", "02": "supplement", "03": "refusal"}  # names of services.prints.record


@dataclass(frozen=True)
class ComponentRow:
    name: str
    kind: str
    count: int
    ticked: bool
    mandatory: bool
    group: str = ""  # "A hoặc B": the component this paper (or its alternative) satisfies


def missing_papers(rows: tuple[ComponentRow, ...]) -> list[str]:
    """Mandatory components not handed in, for Mẫu 02; a group of alternatives is named once, as a group."""
    out: list[str] = []
    for r in rows:
        if not r.mandatory or r.ticked:
            continue
        if not r.group:
            out.append(r.name)
        elif r.group not in out and not any(o.ticked for o in rows if o.group == r.group):
            out.append(r.group)
    return out


@dataclass(frozen=True)
class FormData:
    procedure_code: str = ""
    name: str = ""
    id_number: str = ""
    phone: str = ""
    address: str = ""
    email: str = ""
    components: tuple[ComponentRow, ...] = ()
    sets: int = 1
    pages: int | None = None
    delivery: str = "counter"
    late: bool = False
    note: str = ""
    extension: tuple[str, int | None, str] = ("", None, "")  # (catalogue key, days, reason)

    def component_names(self) -> list[str]:
        return [r.name for r in self.components]

    def is_empty(self) -> bool:
        return not (self.procedure_code or self.name or self.id_number or self.phone or self.address or self.email
                    or self.note)


@dataclass(frozen=True)
class Printed:
    """Outcome of a use case + its form: the dossier is saved even when printing failed."""

    dossier: DossierView
    pdf: bytes | None
    form: str  # "01" | "02" | "03"
    where: str = ""
    print_error: str = ""
    original: bool = True  # False when rendered as a copy (BẢN SAO)



class ReceptionView(Protocol):
    def show_procedures(self, procedures: list[ProcedureView]) -> None: ...
    def show_procedure(self, procedure: ProcedureView | None) -> None: ...
    def form_data(self) -> FormData: ...
    def fill_form(self, data: FormData) -> None: ...
    def show_errors(self, errors: dict[str, str], *, only: set[str] | None = None) -> None: ...
    def show_warnings(self, warnings: dict[str, str], *, only: set[str] | None = None) -> None: ...
    def focus_field(self, path: str) -> None: ...
    def show_quote(self, fee: str, due: str) -> None: ...
    def show_banner(self, text: str, kind: str, *, reprint: bool = False, choose_printer: bool = False) -> None: ...
    def clear_form(self) -> None: ...
    def set_busy(self, busy: bool) -> None: ...
    def ask_supplement(self, missing: list[str], on_ok: Callable[[list[str], str], None]) -> None: ...
    def ask_refusal(self, on_ok: Callable[[str], None]) -> None: ...
    def confirm_discard(self, on_ok: Callable[[], None]) -> None: ...
    def offer_returning(self, applicant: Any) -> None: ...
    def fill_applicant(self, values: dict[str, str]) -> None: ...
    def confirm_overwrite(self, fields: list[str], on_choice: Callable[[bool], None]) -> None: ...


class Runner(Protocol):
    def submit(self, fn: Callable[[], Any], on_done: Any = None, on_error: Any = None) -> int: ...


Drafts = tuple[AttachmentDraft, ...]


class Files(Protocol):
    """The scan panel (scan_presenter.ScanPresenter): the components' staged files."""

    def when_ready(self, ready: Callable[[Drafts], None], failed: Callable[[], None]) -> None: ...
    def look_up(self, id_number: str) -> None: ...
    def clear(self) -> None: ...
    def keep(self, components: list[str]) -> None: ...
    def refresh(self) -> None: ...


def build_command(data: FormData) -> ReceiveCommand:
    return ReceiveCommand(
        procedure_code=data.procedure_code,
        applicant=ApplicantInput(
            name=data.name.strip(),
            id_number=data.id_number.strip(),
            phone=data.phone.strip(),
            address=data.address.strip(),
            email=data.email.strip(),
        ),
        components=tuple(ComponentInput(r.name, r.kind, r.count) for r in data.components if r.ticked),
        sets=data.sets,
        pages=data.pages,
        delivery=data.delivery,
        late_registration=data.late,
        note=data.note.strip(),
        extension=data.extension[0],
        extension_days=data.extension[1],
        extension_reason=data.extension[2].strip(),
    )


def check_texts(codes: dict[str, str], params: dict[str, dict]) -> dict[str, str]:
    """Field path -> message, each with the values it names (shown under its own field)."""
    return {path: msg(code, **params.get(path, {})) for path, code in codes.items()}


def error_texts(exc: ValidationFailed) -> dict[str, str]:
    return check_texts(exc.errors, exc.field_params)


def collect_text(dossier: DossierView) -> str:
    """ "Thu lệ phí: 10.000 đ · Hẹn trả: 17:00 thứ Năm 03/12/2026" for a received dossier."""
    fee = tr("Thu lệ phí: {amount}").format(amount=money(dossier.fee)) if dossier.fee else tr("Không thu lệ phí")
    due = tr("Hẹn trả: {when}").format(when=due_text(dossier.due_at)) if dossier.due_at else tr("Hẹn trả: —")
    return f"{fee} · {due}"


def first_field(errors: dict[str, str]) -> str | None:
    for path in FIELD_ORDER:
        if path in errors:
            return path
    return next(iter(errors), None)


class ReceptionPresenter:
    def __init__(self, view: ReceptionView, services: Services, runner: Runner, session: Session) -> None:
        self.view = view
        self.services = services
        self.runner = runner
        self.session = session
        self.procedures: list[ProcedureView] = []
        self.current: ProcedureView | None = None
        self.last: Printed | None = None
        self.returning: Any = None  # ApplicantView offered for F4, or None
        self._quote_seq = 0
        self._kept: FormData | None = None  # a form to put back once the catalogue is loaded
        self.files: Files | None = None  # the scan panel, set by reception.create

    # --- procedures ---------------------------------------------------------
    def start(self) -> None:
        """Load the catalogue once: it is small and lets the picker filter on every keystroke."""
        self.runner.submit(lambda: self.services.reception.procedures(""), self._loaded, self._failed)

    def _loaded(self, procedures: list[ProcedureView]) -> None:
        self.procedures = list(procedures)
        self.view.show_procedures(self.procedures)
        if self._kept is not None:
            self.restore(self._kept)

    def draft(self) -> FormData | None:
        """The half-filled form, kept for this clerk when they log out (None: nothing typed)."""
        data = self.view.form_data()
        return None if data.is_empty() else data

    def restore(self, data: FormData) -> None:
        """Fill back the form this clerk left when they logged out."""
        if not self.procedures:
            self._kept = data
            return
        self._kept = None
        if data.procedure_code:
            self.pick(data.procedure_code)
        self.view.fill_form(data)
        self.refresh_quote()

    def filter(self, query: str) -> list[ProcedureView]:
        found = [p for p in self.procedures if matches(query, p.code, p.name)]
        self.view.show_procedures(found)
        return found

    def pick(self, code: str) -> None:
        self.current = next((p for p in self.procedures if p.code == code), None)
        self.view.show_procedure(self.current)
        if self.files is not None:  # pages scanned for a paper the new procedure also asks for stay
            self.files.keep(self.view.form_data().component_names())
        self.view.show_errors({}, only={"procedure", "components", "pages"})
        self.refresh_quote()

    def retranslate(self) -> None:
        """The language changed: say the last outcome and the quote again in the new language."""
        if self.last is not None:
            self.view.show_banner(self._outcome_text(self.last), "warn" if self.last.print_error else "ok",
                                  reprint=True,
                                  choose_printer=bool(self.last.print_error))
        if self.files is not None:
            self.files.refresh()
        self.refresh_quote()

    # --- live quote and validation ------------------------------------------
    def refresh_quote(self) -> None:
        data = self.view.form_data()
        if not data.procedure_code:
            self.view.show_quote("", "")
            return
        self._quote_seq += 1
        seq = self._quote_seq
        cmd = build_command(data)
        self.runner.submit(lambda: self.services.reception.quote(cmd, language()), lambda q: self._quoted(seq, q),
                           lambda e: self._quote_failed(seq, e))

    def _quoted(self, seq: int, quote: QuoteView) -> None:
        if seq != self._quote_seq:
            return  # an older answer arriving after a newer request
        if quote.fee == 0 and quote.fee_explanation:
            fee = tr("Lệ phí: {amount}").format(amount=quote.fee_explanation)  # "Miễn lệ phí (…)" says it all
        else:
            fee = tr("Lệ phí: {amount}").format(amount=money(quote.fee))
            if quote.fee_explanation:
                fee += f" — {quote.fee_explanation}"
        due = tr("Hẹn trả: {when}").format(when=due_text(quote.due_at)) if quote.due_at else tr("Hẹn trả: —")
        if quote.due_explanation:
            due += f" — {quote.due_explanation}"
        self.view.show_quote(fee, due)

    def _quote_failed(self, seq: int, exc: BaseException) -> None:
        if seq != self._quote_seq:
            return
        if isinstance(exc, ValidationFailed):
            self.view.show_quote(tr("Lệ phí: —"), tr("Hẹn trả: —"))
            self.view.show_errors(error_texts(exc), only={"pages", "sets"})
        else:
            self._failed(exc)

    def field_left(self, path: str) -> None:
        """Validate one field when the clerk leaves it, without shouting about the others."""
        cmd = build_command(self.view.form_data())
        self.runner.submit(lambda: self.services.reception.check(cmd), lambda found: self._field_checked(path, found),
                           self._failed)

    def _field_checked(self, path: str, found: Any) -> None:
        self.view.show_errors(check_texts(found.errors, found.params), only={path})
        self.view.show_warnings(check_texts(found.warnings, found.warning_params), only={path})
        if path == "applicant.id_number" and path not in found.errors:
            self.look_up_returning()

    # --- a returning citizen ------------------------------------------------
    def look_up_returning(self) -> None:
        """Offer the details of the last dossier with this ID number (looked up on the worker)."""
        number = self.view.form_data().id_number.strip()
        if self.files is not None:  # the applicant's earlier digitised papers, offered for reuse
            self.files.look_up(number)
        if not number:
            self.returning = None
            self.view.offer_returning(None)
            return
        self.runner.submit(lambda: self.services.reception.returning_applicant(number),
                           lambda found: self._returning_found(number, found), self._failed)

    def _returning_found(self, number: str, found: Any) -> None:
        data = self.view.form_data()
        if data.id_number.strip() != number:
            return  # the clerk typed another number meanwhile
        same = found is not None and all(getattr(data, f).strip() == getattr(found, f) for f in RETURNING_FIELDS)
        self.returning = None if same else found
        self.view.offer_returning(self.returning)

    def fill_returning(self) -> None:
        """F4: fill the offered details; what the clerk typed is replaced only if they agree."""
        found = self.returning
        data = self.view.form_data()
        if found is None or "".join(data.id_number.split()).upper() != found.id_number:
            return
        values = {f: getattr(found, f) for f in RETURNING_FIELDS if getattr(found, f)}
        typed = [f for f, v in values.items() if getattr(data, f).strip() and getattr(data, f).strip() != v]

        def apply(overwrite: bool) -> None:
            keep = set() if overwrite else set(typed)
            self.view.fill_applicant({f: v for f, v in values.items() if f not in keep})
            self.returning = None
            self.view.offer_returning(None)

        if typed:
            self.view.confirm_overwrite(typed, apply)
        else:
            apply(False)

    # --- actions ------------------------------------------------------------
    def receive(self) -> None:
        self._with_files(self._receive)

    def _receive(self, files: Drafts) -> None:
        cmd = replace(build_command(self.view.form_data()), attachments=files)
        clerk = self.session.clerk.username

        # receive() checks everything itself and raises ValidationFailed with the message values.
        self._run(lambda: self._print(self.services.reception.receive(cmd, clerk), "01"))

    def _with_files(self, then: Callable[[Drafts], None]) -> None:
        """``then(drafts)`` with the scan panel's staged files: at once, or when the one staging still
        running is done (never an upload: files go up on their own channel after the save)."""
        if self.files is None:
            then(())
            return
        self.view.set_busy(True)
        self.files.when_ready(then, lambda: self.view.set_busy(False))

    def supplement(self) -> None:
        data = self.view.form_data()
        missing = missing_papers(data.components)
        self.view.ask_supplement(missing, self._supplement_confirmed)

    def _supplement_confirmed(self, missing: list[str], reason: str) -> None:
        self._with_files(lambda files: self._supplement(missing, reason, files))

    def _supplement(self, missing: list[str], reason: str, files: Drafts) -> None:
        cmd = replace(build_command(self.view.form_data()), attachments=files)
        clerk = self.session.clerk.username
        self._run(lambda: self._print(self.services.reception.request_supplement(cmd, missing, reason, clerk), "02"))

    def refuse(self) -> None:
        self.view.ask_refusal(self._refusal_confirmed)

    def _refusal_confirmed(self, reason: str) -> None:
        self._with_files(lambda files: self._refuse(reason, files))

    def _refuse(self, reason: str, files: Drafts) -> None:
        cmd = replace(build_command(self.view.form_data()), attachments=files)
        clerk = self.session.clerk.username
        self._run(lambda: self._print(self.services.reception.refuse(cmd, reason, clerk), "03"))

    def reprint(self) -> None:
        if self.last is None:
            return
        last = self.last
        # Re-rendered, not resent: a copy (BẢN SAO) if paper came out before, else the original.
        self._run(lambda: self._print(last.dossier, last.form), clear=False)

    def new(self) -> None:
        if self.view.form_data().is_empty():
            self._reset()
        else:
            self.view.confirm_discard(self._reset)

    def _reset(self) -> None:
        self.current = None
        self.returning = None
        self.view.clear_form()
        if self.files is not None:
            self.files.clear()

    # --- background work ----------------------------------------------------
    def _print(self, dossier: DossierView, form: str) -> Printed:
        """Print on the worker (services.printing). A printing failure never undoes the saved dossier."""
        outcome = self.services.printing.print_form(dossier.code, FORM_NAMES[form], self.session.clerk.username,
                                                    deliver)
        return Printed(dossier, outcome.pdf, form, where=outcome.where, print_error=outcome.error,
                       original=outcome.original)

    def _run(self, job: Callable[[], Printed], *, clear: bool = True) -> None:
        self.view.set_busy(True)
        self.runner.submit(job, lambda result: self._done(result, clear), self._action_failed)

    def _done(self, result: Printed, clear: bool) -> None:
        self.view.set_busy(False)
        self.last = result
        if clear:
            self.current = None
            self.returning = None
            self.view.clear_form()
            if self.files is not None:
                self.files.clear()
        self.view.show_banner(self._outcome_text(result), "warn" if result.print_error else "ok", reprint=True,
                              choose_printer=bool(result.print_error))

    @staticmethod
    def _outcome_text(result: Printed) -> str:
        text = {
            "01": tr("Đã tiếp nhận hồ sơ {code}"),
            # Never received: the slip's own reference, not a dossier code (services/reception.py).
            "02": tr("Đã lập phiếu yêu cầu bổ sung, số tham chiếu {code} (chưa tiếp nhận hồ sơ)"),
            "03": tr("Đã lập phiếu từ chối tiếp nhận, số tham chiếu {code}"),
        }[result.form].format(code=result.dossier.code)
        if result.print_error:
            text = tr("Đã lưu hồ sơ {code} nhưng chưa in được: {reason}. "
                      "Chọn máy in hoặc thư mục PDF để in lại.").format(code=result.dossier.code,
                                                                       reason=result.print_error)
        if result.form == "01":  # what the clerk says next: the fee to collect and when to come back
            text += "\n" + collect_text(result.dossier)
        return text

    def _action_failed(self, exc: BaseException) -> None:
        self.view.set_busy(False)
        if isinstance(exc, ValidationFailed):
            errors = error_texts(exc)
            self.view.show_errors(errors)
            self.view.show_banner(msg("validation.failed", count=len(errors)), "error")
            first = first_field(errors)
            if first:
                self.view.focus_field(first)
        else:
            self._failed(exc)

    def _failed(self, exc: BaseException) -> None:
        self.view.show_banner(error_text(exc), "error")
