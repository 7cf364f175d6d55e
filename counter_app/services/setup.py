"""First run: set up this office, or try a demo office with realistic data."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from ..domain.calendar import CalendarEntry
from ..domain.errors import DomainError, ValidationFailed
from ..domain.ids import uuid7
from ..domain.org import OrgUnit, is_valid_agency_code
from ..domain.users import Role, User, hash_password
from .catalog import parse_catalog
from .commands import OfficeSetup
from .context import ServiceContext, SettingKey
from .lifecycle_routing import ROUTING_SETTING, routing_text
from .views import OfficeView
from .views_build import office_view

_USERNAME = re.compile(r"^[a-z0-9._]{3,32}$")
MIN_PASSWORD = 8


class ReferenceData(Protocol):
    """Reference data shipped with the app (catalogue JSON, holiday seed); wired in app.py."""

    def catalog_text(self) -> str: ...
    def calendar_entries(self, years: Iterable[int]) -> list[CalendarEntry]: ...


@dataclass(frozen=True)
class SetupState:
    configured: bool
    demo: bool
    office: OfficeView | None


class SetupService:
    def __init__(self, ctx: ServiceContext, reference: ReferenceData, demo_loader: Callable[[int], None] | None = None,
                 queue_of: Callable[[], Any] = lambda: None) -> None:
        self._ctx = ctx
        self._reference = reference
        self._demo_loader = demo_loader
        self.queue_of = queue_of  # () -> the queue, None: no queue to set up with the demo office

    def state(self) -> SetupState:
        with self._ctx.startup_uow() as uow:
            code = uow.settings.get(SettingKey.OFFICE_CODE)
            unit = uow.offices.get(code) if code else None
            demo = uow.settings.get(SettingKey.DEMO) == "1"
        if unit is None:
            return SetupState(False, False, None)
        return SetupState(True, demo, office_view(unit, demo=demo))

    def create_office(self, setup: OfficeSetup) -> OfficeView:
        errors = validate_office_setup(setup)
        if errors:
            raise ValidationFailed(errors, {"admin_password": {"min": MIN_PASSWORD}})
        unit = OrgUnit(
            code=setup.agency_code.strip(), name=setup.office_name.strip(), level="commune",
            parent_name=setup.parent_name.strip(), place_name=setup.place_name.strip(),
            address=setup.address.strip(), phone=setup.phone.strip(),
        )
        admin = User(
            id=uuid7(), username=setup.admin_username.strip().lower(), full_name=setup.admin_full_name.strip(),
            role=Role.ADMINISTRATOR, office_code=unit.code,
            password_hash=hash_password(setup.admin_password, cost=self._ctx.password_cost),
        )
        self._configure(unit, [admin], counter=setup.counter_name.strip(), demo=False)
        return office_view(unit, demo=False)

    def seed_demo(self, dossiers: int = 0) -> OfficeView:
        """The demo office with its accounts (see README), catalogue, calendar and N past dossiers."""
        from .demo import (  # local: demo data is only needed here
            DEMO_DEPARTMENTS,
            DEMO_OFFICE,
            DEMO_ROUTING,
            demo_queue_config,
            demo_users,
        )

        state = self.state()
        if state.configured and not state.demo:
            raise DomainError("setup.already_configured")
        if not state.configured:
            self._configure(DEMO_OFFICE, demo_users(), counter="Quầy 1", demo=True, departments=DEMO_DEPARTMENTS,
                            routing=DEMO_ROUTING)
        queue = self.queue_of()
        if queue is not None and not queue.config().services:  # a newcomer tries the kiosk and the calls at once
            queue.configure(demo_queue_config())
        if dossiers and self._demo_loader is not None:
            self._demo_loader(dossiers)
        return office_view(DEMO_OFFICE, demo=True)

    def _configure(
        self, unit: OrgUnit, users: list[User], *, counter: str, demo: bool, departments: Iterable[OrgUnit] = (),
        routing: dict[str, str] | None = None,
    ) -> None:
        today = self._ctx.clock.now().date()
        versions = parse_catalog(self._reference.catalog_text())
        entries = self._reference.calendar_entries(range(today.year - 2, today.year + 2))
        with self._ctx.uow() as uow:
            if uow.settings.get(SettingKey.OFFICE_CODE):
                raise DomainError("setup.already_configured")
            uow.offices.put(unit)
            for department in departments:  # where dossiers are handed over to
                uow.offices.put(department)
            for user in users:
                uow.users.add(user)
            for version in versions:
                uow.catalog.put(version)
            for entry in entries:
                uow.calendar.put(entry)
            uow.settings.set(SettingKey.OFFICE_CODE, unit.code)
            uow.settings.set(SettingKey.COUNTER_NAME, counter)
            uow.settings.set(SettingKey.WORKSTATION_ID, uow.settings.get(SettingKey.WORKSTATION_ID) or uuid7())
            # Slot 0 until enrolment with the server assigns this workstation its own slot.
            uow.settings.set(SettingKey.WORKSTATION_SLOT, uow.settings.get(SettingKey.WORKSTATION_SLOT) or "0")
            uow.settings.set(SettingKey.DEMO, "1" if demo else "0")
            if routing:  # which department handles which procedures (handover)
                uow.settings.set(ROUTING_SETTING, routing_text(routing))
            uow.commit()
        self._ctx.reset_identity()


def validate_office_setup(s: OfficeSetup) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not s.agency_code.strip():
        errors["agency_code"] = "field.required"
    elif not is_valid_agency_code(s.agency_code.strip()):
        errors["agency_code"] = "agency_code.invalid"
    for key in ("office_name", "parent_name", "place_name", "counter_name", "admin_full_name"):
        if not getattr(s, key).strip():
            errors[key] = "field.required"
    if not _USERNAME.match(s.admin_username.strip().lower()):
        errors["admin_username"] = "username.invalid"
    if len(s.admin_password) < MIN_PASSWORD:
        errors["admin_password"] = "password.too_short"
    return errors


