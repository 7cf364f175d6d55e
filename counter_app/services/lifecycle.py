"""After reception: hand over to departments, results, supplements, extensions, withdrawal.

Every action is one unit of work of append-only events (+ outbox rows); a refused
action raises before anything is written, and a batch is refused as a whole.
Returning the result to the citizen lives in ``lifecycle_return.py``.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from typing import Any

from ..domain.calendar import WorkingCalendar
from ..domain.codes import NumberBlock
from ..domain.dossier import Dossier, DossierEvent
from ..domain.errors import DomainError, NotFound, ValidationFailed
from ..domain.ids import uuid7
from ..domain.ports import UnitOfWork
from ..domain.status import EventKind, Status
from .context import ServiceContext, SettingKey
from .lifecycle_return import ReturnActions
from .lifecycle_state import OPEN, LifecycleState, supplement_requests
from .lifecycle_support import Session, require, status_params
from .privacy import for_viewer
from .security import Permission
from .views import AgencyView, DossierView, HandoverBatchView

# After reception a dossier is never "refused" (status 3 is the counter's Mẫu 03): an ineligible one ends
# with the competent agency's reasoned reply ("rejected", a result like any other) or Mẫu 05 ("stopped").
OUTCOMES = ("ready", "rejected", "supplement", "stopped")
_MAX_TEXT = 2000


class BatchRefused(DomainError):
    """A batch action was refused as a whole; ``errors`` maps each offending dossier code to its error."""

    def __init__(self, errors: dict[str, DomainError]) -> None:
        super().__init__("batch.refused", count=len(errors), codes=", ".join(errors))
        self.errors = errors

    def __str__(self) -> str:
        return super().__str__() + ": " + "; ".join(str(e) for e in self.errors.values())


class LifecycleService(ReturnActions):
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    # ---- read side -------------------------------------------------------------------
    def departments(self) -> list[AgencyView]:
        """Org units of the local ``offices`` table a dossier can be handed to (not this office)."""
        with self._ctx.reading() as uow:
            s = Session(self._ctx, uow)
            units = [u for u in uow.offices.list() if u.code != s.office_code and u.is_valid_on(s.now.date())]
        units.sort(key=lambda u: u.code)
        return [AgencyView(u.code, u.name, u.level, u.parent_code or "") for u in units]

    def scan(self, code: str) -> DossierView:
        with self._ctx.reading() as uow:
            s = Session(self._ctx, uow)
            dossier, _, _ = s.load(code)
            return s.view(dossier)

    def not_handed_over(self, limit: int = 500, viewer: str = "") -> list[DossierView]:
        """Received (or back with a supplement) and still at the counter: the handover pick list.

        A list view: ID and phone numbers are masked unless ``viewer`` may see personal data.
        """
        with self._ctx.reading() as uow:
            s = Session(self._ctx, uow)
            out = []
            for dossier in uow.dossiers.with_status([Status.RECEIVED, Status.PROCESSING], limit=limit):
                view = s.view(dossier)
                if not view.at_agency:
                    out.append(view)
            return for_viewer(uow, viewer, out)

    def handover_batch(self, batch_id: str) -> HandoverBatchView:
        """By the batch's id, or by the number printed on its list ("BG-2026-000123")."""
        with self._ctx.reading() as uow:
            s = Session(self._ctx, uow)
            found = (uow.events.batch_id_of_number(batch_id, s.office_code)
                     if batch_id.strip().upper().startswith("BG-") else None)
            events = uow.events.handovers_of_batch(found or batch_id.strip())
            if not events:
                raise NotFound("batch.not_found", batch_id=batch_id)
            handed = [uow.dossiers.get(e.dossier_id) for e in events]
            dossiers = [d for d in handed if d is not None]
            return _batch_view(s, events[0], dossiers, _confirmed_by(s, events[0].data["batch_id"], dossiers))

    def needs_apology(self, code: str) -> bool:
        """Propose Mẫu 04 now: open, clock running, no result, due by the end of the next working day."""
        with self._ctx.reading() as uow:
            s = Session(self._ctx, uow)
            _, _, state = s.load(code)
            return at_risk(state, s)

    # ---- hand over -------------------------------------------------------------------
    def handover(self, codes: Sequence[str], to: str, clerk: str, note: str = "") -> HandoverBatchView:
        with self._ctx.uow() as uow:
            s = Session(self._ctx, uow)
            user = s.clerk(clerk, Permission.HANDOVER)
            agency = uow.offices.get(to.strip())
            if agency is None:
                raise NotFound("agency.unknown", code=to)
            require(agency.code != s.office_code, "agency.is_self", code=agency.code)
            loaded = _load_batch(s, codes, _check_handover)
            batch_id = uuid7()
            data = {"to": agency.code, "to_name": agency.name, "from": s.office_code, "from_name": s.office_name(),
                    "batch_id": batch_id, "batch_number": _batch_number(uow, s), "note": note.strip()}
            handed = [s.append(dossier, EventKind.HANDED_OVER, dict(data), user.username) for dossier, _ in loaded]
            view = _batch_view(s, handed[0], [d for d, _ in loaded])  # a batch is never empty (_load_batch)
            uow.commit()
            return view

    def confirm_handover(self, codes: Sequence[str], by: str, clerk: str) -> list[DossierView]:
        """The department's officer signed the hand-over list: ``by`` is their name."""
        by = " ".join(by.split())
        if not by:
            raise ValidationFailed({"by": "field.required"})
        with self._ctx.uow() as uow:
            s = Session(self._ctx, uow)
            user = s.clerk(clerk, Permission.HANDOVER)
            loaded = _load_batch(s, codes, _check_confirm)
            for dossier, state in loaded:
                s.append(dossier, EventKind.HANDOVER_CONFIRMED, {"batch_id": state.at_batch, "by": by}, user.username)
            views = [s.view(d) for d, _ in loaded]
            uow.commit()
            return views

    # ---- results ---------------------------------------------------------------------
    def record_result(
        self, code: str, outcome: str, clerk: str, *, reason: str = "", missing: Sequence[str] = (), note: str = "",
        override_user: str = "", override_password: str = "",
    ) -> DossierView:
        """What came back from the department. A supplement is asked once and completely: a second
        request needs a supervisor's password and a reason, and the dossier then counts as late."""
        if outcome not in OUTCOMES:
            raise DomainError("result.outcome_invalid", outcome=outcome)
        reason, items = reason.strip(), [m.strip() for m in missing if m and m.strip()]
        errors = {}
        if outcome != "ready" and not reason and not (outcome == "supplement" and items):
            errors["reason"] = "reason.required"
        if outcome == "supplement" and not items:
            errors["missing"] = "missing.required"
        if len(reason) > _MAX_TEXT:
            errors["reason"] = "field.too_long"
        if errors:
            raise ValidationFailed(errors, {"reason": {"max": _MAX_TEXT}})
        with self._ctx.uow() as uow:
            s = Session(self._ctx, uow)
            user = s.clerk(clerk, Permission.HANDOVER)
            dossier, events, state = s.load(code)
            allowed = {Status.RECEIVED, Status.PROCESSING}
            require(state.status in allowed, "lifecycle.cannot_result", **status_params(dossier.code, state.status))
            agency, agency_name = ((state.at_agency, state.at_agency_name) if state.at_agency
                                   else (s.office_code, s.office_name()))
            outcomes: dict[str, tuple[EventKind, dict[str, Any]]] = {
                "ready": (EventKind.RESULT_RECEIVED,
                          {"outcome": "ready", "from": agency, "from_name": agency_name, "note": note.strip()}),
                "supplement": (EventKind.SUPPLEMENT_REQUESTED,
                               {"missing": items, "reason": reason, "by_agency": agency,
                                "by_agency_name": agency_name}),
                "rejected": (EventKind.RESULT_RECEIVED, {"outcome": "rejected", "reason": reason, "from": agency,
                                                         "from_name": agency_name, "note": note.strip()}),
                "stopped": (EventKind.STOPPED, {"reason": reason, "by_agency": agency, "by_agency_name": agency_name}),
            }
            kind, data = outcomes[outcome]
            if outcome == "supplement" and supplement_requests(events):
                if not override_user:
                    raise DomainError("supplement.second_needs_override", code=dossier.code)
                supervisor = s.supervisor(override_user, override_password, "supplement.override_invalid")
                require(bool(reason), "supplement.second_needs_reason", code=dossier.code)
                data = {**data, "second_request": True, "override_by": supervisor.username}
            s.append(dossier, kind, data, user.username)
            return _commit_view(s, dossier)

    def supplement_received(self, code: str, clerk: str, note: str = "") -> DossierView:
        """The citizen brought the missing papers: the clock resumes, the due date moves by the pause."""
        with self._ctx.uow() as uow:
            s = Session(self._ctx, uow)
            user = s.clerk(clerk, Permission.HANDOVER)
            dossier, _, state = s.load(code)
            require(state.status is Status.SUPPLEMENT_REQUESTED, "lifecycle.cannot_supplement_received",
                    **status_params(dossier.code, state.status))
            require(dossier.due_at is not None and bool(state.pauses), "lifecycle.not_received", code=dossier.code)
            s.append(dossier, EventKind.SUPPLEMENT_RECEIVED, {"note": note.strip()}, user.username)
            return _commit_view(s, dossier)

    def extend(self, code: str, until: date, reason: str, clerk: str, *, late_notice_ok: bool = False) -> DossierView:
        """Mẫu 04: a new date (at closing time) and the reason; the dossier still counts as late.

        Decree 61/2018 art. 19 (kept as settings until Decree 118/2025 is checked): once per
        dossier, before the deadline, at the latest one working day before it. Inside that last
        day the clerk must confirm (``late_notice_ok``); after the deadline it is refused.
        """
        reason = reason.strip()
        if not reason:
            raise ValidationFailed({"reason": "reason.required"})
        with self._ctx.uow() as uow:
            s = Session(self._ctx, uow)
            user = s.clerk(clerk, Permission.HANDOVER)
            dossier, events, state = s.load(code)
            require(state.status in OPEN, "lifecycle.cannot_extend", **status_params(dossier.code, state.status))
            require(state.current_due_at is not None, "lifecycle.not_received", code=dossier.code)
            assert state.current_due_at is not None
            due = state.current_due_at
            limit = _setting_int(uow, RuleSetting.EXTENSIONS_PER_DOSSIER, 1)
            done = sum(1 for e in events if e.kind is EventKind.EXTENDED)
            require(done < limit, "extend.limit_reached", code=dossier.code, max=limit)
            require(until > s.now.date(), "extend.past_date", until=f"{until:%d/%m/%Y}")
            require(s.now <= due, "extend.after_deadline", due=f"{due:%H:%M %d/%m/%Y}")
            require(s.calendar.is_working_day(until), "extend.not_working_day", until=f"{until:%d/%m/%Y}")
            new_due = datetime.combine(until, s.hours.closes)
            require(new_due > due, "extend.not_later", until=f"{until:%d/%m/%Y}", due=f"{due:%H:%M %d/%m/%Y}")
            notice_days = _setting_int(uow, RuleSetting.EXTENSION_NOTICE_DAYS, 1)
            latest = _working_days_before(due, notice_days, s.calendar, s.hours.closes)
            if s.now > latest and not late_notice_ok:
                raise DomainError("extend.late_notice", due=f"{due:%H:%M %d/%m/%Y}",
                                  latest=f"{latest:%H:%M %d/%m/%Y}", days=notice_days)
            statutory = state.statutory_due_at or dossier.due_at or due
            data = {"until": new_due.isoformat(), "reason": reason, "previous_due": due.isoformat(),
                    "statutory_due": statutory.isoformat(), "late_notice": s.now > latest}
            s.append(dossier, EventKind.EXTENDED, data, user.username)
            return _commit_view(s, dossier)

    def withdraw(self, code: str, reason: str, clerk: str) -> DossierView:
        reason = reason.strip()
        if not reason:
            raise ValidationFailed({"reason": "reason.required"})
        with self._ctx.uow() as uow:
            s = Session(self._ctx, uow)
            user = s.clerk(clerk, Permission.HANDOVER)
            dossier, _, state = s.load(code)
            require(state.status in OPEN | {Status.NEW}, "lifecycle.cannot_withdraw",
                    **status_params(dossier.code, state.status))
            s.append(dossier, EventKind.WITHDRAWN, {"reason": reason}, user.username)
            return _commit_view(s, dossier)


# ---- helpers -----------------------------------------------------------------------------


class RuleSetting:
    """Settings that carry a legal rule an administrator may need to change without a release."""

    EXTENSIONS_PER_DOSSIER = "rule.extensions_per_dossier"  # Decree 61/2018 art. 19: once
    EXTENSION_NOTICE_DAYS = "rule.extension_notice_working_days"  # ... at the latest 1 working day before


def _setting_int(uow: UnitOfWork, key: str, default: int) -> int:
    raw = uow.settings.get(key)
    try:
        return int(raw) if raw not in (None, "") else default
    except ValueError:
        return default


def _working_days_before(due: datetime, days: int, calendar: WorkingCalendar, closes: time) -> datetime:
    """Closing time ``days`` working days before the due day: the last moment a timely notice can go out."""
    day = due.date()
    for _ in range(days):
        day = calendar.previous_working_day(day)
    return datetime.combine(day, closes)


def at_risk(state: LifecycleState, s: Session) -> bool:
    """Open, clock running, no result yet, due by the end of the next working day (or already overdue)."""
    if state.status not in OPEN or state.paused_since is not None or state.current_due_at is None:
        return False
    horizon = s.calendar.next_working_day(s.now.date())
    return state.current_due_at.date() <= horizon


def _check_handover(dossier: Dossier, state: LifecycleState) -> None:
    require(state.status in {Status.RECEIVED, Status.PROCESSING}, "lifecycle.cannot_handover",
            **status_params(dossier.code, state.status))
    require(not state.at_agency, "lifecycle.at_agency", code=dossier.code,
            agency=state.at_agency_name or state.at_agency)


def _check_confirm(dossier: Dossier, state: LifecycleState) -> None:
    require(bool(state.at_agency), "lifecycle.not_at_agency", code=dossier.code)
    require(not state.at_confirmed, "lifecycle.already_confirmed", code=dossier.code, agency=state.at_agency_name)


def _load_batch(
    s: Session, codes: Sequence[str], check: Callable[[Dossier, LifecycleState], None],
) -> list[tuple[Dossier, LifecycleState]]:
    """Load and check every dossier; refuse the whole batch naming each offender."""
    wanted = [c.strip() for c in codes if c and c.strip()]
    if not wanted:
        raise DomainError("batch.empty")
    loaded: dict[str, tuple[Dossier, LifecycleState]] = {}
    errors: dict[str, DomainError] = {}
    for code in wanted:
        try:
            dossier, _, state = s.load(code)
            if dossier.id in loaded:
                continue  # scanned twice
            check(dossier, state)
            loaded[dossier.id] = (dossier, state)
        except DomainError as exc:
            errors[code] = exc
    if errors:
        raise BatchRefused(errors)
    return list(loaded.values())


BATCH_BLOCK = 100_000  # numbers per workstation slot and year: slot 0 issues 000001-099999


def _batch_number(uow: UnitOfWork, s: Session) -> str:
    """"BG-2026-000123": readable, assigned once when the batch is made and kept in its events.

    Workstations hand over offline, so each numbers inside its own slot's block (the
    first digit tells the slot, as in the dossier code's daily number): never a collision
    between two workstations of the office, and a one-counter office counts 000001, 000002…
    """
    slot = int(uow.settings.get(SettingKey.WORKSTATION_SLOT) or 0)
    year = s.now.year
    sequence = uow.sequences.next_value(f"handover:{s.office_code}:{year}:{slot}")
    number = NumberBlock(slot, BATCH_BLOCK).number(sequence)
    return f"BG-{year}-{number:06d}"


def _commit_view(s: Session, dossier: Dossier) -> DossierView:
    view = s.view(dossier)
    s.uow.commit()
    return view


def _batch_view(s: Session, first: DossierEvent, dossiers: list[Dossier], received_by: str = "") -> HandoverBatchView:
    clerk = s.uow.users.get_by_username(first.actor)
    d = first.data
    return HandoverBatchView(
        batch_id=d["batch_id"], to=d.get("to", ""), to_name=d.get("to_name", ""), handed_at=first.at,
        clerk=first.actor, dossiers=tuple(s.view(x) for x in dossiers),
        clerk_name=clerk.full_name if clerk else first.actor, from_code=d.get("from", ""),
        from_name=d.get("from_name", ""),
        number=d.get("batch_number", ""), received_by=received_by,
    )


def _confirmed_by(s: Session, batch_id: str, dossiers: list[Dossier]) -> str:
    """The department officer who signed for the batch (handover_confirmed), once known."""
    for dossier in dossiers:
        for e in s.uow.events.for_dossier(dossier.id):
            if e.kind is EventKind.HANDOVER_CONFIRMED and e.data.get("batch_id") == batch_id and e.data.get("by"):
                return str(e.data["by"])
    return ""

