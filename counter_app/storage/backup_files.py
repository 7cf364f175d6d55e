"""The attachments' side of a backup: the files named by their SHA-256, mirrored beside the backups.

A stored file never changes (its name is its content), so every backup of one folder shares one
``files/`` mirror and a backup copies only the files that arrived since the last one: a counter
with 10,000 scans backs up in seconds once the first copy is made. A restore puts back every file
the mirror holds and the data folder lacks (a new PC after a dead disk gets its scans back).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from .file_store import LocalFileStore

MIRROR = "files"


def _hashes(root: Path) -> set[str]:
    return set(LocalFileStore(root).all_hashes())


def copy_missing(source: Path, dest: Path) -> int:
    """Copy each file of ``source`` that ``dest`` lacks (temporary name, then rename; 0600, folders 0700)."""
    wanted = sorted(_hashes(source) - _hashes(dest))
    for sha in wanted:
        folder = dest / sha[:2]
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = folder / f".part-{sha}"
        shutil.copyfile(source / sha[:2] / sha, tmp)
        os.chmod(tmp, 0o600)
        os.replace(tmp, folder / sha)
    if wanted:
        os.chmod(dest, 0o700)
    return len(wanted)


def back_up_files(files_dir: Path, backup_folder: Path) -> int:
    """Files of the data folder not yet in the backups' mirror, copied there; how many."""
    return copy_missing(files_dir, backup_folder / MIRROR)


def restore_files(backup_folder: Path, files_dir: Path) -> int:
    """Files of the backups' mirror the data folder lacks, copied back; how many."""
    return copy_missing(backup_folder / MIRROR, files_dir)
