"""Invariants of a simulated run, checked against the server's merged state.

No loss, no duplicate, convergence (same canonical hash per office scope on the
server and every counter), cached status == fold(events), unique codes, drained
outboxes and no pulled change left parked.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from counter_app.domain.changes import decode_event, encode_dossier, encode_event
from counter_app.domain.dossier import derive_status
from counter_app.server import models as sm
from counter_app.storage import mapping
from counter_app.storage.models import dossier_events, dossiers, outbox
from counter_app.storage.sync_models import sync_parked


@dataclass
class Snapshot:
    dossiers: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> canonical payload
    events: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> canonical payload
    statuses: dict[str, int | None] = field(default_factory=dict)

    def scope(self, office: str) -> Snapshot:
        ids = {i for i, d in self.dossiers.items() if office in (d["office_code"], d.get("competent_agency") or "")}
        return Snapshot({i: self.dossiers[i] for i in ids},
                        {i: e for i, e in self.events.items() if e["dossier_id"] in ids},
                        {i: self.statuses.get(i) for i in ids})

    def digest(self) -> str:
        text = json.dumps([self.dossiers, self.events], sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


def _canon(value: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(value, sort_keys=True, default=str))


def server_snapshot(host: Any) -> Snapshot:
    snap = Snapshot()
    with host.service.db.read() as s:
        for row in s.scalars(select(sm.DossierRow)):
            snap.dossiers[row.id] = _canon(row.fields)
        for row in s.scalars(select(sm.EventRow)):
            snap.events[row.id] = _canon(row.payload)
    for dossier_id in snap.dossiers:
        snap.statuses[dossier_id] = _fold(snap, dossier_id)
    return snap


def node_snapshot(node: Any) -> tuple[Snapshot, dict[str, int]]:
    snap = Snapshot()
    with node.db.connect() as conn:
        for row in conn.execute(select(dossiers)):
            snap.dossiers[row.id] = _canon(encode_dossier(mapping.dossier_from_row(row)))
            snap.statuses[row.id] = row.status
        for row in conn.execute(select(dossier_events)):
            snap.events[row.id] = _canon(encode_event(mapping.event_from_row(row)))
        states: dict[str, int] = {}
        for (state,) in conn.execute(select(outbox.c.state)):
            states[state] = states.get(state, 0) + 1
        states["parked"] = len(conn.execute(select(sync_parked.c.change_id)).all())
    return snap, states


def _fold(snap: Snapshot, dossier_id: str) -> int | None:
    events = [decode_event(e) for e in snap.events.values() if e["dossier_id"] == dossier_id]
    status = derive_status(events)
    return int(status) if status is not None else None


def check(world: Any) -> None:
    """Every invariant of the run; AssertionError names the seed and what broke."""
    seed = world.seed
    server = server_snapshot(world.host)
    codes = [d["code"] for d in server.dossiers.values()]
    assert len(codes) == len(set(codes)), f"seed {seed}: duplicate dossier codes on the server"
    made_d, made_e = world_made(world)
    made = (len(made_d), len(made_e))
    assert made == (world.receipts, world.receipts + world.prints), f"seed {seed}: outboxes miss changes"
    assert made_d <= server.dossiers.keys(), f"seed {seed}: dossiers lost: {sorted(made_d - server.dossiers.keys())}"
    assert made_e <= server.events.keys(), f"seed {seed}: events lost: {sorted(made_e - server.events.keys())}"
    assert server.dossiers.keys() == made_d, f"seed {seed}: server has dossiers nobody made"
    assert server.events.keys() == made_e, f"seed {seed}: server has events nobody made"
    for node in world.nodes:
        local, states = node_snapshot(node)
        expected = server.scope(node.office)
        where = f"seed {seed} node {node.index} ({node.office})"
        assert set(local.dossiers) == set(expected.dossiers), f"{where}: dossiers differ from the server's scope"
        assert set(local.events) == set(expected.events), f"{where}: events differ from the server's scope"
        assert local.digest() == expected.digest(), f"{where}: replica does not converge with the server"
        for dossier_id, status in local.statuses.items():
            assert status == _fold(local, dossier_id), f"{where}: cached status of {dossier_id} != fold(events)"
            assert status == expected.statuses[dossier_id], f"{where}: status of {dossier_id} differs from the server"
        assert states.get("pending", 0) == 0, f"{where}: outbox not drained: {states}"
        assert states.get("relayed", 0) == 0, f"{where}: changes never confirmed upstream: {states}"
        assert states.get("rejected", 0) == 0, f"{where}: changes rejected: {states}"
        assert states["parked"] == 0, f"{where}: pulled changes still parked"


def world_made(world: Any) -> tuple[set[str], set[str]]:
    """Every dossier and event any counter made: read from the outboxes (sent or not)."""
    made_d: set[str] = set()
    made_e: set[str] = set()
    for node in world.nodes:
        with node.db.connect() as conn:
            for kind, entity_id in conn.execute(select(outbox.c.kind, outbox.c.entity_id)):
                (made_d if kind == "dossier.upsert" else made_e).add(entity_id)
    return made_d, made_e
