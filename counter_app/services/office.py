"""This workstation's office, counter and settings."""
from __future__ import annotations

from dataclasses import replace

from ..domain.errors import DomainError
from ..domain.ports import StartupUnitOfWork
from ..domain.scanning import SCAN_DPIS, SCAN_MODES
from .context import ServiceContext, SettingKey
from .issuing_unit import issuing_unit
from .security import Permission, audit, guard
from .views import OfficeView
from .views_build import office_view

# Per-workstation preferences any signed-in clerk may change from the settings dialog.
_PREFERENCES = {SettingKey.LANGUAGE, SettingKey.PAPER, SettingKey.PRINTER, SettingKey.SCANNER_DEVICE,
                SettingKey.SCANNER_DPI, SettingKey.SCANNER_MODE, SettingKey.SCANNER_DUPLEX, SettingKey.SCANNER_ADF,
                SettingKey.SCANNER_OCR}
_SWITCH = {"0", "1"}
_ALLOWED: dict[str, set[str]] = {SettingKey.LANGUAGE: {"vi", "en"}, SettingKey.PAPER: {"A4", "A5"},
            SettingKey.SCANNER_DPI: {str(dpi) for dpi in SCAN_DPIS}, SettingKey.SCANNER_MODE: set(SCAN_MODES),
            SettingKey.SCANNER_DUPLEX: _SWITCH, SettingKey.SCANNER_ADF: _SWITCH, SettingKey.SCANNER_OCR: _SWITCH}


def office_of(uow: StartupUnitOfWork) -> OfficeView:
    """The office as printed on every form: its unit, the issuing unit's names, the legal basis."""
    code = uow.settings.get(SettingKey.OFFICE_CODE)
    unit = uow.offices.get(code) if code else None
    if unit is None:
        raise DomainError("setup.not_configured")
    demo = uow.settings.get(SettingKey.DEMO) == "1"
    legal_basis = uow.settings.get(SettingKey.LEGAL_BASIS) or ""
    issuing = {key: uow.settings.get(key) or "" for key in
               (SettingKey.UNIT_KIND, SettingKey.UNIT_NAME, SettingKey.UNIT_PARENT, SettingKey.MASK_CITIZEN_ID)}
    name, parent = issuing_unit(unit, kind=issuing[SettingKey.UNIT_KIND], name=issuing[SettingKey.UNIT_NAME],
                                parent=issuing[SettingKey.UNIT_PARENT])
    return replace(office_view(unit, demo=demo, legal_basis=legal_basis), unit_name=name, unit_parent=parent,
                   mask_citizen_id=issuing[SettingKey.MASK_CITIZEN_ID] != "0")


class OfficeService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def office(self) -> OfficeView:
        with self._ctx.startup_uow() as uow:
            return office_of(uow)

    def counter_name(self) -> str:
        return self.get_setting(SettingKey.COUNTER_NAME, "")

    def get_setting(self, key: str, default: str = "") -> str:
        with self._ctx.startup_uow() as uow:
            value = uow.settings.get(key)
        return default if value is None else value

    def set_setting(self, key: str, value: str, actor: str = "") -> None:
        """Store a setting (audited). Workstation preferences (language, paper, printer) are anyone's;
        security, backup and other keys need ``manage_settings`` from ``actor``."""
        allowed = _ALLOWED.get(key)
        if allowed is not None and value not in allowed:
            raise DomainError("setting.invalid", key=key, value=value)
        with self._ctx.uow() as uow:
            if key not in _PREFERENCES:
                guard(uow, actor, Permission.MANAGE_SETTINGS)
            old = uow.settings.get(key)
            if old == value:
                return
            uow.settings.set(key, value)
            audit(self._ctx, uow, actor, "settings.change", {"key": key, "old": old, "new": value})
            uow.commit()
