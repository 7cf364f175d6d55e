"""Administration: users and roles, organisation units, office profile and hours, security settings,
the audit log. Every call names its actor and checks a permission before writing anything;
every change writes an audit row in the same unit of work.

Units are never deleted: they are closed with ``valid_to`` (communes merge, districts were
abolished in 2025) so old dossiers keep showing the unit they were received by.
"""
from __future__ import annotations

import csv
import dataclasses
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from ..domain.audit import AuditEntry
from ..domain.errors import DomainError, NotFound, ValidationFailed
from ..domain.ids import uuid7
from ..domain.org import OfficeHours, OrgUnit, is_valid_agency_code
from ..domain.ports import UnitOfWork
from ..domain.users import Role, User, hash_password
from .context import ServiceContext, SettingKey
from .restore_policy import parse_slots
from .security import DEFAULTS, Permission, SecuritySetting, audit, guard
from .setup import MIN_PASSWORD

_USERNAME = re.compile(r"^[a-z0-9._]{3,32}$")
LEVELS = ("province", "commune", "district", "department", "centre")
# Settings an administrator edits on the admin screen: key -> (min, max) for numbers.
NUMERIC_SETTINGS = {
    SecuritySetting.MAX_FAILURES: (1, 20), SecuritySetting.LOCKOUT_MINUTES: (1, 1440),
    SecuritySetting.IDLE_MINUTES: (1, 240), SecuritySetting.BACKUP_KEEP_DAYS: (1, 365),
}
# Settings of the printed forms with a fixed set of values ("" = the default for the office).
FORM_CHOICES = {SettingKey.UNIT_KIND: {"centre", "one_stop", "office"}, SettingKey.MASK_CITIZEN_ID: {"1", "0"}}
# Reference data owned by the upstream server once enrolled (shown read-only then).
SYNC_DEVICE_KEY = "sync.device_id"


@dataclass(frozen=True)
class UserView:
    username: str
    full_name: str
    role: str
    active: bool
    locked_until: datetime | None = None


@dataclass(frozen=True)
class OrgUnitView:
    code: str
    name: str
    level: str
    parent_code: str
    valid_from: date | None
    valid_to: date | None
    current: bool


@dataclass(frozen=True)
class WorkstationView:
    counter_name: str
    workstation_id: str
    slot: int | None  # the code slot this workstation issues dossier numbers from
    used_slots: tuple[int, ...]  # every slot this data folder ever issued from
    retired_slots: tuple[int, ...]  # used ones other than the current: never issued from again


class AdminService:
    def __init__(self, ctx: ServiceContext, sidecar_slots: Callable[[], set[int]] | None = None) -> None:
        self._ctx = ctx
        # The slots recorded next to the database (used_slots.json), which outlive a damaged file.
        self._sidecar_slots = sidecar_slots or set

    # ---- this workstation ----------------------------------------------------------------
    def workstation(self, actor: str) -> WorkstationView:
        with self._ctx.reading() as uow:
            guard(uow, actor, Permission.MANAGE_SETTINGS)
            name = uow.settings.get(SettingKey.COUNTER_NAME) or ""
            node = uow.settings.get(SettingKey.WORKSTATION_ID) or ""
            slot_text = uow.settings.get(SettingKey.WORKSTATION_SLOT) or ""
            used = parse_slots(uow.settings.get(SecuritySetting.USED_SLOTS))
        slot = int(slot_text) if slot_text.isdigit() else None
        used = used | self._sidecar_slots() | ({slot} if slot is not None else set())
        return WorkstationView(name, node, slot, tuple(sorted(used)), tuple(sorted(used - {slot})))

    def set_counter_name(self, actor: str, name: str) -> None:
        """The counter's name printed on receipts and shown in the title bar (administrators only)."""
        name = " ".join(name.split())
        if not name:
            raise ValidationFailed({"counter_name": "field.required"})
        with self._ctx.uow() as uow:
            admin = guard(uow, actor, Permission.MANAGE_SETTINGS)
            old = uow.settings.get(SettingKey.COUNTER_NAME)
            if old == name:
                return
            uow.settings.set(SettingKey.COUNTER_NAME, name)
            audit(self._ctx, uow, admin.username, "settings.change",
                  {"key": SettingKey.COUNTER_NAME, "old": old, "new": name})
            uow.commit()

    def reference_read_only(self) -> bool:
        """True when enrolled: users, catalogue, calendar and units come from the server."""
        with self._ctx.reading() as uow:
            return bool(uow.settings.get(SYNC_DEVICE_KEY))

    # ---- users ---------------------------------------------------------------------------
    def users(self, actor: str) -> list[UserView]:
        with self._ctx.reading() as uow:
            guard(uow, actor, Permission.MANAGE_USERS)
            now = self._ctx.clock.now()
            out = []
            for u in uow.users.list():
                _, until = uow.admin.throttle(u.username)
                out.append(UserView(u.username, u.full_name, u.role.value, u.active,
                                    until if until and until > now else None))
            return out

    def add_user(self, actor: str, username: str, full_name: str, role: str, password: str) -> UserView:
        username, full_name = username.strip().lower(), " ".join(full_name.split())
        errors = {}
        if not _USERNAME.match(username):
            errors["username"] = "username.invalid"
        if not full_name:
            errors["full_name"] = "field.required"
        if role not in {r.value for r in Role}:
            errors["role"] = "role.invalid"
        if len(password) < MIN_PASSWORD:
            errors["password"] = "password.too_short"
        if errors:
            raise ValidationFailed(errors, {"password": {"min": MIN_PASSWORD}})
        with self._ctx.uow() as uow:
            admin = guard(uow, actor, Permission.MANAGE_USERS)
            code = uow.settings.get(SettingKey.OFFICE_CODE) or admin.office_code
            user = User(uuid7(), username, full_name, Role(role), code,
                        hash_password(password, cost=self._ctx.password_cost))
            uow.users.add(user)
            audit(self._ctx, uow, admin.username, "user.add", {"username": username, "role": role})
            uow.commit()
        return UserView(username, full_name, role, True)

    def update_user(self, actor: str, username: str, *, full_name: str | None = None, role: str | None = None,
                    active: bool | None = None, password: str | None = None, unlock: bool = False) -> UserView:
        with self._ctx.uow() as uow:
            admin = guard(uow, actor, Permission.MANAGE_USERS)
            user = uow.users.get_by_username(username.strip().lower())
            if user is None:
                raise NotFound("clerk.unknown", username=username)
            changes: dict[str, Any] = {}
            if full_name is not None and " ".join(full_name.split()) != user.full_name:
                if not full_name.strip():
                    raise ValidationFailed({"full_name": "field.required"})
                changes["full_name"] = " ".join(full_name.split())
            if role is not None and role != user.role.value:
                if role not in {r.value for r in Role}:
                    raise ValidationFailed({"role": "role.invalid"})
                changes["role"] = Role(role)
            if active is not None and active != user.active:
                changes["active"] = active
            if password is not None:
                if len(password) < MIN_PASSWORD:
                    raise ValidationFailed({"password": "password.too_short"}, {"password": {"min": MIN_PASSWORD}})
                changes["password_hash"] = hash_password(password, cost=self._ctx.password_cost)
            updated = dataclasses.replace(user, **changes)
            self._keep_an_administrator(uow, updated)
            if changes:
                uow.admin.update_user(updated)
            if unlock or password is not None:
                uow.admin.set_throttle(user.username, 0, None, None)
            detail = {k: (v.value if isinstance(v, Role) else v) for k, v in changes.items() if k != "password_hash"}
            if "password_hash" in changes:
                detail["password"] = "changed"  # never the password or its hash
            if unlock:
                detail["unlocked"] = True
            audit(self._ctx, uow, admin.username, "user.update", {"username": user.username, **detail})
            uow.commit()
        return UserView(updated.username, updated.full_name, updated.role.value, updated.active)

    @staticmethod
    def _keep_an_administrator(uow: UnitOfWork, updated: User) -> None:
        """Refuse the change that would leave the office without an active administrator."""
        others = [u for u in uow.users.list() if u.username != updated.username]
        if updated.role is Role.ADMINISTRATOR and updated.active:
            return
        if not any(u.role is Role.ADMINISTRATOR and u.active for u in others):
            raise DomainError("admin.last_administrator")

    # ---- organisation units ----------------------------------------------------------------
    def org_units(self, on: date | None = None) -> list[OrgUnitView]:
        day = on or self._ctx.clock.now().date()
        with self._ctx.reading() as uow:
            units = uow.offices.list()
        return [OrgUnitView(u.code, u.name, u.level, u.parent_code or "", u.valid_from, u.valid_to, u.is_valid_on(day))
                for u in units]

    def put_org_unit(self, actor: str, code: str, name: str, level: str, parent_code: str = "",
                     valid_from: date | None = None, valid_to: date | None = None) -> OrgUnitView:
        """Add or edit a unit (history: close it with ``valid_to``; units are never deleted)."""
        code, name = code.strip(), " ".join(name.split())
        errors = {}
        if not is_valid_agency_code(code):
            errors["code"] = "agency_code.invalid"
        if not name:
            errors["name"] = "field.required"
        if level not in LEVELS:
            errors["level"] = "org.level_invalid"
        if valid_from and valid_to and valid_to < valid_from:
            errors["valid_to"] = "org.valid_to_before_from"
        if errors:
            raise ValidationFailed(errors)
        with self._ctx.uow() as uow:
            admin = guard(uow, actor, Permission.MANAGE_OFFICES)
            old = uow.offices.get(code)
            unit = dataclasses.replace(old, name=name, level=level, parent_code=parent_code.strip() or None,
                                       valid_from=valid_from, valid_to=valid_to) if old else OrgUnit(
                code=code, name=name, level=level, parent_code=parent_code.strip() or None,
                valid_from=valid_from, valid_to=valid_to)
            uow.offices.put(unit)
            audit(self._ctx, uow, admin.username, "office.put", {
                "code": code, "name": name, "level": level, "new": old is None,
                "valid_from": valid_from.isoformat() if valid_from else None,
                "valid_to": valid_to.isoformat() if valid_to else None})
            uow.commit()
        return OrgUnitView(code, name, level, parent_code, valid_from, valid_to,
                           unit.is_valid_on(self._ctx.clock.now().date()))

    # ---- this office: form texts and office hours ----------------------------------------
    def update_office(self, actor: str, *, name: str | None = None, parent_name: str | None = None,
                      place_name: str | None = None, address: str | None = None, phone: str | None = None,
                      hours: list[list[str]] | None = None) -> None:
        """The texts printed on the forms (agency, parent agency, place) and the office hours."""
        changes: dict[str, Any] = {k: " ".join(v.split()) for k, v in (("name", name), ("parent_name", parent_name),
                   ("place_name", place_name), ("address", address), ("phone", phone)) if v is not None}
        for key in ("name", "parent_name", "place_name"):
            if key in changes and not changes[key]:
                raise ValidationFailed({key: "field.required"})
        if hours is not None:
            changes["hours"] = _parse_hours(hours)
        with self._ctx.uow() as uow:
            admin = guard(uow, actor, Permission.MANAGE_OFFICES)
            code = uow.settings.get(SettingKey.OFFICE_CODE) or ""
            office = uow.offices.get(code)
            if office is None:
                raise DomainError("setup.not_configured")
            uow.offices.put(dataclasses.replace(office, **changes))
            detail = {k: (v.to_list() if isinstance(v, OfficeHours) else v) for k, v in changes.items()}
            audit(self._ctx, uow, admin.username, "office.put", {"code": code, **detail})
            uow.commit()

    # ---- settings ------------------------------------------------------------------------
    def settings(self) -> dict[str, str]:
        with self._ctx.reading() as uow:
            return {key: uow.settings.get(key) or DEFAULTS.get(key, "") for key in
                    (*NUMERIC_SETTINGS, SecuritySetting.BACKUP_DIR, SettingKey.LEGAL_BASIS, SettingKey.UNIT_NAME,
                     SettingKey.UNIT_PARENT, *FORM_CHOICES)}

    def set_setting(self, actor: str, key: str, value: str) -> None:
        value = value.strip()
        if key in NUMERIC_SETTINGS:
            low, high = NUMERIC_SETTINGS[key]
            if not value.isdigit() or not low <= int(value) <= high:
                raise ValidationFailed({key: "setting.out_of_range"}, {key: {"min": low, "max": high}})
        elif key in (SettingKey.LEGAL_BASIS, SettingKey.UNIT_NAME, SettingKey.UNIT_PARENT):
            if len(value) > 300:
                raise ValidationFailed({key: "field.too_long"}, {key: {"max": 300}})
        elif key in FORM_CHOICES:
            if value not in FORM_CHOICES[key]:
                raise DomainError("setting.invalid", key=key, value=value)
        elif key != SecuritySetting.BACKUP_DIR:
            raise DomainError("setting.invalid", key=key, value=value)
        with self._ctx.uow() as uow:
            admin = guard(uow, actor, Permission.MANAGE_SETTINGS)
            old = uow.settings.get(key)
            uow.settings.set(key, value)
            audit(self._ctx, uow, admin.username, "settings.change", {"key": key, "old": old, "new": value})
            uow.commit()

    # ---- the audit log -------------------------------------------------------------------
    def audit_log(self, actor: str, start: datetime | None = None, end: datetime | None = None, *,
                  action: str | None = None, limit: int | None = 1000) -> list[AuditEntry]:
        with self._ctx.reading() as uow:
            guard(uow, actor, Permission.AUDIT_VIEW)
            return uow.audit.list(start, end, action=action, limit=limit)

    def export_audit(self, actor: str, out: Path | str, start: datetime | None = None,
                     end: datetime | None = None) -> int:
        """CSV (UTF-8 with BOM, opens in Excel) of the log between ``start`` and ``end``; the export is audited."""
        with self._ctx.uow() as uow:
            user = guard(uow, actor, Permission.AUDIT_VIEW)
            entries = uow.audit.list(start, end)
        out = Path(out)
        try:
            with out.open("w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(["seq", "at", "actor", "workstation", "action", "detail"])
                for e in entries:
                    writer.writerow([e.seq, e.at.isoformat(sep=" "), e.actor, e.workstation, e.action,
                                     json.dumps(e.detail, ensure_ascii=False, sort_keys=True)])
        except OSError as exc:
            raise DomainError("export.failed", path=str(out), detail=exc.strerror or str(exc)) from None
        with self._ctx.uow() as uow:
            audit(self._ctx, uow, user.username, "audit.export", {
                "rows": len(entries), "from": start.isoformat() if start else None,
                "to": end.isoformat() if end else None})
            uow.commit()
        return len(entries)


def _parse_hours(items: list[list[str]]) -> OfficeHours:
    try:
        periods = tuple((time.fromisoformat(a), time.fromisoformat(b)) for a, b in items)
    except (ValueError, TypeError):
        raise ValidationFailed({"hours": "office.hours_invalid"}) from None
    if not periods or any(a >= b for a, b in periods) or any(periods[i][1] > periods[i + 1][0]
                                                             for i in range(len(periods) - 1)):
        raise ValidationFailed({"hours": "office.hours_invalid"})
    return OfficeHours(periods)
