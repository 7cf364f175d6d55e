"""What a commit changed, as screens refresh by: built from outbox entries or pulled changes."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from counter_app.domain.change_set import EMPTY, ChangeSet
from counter_app.domain.changes import ChangeKind


@dataclass(frozen=True)
class Row:
    kind: str
    entity_id: str
    payload: dict[str, Any] = field(default_factory=dict)


def test_dossier_changes_name_their_dossier_an_event_by_its_payload():
    changes = ChangeSet.of([Row(ChangeKind.DOSSIER_UPSERT, "d1"),
                            Row(ChangeKind.DOSSIER_EVENT, "e1", {"dossier_id": "d2"})])
    assert changes.dossiers == {"d1", "d2"}
    assert changes.outbox == 2 and not changes.queue and not changes.reference and not changes.pulled
    assert changes.touches_dossiers and bool(changes)


def test_queue_and_reference_kinds_are_areas():
    changes = ChangeSet.of([Row(ChangeKind.QUEUE_EVENT, "t1"), Row(ChangeKind.REF_CALENDAR, "2026-12-24"),
                            Row(ChangeKind.REF_USER, "u1")], pulled=True)
    assert changes.queue and changes.dossiers == frozenset()
    assert changes.touches_calendar and changes.touches_users and not changes.touches_catalog
    assert changes.pulled and changes.outbox == 0  # pulled rows are nothing to push


def test_nothing_changed_is_false_and_an_unknown_kind_is_only_counted():
    assert not EMPTY and not ChangeSet.of([])
    unknown = ChangeSet.of([Row("file.record", "f1")])
    assert unknown.outbox == 1 and not unknown.dossiers and not unknown.queue


def test_a_burst_merges_into_one_set():
    local = ChangeSet.of([Row(ChangeKind.DOSSIER_UPSERT, "d1")])
    pulled = ChangeSet.of([Row(ChangeKind.DOSSIER_UPSERT, "d2"), Row(ChangeKind.REF_PROCEDURE, "1.001193")],
                          pulled=True)
    both = local | pulled
    assert both.dossiers == {"d1", "d2"} and both.touches_catalog and both.outbox == 1
    assert not both.pulled  # a local commit is in it: the sync controller must push
    assert (pulled | pulled).pulled and (EMPTY | local) == local
