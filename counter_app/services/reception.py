"""Reception use cases: quote, validate, receive (Mẫu 01), supplement (Mẫu 02), refuse (Mẫu 03).

Each mutating call is one unit of work: the dossier, its first event and the
outbox rows commit together or not at all, so a receipt is only printed for a
dossier that exists and the sync issue finds every change in the outbox.
"""
from __future__ import annotations

import dataclasses
import logging
import random
from datetime import date, datetime, timedelta
from typing import Any

from ..domain import changes
from ..domain.calendar import WorkingCalendar
from ..domain.catalog import ComponentKind, ProcedureVersion
from ..domain.changes import ChangeKind
from ..domain.codes import NumberBlock, lookup_code, reference_code
from ..domain.deadline import procedure_due
from ..domain.dossier import (
    Applicant,
    AppliedExtension,
    Delivery,
    Dossier,
    DossierEvent,
    ReceivedComponent,
)
from ..domain.errors import DomainError, NotFound
from ..domain.fees import FeeInput
from ..domain.ids import uuid7
from ..domain.messages import message
from ..domain.numbering import (
    OFFICE_SLOT,
    IssuedNumbers,
    code_key,
    hub_code_key,
    hub_ledger_key,
    ledger_key,
    office_book,
    offline_ledger_number,
    reference_key,
)
from ..domain.org import OfficeHours
from ..domain.ports import DossierQuery, UnitOfWork
from ..domain.status import EventKind
from ..domain.text import fold, matches
from ..domain.validators import (
    message_params,
    validate_email,
    validate_id_number,
    validate_person_name,
    validate_phone,
)
from .commands import ComponentInput, ReceiveCommand
from .context import ServiceContext, SettingKey
from .reception_check import FieldCheck
from .reception_link import earlier_slip, follow_note
from .security import Permission, audit, can_issue_codes, require_user
from .views import ApplicantView, DossierView, ProcedureView, QuoteView
from .views_build import dossier_view, procedure_view

log = logging.getLogger(__name__)

# A paper backlog may be entered a few minutes "ahead" of a slow PC clock; more is a typo.
_FUTURE_TOLERANCE = timedelta(minutes=5)
_AUDIT = {EventKind.RECEIVED: "dossier.receive", EventKind.SUPPLEMENT_REQUESTED: "dossier.supplement_request",
          EventKind.REFUSED: "dossier.refuse"}
_MAX_TEXT = {"applicant.name": 100, "applicant.address": 300, "applicant.email": 120, "note": 1000, "reason": 2000,
             "extension_reason": 500}


CLOCK_REFUSE_SECONDS = 15 * 60  # the Sync screen warns from 5 minutes; reception stops beyond 15


def require_known_good_clock(uow: UnitOfWork) -> None:
    """Refuse to receive while the server's last hello said this PC's clock is far off.

    The receipt time decides the legal due date (the 15:00 cut-off, working days); a PC a
    day ahead would print wrong dates and carry the office's clock stamps forward. Once the
    clock is set right, the next sync round measures it again and reception resumes.
    """
    from .sync import SyncSetting  # here, not above: the first screen loads no sync module

    raw = uow.settings.get(SyncSetting.CLOCK_OFFSET)
    try:
        offset = float(raw) if raw else 0.0  # server minus this PC
    except ValueError:
        return
    if abs(offset) > CLOCK_REFUSE_SECONDS:
        minutes = round(abs(offset) / 60)
        raise DomainError("reception.clock_ahead" if offset < 0 else "reception.clock_behind", minutes=minutes)


class ReceptionService:
    def __init__(self, ctx: ServiceContext, rng: random.Random | None = None) -> None:
        self._ctx = ctx
        self._rng = rng or random.SystemRandom()

    # ---- read side -------------------------------------------------------------------
    def procedures(self, query: str = "") -> list[ProcedureView]:
        today = self._ctx.clock.now().date()
        with self._ctx.reading() as uow:
            versions = uow.catalog.list_current(today)
        hits = [v for v in versions if not query.strip() or matches(query, v.code, v.name, v.field)]
        hits.sort(key=lambda v: (fold(v.name), v.code))
        return [procedure_view(v) for v in hits]

    def procedure(self, code: str) -> ProcedureView:
        with self._ctx.reading() as uow:
            return procedure_view(self._current_procedure(uow, code, self._ctx.clock.now()))

    def quote(self, cmd: ReceiveCommand, lang: str = "vi") -> QuoteView:
        received_at = cmd.received_at or self._ctx.clock.now()
        with self._ctx.reading() as uow:
            pv = self._current_procedure(uow, cmd.procedure_code, received_at)
            calendar, hours = self._calendar(uow)
        fee = pv.fee.quote(FeeInput(copies=cmd.sets, pages=cmd.pages, late=cmd.late_registration))
        found = FieldCheck()
        extension = applied_extension(pv, cmd, found)
        # The preview shows the extended date as soon as one is chosen; its reason is checked on saving.
        due = procedure_due(pv, received_at, calendar, hours,
                            extension=None if "extension" in found.errors else extension)
        # A plain fixed fee explains nothing beyond its amount ("Lệ phí 50.000 đ" next to "50.000 đ").
        explanation = "" if fee.code == "fee.fixed" else message(fee.code, lang, **fee.params)
        return QuoteView(fee.amount, explanation, due.due_at, due.explain(lang))

    def returning_applicant(self, id_number: str) -> ApplicantView | None:
        """The applicant of the newest dossier with this ID number: a returning citizen's details.

        Only a well-formed number is looked up (a half-typed one would match nothing anyway).
        """
        number, err, _ = validate_id_number(id_number, self._ctx.clock.now().date())
        if not number or err:
            return None
        with self._ctx.reading() as uow:
            found = uow.dossiers.search(DossierQuery(extra={"applicant_id_number": number}, limit=1))
        if not found:
            return None
        a = found[0].applicant
        return ApplicantView(a.name, a.id_number, a.phone, a.address, a.email)

    def validate(self, cmd: ReceiveCommand, *, outcome: str = "receive") -> dict[str, str]:
        """Field path -> error code; empty when ``cmd`` may be saved with this outcome."""
        return dict(self._check(cmd, outcome)[0].errors)

    def check(self, cmd: ReceiveCommand, *, outcome: str = "receive") -> FieldCheck:
        """Errors and warnings per field, with the values their messages name (inline checks)."""
        return self._check(cmd, outcome)[0]

    # ---- write side ------------------------------------------------------------------
    def receive(self, cmd: ReceiveCommand, clerk: str) -> DossierView:
        return self._record(cmd, clerk, EventKind.RECEIVED, missing=(), reason="")

    def request_supplement(self, cmd: ReceiveCommand, missing: list[str], reason: str, clerk: str) -> DossierView:
        items = tuple(m.strip() for m in missing if m and m.strip())
        return self._record(cmd, clerk, EventKind.SUPPLEMENT_REQUESTED, missing=items, reason=reason.strip())

    def refuse(self, cmd: ReceiveCommand, reason: str, clerk: str) -> DossierView:
        return self._record(cmd, clerk, EventKind.REFUSED, missing=(), reason=reason.strip())

    # ---- internals -------------------------------------------------------------------
    def _record(self, cmd: ReceiveCommand, clerk: str, kind: EventKind, *, missing: tuple[str, ...],
                reason: str) -> DossierView:
        outcome = {EventKind.RECEIVED: "receive", EventKind.SUPPLEMENT_REQUESTED: "supplement",
                   EventKind.REFUSED: "refuse"}[kind]
        found, clean = self._check(cmd, outcome)
        if kind is EventKind.SUPPLEMENT_REQUESTED and not missing:
            found.error("missing", "missing.required")
        if kind is not EventKind.RECEIVED and not reason:
            found.error("reason", "reason.required")
        elif len(reason) > _MAX_TEXT["reason"]:
            found.error("reason", "field.too_long", max=_MAX_TEXT["reason"])
        if found.errors:
            raise found.failure()
        assert clean is not None
        received_at = cmd.received_at or self._ctx.clock.now()
        # Asked before the unit of work: the hub's short wait never holds the database's write lock.
        issued = self._hub_numbers(received_at.date()) if kind is EventKind.RECEIVED else None
        with self._ctx.uow() as uow:
            user = uow.users.get_by_username(clerk)
            if user is None:
                raise NotFound("clerk.unknown", username=clerk)
            require_user(user, Permission.RECEIVE)
            can_issue_codes(uow)
            require_known_good_clock(uow)
            pv = self._current_procedure(uow, cmd.procedure_code, received_at)
            office_code = self._office_code(uow)
            node = uow.settings.get(SettingKey.WORKSTATION_ID) or "local"
            slot = int(uow.settings.get(SettingKey.WORKSTATION_SLOT) or 0)
            calendar, hours = self._calendar(uow)
            dossier = build_dossier(
                uow, self._ctx, pv, clean, clerk=user.username, office_code=office_code, node=node, slot=slot,
                received_at=received_at, calendar=calendar, hours=hours, rng=self._rng,
                received=kind is EventKind.RECEIVED, missing=missing, reason=reason, issued=issued,
            )
            slip = None
            if kind is EventKind.RECEIVED:
                slip = earlier_slip(uow, cmd.earlier, office_code=office_code, procedure_code=pv.code,
                                    id_number=clean.applicant.id_number, received_at=received_at)
            data: dict[str, Any] = {"reason": reason, "missing": list(missing)} if reason or missing else {}
            if dossier.statutory_extension is not None:  # the timeline shows the extension with its reason
                data["statutory_extension"] = dossier.statutory_extension.to_dict()
            if slip is not None:
                data.update(earlier=slip.code, earlier_id=slip.id)
            event = DossierEvent(
                id=uuid7(), dossier_id=dossier.id, kind=kind, at=self._ctx.clock.now(), actor=user.username,
                node=node, hlc=self._ctx.stamp(uow), prev_event_id=None, data=data,
            )
            uow.dossiers.add(dossier)
            uow.events.append(event)
            record_received(uow, dossier, event)
            last_written = event
            if slip is not None:
                note = last_written = follow_note(uow, slip, dossier, event, self._ctx.stamp(uow))
                uow.events.append(note)
                uow.record(changes.change(ChangeKind.DOSSIER_EVENT, note, hlc=note.hlc, at=note.at))
            if cmd.attachments:  # loaded with the first scan, not with the first screen
                from .attachments import record_attachments

                record_attachments(self._ctx, uow, dossier, cmd.attachments, user.username, files=None,
                                   after=last_written)
            audit(self._ctx, uow, user.username, _AUDIT[kind], {"code": dossier.code, "procedure": pv.code})
            uow.commit()
            return dossier_view(dossier, [event], procedure=pv, clerk_name=user.full_name)

    def _check(self, cmd: ReceiveCommand, outcome: str) -> tuple[FieldCheck, ReceiveCommand | None]:
        found = FieldCheck()
        now = self._ctx.clock.now()
        a = cmd.applicant
        name, err = validate_person_name(a.name)
        found.error("applicant.name", err, **message_params(err, name))
        id_number, err, warnings = validate_id_number(a.id_number, now.date())
        found.error("applicant.id_number", err, **message_params(err, id_number))
        for warning in warnings:
            found.warn("applicant.id_number", warning, **message_params(warning, id_number))
        phone, err = validate_phone(a.phone)
        found.error("applicant.phone", err)
        email, err = validate_email(a.email)
        found.error("applicant.email", err)
        address = " ".join(a.address.split())
        if outcome != "refuse" and not address:
            found.error("applicant.address", "applicant.address.required")
        elif len(address) > _MAX_TEXT["applicant.address"]:
            found.error("applicant.address", "field.too_long", max=_MAX_TEXT["applicant.address"])
        if not 1 <= cmd.sets <= 99:
            found.error("sets", "sets.invalid")
        if cmd.pages is not None and not 1 <= cmd.pages <= 9999:
            found.error("pages", "pages.invalid")
        if cmd.delivery not in Delivery.ALL:
            found.error("delivery", "delivery.invalid")
        if cmd.received_at is not None and cmd.received_at > now + _FUTURE_TOLERANCE:
            found.error("received_at", "received_at.future")
        if len(cmd.note) > _MAX_TEXT["note"]:
            found.error("note", "field.too_long", max=_MAX_TEXT["note"])
        components = self._check_components(cmd, outcome, found)
        if found.errors:
            return found, None
        clean = dataclasses.replace(
            cmd,
            applicant=dataclasses.replace(a, name=name, id_number=id_number, phone=phone, email=email, address=address),
            components=components,
        )
        return found, clean

    def _check_components(self, cmd: ReceiveCommand, outcome: str,
                          found: FieldCheck) -> tuple[ComponentInput, ...] | None:
        if not cmd.procedure_code.strip():
            found.error("procedure", "procedure.required")
            return None
        with self._ctx.reading() as uow:
            try:
                pv = self._current_procedure(uow, cmd.procedure_code, cmd.received_at or self._ctx.clock.now())
            except NotFound:
                found.error("procedure", "procedure.unknown", code=cmd.procedure_code)
                return None
        if pv.fee.kind == "per_page" and cmd.pages is None and outcome == "receive":
            found.error("pages", "pages.required")
        if outcome == "receive":
            applied_extension(pv, cmd, found)
        if cmd.components is None:
            return tuple(
                ComponentInput(c.name, c.kind.value, c.count)
                for c in pv.mandatory_components
            )
        kinds = {k.value for k in ComponentKind}
        for c in cmd.components:
            if c.kind not in kinds:
                found.error("components", "components.invalid_kind", kind=c.kind)
            elif not 1 <= c.count <= 99:
                found.error("components", "components.invalid_count")
        if outcome == "receive" and "components" not in found.errors:
            given = {fold(c.name) for c in cmd.components}
            # A component with alternatives is met by any one of its papers.
            lacking = [c.group_label for c in pv.mandatory_components
                       if not c.condition and not any(fold(n) in given for n in c.accepted_names)]
            if lacking:
                found.error("components", "components.missing_mandatory", names=", ".join(lacking))
        return tuple(cmd.components)

    def _hub_numbers(self, day: date) -> IssuedNumbers | None:
        """The office hub's code number and running number, or None (offline: own ranges)."""
        source = self._ctx.numbers
        if source is None:
            return None
        try:
            return source.reserve(day)
        except DomainError:
            log.warning("the office hub's numbers could not be had; this workstation's ranges are used")
            return None

    @staticmethod
    def _current_procedure(uow: UnitOfWork, code: str, at: datetime) -> ProcedureVersion:
        pv = uow.catalog.current(code.strip(), at.date())
        if pv is None:
            raise NotFound("procedure.unknown", code=code)
        return pv

    @staticmethod
    def _office_code(uow: UnitOfWork) -> str:
        code = uow.settings.get(SettingKey.OFFICE_CODE)
        if not code:
            raise DomainError("setup.not_configured")
        return code

    @staticmethod
    def _calendar(uow: UnitOfWork) -> tuple[WorkingCalendar, OfficeHours]:
        office = uow.offices.get(uow.settings.get(SettingKey.OFFICE_CODE) or "")
        return WorkingCalendar(uow.calendar.entries()), office.hours if office else OfficeHours()


def applied_extension(pv: ProcedureVersion, cmd: ReceiveCommand, found: FieldCheck) -> AppliedExtension | None:
    """The statutory extension ``cmd`` asks for, checked against the catalogue (errors go to ``found``)."""
    key = cmd.extension.strip()
    if not key:
        return None
    rule = pv.extension(key)
    if rule is None:
        found.error("extension", "extension.unknown", key=key)
        return None
    days = rule.max_days if cmd.extension_days is None else cmd.extension_days
    if not 1 <= days <= rule.max_days:
        found.error("extension", "extension.days_invalid", max=rule.max_days)
    reason = " ".join(cmd.extension_reason.split())
    if not reason:
        found.error("extension_reason", "extension.reason_required")
    elif len(reason) > _MAX_TEXT["extension_reason"]:
        found.error("extension_reason", "field.too_long", max=_MAX_TEXT["extension_reason"])
    return AppliedExtension(rule.key, rule.label, rule.label_en, days, rule.legal_basis, reason, rule.total)


def build_dossier(
    uow: UnitOfWork, ctx: ServiceContext, pv: ProcedureVersion, cmd: ReceiveCommand, *, clerk: str,
    office_code: str, node: str, slot: int, received_at: datetime, calendar: WorkingCalendar,
    hours: OfficeHours, rng: random.Random, received: bool, missing: tuple[str, ...] = (), reason: str = "",
    issued: IssuedNumbers | None = None,
) -> Dossier:
    """Make a dossier with a collision-free code and its line in the office's book of the year.

    ``issued``: the office hub's numbers (contiguous for the office); None, or numbers that do
    not fit, or a code already here: this workstation's reserved ranges (domain/numbering.py).
    Only a received dossier takes a number of the day's sequence and a line of the Sổ theo dõi;
    a record refused or sent back for a supplement at the counter gets a reference of its own
    series (``domain.codes.reference_code``), no ledger book and number 0.
    """
    day = received_at.date()
    if received:
        code = ""
        if issued is not None and issued.fits(office_code, day):
            code = ctx.code_format.format(office_code, day, issued.daily_number)
            if uow.dossiers.get_by_code(code) is not None:  # a tripwire: the hub lost its count
                log.warning("the office hub's number %s is taken here; this workstation's ranges are used", code)
                code = ""
        if code:
            assert issued is not None
            ledger_number = issued.ledger_number
            # Remembered, so the next request tells the hub how far this workstation has seen.
            uow.sequences.raise_to(hub_code_key(office_code, day), issued.daily_number)
            uow.sequences.raise_to(hub_ledger_key(office_code, day.year), ledger_number)
        else:
            if slot == OFFICE_SLOT:  # its own ranges are the office's: go on above what a hub gave here
                for own, hubs in ((code_key(office_code, day, slot), hub_code_key(office_code, day)),
                                  (ledger_key(day.year, slot), hub_ledger_key(office_code, day.year))):
                    if given := uow.sequences.current(hubs):
                        uow.sequences.raise_to(own, given)
            sequence = uow.sequences.next_value(code_key(office_code, day, slot))
            code = ctx.code_format.format(office_code, day, NumberBlock(slot).number(sequence))
            # The key predates the office book (it counted the workstation's own book): going on
            # from it keeps a standalone counter's numbers (slot 0) contiguous across the upgrade.
            ledger_number = offline_ledger_number(slot, uow.sequences.next_value(ledger_key(day.year, slot)))
        book = office_book(day.year)
    else:
        sequence = uow.sequences.next_value(reference_key(office_code, day, slot))
        outcome = "supplement" if missing else "refused"
        code = reference_code(office_code, day, outcome, NumberBlock(slot).number(sequence))
        book, ledger_number = "", 0
    fee = pv.fee.quote(FeeInput(copies=cmd.sets, pages=cmd.pages, late=cmd.late_registration))
    extension = applied_extension(pv, cmd, FieldCheck()) if received else None  # checked by the caller
    if received:
        due = procedure_due(pv, received_at, calendar, hours, extension=extension)
        due_at, due_text = due.due_at, due.explain("vi")
    else:
        due_at, due_text = None, ""
    components = cmd.components or ()
    return Dossier(
        id=uuid7(), code=code, lookup_code=lookup_code(rng), office_code=office_code,
        procedure_code=pv.code, procedure_version_id=pv.id, procedure_name=pv.name,
        applicant=Applicant(cmd.applicant.name, cmd.applicant.id_number, cmd.applicant.phone, cmd.applicant.address,
                            cmd.applicant.email),
        components=tuple(ReceivedComponent(c.name, ComponentKind(c.kind), c.count) for c in components),
        sets=cmd.sets, pages=cmd.pages, delivery=cmd.delivery,
        fee=fee.amount if received else 0, fee_explanation=message(fee.code, "vi", **fee.params) if received else "",
        received_at=received_at, due_at=due_at, due_explanation=due_text,
        competent_agency=pv.competent_agency or office_code, ledger_book=book, ledger_number=ledger_number,
        received_by=clerk, workstation_id=node, note=cmd.note.strip(), missing=missing, reason=reason,
        statutory_extension=extension,
    )


def record_received(uow: UnitOfWork, dossier: Dossier, event: DossierEvent) -> None:
    """Record the new dossier and its first event for upstream (the caller commits)."""
    uow.record(changes.change(ChangeKind.DOSSIER_UPSERT, dossier, hlc=event.hlc, at=event.at))
    uow.record(changes.change(ChangeKind.DOSSIER_EVENT, event, hlc=event.hlc, at=event.at))
