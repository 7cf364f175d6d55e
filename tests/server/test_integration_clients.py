"""Integration clients: enrolled with scopes and offices, token shown once and stored hashed,
revoked at once (also by the CLI, another process on the same database)."""
from __future__ import annotations

import json
from typing import Annotated

import pytest
from fastapi import Depends
from fastapi.testclient import TestClient
from sqlalchemy import select

from counter_app.domain.errors import DomainError
from counter_app.entry.cli_server import run
from counter_app.server.app import create_app
from counter_app.server.auth import token_hash
from counter_app.server.integration import IntegrationClient, clients_of, require_client
from counter_app.server.models import IntegrationClientRow


@pytest.fixture
def probe(service) -> TestClient:
    """The real app plus one route guarded the way the exchange routes are."""
    app = create_app(service)

    @app.get("/probe")
    def who(client: Annotated[IntegrationClient, Depends(require_client("feed:read"))]) -> dict:
        return {"id": client.id, "offices": list(client.offices)}

    return TestClient(app)


def _db_args(backend) -> list[str]:
    if not backend.connect_args:
        return ["--db", backend.url]
    schema = backend.connect_args["options"].split("=", 1)[1]
    return ["--db", f"{backend.url}?options=-csearch_path%3D{schema}"]


def test_a_client_is_enrolled_used_and_revoked_through_the_cli(service, backend, probe, capsys) -> None:
    service.add_office("H45.101", "UBND xã Tân An")
    db = _db_args(backend)
    assert run(["server", "client", "add", "--name", "Hệ thống một cửa tỉnh", "--scope", "feed:read",
                "--scope", "intake:write", "--office", "H45.101", *db]) == 0
    added = json.loads(capsys.readouterr().out)
    assert added["scopes"] == ["feed:read", "intake:write"] and added["offices"] == ["H45.101"]
    with service.db.read() as s:  # only the hash is kept
        row = s.scalar(select(IntegrationClientRow))
        assert row is not None and row.token_hash == token_hash(added["token"]) != added["token"]
    headers = {"Authorization": f"Bearer {added['token']}"}
    assert probe.get("/probe", headers=headers).json() == {"id": added["client_id"], "offices": ["H45.101"]}
    assert run(["server", "client", "list", *db]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [c["client_id"] for c in listed] == [added["client_id"]] and "token" not in listed[0]
    assert run(["server", "client", "revoke", added["client_id"], *db]) == 0
    assert json.loads(capsys.readouterr().out)["revoked_at"]
    refused = probe.get("/probe", headers=headers)  # the very next request, no cache in between
    assert refused.status_code == 401 and refused.json()["code"] == "client.revoked"
    assert refused.headers["WWW-Authenticate"] == "Bearer"


def test_scopes_tokens_and_bad_input(service, probe) -> None:
    service.add_office("H45.101", "UBND xã Tân An")
    clients = clients_of(service)
    intake_only = clients.add("Cổng dịch vụ công", ["intake:write"])
    assert intake_only["offices"] == ["*"]
    wrong_scope = probe.get("/probe", headers={"Authorization": f"Bearer {intake_only['token']}"})
    assert wrong_scope.status_code == 403 and wrong_scope.json()["code"] == "client.scope_missing"
    assert "feed:read" in wrong_scope.json()["reason"]
    for headers in ({}, {"Authorization": "Bearer not-a-token"}):
        answer = probe.get("/probe", headers=headers)
        assert answer.status_code == 401 and answer.json()["code"] == "auth.required"
    for args, code in ((("", ["feed:read"]), "client.name_invalid"), (("x", ["feed:write"]), "client.scope_unknown"),
                       (("x", []), "client.scope_unknown"), (("x", ["feed:read"], ["H99.999"]), "office.unknown")):
        with pytest.raises(DomainError) as caught:
            clients.add(*args)
        assert caught.value.code == code
    with pytest.raises(DomainError) as caught:
        clients.revoke("no-such-client")
    assert caught.value.code == "client.unknown"
    assert [c["name"] for c in clients.list_all()] == ["Cổng dịch vụ công"]  # the refused ones wrote nothing


def test_an_office_covers_the_units_under_it() -> None:
    province = IntegrationClient("c1", "Tỉnh", ("intake:write",), ("H45",))
    assert province.covers(["H45.101", "H45"]) and not province.covers(["H46.101", "H46"])
    assert IntegrationClient("c2", "Tất cả", ("intake:write",), ("*",)).covers(["H46.101"])


def test_cli_errors_are_one_english_line(backend, capsys) -> None:
    assert run(["server", "client", "revoke", "nope", *_db_args(backend)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "nope" in err
