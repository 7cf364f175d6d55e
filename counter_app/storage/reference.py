"""SQLAlchemy repositories for reference data, settings and counters."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..domain.calendar import CalendarEntry
from ..domain.catalog import ProcedureVersion
from ..domain.changes import ChangeKind
from ..domain.errors import DomainError
from ..domain.org import OrgUnit
from ..domain.users import User
from . import mapping as m
from .commit_feed import note_reference
from .models import calendar_entries, offices, procedure_versions, sequences, settings, users


def upsert(session: Session, table: Table, row: dict[str, Any], keys: Iterable[str]) -> None:
    """INSERT, or UPDATE every other column when the key already exists."""
    keys = list(keys)
    stmt = sqlite_insert(table).values(**row)
    stmt = stmt.on_conflict_do_update(
        index_elements=keys, set_={c: stmt.excluded[c] for c in row if c not in keys}
    )
    session.execute(stmt)


class SqlCatalogRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def put(self, version: ProcedureVersion) -> None:
        upsert(self._s, procedure_versions, m.version_to_row(version), ["id"])
        note_reference(self._s, ChangeKind.REF_PROCEDURE)

    def get_version(self, version_id: str) -> ProcedureVersion | None:
        row = self._s.execute(select(procedure_versions).where(procedure_versions.c.id == version_id)).first()
        return m.version_from_row(row) if row else None

    def current(self, code: str, on: date) -> ProcedureVersion | None:
        t = procedure_versions
        stmt = (
            select(t)
            .where(t.c.code == code, t.c.effective_from <= on)
            .order_by(t.c.effective_from.desc(), t.c.id.desc())
            .limit(1)
        )
        row = self._s.execute(stmt).first()
        return m.version_from_row(row) if row else None

    def list_current(self, on: date) -> list[ProcedureVersion]:
        t = procedure_versions
        rank = (
            func.row_number()
            .over(partition_by=t.c.code, order_by=(t.c.effective_from.desc(), t.c.id.desc()))
            .label("rank")
        )
        ranked = select(t, rank).where(t.c.effective_from <= on).subquery()
        stmt = select(ranked).where(ranked.c.rank == 1).order_by(ranked.c.code)
        return [m.version_from_row(r) for r in self._s.execute(stmt)]


class SqlCalendarRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def entries(self, start: date | None = None, end: date | None = None) -> list[CalendarEntry]:
        """Entries with ``start <= day <= end`` (either bound optional), by day."""
        t = calendar_entries
        stmt = select(t).order_by(t.c.day)
        if start is not None:
            stmt = stmt.where(t.c.day >= start)
        if end is not None:
            stmt = stmt.where(t.c.day <= end)
        return [m.calendar_from_row(r) for r in self._s.execute(stmt)]

    def put(self, entry: CalendarEntry) -> None:
        upsert(self._s, calendar_entries, m.calendar_to_row(entry), ["day"])
        note_reference(self._s, ChangeKind.REF_CALENDAR)

    def delete(self, day: date) -> None:
        self._s.execute(delete(calendar_entries).where(calendar_entries.c.day == day))
        note_reference(self._s, ChangeKind.REF_CALENDAR)


class SqlUserRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, user: User) -> None:
        try:
            # A savepoint, so a duplicate leaves the rest of the unit of work usable.
            with self._s.begin_nested():
                self._s.execute(insert(users), [m.user_to_row(user)])
            note_reference(self._s, ChangeKind.REF_USER)
        except IntegrityError as exc:
            if "users.username" in str(exc.orig):
                raise DomainError("username.taken", username=user.username) from exc
            raise

    def get_by_username(self, username: str) -> User | None:
        row = self._s.execute(select(users).where(users.c.username == username)).first()
        return m.user_from_row(row) if row else None

    def list(self) -> list[User]:
        return [m.user_from_row(r) for r in self._s.execute(select(users).order_by(users.c.username))]


class SqlOfficeRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def put(self, unit: OrgUnit) -> None:
        upsert(self._s, offices, m.office_to_row(unit), ["code"])
        note_reference(self._s, ChangeKind.REF_OFFICE)

    def get(self, code: str) -> OrgUnit | None:
        row = self._s.execute(select(offices).where(offices.c.code == code)).first()
        return m.office_from_row(row) if row else None

    def list(self) -> list[OrgUnit]:
        return [m.office_from_row(r) for r in self._s.execute(select(offices).order_by(offices.c.code))]


class SqlSettingsRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def get(self, key: str) -> str | None:
        return self._s.execute(select(settings.c.value).where(settings.c.key == key)).scalar()

    def set(self, key: str, value: str) -> None:
        upsert(self._s, settings, {"key": key, "value": value}, ["key"])


class SqlSequenceRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def next_value(self, name: str) -> int:
        """One statement, so the read and the increment cannot interleave with another writer."""
        stmt = sqlite_insert(sequences).values(name=name, value=1).on_conflict_do_update(
            index_elements=[sequences.c.name], set_={"value": sequences.c.value + 1}
        ).returning(sequences.c.value)
        return int(self._s.execute(stmt).scalar_one())

    def current(self, name: str) -> int:
        return int(self._s.execute(select(sequences.c.value).where(sequences.c.name == name)).scalar() or 0)

    def raise_to(self, name: str, value: int) -> None:
        stmt = sqlite_insert(sequences).values(name=name, value=int(value))
        stmt = stmt.on_conflict_do_update(
            index_elements=[sequences.c.name], set_={"value": func.max(sequences.c.value, stmt.excluded.value)})
        self._s.execute(stmt)
