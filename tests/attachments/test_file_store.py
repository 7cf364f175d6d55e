"""The counter's content-addressed file store on a real folder: names, modes, atomicity, full disk."""
from __future__ import annotations

import errno
import hashlib
import os
import stat

import pytest

from counter_app.domain.errors import DomainError
from counter_app.storage.file_store import LocalFileStore


def test_a_file_is_named_by_its_hash_private_and_stored_once(tmp_path):
    store = LocalFileStore(tmp_path / "files")
    data = b"%PDF-1.4 scanned papers"
    first = store.put_bytes(data)
    again = store.put_bytes(data)
    assert first == again and first.sha256 == hashlib.sha256(data).hexdigest() and first.size == len(data)
    path = store.path(first.sha256)
    assert path.endswith(f"{first.sha256[:2]}/{first.sha256}") and store.read(first.sha256) == data
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700
    assert store.all_hashes() == [first.sha256] and store.verify(first.sha256)


def test_a_path_is_streamed_in_and_a_damaged_file_fails_verification(tmp_path):
    source = tmp_path / "big.pdf"
    source.write_bytes(os.urandom(3 * 1024 * 1024 + 7))
    store = LocalFileStore(tmp_path / "files")
    stored = store.put_path(str(source))
    assert stored.size == source.stat().st_size and store.verify(stored.sha256)
    with open(store.path(stored.sha256), "r+b") as f:
        f.write(b"X")
    assert not store.verify(stored.sha256)


def test_bytes_that_do_not_match_their_name_are_refused_and_leave_nothing(tmp_path):
    store = LocalFileStore(tmp_path / "files")
    wrong = hashlib.sha256(b"other").hexdigest()
    with pytest.raises(DomainError) as caught:
        store.put_verified(wrong, [b"these bytes"])
    assert caught.value.code == "file.hash_mismatch"
    assert store.all_hashes() == [] and not any(p.name.startswith(".part-") for p in (tmp_path / "files").rglob("*"))


def test_a_full_disk_is_a_clear_error_and_no_half_file(tmp_path, monkeypatch):
    store = LocalFileStore(tmp_path / "files")
    real_fsync = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(DomainError) as caught:
        store.put_bytes(b"a page")
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert caught.value.code == "file.disk_full" and str(tmp_path / "files") in str(caught.value)
    assert not any(p.is_file() for p in (tmp_path / "files").rglob("*")) and store.all_hashes() == []


def test_a_name_that_is_not_a_hash_is_refused(tmp_path):
    with pytest.raises(DomainError) as caught:
        LocalFileStore(tmp_path).path("../../etc/passwd")
    assert caught.value.code == "attachment.bad_hash"
