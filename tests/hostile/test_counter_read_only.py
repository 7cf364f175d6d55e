"""A read-only data folder (a read-only share, a locked-down disk) gave tracebacks, was called
"damaged", and even lookups failed. Real folder: chmod 0500 with a 0400 file, and (tests run as
root, who ignores modes) a read-only bind mount of it; skipped where this process may not mount."""
from __future__ import annotations

import hashlib
import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from counter_app.app import build_services
from counter_app.domain.errors import DomainError
from counter_app.domain.messages import message
from counter_app.paths import DB_FILE

REPO = Path(__file__).resolve().parents[2]
DOC = {"procedure": "1.004873", "applicant": {"name": "Lê Thị Mỹ Duyên", "id_number": "045195001122",
                                              "address": "Thôn Tân Hiệp, xã Cam Lộ, tỉnh Quảng Trị"}}
READ_ONLY = "The data folder is read-only: lookups work, but no change can be saved"


def cli(data: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args, "--data-dir", str(data)], input=stdin,
                          capture_output=True, text=True, cwd=REPO, timeout=120)


def receive(data: Path) -> subprocess.CompletedProcess:
    return cli(data, "dossier", "receive", "--json", "-", "--clerk", "canbo1", "--password-stdin",
               stdin="canbo123\n" + json.dumps(DOC, ensure_ascii=False))


def mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here: {done.stderr.strip()}")


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[tuple[Path, dict]]:
    source = tmp_path / "source"
    assert cli(source / "data", "seed-demo", "--dossiers", "20").returncode == 0
    received = receive(source / "data")
    assert received.returncode == 0, received.stderr
    dossier = json.loads(received.stdout)
    (source / "data" / DB_FILE).chmod(0o400)
    (source / "data").chmod(0o500)
    target = tmp_path / "ro"
    target.mkdir()
    mount("--bind", str(source), str(target))
    try:
        mount("-o", "remount,bind,ro", str(target))
        before = digest(target / "data")
        yield target / "data", dossier
        assert digest(target / "data") == before  # nothing written, nothing half saved
    finally:
        if subprocess.run(["umount", str(target)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(target)], check=True)  # never leave a mount behind
        (source / "data").chmod(0o700)


def test_lookups_work_and_saves_say_the_folder_is_read_only(read_only_folder, tmp_path: Path):
    data, dossier = read_only_folder
    for key in ("code", "lookup_code"):
        shown = cli(data, "dossier", "show", dossier[key])
        assert shown.returncode == 0, shown.stderr
        assert json.loads(shown.stdout)["applicant"]["name"] == "Lê Thị Mỹ Duyên"
    found = cli(data, "dossier", "search", "Lê Thị Mỹ Duyên")
    assert found.returncode == 0 and json.loads(found.stdout)["count"] >= 1, found.stderr
    assert cli(data, "worklist").returncode == 0
    report = cli(data, "report", "ledger", "--from", "2026-01-01", "--to", "2026-12-31", "--out",
                 str(tmp_path / "l.xlsx"))
    assert report.returncode == 0, report.stderr
    for refused in (receive(data), cli(data, "backup", "--as-os-user")):
        assert refused.returncode == 2, (refused.stdout, refused.stderr)
        # Its last line is the refusal (a login before it may warn that its audit row was not written:
        # the folder's log cannot be written either, so the warning goes to the terminal).
        assert refused.stderr.strip().splitlines()[-1] == f"error: {READ_ONLY}", refused.stderr
        assert "damaged" not in refused.stderr and "Traceback" not in refused.stderr


def test_the_app_logs_in_and_reads_but_refuses_to_save(read_only_folder, caplog):
    data, dossier = read_only_folder
    services = build_services(data)
    try:
        check_in_process(services, dossier, caplog)
    finally:
        services.database.dispose()  # the mount is released after the test


def check_in_process(services, dossier: dict, caplog) -> None:
    with caplog.at_level(logging.WARNING):
        clerk = services.auth.login("canbo1", "canbo123")  # its audit row cannot be written
    assert clerk.username == "canbo1"
    assert any("read-only" in r.getMessage() and "canbo1" in r.getMessage() for r in caplog.records)
    with pytest.raises(DomainError) as wrong:
        services.auth.login("canbo1", "wrong password")
    assert wrong.value.code == "storage.read_only"  # a failure cannot be counted: never a silent pass
    assert [h.code for h in services.lookup.search("Lê Thị Mỹ Duyên").hits] == [dossier["code"]]
    with pytest.raises(DomainError) as refused:
        services.admin.set_counter_name("admin", "Quầy 9")
    assert refused.value.code == "storage.read_only"
    assert message(refused.value.code,
                   "vi") == "Thư mục dữ liệu chỉ cho đọc: vẫn xem và tra cứu được, nhưng không lưu được thay đổi nào"
