"""Integration clients: outside systems (the province's one-stop system) on the exchange APIs.

Each client is enrolled by an administrator (``server client add``), gets a bearer token
shown once (only its SHA-256 is stored, like a device token), a set of scopes and the
offices it may act for. An office code covers the office and every unit under it in the
organisation tree, so a province's code covers its communes; ``*`` covers every office.

Tokens are looked up on every request, never cached: a revocation, from this process or
from the CLI on the same database, holds from the next request. Exchange calls are few
and each does far more work than the one indexed SELECT this costs.
"""
# No "from __future__ import annotations": FastAPI must resolve the dependency's parameters.

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from ..domain.errors import DomainError, NotFound
from ..domain.ids import uuid7
from .admin import aware
from .auth import new_token, token_hash
from .db import ServerDatabase
from .models import IntegrationClientRow, OfficeRow

INTAKE_WRITE, FEED_READ, IMPORT_WRITE = "intake:write", "feed:read", "import:write"
SCOPES = (INTAKE_WRITE, FEED_READ, IMPORT_WRITE)
ALL_OFFICES = "*"
MAX_NAME = 100
MAX_OFFICES = 500

_bearer = HTTPBearer(auto_error=False, scheme_name="IntegrationToken",
                     description="An integration client's token (`python main.py server client add`)")


@dataclass(frozen=True)
class IntegrationClient:
    id: str
    name: str
    scopes: tuple[str, ...]
    offices: tuple[str, ...]  # agency codes, or ("*",)

    def covers(self, office_and_ancestors: Iterable[str]) -> bool:
        """Whether the client may act for an office, given the office's code and its parents' codes."""
        return ALL_OFFICES in self.offices or any(code in self.offices for code in office_and_ancestors)


class IntegrationClients:
    """Enrolment, listing, revocation and authentication of integration clients."""

    def __init__(self, db: ServerDatabase, now: Callable[[], datetime]) -> None:
        self.db, self.now = db, now

    def add(self, name: str, scopes: Iterable[str], offices: Iterable[str] = ()) -> dict[str, Any]:
        """A new client; the answer holds its token, which is never shown again."""
        name = name.strip()
        if not name or len(name) > MAX_NAME:
            raise DomainError("client.name_invalid", max=MAX_NAME)
        wanted = sorted(set(scopes))
        unknown = [s for s in wanted if s not in SCOPES]
        if unknown or not wanted:
            raise DomainError("client.scope_unknown", scope=", ".join(unknown) or "-", known=", ".join(SCOPES))
        codes = sorted({c.strip() for c in offices if c.strip()}) or [ALL_OFFICES]
        if len(codes) > MAX_OFFICES:
            raise DomainError("client.offices_too_many", max=MAX_OFFICES)
        token = new_token()
        with self.db.write() as s:
            for code in codes:
                if code != ALL_OFFICES and s.get(OfficeRow, code) is None:
                    raise NotFound("office.unknown", code=code)
            row = IntegrationClientRow(id=uuid7(), name=name, token_hash=token_hash(token), scopes=wanted,
                                       offices=codes, created_at=self.now())
            s.add(row)
            s.commit()
        return {**_client_dict(row), "token": token}

    def list_all(self) -> list[dict[str, Any]]:
        with self.db.read() as s:
            rows = s.scalars(select(IntegrationClientRow).order_by(IntegrationClientRow.created_at))
            return [_client_dict(row) for row in rows]

    def revoke(self, client_id: str) -> dict[str, Any]:
        with self.db.write() as s:
            row = s.get(IntegrationClientRow, client_id.strip())
            if row is None:
                raise NotFound("client.unknown", id=client_id)
            if row.revoked_at is None:
                row.revoked_at = self.now()
            result = _client_dict(row)
            s.commit()
        return result

    def authenticate(self, token: str | None, scope: str) -> IntegrationClient:
        if not token:
            raise DomainError("auth.required")
        with self.db.read() as s:
            row = s.scalar(select(IntegrationClientRow).where(IntegrationClientRow.token_hash == token_hash(token)))
        if row is None:
            raise DomainError("auth.required")
        if row.revoked_at is not None:
            raise DomainError("client.revoked")
        if scope not in row.scopes:
            raise DomainError("client.scope_missing", scope=scope)
        return IntegrationClient(row.id, row.name, tuple(row.scopes), tuple(row.offices))


def clients_of(service: Any) -> IntegrationClients:
    """The integration clients of a ``ServerService`` (stateless: made per call)."""
    return IntegrationClients(service.db, service.now)


def office_lineage(s: Session, office_code: str) -> list[str]:
    """The office's code and its parents' codes up the organisation tree (cycles cut)."""
    lineage: list[str] = []
    code: str | None = office_code
    while code and code not in lineage and len(lineage) < 16:
        lineage.append(code)
        row = s.get(OfficeRow, code)
        code = row.parent_code if row is not None else None
    return lineage


def require_client(scope: str) -> Callable[..., Awaitable[IntegrationClient]]:
    """A FastAPI dependency: the calling integration client, which must hold ``scope``.

    401 ``auth.required`` (no or unknown token) or ``client.revoked``; 403 ``client.scope_missing``.
    The server is the app's ``state.service`` (set by ``create_app``)."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")

    async def dependency(request: Request,
                         credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
                         ) -> IntegrationClient:
        clients = clients_of(request.app.state.service)
        raw = credentials.credentials if credentials else None
        return await run_in_threadpool(clients.authenticate, raw, scope)

    return dependency


def _client_dict(row: IntegrationClientRow) -> dict[str, Any]:
    return {"client_id": row.id, "name": row.name, "scopes": list(row.scopes), "offices": list(row.offices),
            "created_at": aware(row.created_at).isoformat(),
            "revoked_at": aware(row.revoked_at).isoformat() if row.revoked_at else None}
