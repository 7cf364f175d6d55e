"""Administration use cases: offices, enrolment codes, devices, reference data.

Reference data is owned here and published as ``ref.*`` changes that devices pull;
publishing goes through the same locked sequencer as pushes.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.catalog import ProcedureVersion
from ..domain.changes import (
    ChangeKind,
    encode_calendar,
    encode_office,
    encode_procedure,
    encode_user,
)
from ..domain.errors import DomainError, NotFound
from ..domain.hlc import HybridClock
from ..domain.ids import uuid7
from ..domain.org import OrgUnit, is_valid_agency_code
from ..domain.users import DEFAULT_COST, PasswordCost, Role, User, hash_password
from . import ledger
from .auth import enroll_code_hash, new_enroll_code
from .db import ServerDatabase
from .models import DeviceRow, EnrollCodeRow, OfficeRow, UserRow
from .payloads import content_hash

MAX_TTL_HOURS = 24 * 30


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything here is stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class ServerAdmin:
    def __init__(self, db: ServerDatabase, *, now: Callable[[], datetime], clock: HybridClock,
                 password_cost: PasswordCost = DEFAULT_COST) -> None:
        self.db = db
        self.now = now
        self.clock = clock
        self.password_cost = password_cost

    def new_id(self) -> str:
        return uuid7()

    # --- offices and devices ---
    def add_office(self, code: str, name: str, *, parent_code: str | None = None, level: str = "commune") -> dict:
        code, name = code.strip(), name.strip()
        if not is_valid_agency_code(code):
            raise DomainError("office.invalid_code", code=code)
        if not name:
            raise DomainError("office.name_required")
        unit = OrgUnit(code=code, name=name, level=level, parent_code=parent_code or None)
        payload = encode_office(unit)
        with self.db.write() as s:
            if s.get(OfficeRow, code) is not None:
                raise DomainError("office.exists", code=code)
            s.add(OfficeRow(code=code, name=name, level=level, parent_code=unit.parent_code, created_at=self.now()))
            self._publish(s, [(ChangeKind.REF_OFFICE, code, payload)])
            s.commit()
        return payload

    def issue_enroll_code(self, office_code: str, *, ttl_hours: float = 72) -> dict:
        if not 0 < ttl_hours <= MAX_TTL_HOURS:
            raise DomainError("enroll.invalid_ttl", max=MAX_TTL_HOURS)
        code = new_enroll_code()
        now = self.now()
        expires = now + timedelta(hours=ttl_hours)
        with self.db.write() as s:
            _require_office(s, office_code)
            s.add(EnrollCodeRow(code_hash=enroll_code_hash(code), office_code=office_code, created_at=now,
                                expires_at=expires))
            s.commit()
        return {"code": code, "office_code": office_code, "expires_at": expires.isoformat()}

    def revoke_device(self, device_id: str) -> dict:
        with self.db.write() as s:
            row = s.get(DeviceRow, device_id)
            if row is None:
                raise NotFound("device.unknown", id=device_id)
            if row.revoked_at is None:
                row.revoked_at = self.now()
            result = _device_dict(row)
            s.commit()
        return result

    def list_devices(self, office_code: str | None = None) -> list[dict]:
        with self.db.read() as s:
            query = select(DeviceRow).order_by(DeviceRow.office_code, DeviceRow.slot, DeviceRow.enrolled_at)
            if office_code:
                query = query.where(DeviceRow.office_code == office_code)
            return [_device_dict(row) for row in s.scalars(query)]

    # --- users ---
    def add_user(self, office_code: str, username: str, full_name: str, role: str, password: str) -> dict:
        username, full_name = username.strip(), full_name.strip()
        if not username or not full_name:
            raise DomainError("field.required")
        try:
            role = Role(role).value
        except ValueError:
            raise DomainError("user.invalid_role", role=role) from None
        if len(password) < 8:
            raise DomainError("user.password_too_short", min=8)
        payload = encode_user(User(id=self.new_id(), username=username, full_name=full_name, role=Role(role),
                                   office_code=office_code,
                                   password_hash=hash_password(password, cost=self.password_cost)))
        with self.db.write() as s:
            _require_office(s, office_code)
            taken = select(UserRow.id).where(UserRow.office_code == office_code, UserRow.username == username)
            if s.scalar(taken) is not None:
                raise DomainError("user.exists_in_office", username=username, office=office_code)
            s.add(UserRow(id=payload["id"], username=username, office_code=office_code))
            # A password hash is only for the office the clerk works at.
            self._publish(s, [(ChangeKind.REF_USER, payload["id"], payload)], office_code=office_code)
            s.commit()
        return {k: v for k, v in payload.items() if k != "password_hash"}

    # --- reference data ---
    def publish_catalog(self, versions: Iterable[ProcedureVersion]) -> dict:
        """Publish each version as a ``ref.procedure`` change; identical ones are skipped."""
        items = [(ChangeKind.REF_PROCEDURE, v.id, encode_procedure(v)) for v in versions]
        with self.db.write() as s:
            published = self._publish(s, items)
            s.commit()
        return {"published": published, "unchanged": len(items) - published}

    def has_reference(self) -> bool:
        with self.db.read() as s:
            return ledger.count(s, ChangeKind.REF_PROCEDURE) > 0

    def seed_reference(self, versions: Iterable[ProcedureVersion], calendar: Iterable[Any]) -> bool:
        """First start of a new database: publish the catalogue and calendar once."""
        items = [(ChangeKind.REF_PROCEDURE, v.id, encode_procedure(v)) for v in versions]
        items += [(ChangeKind.REF_CALENDAR, e.day.isoformat(), encode_calendar(e)) for e in calendar]
        with self.db.write() as s:
            self.db.lock_sequence(s)
            if ledger.count(s, ChangeKind.REF_PROCEDURE):
                return False
            self._publish(s, items)
            s.commit()
        return True

    def calendar_correction(self, correction: Any, *, dry_run: bool = False, confirm: Any = None) -> dict:
        """Add, replace, turn off or on one calendar day for every counter (see calendar_admin)."""
        from .calendar_admin import publish

        return publish(self, correction, dry_run=dry_run, confirm=confirm)

    def _publish(self, s: Session, items: list[tuple[ChangeKind, str, dict]], *, office_code: str = "*") -> int:
        self.db.lock_sequence(s)
        sequencer = ledger.Sequencer(s)
        now = self.now()
        published = 0
        for kind, entity_id, payload in items:
            if ledger.latest_hash(s, kind, entity_id) == content_hash(kind, entity_id, payload):
                continue
            sequencer.server_change(kind, entity_id, payload, hlc=self.clock.now(), now=now, office_code=office_code)
            published += 1
        sequencer.flush()
        return published


def _require_office(s: Session, office_code: str) -> None:
    if s.get(OfficeRow, office_code) is None:
        raise NotFound("office.unknown", code=office_code)


def _device_dict(row: DeviceRow) -> dict:
    return {"device_id": row.id, "office_code": row.office_code, "name": row.name, "slot": row.slot,
            "enrolled_at": aware(row.enrolled_at).isoformat(),
            "revoked_at": aware(row.revoked_at).isoformat() if row.revoked_at else None}
