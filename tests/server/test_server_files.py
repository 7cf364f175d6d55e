"""The file channel's server side: resumable chunked uploads verified by hash, deduplicated,
served back by range, only to the offices of a dossier that names the file (SQLite and PostgreSQL)."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from counter_app.domain.changes import encode_event
from counter_app.domain.dossier import DossierEvent
from counter_app.domain.ids import uuid7
from counter_app.domain.messages import message
from counter_app.domain.status import EventKind
from counter_app.server.blob_store import DirectoryBlobStore
from counter_app.server.file_models import file_refs

FILES = "/api/v1/files"


@pytest.fixture
def blobs(service, tmp_path: Path) -> DirectoryBlobStore:
    store = DirectoryBlobStore(tmp_path / "blobs")
    service.use_blobs(store)
    return store


def attached(build, harness, dossier_id: str, data: bytes) -> dict:
    sha = hashlib.sha256(data).hexdigest()
    hlc = harness.stamp()
    event = DossierEvent(id=uuid7(), dossier_id=dossier_id, kind=EventKind.ATTACHED, at=__import__("datetime").datetime(
        2026, 11, 27, 10, 0), actor="clerk1", node="ws1", hlc=hlc, prev_event_id=None, data={
        "attachment_id": "", "role": "dossier", "component": "Tờ khai", "sha256": sha, "size": len(data),
        "media_type": "application/pdf", "pages": 1, "filename": "", "source": "scan", "reused_from": "",
        "signed": False})
    return build.change("dossier.event", event.id, encode_event(event), hlc)


def with_file(harness, build, office: str, data: bytes, **dossier: str) -> tuple[dict, str]:
    """A device of ``office``, a dossier of it and an attached event naming ``data``."""
    device = harness.device(office)
    upsert = build.dossier(office, harness.stamp(), **dossier)
    results = harness.push(device, upsert, attached(build, harness, upsert["entity_id"], data))
    assert [r["result"] for r in results] == ["applied", "applied"], results
    return device, hashlib.sha256(data).hexdigest()


def put(harness, device, sha: str, offset: int, total: int, chunk: bytes):
    return harness.client.put(f"{FILES}/{sha}", params={"offset": offset, "total": total}, content=chunk,
                              headers={**device, "Content-Type": "application/octet-stream"})


def test_a_file_goes_up_in_chunks_resumes_at_what_the_server_holds_and_comes_back_whole(
        harness, build, blobs) -> None:
    data = os.urandom(700_000)
    device, sha = with_file(harness, build, harness.office(build.A), data)
    assert harness.client.get(f"{FILES}/{sha}", headers=device).json() == {
        "sha256": sha, "state": "absent", "received": 0, "size": len(data)}
    assert put(harness, device, sha, 0, len(data), data[:300_000]).json()["received"] == 300_000
    # A chunk sent twice (the answer was lost) or out of place: 409 naming where to resume.
    again = put(harness, device, sha, 0, len(data), data[:300_000])
    assert (again.status_code, again.json()["code"], again.json()["received"]) == (409, "file.offset_mismatch",
                                                                                  300_000)
    ahead = put(harness, device, sha, 600_000, len(data), data[600_000:])
    assert (ahead.status_code, ahead.json()["received"]) == (409, 300_000)
    assert harness.client.get(f"{FILES}/{sha}", headers=device).json()["state"] == "partial"
    done = put(harness, device, sha, 300_000, len(data), data[300_000:])
    assert done.json() == {"sha256": sha, "state": "complete", "received": len(data), "size": len(data)}
    assert blobs.path(sha).read_bytes() == data
    assert oct(blobs.path(sha).stat().st_mode & 0o777) == "0o600"

    whole = harness.client.get(f"{FILES}/{sha}/content", headers=device)
    assert (whole.status_code, whole.content) == (200, data)
    part = harness.client.get(f"{FILES}/{sha}/content", headers={**device, "Range": "bytes=100-199"})
    assert (part.status_code, part.content, part.headers["content-range"]) == (206, data[100:200],
                                                                              f"bytes 100-199/{len(data)}")
    tail = harness.client.get(f"{FILES}/{sha}/content", headers={**device, "Range": "bytes=-10"})
    assert tail.content == data[-10:]
    bad = harness.client.get(f"{FILES}/{sha}/content", headers={**device, "Range": "bytes=900000-"})
    assert (bad.status_code, bad.json()["code"]) == (416, "file.range_invalid")


def test_a_corrupt_upload_is_refused_and_discarded_and_a_known_hash_is_not_stored_again(
        harness, build, blobs) -> None:
    data = os.urandom(50_000)
    device, sha = with_file(harness, build, harness.office(build.A), data)
    spoiled = bytearray(data)
    spoiled[1234] ^= 0xFF
    refused = put(harness, device, sha, 0, len(data), bytes(spoiled))
    assert (refused.status_code, refused.json()["code"]) == (422, "file.hash_mismatch")
    assert harness.client.get(f"{FILES}/{sha}", headers=device).json()["state"] == "absent"  # nothing half kept
    assert put(harness, device, sha, 0, len(data), data).json()["state"] == "complete"
    # A second dossier (another counter) attaching the same scan: the server already has it.
    other, same = with_file(harness, build, build.A, data)
    assert same == sha
    assert put(harness, other, sha, 0, len(data), data[:10]).json() == {
        "sha256": sha, "state": "complete", "received": len(data), "size": len(data)}
    assert list(blobs.hashes()) == [sha]
    with harness.service.db.read() as s:
        assert s.scalar(select(func.count()).select_from(file_refs).where(file_refs.c.sha256 == sha)) == 2


def test_only_the_offices_of_a_dossier_that_names_the_file_may_touch_it(harness, build, blobs) -> None:
    a, b, c = harness.office(build.A), harness.office(build.B), harness.office(build.C)
    data = os.urandom(2000)
    device, sha = with_file(harness, build, a, data, competent_agency=b)
    assert put(harness, device, sha, 0, len(data), data).json()["state"] == "complete"
    agency, stranger = harness.device(b), harness.device(c)
    assert harness.client.get(f"{FILES}/{sha}/content", headers=agency).content == data  # the competent agency
    for call in (lambda: harness.client.get(f"{FILES}/{sha}", headers=stranger),
                 lambda: harness.client.get(f"{FILES}/{sha}/content", headers=stranger),
                 lambda: put(harness, stranger, sha, 0, len(data), data)):
        answer = call()
        assert (answer.status_code, answer.json()["code"]) == (403, "file.not_referenced")
        assert answer.json()["reason"] == message("file.not_referenced", "en", sha256=sha, office=c)
    unknown = hashlib.sha256(b"never attached").hexdigest()
    assert harness.client.get(f"{FILES}/{unknown}", headers=device).status_code == 403
    assert harness.client.get(f"{FILES}/{sha}").status_code == 401


@pytest.mark.parametrize("sha", ["abc", "G" * 64, "A" * 64, "../" + "a" * 61])
def test_a_name_that_is_not_a_sha256_is_refused(harness, build, blobs, sha: str) -> None:
    device = harness.device(harness.office(build.A))
    answer = harness.client.get(f"{FILES}/{sha}", headers=device)
    assert answer.status_code in (404, 422)  # "../" never reaches the route as one segment
    if answer.status_code == 422:
        assert answer.json()["code"] == "file.bad_hash"


def test_a_file_over_the_limit_and_bad_chunks_are_refused_with_nothing_stored(harness, build, blobs) -> None:
    data = os.urandom(1000)
    device, sha = with_file(harness, build, harness.office(build.A), data)
    harness.service.files.max_file_bytes = 999
    over = put(harness, device, sha, 0, len(data), data)
    assert (over.status_code, over.json()["code"]) == (413, "file.too_large")
    harness.service.files.max_file_bytes = 10_000
    past_end = put(harness, device, sha, 0, 10, data)
    assert (past_end.status_code, past_end.json()["code"]) == (422, "file.bad_chunk")
    assert harness.client.get(f"{FILES}/{sha}", headers=device).json()["received"] == 0
