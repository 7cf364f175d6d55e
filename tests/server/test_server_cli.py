"""``serve`` / ``server …`` commands: JSON on stdout, one English error line and exit 2."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from counter_app.entry.cli_server import run


@pytest.fixture
def db_args(backend) -> list[str]:
    if not backend.connect_args:
        return ["--db", backend.url]
    # The test's own schema, given in the URL the way an operator could.
    schema = backend.connect_args["options"].split("=", 1)[1]
    return ["--db", f"{backend.url}?options=-csearch_path%3D{schema}"]


def _run(capsys, argv: list[str], stdin: str = "", monkeypatch=None) -> tuple[int, object, str]:
    if monkeypatch is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = run(argv)
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def test_office_enroll_code_user_revoke_and_catalog(capsys, monkeypatch, db_args, tmp_path: Path) -> None:
    code, office, _ = _run(capsys,
                           ["server", "office", "add", "--code", "H45.101", "--name", "UBND xã Tân An", *db_args])
    assert code == 0 and office["code"] == "H45.101" and office["hours"] == [["07:30", "11:30"], ["13:30", "17:00"]]
    code, issued, _ = _run(capsys, ["server", "enroll-code", "--office", "H45.101", "--ttl-hours", "2", *db_args])
    assert code == 0 and len(issued["code"]) == 9 and issued["code"][4] == "-"
    code, user, _ = _run(capsys, ["server", "user", "add", "--office", "H45.101", "--username", "an.nv",
                                  "--full-name", "Nguyễn Văn An", "--role", "supervisor", "--password-stdin", *db_args],
                         stdin="mật khẩu tốt\n", monkeypatch=monkeypatch)
    assert code == 0 and user["role"] == "supervisor" and "password_hash" not in user
    catalog = tmp_path / "one.json"
    catalog.write_text(json.dumps({"procedures": [{"code": "9.999", "name": "Thủ tục thử", "duration": 3,
                                                   "counting_mode": "working_days", "version": "QĐ 1/2026"}]}),
                       encoding="utf-8")
    code, published, _ = _run(capsys, ["server", "catalog", "import", str(catalog), *db_args])
    assert (code, published) == (0, {"published": 1, "unchanged": 0})
    code, devices, _ = _run(capsys, ["server", "device", "list", *db_args])
    assert (code, devices) == (0, [])


def test_errors_are_one_line_and_exit_2(capsys, db_args) -> None:
    cases = [
        ["server", "office", "add", "--code", "not-a-code", "--name", "X", *db_args],
        ["server", "enroll-code", "--office", "H99.999", *db_args],
        ["server", "device", "revoke", "--device", "nope", *db_args],
        ["server", "catalog", "import", "/no/such/file.json", *db_args],
    ]
    for argv in cases:
        code, out, err = _run(capsys, argv)
        assert code == 2, argv
        assert out is None and err.startswith("error: ") and err.count("\n") == 1, err


def test_default_database_is_a_file_in_the_data_folder(capsys, tmp_path: Path) -> None:
    code, _, _ = _run(capsys,
                      ["--data-dir", str(tmp_path), "server", "office", "add", "--code", "H45.101", "--name", "X"])
    assert code == 0 and (tmp_path / "server.sqlite").is_file()


def test_enroll_code_count_prints_one_json_object_per_line(capsys, db_args) -> None:
    assert run(["server", "office", "add", "--code", "H45.101", "--name", "UBND xã Tân An", *db_args]) == 0
    capsys.readouterr()
    assert run(["server", "enroll-code", "--office", "H45.101", "--count", "5", *db_args]) == 0
    lines = capsys.readouterr().out.splitlines()
    codes = [json.loads(line)["code"] for line in lines]
    assert len(codes) == 5 and len(set(codes)) == 5
    assert all(json.loads(line)["office_code"] == "H45.101" for line in lines)


def test_enroll_code_count_out_of_range_is_one_line_and_exit_2(capsys, db_args) -> None:
    assert run(["server", "office", "add", "--code", "H45.101", "--name", "UBND xã Tân An", *db_args]) == 0
    capsys.readouterr()
    for bad in ("0", "501", "-3"):
        code, out, err = _run(capsys, ["server", "enroll-code", "--office", "H45.101", "--count", bad, *db_args])
        assert (code, out) == (2, None), bad
        assert err == f"error: Invalid request: --count must be between 1 and 500, not {bad}\n"
    with pytest.raises(SystemExit) as stopped:  # not a number: argparse's own message, exit 2
        run(["server", "enroll-code", "--office", "H45.101", "--count", "many", *db_args])
    assert stopped.value.code == 2 and "invalid int value: 'many'" in capsys.readouterr().err


def test_serve_with_bad_update_settings_is_one_line_and_exit_2(capsys, tmp_path: Path, monkeypatch) -> None:
    import uvicorn

    monkeypatch.setattr(uvicorn.Server, "run", lambda *a, **k: pytest.fail("served with bad update settings"))
    db = ["--db", f"sqlite:///{tmp_path / 'server.sqlite'}"]
    code, _, err = _run(capsys, ["serve", *db, "--update-installer", str(tmp_path / "counter-app-0.2.0-setup.exe")])
    assert code == 2 and err.count("\n") == 1 and "is not a file" in err
    monkeypatch.setenv("COUNTER_APP_UPDATE_MINIMUM", "0.5")
    code, _, err = _run(capsys, ["serve", *db, "--update-latest", "0.4"])
    assert code == 2 and "above the latest" in err


def test_serve_stops_when_asked_and_says_when_it_could_not_start(capsys, tmp_path: Path) -> None:
    """What the Windows service does: no Ctrl+C comes to it, so it asks ``stop_serving``."""
    import socket
    import threading
    import time

    import httpx

    from counter_app.entry import cli_server

    db = ["--db", f"sqlite:///{tmp_path / 'server.sqlite'}"]
    done: list[int] = []
    thread = threading.Thread(target=lambda: done.append(run(["serve", *db, "--port", "0"])), daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not (cli_server._RUNNING and cli_server._RUNNING[0].started) and time.monotonic() < deadline:
        time.sleep(0.05)
    port = cli_server._RUNNING[0].servers[0].sockets[0].getsockname()[1]
    answer = httpx.post(f"http://127.0.0.1:{port}/api/v1/enroll", json={"code": "WRONG-CODE", "device_name": "x"})
    assert answer.status_code >= 400 and answer.json()["code"]  # the real server, answering
    cli_server.stop_serving()
    thread.join(30)
    assert done == [0] and not cli_server._RUNNING

    taken = socket.create_server(("127.0.0.1", 0))
    busy = taken.getsockname()[1]
    try:
        code = run(["serve", *db, "--port", str(busy)])
    finally:
        taken.close()
    err = capsys.readouterr().err
    assert code == 1 and f"did not start on 127.0.0.1:{busy}" in err
