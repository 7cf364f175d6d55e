"""Open a server database ready to serve: migrated, and seeded on first start."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from ..domain.users import PasswordCost
from ..environment import password_cost as configured_password_cost
from ..paths import resources_dir
from ..seed.holidays_vn import default_entries
from ..services.catalog import parse_catalog
from .db import ServerDatabase
from .service import ServerService


def open_server(url: str, *, connect_args: dict[str, Any] | None = None, seed: bool = True,
                today: date | None = None, password_cost: PasswordCost | None = None) -> ServerService:
    service = ServerService(ServerDatabase(url, connect_args=connect_args),
                            password_cost=password_cost or configured_password_cost())
    if seed:
        seed_defaults(service, today=today)
    return service


def seed_defaults(service: ServerService, *, today: date | None = None, catalog: Path | None = None) -> bool:
    """A new database starts with the shipped catalogue and last/this/next year's calendar."""
    if service.has_reference():
        return False
    year = (today or date.today()).year
    path = catalog or resources_dir() / "catalog" / "procedures.json"
    versions = parse_catalog(path.read_text(encoding="utf-8"))
    return service.seed_reference(versions, default_entries(range(year - 1, year + 2)))
