"""``server calendar add|disable|enable``: the effect on open dossiers is listed before publishing."""
from __future__ import annotations

import io
import json
from datetime import datetime

from counter_app.domain.status import EventKind
from counter_app.entry.cli_server import run


def _db_args(backend) -> list[str]:
    if not backend.connect_args:
        return ["--db", backend.url]
    schema = backend.connect_args["options"].split("=", 1)[1]
    return ["--db", f"{backend.url}?options=-csearch_path%3D{schema}"]


def _run(capsys, monkeypatch, argv: list[str], stdin: str = "") -> tuple[int, object, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = run(argv)
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def _open_dossier(harness, build) -> tuple[dict, str]:
    versions, calendar = build.reference()
    harness.service.seed_reference(versions, calendar)
    harness.office(build.A)
    headers = harness.device(build.A)
    version = next(v for v in versions if v.code == "1.004873")
    upsert = build.dossier(build.A, harness.stamp(), procedure_code="1.004873", procedure_version_id=version.id,
                           received_at=datetime(2026, 11, 20, 10, 0).isoformat(),
                           due_at=datetime(2026, 11, 26, 17, 0).isoformat())
    harness.push(headers, upsert, build.event(upsert["entity_id"], EventKind.RECEIVED, harness.stamp()))
    return headers, upsert["payload"]["code"]


def test_disable_lists_asks_and_publishes_with_the_recount(harness, build, backend, capsys, monkeypatch) -> None:
    headers, code = _open_dossier(harness, build)
    db = _db_args(backend)
    base = ["server", "calendar", "disable", "24/11/2026", "--reason", "Chưa sửa Bộ luật Lao động", "--by", "so.noivu"]

    status, dry, _ = _run(capsys, monkeypatch, [*base, "--dry-run", *db])
    assert status == 0 and dry["applied"] is False
    assert [(c["code"], c["from"], c["to"]) for c in dry["due_changes"]] == [
        (code, "2026-11-26T17:00:00", "2026-11-25T17:00:00")]

    status, out, err = _run(capsys, monkeypatch, [*base, *db], stdin="no\n")
    assert status == 2 and out is None
    assert f"{build.A} {code}: 26/11/2026 17:00 -> 25/11/2026 17:00" in err and "nothing was changed" in err
    before = harness.pull_all(headers)
    assert not any(c["kind"] == "ref.calendar" and c["payload"].get("reason") for c in before)

    status, done, _ = _run(capsys, monkeypatch, [*base, *db], stdin="yes\n")
    assert status == 0 and done["applied"] is True
    pulled = harness.pull_all(headers)
    correction = [c for c in pulled if c["kind"] == "ref.calendar" and c["payload"].get("reason")]
    assert len(correction) == 1 and correction[0]["payload"]["active"] is False
    assert correction[0]["payload"]["by"] == "so.noivu" and "80-NQ/TW" in correction[0]["payload"]["source"]
    recounts = [c for c in pulled if c["kind"] == "dossier.event" and c["payload"]["kind"] == "due_recomputed"]
    assert len(recounts) == 1 and recounts[0]["payload"]["data"]["to"] == "2026-11-25T17:00:00"
    merged = harness.dossier(headers, recounts[0]["payload"]["dossier_id"]).json()
    assert [e["kind"] for e in merged["events"]] == ["received", "due_recomputed"] and merged["flagged"] == []

    status, out, err = _run(capsys, monkeypatch, [*base, "--yes", *db])
    assert status == 2 and "already" in err and err.count("\n") == 1


def test_add_an_announced_day_needs_source_reason_and_a_weekend_for_a_worked_day(harness, build, backend, capsys,
                                                                                  monkeypatch) -> None:
    headers, code = _open_dossier(harness, build)
    db = _db_args(backend)
    status, out, _ = _run(capsys, monkeypatch, ["server", "calendar", "add", "2026-11-23", "--kind", "day_off",
                                                "--name", "Nghỉ theo quyết định của tỉnh", "--source",
                                                "Quyết định 99/QĐ-UBND ngày 01/11/2026 (thử)", "--reason", "Bão",
                                                "--by", "ubnd.tinh", "--yes", *db])
    assert status == 0 and out["applied"] and out["entry"]["origin"] == "upstream"
    assert [(c["code"], c["to"]) for c in out["due_changes"]] == [(code, "2026-11-27T17:00:00")]
    status, out, err = _run(capsys, monkeypatch, ["server", "calendar", "add", "2026-11-25", "--kind", "working_day",
                                                  "--name", "Làm bù", "--source", "x", "--reason", "y", "--yes", *db])
    assert status == 2 and "weekday" in err and "Traceback" not in err
    status, out, err = _run(capsys, monkeypatch, ["server", "calendar", "disable", "2026-11-25", "--reason", "y",
                                                  "--yes", *db])
    assert status == 2 and "no entry" in err


def test_the_open_dossiers_are_read_in_a_few_queries_whatever_their_number(harness, build) -> None:
    """The effect of a correction is listed from every dossier the server holds: their events
    come in one query, not one per dossier (a province server holds hundreds of thousands)."""
    from sqlalchemy import event

    from counter_app.server.calendar_admin import open_dossiers

    versions, calendar = build.reference()
    harness.service.seed_reference(versions, calendar)
    harness.office(build.A)
    headers = harness.device(build.A)
    version = next(v for v in versions if v.code == "1.004873")
    open_codes, changes = set(), []
    for index in range(30):
        upsert = build.dossier(build.A, harness.stamp(), procedure_code="1.004873", procedure_version_id=version.id,
                               received_at=datetime(2026, 11, 20, 10, 0).isoformat(),
                               due_at=datetime(2026, 11, 26, 17, 0).isoformat())
        changes += [upsert, build.event(upsert["entity_id"], EventKind.RECEIVED, harness.stamp())]
        if index % 3 == 0:  # withdrawn: closed, its due date never moves
            changes.append(build.event(upsert["entity_id"], EventKind.WITHDRAWN, harness.stamp()))
        else:
            open_codes.add(upsert["payload"]["code"])
    harness.push(headers, *changes)

    statements: list[str] = []
    engine = harness.service.db.engine
    listen = lambda *args: statements.append(args[2])  # noqa: E731 - (conn, cursor, statement, ...)
    event.listen(engine, "before_cursor_execute", listen)
    try:
        with harness.service.db.read() as s:
            found = open_dossiers(s)
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert {d.dossier.code for d, _ in found} == open_codes
    assert all([e.kind for e in d.events] == [EventKind.RECEIVED] for d, _ in found)
    event_queries = [q for q in statements if "dossier_events" in q]
    assert len(event_queries) == 1 and len(statements) <= 6, statements
