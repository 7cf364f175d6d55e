"""What a counter's codec writes, the server's validation accepts, and reads back the same.

The server validates pushes by decoding them with the domain codec; this checks the
other direction too: no payload a counter can produce is refused for its shape.
(Queue events from a counter's own outbox are pushed to a real hub in
tests/queue/test_queue_hub.py.)
"""
from __future__ import annotations

import dataclasses
import json
from datetime import datetime

from change_values import dossiers, events
from hypothesis import given

from counter_app.domain import changes
from counter_app.domain.changes import ChangeKind
from counter_app.domain.hlc import format_stamp, wall_ms
from counter_app.server.service import _check
from counter_app.sync.protocol import Change


def _pushed(kind: ChangeKind, value, stamp: str) -> Change:
    entry = changes.change(kind, value, hlc=stamp, at=datetime(2026, 12, 3, 9, 30))
    body = {"change_id": entry.change_id, "kind": entry.kind, "entity_id": entry.entity_id, "payload": entry.payload,
            "hlc": entry.hlc, "created_at": entry.created_at.isoformat()}
    return Change.model_validate(json.loads(json.dumps(body, ensure_ascii=False)))


@given(dossiers)
def test_every_dossier_a_counter_encodes_is_accepted_and_read_back(dossier) -> None:
    now = wall_ms()
    parsed, error = _check(_pushed(ChangeKind.DOSSIER_UPSERT, dossier, format_stamp(now, 0, "ws1")), now)
    assert error is None and parsed == dossier


@given(events)
def test_every_event_a_counter_encodes_is_accepted_and_read_back(event) -> None:
    now = wall_ms()
    stamp = format_stamp(now, 0, "ws1")
    event = dataclasses.replace(event, hlc=stamp)  # the counter stamps its events with its own clock
    parsed, error = _check(_pushed(ChangeKind.DOSSIER_EVENT, event, stamp), now)
    assert error is None and parsed == event


@given(dossiers)
def test_a_dossier_id_beyond_the_column_is_refused_by_name(dossier) -> None:
    now = wall_ms()
    too_long = dataclasses.replace(dossier, id="x" * 37)
    parsed, error = _check(_pushed(ChangeKind.DOSSIER_UPSERT, too_long, format_stamp(now, 0, "ws1")), now)
    assert parsed is None and error.code == "payload.invalid" and error.params["detail"].startswith("id:")
