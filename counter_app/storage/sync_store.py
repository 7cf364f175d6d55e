"""The sync client's view of the local database (``SyncStore`` and ``SyncLedger``).

Every method is one transaction. A pending outbox row only ever leaves "pending"
by being marked sent (the server has it), relayed (an office hub has it; it becomes
sent when the hub's upstream confirms it, pending again if the hub lost it) or
rejected (quarantined with the reason); nothing here deletes one. A pulled page and the
new cursor commit together.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Engine, case, delete, func, insert, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ..domain.errors import DomainError
from ..domain.hlc import HybridClock, format_stamp, is_adoptable, parse_stamp, wall_ms
from ..domain.ports import OutboxEntry
from ..services.context import SettingKey
from ..services.sync import RejectedChange, ReviewEntry, RoundSummary, SyncSetting, dossier_key
from . import mapping as m
from .engine import BEGIN_MODE, READ_ONLY
from .models import outbox
from .reference import SqlSettingsRepository
from .repositories import SqlOutboxRepository
from .results import cursor_result, rows_changed
from .sync_apply import Applier, IncomingChange, chunks
from .sync_models import dossier_stamps, sync_parked, sync_review, sync_rounds

# The dossier a row belongs to, in SQL (events name it in the payload).
_DOSSIER_OF: ColumnElement[Any] = case(
    (outbox.c.kind == "dossier.event",
     func.coalesce(func.json_extract(outbox.c.payload, "$.dossier_id"), outbox.c.entity_id)),
    else_=outbox.c.entity_id,
)
log = logging.getLogger(__name__)
_SEP = "|"  # outbox.reason of a rejected row is "code|reason"
RELAYED = "relayed"  # an office hub holds it; owed until the hub's upstream confirms it


class SqlSyncStore:
    def __init__(self, engine: Engine) -> None:
        bound = engine.execution_options(**{BEGIN_MODE: "IMMEDIATE"})
        self._sessions = sessionmaker(bind=bound, expire_on_commit=False)
        # What only reads (counts, the cursor, the status screen's lists) takes no write lock, as
        # the unit of work's reads do: a sync round's questions never make a clerk's save wait.
        self._reads = sessionmaker(bind=engine.execution_options(**{BEGIN_MODE: "", READ_ONLY: True}),
                                   expire_on_commit=False)
        # Test hook: called inside apply_page after the changes, before the commit
        # (a crash there must leave both the changes and the cursor unapplied).
        self.before_commit: Callable[[], None] | None = None

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        with self._session(self._sessions) as session:
            yield session

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self._session(self._reads) as session:
            yield session

    @staticmethod
    @contextmanager
    def _session(sessions: sessionmaker[Session]) -> Iterator[Session]:
        session = sessions()
        try:
            yield session
        except OperationalError as exc:
            if "locked" in str(exc.orig).lower() or "busy" in str(exc.orig).lower():
                raise DomainError("storage.locked") from exc
            raise
        finally:
            session.rollback()
            session.close()

    # ---- push side ---------------------------------------------------------------------
    def pending_count(self) -> int:
        with self._read() as s:
            return s.scalar(select(func.count()).select_from(outbox).where(outbox.c.state == "pending")) or 0

    def pending_batch(self, limit: int) -> list[OutboxEntry]:
        """Oldest pending rows, skipping those held behind a rejected change of their dossier."""
        with self._read() as s:
            stmt = select(outbox).where(outbox.c.state == "pending")
            held = _rejected_keys(s)
            if held:
                stmt = stmt.where(_DOSSIER_OF.not_in(held))
            return [m.outbox_from_row(r) for r in s.execute(stmt.order_by(outbox.c.seq).limit(limit))]

    def restamp_ahead(self, now_ms: int) -> int:
        """Give fresh stamps, in outbox order, to pending changes stamped beyond the bound of
        ``now_ms`` (or malformed): made while this node's clock was poisoned or set far ahead,
        the server would refuse them for ever. Their field stamps follow; the local event
        rows are append-only and keep theirs (only this node orders them by it)."""
        with self._tx() as s:
            rows = s.execute(select(outbox.c.change_id, outbox.c.kind, outbox.c.entity_id, outbox.c.hlc,
                                    outbox.c.payload)
                             .where(outbox.c.state == "pending").order_by(outbox.c.seq)).all()
            stale = [r for r in rows if not is_adoptable(r.hlc, now_ms)]
            if not stale:
                return 0
            settings = SqlSettingsRepository(s)
            clock = HybridClock(settings.get(SettingKey.WORKSTATION_ID) or "local", wall=lambda: now_ms)
            fresh = ""
            for row in stale:
                fresh = clock.now()
                payload = dict(row.payload or {})
                if row.kind == "dossier.event":
                    payload["hlc"] = fresh
                elif row.kind == "dossier.upsert":
                    _restamp_fields(s, row.entity_id, row.hlc, fresh)
                s.execute(update(outbox).where(outbox.c.change_id == row.change_id).values(hlc=fresh, payload=payload))
            _raise_hlc(settings, parse_stamp(fresh)[:2], now_ms)
            s.commit()
        log.warning("%d pending changes had clock stamps beyond the allowed drift; stamped again", len(stale))
        return len(stale)

    def record_push(self, sent: Sequence[str], rejected: Sequence[tuple[str, str, str]], held: Sequence[str],
                    relayed: Sequence[str] = ()) -> None:
        """Results of one push, in one transaction: sent rows done (or relayed, when a hub holds
        them for its upstream), rejected ones quarantined."""
        with self._tx() as s:
            repo = SqlOutboxRepository(s)
            repo.record_attempt([*sent, *(r[0] for r in rejected), *held])
            repo.mark_sent(sent)
            _set_state(s, relayed, RELAYED)
            for change_id, code, reason in rejected:
                repo.mark_rejected(change_id, f"{code}{_SEP}{reason}")
            if held:
                s.execute(update(outbox).where(outbox.c.change_id.in_(list(held)))
                          .values(reason="held: an earlier change of this dossier was rejected"))
            s.commit()

    def record_attempt(self, change_ids: Sequence[str], reason: str) -> None:
        with self._tx() as s:
            SqlOutboxRepository(s).record_attempt(change_ids, reason)
            s.commit()

    # ---- relayed through an office hub -------------------------------------------------
    def relayed_ids(self, limit: int) -> list[str]:
        with self._read() as s:
            return list(s.scalars(select(outbox.c.change_id).where(outbox.c.state == RELAYED)
                                  .order_by(outbox.c.seq).limit(limit)))

    def record_confirmation(self, confirmed: Sequence[str], rejected: Sequence[tuple[str, str, str]],
                            unknown: Sequence[str]) -> None:
        """The hub's answer: confirmed upstream → sent; refused upstream → rejected with the
        reason; unknown to the hub (replaced, restored) → pending again, to be resent."""
        with self._tx() as s:
            _set_state(s, confirmed, "sent", only_from=RELAYED)
            _set_state(s, unknown, "pending", only_from=RELAYED)
            for change_id, code, reason in rejected:
                s.execute(update(outbox).where(outbox.c.change_id == change_id, outbox.c.state == RELAYED)
                          .values(state="rejected", reason=f"{code}{_SEP}{reason}"))
            s.commit()

    def requeue_relayed(self) -> int:
        with self._tx() as s:
            done = rows_changed(s.execute(update(outbox).where(outbox.c.state == RELAYED).values(state="pending")))
            s.commit()
            return done

    def relayed_count(self) -> int:
        with self._read() as s:
            return s.scalar(select(func.count()).select_from(outbox).where(outbox.c.state == RELAYED)) or 0

    # ---- supervisor review (a snapshot of the server's list) ---------------------------
    def replace_review(self, items: Sequence[Any]) -> None:
        with self._tx() as s:
            s.execute(delete(sync_review))
            if items:
                s.execute(insert(sync_review), [
                    {"item_id": i.item_id, "kind": i.kind, "dossier_id": i.dossier_id, "dossier_code": i.dossier_code,
                     "office_code": i.office_code, "detail": dict(i.detail), "created_at": _local(i.created_at)}
                    for i in items])
            s.commit()

    def review_items(self) -> list[ReviewEntry]:
        with self._read() as s:
            rows = s.execute(select(sync_review).order_by(sync_review.c.created_at, sync_review.c.item_id)).all()
        return [ReviewEntry(r.item_id, r.kind, r.dossier_id, r.dossier_code, r.office_code, dict(r.detail or {}),
                            r.created_at) for r in rows]

    def drop_review(self, item_id: str) -> None:
        with self._tx() as s:
            s.execute(delete(sync_review).where(sync_review.c.item_id == item_id))
            s.commit()

    # ---- pull side ---------------------------------------------------------------------
    def cursor(self) -> int:
        with self._read() as s:
            return int(SqlSettingsRepository(s).get(SyncSetting.CURSOR) or 0)

    def cursor_id(self) -> str:
        with self._read() as s:
            return SqlSettingsRepository(s).get(SyncSetting.CURSOR_ID) or ""

    def requeue_sent(self) -> int:
        with self._tx() as s:
            done = SqlOutboxRepository(s).requeue_sent()
            s.commit()
            return done

    def reset_cursor(self) -> None:
        with self._tx() as s:
            settings = SqlSettingsRepository(s)
            settings.set(SyncSetting.CURSOR, "0")
            settings.set(SyncSetting.CURSOR_ID, "")
            s.commit()

    def apply_page(self, changes: Sequence[IncomingChange], cursor: int) -> int:
        """Apply one pulled page and save ``cursor``, all or nothing. Returns len(changes)."""
        with self._tx() as s:
            applier = Applier(s)
            applier.apply_page(changes)
            settings = SqlSettingsRepository(s)
            settings.set(SyncSetting.CURSOR, str(cursor))
            if changes:
                settings.set(SyncSetting.CURSOR_ID, changes[-1].change_id)
            if applier.max_stamp is not None:
                _raise_hlc(settings, applier.max_stamp)
            if self.before_commit is not None:
                self.before_commit()
            s.commit()
        return len(changes)

    # ---- round log ---------------------------------------------------------------------
    def begin_round(self, started_at: datetime) -> int:
        with self._tx() as s:
            key = cursor_result(s.execute(insert(sync_rounds).values(
                started_at=started_at, pushed=0, pulled=0, rejected=0, error_code="", error_reason="",
            ))).inserted_primary_key
            if key is None:
                raise RuntimeError("the database gave no id for the new sync round")
            s.commit()
            return int(key[0])

    def end_round(self, round_id: int, summary: RoundSummary) -> None:
        with self._tx() as s:
            s.execute(update(sync_rounds).where(sync_rounds.c.id == round_id).values(
                finished_at=summary.finished_at, pushed=summary.pushed, pulled=summary.pulled,
                rejected=summary.rejected, error_code=summary.error_code, error_reason=summary.error_reason[:2000],
                server_offset=summary.server_offset,
            ))
            settings = SqlSettingsRepository(s)
            if summary.server_offset is not None:
                settings.set(SyncSetting.CLOCK_OFFSET, f"{summary.server_offset:.3f}")
            if summary.ok and summary.finished_at is not None:
                settings.set(SyncSetting.LAST_SUCCESS, summary.finished_at.isoformat())
            s.commit()

    # ---- ledger (status screen) --------------------------------------------------------
    def pending_by_kind(self) -> dict[str, int]:
        with self._read() as s:
            return SqlOutboxRepository(s).count_pending_by_kind()

    def rejected(self) -> list[RejectedChange]:
        with self._read() as s:
            rows = s.execute(select(outbox).where(outbox.c.state == "rejected").order_by(outbox.c.seq)).all()
        found = []
        for r in rows:
            code, _, reason = (r.reason or "").partition(_SEP)
            found.append(RejectedChange(r.change_id, r.kind, r.entity_id, code, reason, r.created_at))
        return found

    def held_count(self) -> int:
        with self._read() as s:
            held = _rejected_keys(s)
            if not held:
                return 0
            return s.scalar(select(func.count()).select_from(outbox).where(
                outbox.c.state == "pending", _DOSSIER_OF.in_(held))) or 0

    def parked_count(self) -> int:
        with self._read() as s:
            return s.scalar(select(func.count()).select_from(sync_parked)) or 0

    def retry(self, change_id: str) -> bool:
        with self._tx() as s:
            done = rows_changed(s.execute(update(outbox).where(outbox.c.change_id == change_id,
                                                               outbox.c.state == "rejected")
                                          .values(state="pending", reason="")))
            s.commit()
            return bool(done)

    def recent_rounds(self, limit: int) -> list[RoundSummary]:
        with self._read() as s:
            rows = s.execute(select(sync_rounds).order_by(sync_rounds.c.id.desc()).limit(limit)).all()
        return [RoundSummary(
            started_at=r.started_at, finished_at=r.finished_at, pushed=r.pushed, pulled=r.pulled,
            rejected=r.rejected, error_code=r.error_code or ("sync.interrupted" if r.finished_at is None else ""),
            error_reason=r.error_reason, server_offset=r.server_offset,
        ) for r in rows]

    def setting(self, key: str) -> str | None:
        with self._read() as s:
            return SqlSettingsRepository(s).get(key)


def _set_state(s: Session, change_ids: Sequence[str], state: str, only_from: str | None = None) -> None:
    for chunk in chunks(list(change_ids)):
        stmt = update(outbox).where(outbox.c.change_id.in_(chunk))
        if only_from is not None:
            stmt = stmt.where(outbox.c.state == only_from)
        s.execute(stmt.values(state=state, reason=""))


def _local(value: datetime) -> datetime:
    """This PC's wall time without tzinfo, as every local DateTime column stores it."""
    return value.astimezone().replace(tzinfo=None) if value.tzinfo else value


def _restamp_fields(s: Session, dossier_id: str, old: str, fresh: str) -> None:
    found = s.execute(select(dossier_stamps.c.fields).where(dossier_stamps.c.dossier_id == dossier_id)).first()
    if found is not None and found.fields:
        fields = {key: fresh if value == old else value for key, value in found.fields.items()}
        s.execute(update(dossier_stamps).where(dossier_stamps.c.dossier_id == dossier_id).values(fields=fields))


def _rejected_keys(s: Session) -> list[str]:
    rows = s.execute(select(outbox.c.kind, outbox.c.entity_id, outbox.c.payload).where(outbox.c.state == "rejected"))
    return sorted({dossier_key(kind, entity_id, payload or {}) for kind, entity_id, payload in rows})


def _raise_hlc(settings: SqlSettingsRepository, seen: tuple[int, int], now_ms: int | None = None) -> None:
    """Keep this node's persisted clock at or above every stamp it has seen (``seen`` is
    within the bound: ``Applier`` skips the others). A persisted clock beyond the bound
    (poisoned) or malformed counts as none, so it is replaced."""
    current = settings.get(SettingKey.HLC_LAST)
    now_ms = wall_ms() if now_ms is None else now_ms
    mine = parse_stamp(current)[:2] if current and is_adoptable(current, now_ms) else (0, 0)
    if seen > mine:
        node = settings.get(SettingKey.WORKSTATION_ID) or "local"
        settings.set(SettingKey.HLC_LAST, format_stamp(seen[0], seen[1], node))
