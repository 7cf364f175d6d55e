"""A full disk gave tracebacks and "unexpected failure" (or, at start-up, "damaged"). A real
tmpfs filled to the last block (skipped where this process may not mount)."""
from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOC = {"procedure": "1.004873", "applicant": {"name": "Lê Thị Mỹ Duyên", "id_number": "045195001122",
                                              "address": "Thôn Tân Hiệp, xã Cam Lộ, tỉnh Quảng Trị"}}


def cli(data: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args, "--data-dir", str(data)], input=stdin,
                          capture_output=True, text=True, cwd=REPO, timeout=120)


def mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here: {done.stderr.strip()}")


def umount(path: Path) -> None:
    subprocess.run(["umount", str(path)], check=True)


def clear_refusal(result: subprocess.CompletedProcess, text: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.strip() == f"error: {text}" and "Traceback" not in result.stderr


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    disk = tmp_path / "disk"
    disk.mkdir()
    mount("-t", "tmpfs", "-o", "size=1500k", "tmpfs", str(disk))
    try:
        assert cli(disk / "data", "seed-demo").returncode == 0
        assert cli(disk / "data", "worklist").returncode == 0
        subprocess.run(["dd", "if=/dev/zero", f"of={disk / 'filler'}", "bs=4k"], capture_output=True)
        yield disk / "data"
    finally:
        umount(disk)


def test_a_full_disk_is_a_clear_message_and_nothing_half_saved(full_disk: Path):
    full = "The disk is full or failed to write: nothing was saved; free some space and try again"
    for _ in range(2):  # and again: the first failure left nothing behind that breaks the next
        clear_refusal(cli(full_disk, "dossier", "receive", "--json", "-", "--clerk", "canbo1", "--password-stdin",
                          stdin="canbo123\n" + json.dumps(DOC, ensure_ascii=False)), full)
    (full_disk.parent / "filler").unlink()
    received = cli(full_disk, "dossier", "receive", "--json", "-", "--clerk", "canbo1", "--password-stdin",
                   stdin="canbo123\n" + json.dumps(DOC, ensure_ascii=False))
    assert received.returncode == 0, received.stderr  # space freed: it works again
