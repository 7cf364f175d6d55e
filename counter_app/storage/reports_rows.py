"""The rows a report reads, in bulk and lean: a year of a busy office is ~100,000 dossiers
and ~400,000 events, so they are read with plain driver cursors, not through SQLAlchemy's
row processing (its JSON and date parsing took most of a year report's time).

First the ids of the dossiers a report may count (one indexed statement, in report
order), then their rows and events chunk by chunk: the service checks its cancel flag
and reports progress between chunks. All of it runs in the caller's transaction, so a
report reads one consistent snapshot while the counter keeps writing (WAL).
"""
from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ..domain.catalog import ComponentKind
from ..domain.dossier import Applicant, Dossier, DossierEvent, ReceivedComponent
from ..domain.status import EventKind

# Events after which a dossier is no longer being processed (result ready or ended otherwise).
CLOSING = ("result_received", "refused", "withdrawn", "stopped", "returned")
_KINDS = {k.value: k for k in EventKind}
_DOSSIER_COLUMNS = (
    "id, code, lookup_code, office_code, procedure_code, procedure_version_id, procedure_name, applicant_name, "
    "applicant_id_number, applicant_phone, applicant_address, applicant_email, sets, pages, delivery, fee, "
    "fee_explanation, received_at, due_at, due_explanation, competent_agency, ledger_book, ledger_number, "
    "received_by, workstation_id, note, reason"
)
_EVENT_COLUMNS = "id, dossier_id, kind, at, actor, node, hlc, prev_event_id, data"


def _cursor(session: Session) -> Any:
    raw = session.connection().connection.driver_connection
    if raw is None:
        raise RuntimeError("the session's database connection is closed")
    return raw.cursor()


def _stamp(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def ledger_ids(session: Session, begin: datetime, stop: datetime) -> list[str]:
    """Dossiers received in [begin, stop), in book and number order (Mẫu 07).

    Only received dossiers have a line: a record refused or sent back for a supplement at the
    counter was never received (no due date; its own reference, services/reception.py).
    """
    sql = ("SELECT id FROM dossiers WHERE received_at >= ? AND received_at < ? AND due_at IS NOT NULL "
           "ORDER BY ledger_book, ledger_number, received_at")
    return [r[0] for r in _cursor(session).execute(sql, (_text(begin), _text(stop)))]


# The dossiers received outside the period with an event inside it, found either way: from
# the period's events (each one's row read for its dossier: a year is ~400,000 of them), or
# from each dossier received outside the period (its events looked up by the dossier's
# index). Each event read cost ~2.5 µs, each dossier looked at ~4 µs (100,000 dossiers).
_EVENTS_IN_PERIOD = {
    "events": "SELECT dossier_id FROM dossier_events WHERE at >= :b AND at < :s",
    "dossiers": ("SELECT d.id FROM dossiers d WHERE (d.received_at < :b OR d.received_at >= :s) AND EXISTS"
                 " (SELECT 1 FROM dossier_events e WHERE e.dossier_id = d.id AND e.at >= :b AND e.at < :s)"),
}
_DOSSIER_COST = 2  # a dossier looked at costs about twice an event read


def active_ids(session: Session, begin: datetime, stop: datetime, open_statuses: Sequence[int],
               *, by: str | None = None) -> list[str]:
    """Every dossier a report of [begin, stop) may count, by index only, oldest first:

    received in the period; with an event in the period; open now and received before the
    end; or received before the period and closed after it (so still open at its end).

    ``by``: how the dossiers received outside the period with an event inside it are found
    ("events" or "dossiers", the same set); None: the cheaper way for this period, from
    the two counts the indexes give at once.
    """
    cur = _cursor(session)
    b, s = _text(begin), _text(stop)
    if by is None:
        events = cur.execute("SELECT count(*) FROM dossier_events WHERE at >= ? AND at < ?", (b, s)).fetchone()[0]
        outside = cur.execute("SELECT (SELECT count(*) FROM dossiers WHERE received_at < ?)"
                              " + (SELECT count(*) FROM dossiers WHERE received_at >= ?)", (b, s)).fetchone()[0]
        by = "dossiers" if outside * _DOSSIER_COST < events else "events"
    statuses = {f"o{i}": v for i, v in enumerate(open_statuses)}
    closing = {f"c{i}": v for i, v in enumerate(CLOSING)}
    sql = (
        "SELECT id FROM dossiers WHERE id IN ("
        " SELECT id FROM dossiers WHERE received_at >= :b AND received_at < :s"
        f" UNION {_EVENTS_IN_PERIOD[by]}"
        f" UNION SELECT id FROM dossiers WHERE status IN ({', '.join(':' + k for k in statuses) or 'NULL'})"
        " AND received_at < :s"
        # closed after the end: a closing event inside the period is found by the events' line above
        " UNION SELECT e.dossier_id FROM dossier_events e JOIN dossiers d ON d.id = e.dossier_id"
        f"  WHERE e.at >= :s AND d.received_at < :s AND e.kind IN ({', '.join(':' + k for k in closing)})"
        ") ORDER BY received_at, code"
    )
    return [r[0] for r in cur.execute(sql, {"b": b, "s": s, **statuses, **closing})]


def rows_of(session: Session, ids: Sequence[str]) -> list[tuple[Dossier, list[DossierEvent]]]:
    """(dossier, its events in no particular order) for ``ids``, in the order given.

    The missing-items list is not read: no report shows it. The components list is read only
    for dossiers with attachments (the digitisation rate compares the two); the others have none.
    """
    cur = _cursor(session)
    batch = json.dumps(list(ids))
    found: dict[str, tuple[Dossier, list[DossierEvent]]] = {}
    stamp = _stamp
    for r in cur.execute(f"SELECT {_DOSSIER_COLUMNS} FROM dossiers WHERE id IN (SELECT value FROM json_each(?))",
                         (batch,)):
        d = Dossier(
            r[0], r[1], r[2], r[3], r[4], r[5], r[6], Applicant(r[7], r[8], r[9], r[10], r[11]), (), r[12], r[13],
            r[14], r[15], r[16], datetime.fromisoformat(r[17]), stamp(r[18]), r[19], r[20], r[21], r[22], r[23], r[24],
            r[25] or "",
            (), r[26] or "",
        )
        found[d.id] = (d, [])
    kinds, loads, fromiso = _KINDS, json.loads, datetime.fromisoformat
    # Most event data repeats word for word (the same department on every handover, empty
    # notes): each distinct text is parsed once and its dict shared, read-only, by its events.
    parsed: dict[str, dict] = {}
    # No ORDER BY: the index gives each dossier's events together, and facts_of orders them
    # by (hlc, id) anyway; sorting here too cost a temporary B-tree over 400,000 rows.
    sql = f"SELECT {_EVENT_COLUMNS} FROM dossier_events WHERE dossier_id IN (SELECT value FROM json_each(?))"
    for r in cur.execute(sql, (batch,)):
        data = r[8]
        if not data or data == "{}":
            values: dict = {}
        else:
            values = parsed.get(data)  # type: ignore[assignment]
            if values is None:
                values = parsed[data] = loads(data)
        found[r[1]][1].append(DossierEvent(r[0], r[1], kinds[r[2]], fromiso(r[3]), r[4], r[5], r[6], r[7], values))
    _add_components(cur, found)
    return [found[i] for i in ids if i in found]


def _add_components(cur: Any, found: dict[str, tuple[Dossier, list[DossierEvent]]]) -> None:
    scanned = [key for key, (_, events) in found.items() if any(e.kind is EventKind.ATTACHED for e in events)]
    if not scanned:
        return
    sql = "SELECT id, components FROM dossiers WHERE id IN (SELECT value FROM json_each(?))"
    for key, raw in cur.execute(sql, (json.dumps(scanned),)):
        listed = tuple(ReceivedComponent(c["name"], ComponentKind(c["kind"]), int(c["count"]))
                       for c in json.loads(raw or "[]"))
        dossier, events = found[key]
        found[key] = (dataclasses.replace(dossier, components=listed), events)


def _text(moment: datetime) -> str:
    """How SQLAlchemy's SQLite DateTime stores a moment, so string comparison orders right."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


# What statistics read of a dossier without its history: the firsts (by hlc, id, as
# ``facts_of`` orders events) come as "hlc\x1fid\x1fat" so min() picks the first event and
# its time travels with it; the period's counts are summed by SQLite. A dossier with a
# supplement event (pauses move its due time), a recount after a calendar change (its due
# time is the recount's) or a rating the report does not know is flagged, and the service
# reads its whole history instead.
_FIRST = "min(CASE WHEN {cond} THEN e.hlc || char(31) || e.id || char(31) || e.at END)"
_IN = "e.at >= :begin AND e.at < :stop"
# Every test sits in a CASE so SQLite stops at the kind: evaluating the period and the JSON
# for every event was half of this statement's time.
_ONCE = "coalesce(max(CASE WHEN e.kind = '{kind}' THEN " + _IN + " END), 0)"
# The period's rating levels in one aggregate (NULL without any): counting each level apart
# took four more tests of every event, for the few dossiers that are rated.
_RATINGS = ("group_concat(CASE WHEN e.kind = 'rated' THEN CASE WHEN " + _IN + " THEN"
            " coalesce(json_extract(e.data, '$.rating'), '') END END, char(31))")
_STAT_SQL = (
    "SELECT d.id, d.procedure_code, d.procedure_name, d.procedure_version_id, d.received_by, d.workstation_id,"
    " d.received_at, d.due_at, "
    + _FIRST.format(cond="e.kind = 'received'") + ", "
    + _FIRST.format(cond="e.kind = 'result_received'") + ", "
    + _FIRST.format(cond="e.kind IN ('result_received', 'refused', 'withdrawn', 'stopped', 'returned')") + ","
    " count(CASE WHEN e.kind IN ('supplement_requested', 'supplement_received', 'due_recomputed') THEN 1 END), "
    + ", ".join(_ONCE.format(kind=k) for k in ("returned", "withdrawn", "refused", "stopped"))
    + ", " + _RATINGS
    + " FROM dossiers d LEFT JOIN dossier_events e ON e.dossier_id = d.id"
    " WHERE d.id IN (SELECT value FROM json_each(:ids)) GROUP BY d.id"
)


def stat_rows(session: Session, ids: Sequence[str], begin: datetime, stop: datetime) -> list[tuple]:
    """One row per dossier of ``ids`` (in no particular order):

    (id, procedure code, procedure name, procedure version, received by, workstation,
    received_at, due_at, first received event, first result, first closing event — each
    "hlc\\x1fid\\x1fat" or None —, supplement events, returned / withdrawn / refused /
    stopped in [begin, stop) (0/1), the levels of the period's ratings joined by "\\x1f" —
    None without any, "" for a rating without a level)."""
    params = {"ids": json.dumps(list(ids)), "begin": _text(begin), "stop": _text(stop)}
    return _cursor(session).execute(_STAT_SQL, params).fetchall()


_LEDGER_DOSSIER = (
    "SELECT id, code, procedure_name, sets, applicant_name, applicant_address, applicant_phone, competent_agency,"
    " received_at, due_at, ledger_book, ledger_number, received_by, workstation_id, note"
    " FROM dossiers WHERE id IN (SELECT value FROM json_each(?))"
)
# Only the kinds a ledger row shows, with only the one field of their data it prints (read by
# SQLite, so the JSON of 400,000 events is never parsed in Python); a supplement kind or a
# due recount only tells the service to read that history whole.
_LEDGER_EVENTS = (
    "SELECT dossier_id, kind, at, hlc, id, CASE kind"
    " WHEN 'handed_over' THEN coalesce(nullif(json_extract(data, '$.to_name'), ''), json_extract(data, '$.to'), '')"
    " WHEN 'returned' THEN json_extract(data, '$.channel') WHEN 'refused' THEN json_extract(data, '$.reason')"
    " WHEN 'extended' THEN json_extract(data, '$.until') END"
    " FROM dossier_events WHERE dossier_id IN (SELECT value FROM json_each(?)) AND kind IN ('handed_over',"
    " 'returned', 'refused', 'supplement_requested', 'supplement_received', 'due_recomputed', 'extended',"
    " 'withdrawn', 'stopped',"
    " 'result_received')"
)


def ledger_rows(session: Session, ids: Sequence[str]) -> tuple[list[tuple], list[tuple]]:
    """The ledger's columns of the dossiers ``ids`` (id, code, procedure name, sets, applicant
    name, address, phone, agency, received_at, due_at, book, number, received by, workstation,
    note) and their events that a ledger row shows (dossier id, kind, at, hlc, id, the one
    data field it prints: where handed over to / return channel / refusal reason / extended
    until), both in no particular order."""
    cur = _cursor(session)
    batch = json.dumps(list(ids))
    return cur.execute(_LEDGER_DOSSIER, (batch,)).fetchall(), cur.execute(_LEDGER_EVENTS, (batch,)).fetchall()
