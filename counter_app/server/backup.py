"""``server backup --out DIR``: the server's (or hub's) SQLite database and its attachment files.

The database is copied first with SQLite's online backup API (a consistent snapshot while the
server keeps serving), then every complete blob the store holds. Files are named by their hash,
so a backup folder used again only copies what is new, and a file that arrived after the
snapshot is merely one more file. A PostgreSQL database is backed up with ``pg_dump`` (its own
tool knows it best); the command then copies the files alone and says so.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from .blob_store import DirectoryBlobStore, _private_dir


def backup_server(database_url: str, blobs: DirectoryBlobStore, out: Path, now: datetime) -> dict[str, Any]:
    out = Path(out)
    _private_dir(out)
    database = _backup_sqlite(database_url, out, now)
    copied = kept = size = 0
    target = DirectoryBlobStore(out / "files")
    for sha in blobs.hashes():
        dest = target.path(sha)
        if dest.exists() and dest.stat().st_size == blobs.size(sha):
            kept += 1
            continue
        _private_dir(dest.parent)
        tmp = dest.with_name(f".{sha}.tmp")
        shutil.copyfile(blobs.path(sha), tmp)
        os.chmod(tmp, 0o600)
        os.replace(tmp, dest)
        copied += 1
        size += dest.stat().st_size
    return {"database": str(database) if database else None,
            "database_note": "" if database else "PostgreSQL: back the database up with pg_dump",
            "files": {"folder": str(out / "files"), "copied": copied, "already_there": kept, "bytes_copied": size}}


def _backup_sqlite(url: str, out: Path, now: datetime) -> Path | None:
    if not url.startswith("sqlite") or "///" not in url:
        return None
    source = Path(url.split("///", 1)[1])
    dest = out / f"server-{now:%Y%m%d-%H%M%S}.sqlite"
    tmp = dest.with_suffix(".part")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)
    with sqlite3.connect(source) as src, sqlite3.connect(tmp) as copy:
        src.backup(copy, pages=256)
    os.replace(tmp, dest)
    return dest
