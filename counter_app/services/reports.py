"""Reports (Báo cáo) and the supervisor's home screen (Tổng quan).

Every figure is computed from the dossiers' events (report_facts.py); the cached status
column is only used to find candidates through an index. Long reports take a
``progress(done, total)`` callback and a ``cancelled()`` flag checked between chunks.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from ..domain.errors import DomainError
from ..domain.messages import message
from ..domain.permissions import Permission, has_permission
from ..domain.ports import UnitOfWork
from ..domain.status import EventKind, Status
from .context import ServiceContext, SettingKey
from .lifecycle_state import DueRules
from .lifecycle_support import Session
from .report_builders import build_766, build_monthly, build_staff
from .report_facts import Facts, facts_of, lean_facts
from .report_ledger import build_daily_close, build_ledger, entry_of_facts, lean_entries
from .report_memory import as_report_work
from .report_views import HomeView, ReportView, Row

MAX_DAYS = 3653  # ten years
CHUNK = 2000  # dossiers read between two progress reports / cancel checks
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
MAX_QUEUE_DAYS = 62  # the queue keeps per-day statistics; longer periods show no queue figures
_OPEN = (int(Status.RECEIVED), int(Status.PROCESSING), int(Status.SUPPLEMENT_REQUESTED), int(Status.FEE_DUE))


def check_range(start: date | None, end: date | None) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) for an inclusive date range; DomainError for empty or absurd ranges."""
    if start is None or end is None:
        raise DomainError("report.range_required")
    if end < start:
        raise DomainError("report.range_reversed", start=start.isoformat(), end=end.isoformat())
    if (end - start).days > MAX_DAYS:
        raise DomainError("report.range_too_long", days=(end - start).days + 1, max_years=10)
    return datetime.combine(start, time.min), datetime.combine(end + timedelta(days=1), time.min)


@dataclass
class Loaded:
    """Facts of the candidate dossiers, with what the builders need besides."""

    s: Session
    start: date
    end: date
    begin: datetime
    stop: datetime
    facts: list[Facts]
    rules: dict[str, DueRules | None]  # by dossier id
    target_percent: dict[str, float]  # by procedure code ("" = office default)
    users: dict[str, str]  # username -> full name
    agencies: dict[str, str]  # code -> name
    counter: str = ""  # node filter ("" = every workstation)
    clerk: str = ""  # username filter ("" = everyone)
    counter_name: str = ""
    office_name: str = ""
    office_parent: str = ""
    place_name: str = ""

    def in_period(self, moment: datetime | None) -> bool:
        return moment is not None and self.begin <= moment < self.stop

    def target(self, procedure_code: str) -> float:
        return self.target_percent.get(procedure_code, self.target_percent.get("", 0.0))


class ReportService:
    def __init__(self, ctx: ServiceContext, queue_of: Callable[[], Any] | None = None,
                 read_uow: Callable[[], Any] | None = None) -> None:
        self._ctx = ctx
        self.queue_of = queue_of  # () -> the queue service or None (no queue: reports say "no queue data")
        # Units of work on a read-only connection of their own (wired by the app): a long report
        # must never hold the write lock the counter's receives need. None: the shared one.
        self.read_uow = read_uow

    def _read(self) -> Any:
        return (self.read_uow or self._ctx.uow)()

    # --- reports ---------------------------------------------------------------------
    def report(self, kind: str, start: date, end: date, *, counter: str = "", clerk: str = "", actor: str = "",
               progress: Progress | None = None, cancelled: Cancelled | None = None) -> ReportView:
        """kind: ledger | monthly | daily_close | staff | 766.

        ``actor`` without REPORTS_ALL sees only their own figures.
        """
        builders: dict[str, Callable[..., ReportView]] = {
            "ledger": self.ledger, "monthly": self.monthly, "daily_close": self.daily_close,
            "staff": self.staff, "766": self.indicators_766}
        if kind not in builders:
            raise DomainError("report.unknown_kind", kind=kind)
        return builders[kind](start, end, counter=counter, clerk=clerk, actor=actor, progress=progress,
                              cancelled=cancelled)

    @as_report_work
    def ledger(self, start: date, end: date, *, from_histories: bool = False, progress: Progress | None = None,
               cancelled: Cancelled | None = None, **kw: Any) -> ReportView:
        """Sổ theo dõi hồ sơ (Mẫu 07): dossiers received in the range, in book and number order.

        Each row from the dossier's columns and the few events it shows, read lean
        (``lean_entries``); ``from_histories``: every row from its whole history instead (the
        reference the lean way is tested against)."""
        begin, stop = check_range(start, end)
        with self._read() as uow:
            ids = uow.reports.ledger_ids(begin, stop)
            if from_histories:
                return build_ledger(self._load(uow, start, end, ids, progress=progress, cancelled=cancelled, **kw))
            loaded = self._load(uow, start, end, [], **kw)  # the header's facts: office, filters, names
            late = message("judge.late", "vi")
            entries: list[tuple[str, Row]] = []
            total = len(ids)
            if progress:
                progress(0, total)
            for i in range(0, total, CHUNK):
                _check(cancelled)
                chunk = ids[i:i + CHUNK]
                dossier_rows, event_rows = uow.reports.ledger_rows(chunk)
                by_id, whole = lean_entries(loaded, dossier_rows, event_rows, late)
                for d, events in uow.reports.rows_of(whole) if whole else ():
                    f = facts_of(d, events, loaded.s.rules_of_version(d.procedure_version_id))
                    by_id[d.id] = (d.ledger_book, entry_of_facts(loaded, f, late))
                entries += [by_id[k] for k in chunk if k in by_id]
                if progress:
                    progress(min(i + CHUNK, total), total)
            _check(cancelled)
        return build_ledger(loaded, entries)

    @as_report_work
    def monthly(self, start: date, end: date, *, from_histories: bool = False, **kw: Any) -> ReportView:
        """Statistics, counted from the database's per-dossier reduction; ``from_histories``:
        from every dossier's whole history instead, as the other reports are (slower, and the
        reference the fast way is tested against)."""
        return build_monthly(self._active(start, end, lean=not from_histories, **kw))

    @as_report_work
    def daily_close(self, start: date, end: date, **kw: Any) -> ReportView:
        loaded = self._active(start, end, **kw)
        return build_daily_close(loaded, self.queue_figures(start, end, kw.get("counter", "")))

    def queue_figures(self, start: date, end: date, counter: str = "") -> dict[str, int] | None:
        """Tickets issued / served / no-show from the queue's own statistics; None when there is no queue data."""
        queue = self.queue_of() if self.queue_of is not None else None
        if queue is None or not hasattr(queue, "stats") or (end - start).days >= MAX_QUEUE_DAYS:
            return None
        out = {"issued": 0, "served": 0, "no_show": 0, "waiting": 0}
        try:
            day = start
            while day <= end:
                st = queue.stats(day)
                groups = [g for g in st.by_counter if str(g.key) == counter] if counter.isdigit() else None
                if groups is not None:  # a counter number: that counter's own figures
                    out["issued"] += sum(g.tickets for g in groups)
                    out["no_show"] += sum(g.no_show for g in groups)
                else:
                    out["issued"] += st.tickets
                    out["served"] += st.served
                    out["no_show"] += st.no_show
                    out["waiting"] += st.waiting if day == end else 0
                day += timedelta(days=1)
        except Exception:  # noqa: BLE001 - a hub that is away must not break the daily close
            return None
        return out

    @as_report_work
    def staff(self, start: date, end: date, **kw: Any) -> ReportView:
        return build_staff(self._active(start, end, **kw))

    @as_report_work
    def indicators_766(self, start: date, end: date, **kw: Any) -> ReportView:
        return build_766(self._active(start, end, **kw))

    def counters(self) -> list[tuple[str, str]]:
        """(workstation id, label) this file has seen events from, this workstation first."""
        with self._read() as uow:
            here = uow.settings.get(SettingKey.WORKSTATION_ID) or "local"
            name = uow.settings.get(SettingKey.COUNTER_NAME) or here
        return [(here, name)]

    def clerks(self) -> list[tuple[str, str]]:
        with self._read() as uow:
            return sorted(((u.username, u.full_name) for u in uow.users.list()), key=lambda u: u[0])

    # --- home ------------------------------------------------------------------------
    @as_report_work
    def home(self, worklist: Any = None) -> HomeView:
        """Today's counts; due today / tomorrow and overdue by department from the worklist."""
        now = self._ctx.clock.now()
        today = now.date()
        loaded = self._active(today - timedelta(days=13), today)
        begin = datetime.combine(today, time.min)
        received = results = returned = 0
        by_day: dict[date, int] = {}
        for f in loaded.facts:
            r = f.dossier.received_at
            if r >= loaded.begin:
                by_day[r.date()] = by_day.get(r.date(), 0) + 1
            received += r >= begin
            results += f.result_at is not None and f.result_at >= begin
            ret = f.first(_RETURNED)
            returned += ret is not None and ret.at >= begin
        days = [today - timedelta(days=i) for i in range(13, -1, -1)]
        w = worklist
        overdue_by: dict[str, int] = {}
        if w is not None:
            for item in w.overdue:
                overdue_by[item.at_agency_name or ""] = overdue_by.get(item.at_agency_name or "", 0) + 1
        queue = self.queue_figures(today, today)
        return HomeView(
            now=now, received_today=received, results_today=results, returned_today=returned,
            due_today=len(w.due_today) if w else 0, due_tomorrow=len(w.due_tomorrow) if w else 0,
            overdue=len(w.overdue) if w else 0,
            overdue_by_department=tuple(sorted(overdue_by.items(), key=lambda x: (-x[1], x[0]))),
            waiting_supplement=len(w.waiting_supplement) if w else 0, result_ready=len(w.result_ready) if w else 0,
            queue=queue, received_by_day=tuple((d, by_day.get(d, 0)) for d in days),
        )

    # --- loading ---------------------------------------------------------------------
    def _active(self, start: date, end: date, *, lean: bool = False, **kw: Any) -> Loaded:
        begin, stop = check_range(start, end)
        with self._read() as uow:
            ids = uow.reports.active_ids(begin, stop, _OPEN)
            return self._load(uow, start, end, ids, lean=lean, **kw)

    def _load(self, uow: Any, start: date, end: date, ids: list[str], *, counter: str = "", clerk: str = "",
              actor: str = "", progress: Progress | None = None, cancelled: Cancelled | None = None,
              lean: bool = False) -> Loaded:
        """Read the dossiers ``ids`` and their events chunk by chunk, reducing each to its Facts;
        ``progress(dossiers read, total)`` after each chunk, ``cancelled()`` checked before each.

        ``lean``: what statistics count, reduced by the database (``lean_facts``); only the
        histories that need judging in Python (pauses) are read whole. The facts then carry
        no events, so only ``build_monthly`` takes them."""
        begin, stop = check_range(start, end)
        s = Session(self._ctx, uow)
        clerk = _visible_clerk(uow, clerk.strip().lower(), actor.strip().lower())
        facts: list[Facts] = []
        rules: dict[str, DueRules | None] = {}
        by_version: dict[str, DueRules | None] = {}

        def rules_of(dossier_id: str, version_id: str) -> DueRules | None:
            if version_id not in by_version:
                by_version[version_id] = s.rules_of_version(version_id)
            rules[dossier_id] = r = by_version[version_id]
            return r

        total = len(ids)
        if progress:
            progress(0, total)
        for i in range(0, total, CHUNK):
            _check(cancelled)
            chunk = ids[i:i + CHUNK]
            if lean:
                facts += _lean_facts_of(uow, chunk, begin, stop, rules_of)
            else:
                for d, events in uow.reports.rows_of(chunk):
                    facts.append(facts_of(d, events, rules_of(d.id, d.procedure_version_id)))
            if progress:
                progress(min(i + CHUNK, total), total)
        _check(cancelled)
        return Loaded(
            s=s, start=start, end=end, begin=begin, stop=stop, facts=facts, rules=rules,
            target_percent=_targets(uow), users={u.username: u.full_name for u in uow.users.list()},
            agencies={u.code: u.name for u in uow.offices.list()}, counter=counter.strip(), clerk=clerk,
            counter_name=_counter_name(uow, counter.strip()), **_office(uow, s.office_code),
        )


def _lean_facts_of(uow: Any, ids: list[str], begin: datetime, stop: datetime,
                   rules_of: Callable[[str, str], DueRules | None]) -> list[Facts]:
    """Facts of ``ids`` in their order: from the database's per-dossier reduction, or from the
    whole history for the few dossiers that need it."""
    by_id: dict[str, Facts] = {}
    whole: list[str] = []
    for row in uow.reports.stat_rows(ids, begin, stop):
        f = lean_facts(row, rules_of(row[0], row[3]), begin, stop)
        if f is None:
            whole.append(row[0])
        else:
            by_id[row[0]] = f
    if whole:
        for d, events in uow.reports.rows_of(whole):
            by_id[d.id] = facts_of(d, events, rules_of(d.id, d.procedure_version_id))
    return [by_id[i] for i in ids if i in by_id]


def _check(cancelled: Cancelled | None) -> None:
    if cancelled is not None and cancelled():
        raise DomainError("report.cancelled")


_RETURNED = EventKind.RETURNED


def _office(uow: Any, code: str) -> dict[str, str]:
    unit = uow.offices.get(code)
    if unit is None:
        return {"office_name": code, "office_parent": "", "place_name": ""}
    return {"office_name": unit.name, "office_parent": unit.parent_name, "place_name": unit.place_name}


def _counter_name(uow: UnitOfWork, counter: str) -> str:
    if not counter:
        return ""
    if counter == (uow.settings.get(SettingKey.WORKSTATION_ID) or "local"):
        return uow.settings.get(SettingKey.COUNTER_NAME) or counter
    return counter


def _visible_clerk(uow: UnitOfWork, clerk: str, actor: str) -> str:
    """A clerk without REPORTS_ALL sees only their own figures, whatever they asked for."""
    if not actor:
        return clerk
    user = uow.users.get_by_username(actor)
    if user is None:
        raise DomainError("clerk.unknown", username=actor)
    if has_permission(user.role, Permission.REPORTS_ALL):
        return clerk
    return user.username


def _targets(uow: Any) -> dict[str, float]:
    """Internal target: beat the statutory time by N % (settings target_percent, target_percent:<code>)."""
    out: dict[str, float] = {}
    for code, value in uow.reports.settings_with_prefix("target_percent").items():
        key = "" if code == "target_percent" else code.split(":", 1)[1]
        try:
            pct = float(value)
        except ValueError:
            continue
        if 0 <= pct < 100:
            out[key] = pct
    return out
