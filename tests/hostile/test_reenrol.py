"""``enroll`` on a counter that is already set up accepted any proved account: a clerk could move
the workstation to another server (or another device identity) with a code from anywhere. Only an
administrator of that counter may re-enrol it, checked before the code is spent, and audited.
The real command line in-process (its parser and dispatch), a real counter, the real server."""
from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import text

from counter_app.domain.errors import DomainError
from counter_app.entry import cli_sync as sync_cli
from counter_app.entry.cli import build_parser
from counter_app.services.sync import TOKEN_KEY

ADMIN = "quantri.a"


@pytest.fixture
def office_counter(server, make_counter, build):
    """A counter of office A whose first download brought a clerk and an administrator."""
    server.service.add_user(build.A, ADMIN, "Quản trị A", "administrator", build.PASSWORD)
    return make_counter(build.A)


def enroll_cli(counter, monkeypatch, code: str, *extra: str, password: str | None = None) -> int:
    args = build_parser().parse_args(["enroll", "--server", "http://testserver", "--code", code, *extra,
                                      "--data-dir", str(counter.data_dir)])
    monkeypatch.setattr("sys.stdin", io.StringIO((password or "") + "\n"))
    return sync_cli.dispatch(args, connect=lambda _url, token: counter.server.transport(token),
                             secrets=counter.secrets)


def audit(counter, action: str) -> list[tuple[str, dict]]:
    with counter.db.connect() as conn:
        return [(actor, json.loads(detail) if isinstance(detail, str) else detail) for actor, detail in conn.execute(
            text("SELECT actor, detail FROM audit_log WHERE action = :a ORDER BY seq"), {"a": action})]


def test_a_clerk_cannot_re_enrol_a_set_up_counter(server, office_counter, build, monkeypatch, capsys):
    token = office_counter.secrets.get(TOKEN_KEY)
    code = server.enroll_code(build.A)
    result = enroll_cli(office_counter, monkeypatch, code, "--clerk", build.CLERK[build.A], "--password-stdin",
                        password=build.PASSWORD)
    assert result == sync_cli.EXIT_ACTION_NEEDED
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "administrator" in err and "{" not in err, err
    assert office_counter.secrets.get(TOKEN_KEY) == token  # still the same device
    # Refused before the code was spent: an administrator can still use it.
    assert enroll_cli(office_counter, monkeypatch, code, "--clerk", ADMIN, "--password-stdin",
                      password=build.PASSWORD) == 0
    assert office_counter.secrets.get(TOKEN_KEY) != token
    assert audit(office_counter, "sync.enrolled")[-1][0] == ADMIN


def test_an_administrators_re_enrolment_is_audited(server, office_counter, build, monkeypatch, capsys):
    code = server.enroll_code(build.A)
    assert enroll_cli(office_counter, monkeypatch, code, "--clerk", ADMIN, "--password-stdin",
                      password=build.PASSWORD) == 0
    out = json.loads(capsys.readouterr().out)
    actor, detail = audit(office_counter, "sync.enrolled")[-1]
    assert actor == ADMIN
    assert detail["device_id"] == out["device_id"] and detail["server_url"] == "http://testserver"
    assert detail["re_enrolment"] is True
    assert code not in json.dumps(detail)  # never the code itself
    assert office_counter.round().ok  # the new identity syncs


def test_the_service_refuses_a_re_enrolment_without_an_administrator(server, office_counter, build):
    """What the command line checks is the service's own rule (any other caller meets it too)."""
    code = server.enroll_code(build.A)
    with pytest.raises(DomainError) as refused:
        office_counter.sync.enrollment.enroll("http://testserver", code, "Quầy")
    assert refused.value.code == "enroll.admin_required"
    with pytest.raises(DomainError) as refused:
        office_counter.sync.enrollment.enroll("http://testserver", code, "Quầy", actor=build.CLERK[build.A])
    assert refused.value.code == "enroll.admin_required"
    view = office_counter.sync.enrollment.enroll("http://testserver", code, "Quầy", actor=ADMIN)
    assert view.office_code == build.A


def test_a_first_enrolment_needs_no_account_and_is_audited(server, make_counter, build):
    fresh = make_counter(None)
    view = fresh.enroll(build.A)
    assert view.configured_office
    actor, detail = audit(fresh, "sync.enrolled")[-1]
    assert actor == "system" and detail["re_enrolment"] is False and detail["device_id"] == view.device_id


def test_the_sync_screens_enrol_command_names_an_administrator():
    """The command the Sync screen shows a set-up, unenrolled counter is one the command line takes."""
    from counter_app.ui.sync.screen import ENROL_COMMAND

    words = ENROL_COMMAND.format(server="http://testserver", code="ABCD-EFGH", admin=ADMIN).split()[2:]
    parsed = build_parser().parse_args(words)
    assert (parsed.command, parsed.clerk) == ("enroll", ADMIN)
