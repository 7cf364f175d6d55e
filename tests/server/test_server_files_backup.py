"""``server backup --out DIR``: the SQLite database (a consistent, readable copy) and every attachment
file, copied again only when new."""
from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
from pathlib import Path

from counter_app.entry.cli_server import run
from counter_app.server.blob_store import DirectoryBlobStore


def _run(capsys, argv: list[str]) -> tuple[int, dict | None, str]:
    code = run(argv)
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def _blob(store: DirectoryBlobStore, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    store.append(sha, 0, data)
    store.complete(sha)
    return sha


def test_backup_copies_the_database_and_the_files_and_only_new_files_the_second_time(
        capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    db, files, out = tmp_path / "srv" / "server.sqlite", tmp_path / "blobs", tmp_path / "backup"
    args = ["--db", f"sqlite:///{db}"]
    assert _run(capsys, ["server", "office", "add", "--code", "H45.101", "--name", "UBND xã Tân An", *args])[0] == 0
    store = DirectoryBlobStore(files)
    first = [_blob(store, os.urandom(10_000 + i)) for i in range(3)]
    store.append(hashlib.sha256(b"half").hexdigest(), 0, b"ha")  # a partial upload is not backed up

    code, made, err = _run(capsys, ["server", "backup", "--out", str(out), "--files", str(files), *args])
    assert code == 0, err
    assert made is not None and made["files"]["copied"] == 3 and made["files"]["already_there"] == 0
    with sqlite3.connect(made["database"]) as copy:
        assert copy.execute("SELECT code FROM offices").fetchall() == [("H45.101",)]
    for sha in first:
        backed = out / "files" / sha[:2] / sha
        assert hashlib.sha256(backed.read_bytes()).hexdigest() == sha
        assert oct(backed.stat().st_mode & 0o777) == "0o600"

    newer = _blob(store, b"one more scan")
    code, again, _ = _run(capsys, ["server", "backup", "--out", str(out), "--files", str(files), *args])
    assert code == 0 and again is not None
    assert (again["files"]["copied"], again["files"]["already_there"]) == (1, 3)
    assert sorted(DirectoryBlobStore(out / "files").hashes()) == sorted([*first, newer])
