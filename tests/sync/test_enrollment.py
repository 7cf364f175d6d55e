"""Enrolment end to end: one-time code → token in the OS keyring (a real headless backend) →
first download → the new counter works offline; and the sync command line."""
from __future__ import annotations

import argparse
import base64
import json
from pathlib import Path

import keyring
import pytest
from simulation import CLERK, OFFICE_A, OFFICE_B

from counter_app.credentials import KeyringSecretStore
from counter_app.domain.errors import DomainError, ValidationFailed
from counter_app.entry import cli_sync as sync_cli
from counter_app.services.sync import TOKEN_KEY


def files_containing(root: Path, secret: str) -> list[str]:
    needle = secret.encode()
    return [str(p) for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_enrolment_keeps_the_token_only_in_the_keyring_and_sets_up_a_fresh_counter(
        make_counter, host, headless_keyring) -> None:
    counter = make_counter(secrets=KeyringSecretStore())
    progress: list[tuple[int, int | None]] = []
    view = counter.enroll(OFFICE_A, progress=lambda done, total: progress.append((done, total)))
    assert (view.office_code, view.configured_office, view.slot >= 1) == (OFFICE_A, True, True)
    assert progress and progress[-1][0] == view.pulled > 0
    token = keyring.get_password("counter_app", TOKEN_KEY)
    assert token and host.service.authenticate(token).office_code == OFFICE_A
    # Nowhere in the data folder: not in the SQLite file, its WAL, the logs.
    assert files_containing(counter.data_dir, token) == []
    stored = list(headless_keyring.rglob("keyring_pass.cfg"))  # the backend's own file (base64 inside)
    assert stored and base64.b64encode(token.encode()).decode() in stored[0].read_text()
    # Set up from the server: office, catalogue, calendar, and the clerk the server created.
    state = counter.services.setup.state()
    assert (state.configured, state.demo, state.office.code) == (True, False, OFFICE_A)
    assert counter.services.auth.login(CLERK[OFFICE_A], "matkhau123").username == CLERK[OFFICE_A]
    assert counter.services.reception.procedures()  # the catalogue came down
    with counter.sync.context.uow() as uow:
        assert uow.settings.get("workstation_slot") == str(view.slot)
    dossier = counter.receive()
    assert dossier.code.split("-")[-1].startswith(str(view.slot))  # the slot's own block of numbers
    assert counter.round().pushed == 2
    assert counter.sync.status.status().enrolled is True


def test_enrolment_into_another_office_than_the_local_data_is_refused(make_counter, host) -> None:
    host.service.add_user(OFFICE_A, "quantri.a", "Quản trị A", "administrator", "matkhau123")
    counter = make_counter(OFFICE_A)
    code = host.service.issue_enroll_code(OFFICE_B)["code"]
    with pytest.raises(DomainError) as caught:  # re-enrolment takes an administrator: this one is
        counter.sync.enrollment.enroll("http://testserver", code, "Quầy thử", actor="quantri.a")
    assert caught.value.code == "sync.office_mismatch"


def test_enrolment_input_and_used_codes(make_counter, host) -> None:
    counter = make_counter()
    with pytest.raises(ValidationFailed) as caught:
        counter.sync.enrollment.enroll("ftp://server", "ab")
    assert caught.value.errors == {"server_url": "sync.server_url.invalid", "code": "sync.enroll_code.invalid"}
    code = host.service.issue_enroll_code(OFFICE_A)["code"]
    counter.sync.enrollment.enroll("http://testserver", code)
    other = make_counter()
    with pytest.raises(DomainError) as used:
        other.sync.enrollment.enroll("http://testserver", code)
    assert used.value.code == "enroll.code_used"


def test_keyring_failure_is_a_domain_error(headless_keyring, monkeypatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    keyring.core.init_backend()
    with pytest.raises(DomainError) as caught:
        KeyringSecretStore().get(TOKEN_KEY)
    assert caught.value.code == "credentials.unavailable"


def run_cli(argv: list[str], counter, capsys) -> tuple[int, str, str]:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS)
    parser = argparse.ArgumentParser(prog="main.py")
    parser.add_argument("--data-dir", type=Path, default=None)
    sync_cli.register({"root": parser.add_subparsers(dest="command")}, common)
    args = parser.parse_args(["--data-dir", str(counter.data_dir), *argv])
    code = sync_cli.dispatch(args, connect=lambda _url, token: counter.host.transport(token),
                             secrets=KeyringSecretStore())
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_enroll_sync_status_and_revoked_device(make_counter, host, headless_keyring, capsys) -> None:
    counter = make_counter(name="cli")
    code = host.service.issue_enroll_code(OFFICE_A)["code"]
    rc, out, err = run_cli(["enroll", "--server", "http://testserver", "--code", code, "--name", "Quầy 3"], counter,
                           capsys)
    assert rc == 0, err
    enrolled = json.loads(out)
    assert enrolled["office_code"] == OFFICE_A
    counter.receive()
    rc, out, _ = run_cli(["sync", "status", "--json"], counter, capsys)
    status = json.loads(out)
    assert (rc, status["pending"], status["pending_by_kind"], status["enrolled"]) == (
        0, 2, {"dossier.upsert": 1, "dossier.event": 1}, True)
    rc, out, _ = run_cli(["sync", "--as-os-user"], counter, capsys)
    assert (rc, json.loads(out)["pushed"]) == (0, 2)
    counter.receive()
    host.service.revoke_device(enrolled["device_id"])
    rc, out, err = run_cli(["sync", "--as-os-user"], counter, capsys)
    assert rc == 2
    assert json.loads(out)["error_code"] == "device.revoked"
    assert err.count("\n") == 1 and "revoked" in err and "2 change(s) kept pending" in err
    rc, out, _ = run_cli(["sync", "status"], counter, capsys)
    assert json.loads(out)["pending"] == 2


def test_cli_sync_before_enrolment_says_so(make_counter, headless_keyring, capsys) -> None:
    counter = make_counter(name="fresh")
    rc, out, err = run_cli(["sync", "--as-os-user"], counter, capsys)
    assert (rc, out) == (2, "")
    assert "not enrolled" in err
