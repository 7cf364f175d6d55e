"""``python main.py restore FILE``: who may restore, and into which office (composition code, like maintenance.py).

The account is checked against the current database when it can be read (the app's login,
with its lock-out); when the current file is missing or damaged (the usual reason for a
restore) there is nothing to check against but the backup's own accounts, so an
administrator of the backup must prove itself. A backup of another office would silently
make this counter that office: it is refused unless ``--switch-office CODE`` names the
backup's office, as a typed confirmation.
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..domain.errors import DomainError
from ..domain.permissions import Permission, require_permission
from ..domain.users import Role, User, verify_password
from ..paths import DB_FILE, default_data_dir
from .cli_auth import AuthRequired, actor_of, read_password


def run_restore(args: argparse.Namespace) -> dict[str, Any]:
    from ..maintenance import restore
    from ..storage.backup import read_settings_tolerant, verify_backup

    data_dir = Path(args.data_dir or default_data_dir())
    backup = Path(args.file)
    info = verify_backup(backup)  # a wrong file is refused before any password is asked
    current_office = read_settings_tolerant(data_dir / DB_FILE).get("office_code", "")
    if current_office:
        actor = _actor_on_current(args)
    else:
        actor = _actor_on_backup(args, backup)
    switch = (getattr(args, "switch_office", None) or "").strip()
    if current_office and info.office_code != current_office:
        if switch != info.office_code:
            raise AuthRequired(f"{backup} is a backup of office {info.office_code!r}, this counter is "
                               f"{current_office!r}: refused; to make this counter that office, "
                               f"add --switch-office {info.office_code}")
    elif switch and switch != info.office_code:
        raise AuthRequired(f"--switch-office {switch}: the backup is of office {info.office_code!r}")
    return restore(data_dir, backup, actor=actor)


def _actor_on_current(args: argparse.Namespace) -> str:
    from .cli import _services

    services = _services(args)  # proves the actor (cli_auth) against the current accounts
    try:
        actor = actor_of(services, args)
        with services.context.uow() as uow:
            user = uow.users.get_by_username(actor)
        if user is None:
            raise DomainError("clerk.unknown", username=actor)
        require_permission(user, Permission.BACKUP_RESTORE)
        return actor
    finally:
        services.database.dispose()  # the file is about to be replaced


def _actor_on_backup(args: argparse.Namespace, backup: Path) -> str:
    from ..storage.backup import read_user

    username = (getattr(args, "clerk", None) or "").strip().lower()
    if not username:
        raise AuthRequired("'restore' changes data: give --clerk USERNAME (an administrator of the backup "
                           "when this folder has no readable database) and its password")
    password = read_password(args, username)
    row = read_user(backup, username)
    if row is None or not verify_password(password, row["password_hash"]):
        raise DomainError("auth.invalid")
    user = User(row["id"], row["username"], row["full_name"], Role(row["role"]), row["office_code"],
                row["password_hash"], bool(row["active"]))
    require_permission(user, Permission.BACKUP_RESTORE)
    return username
