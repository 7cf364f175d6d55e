"""Responses are gzipped when the client accepts it: pull pages on slow commune lines."""
from __future__ import annotations

import gzip
import json

from counter_app.sync.client import HttpTransport


def _large_page(harness, build) -> tuple[dict[str, str], str]:
    harness.office(build.A)
    headers = harness.device(build.A)
    harness.push(headers, *[build.dossier(build.A, harness.stamp()) for _ in range(30)])
    return headers, "/api/v1/sync/pull?after=0&limit=1000"


def test_a_large_pull_page_is_gzipped_and_decodes_to_the_same_json(harness, build) -> None:
    headers, url = _large_page(harness, build)
    plain = harness.client.get(url, headers={**headers, "Accept-Encoding": "identity"})
    assert plain.status_code == 200 and "content-encoding" not in plain.headers
    with harness.client.stream("GET", url, headers={**headers, "Accept-Encoding": "gzip"}) as zipped:
        assert zipped.status_code == 200 and zipped.headers["content-encoding"] == "gzip"
        wire = b"".join(zipped.iter_raw())
    assert len(wire) < len(plain.content) / 3
    assert json.loads(gzip.decompress(wire)) == plain.json()
    assert len(plain.json()["changes"]) == 31  # ref.office + 30 dossiers


def test_small_answers_are_not_compressed(harness, build) -> None:
    harness.office(build.A)
    headers = harness.device(build.A)
    empty = harness.client.get("/api/v1/sync/pull?after=999999", headers={**headers, "Accept-Encoding": "gzip"})
    assert empty.status_code == 200 and "content-encoding" not in empty.headers


def test_the_sync_client_asks_for_gzip_and_decodes_it(harness, build) -> None:
    headers, _ = _large_page(harness, build)
    own = HttpTransport("http://127.0.0.1:1")  # the client a counter builds for itself
    try:
        assert "gzip" in own._client.headers["accept-encoding"]
    finally:
        own.close()
    seen: list[str] = []
    harness.client.event_hooks["response"].append(lambda r: seen.append(r.headers.get("content-encoding", "")))
    token = headers["Authorization"].removeprefix("Bearer ")
    page = HttpTransport(harness.client, lambda: token).pull(0, 1000)
    assert seen == ["gzip"] and len(page.changes) == 31
