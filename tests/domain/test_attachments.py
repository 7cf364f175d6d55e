"""The attachments a dossier's events record: union merge, detach wins whatever the order,
an unreadable record is left out, sizes count each file once."""
from __future__ import annotations

from datetime import datetime

import pytest

from counter_app.domain.attachments import (
    AttachmentDraft,
    FileLimits,
    attached_data,
    attachments_of,
    stored_size,
)
from counter_app.domain.dossier import DossierEvent
from counter_app.domain.errors import DomainError
from counter_app.domain.status import EventKind, fold

SHA = "a" * 64


def _event(eid: str, kind: EventKind, data: dict, hlc: str) -> DossierEvent:
    return DossierEvent(eid, "d1", kind, datetime(2026, 12, 4, 9), "canbo1", "ws1", hlc, None, data)


def _attached(eid: str, hlc: str, sha: str = SHA, size: int = 10) -> DossierEvent:
    return _event(eid, EventKind.ATTACHED, attached_data(AttachmentDraft(sha, size, 1, "Tờ khai"), eid), hlc)


def test_a_detach_wins_even_when_it_arrives_first():
    detach = _event("e3", EventKind.DETACHED, {"attachment_id": "e1", "reason": "nhầm"}, "0003")
    found = attachments_of([detach, _attached("e2", "0002", "b" * 64), _attached("e1", "0001")])
    assert [a.id for a in found] == ["e2"]


def test_an_unreadable_record_is_left_out_not_fatal():
    broken = _event("e9", EventKind.ATTACHED, {"sha256": "not-a-hash"}, "0001")
    assert attachments_of([broken, _attached("e1", "0002")])[0].id == "e1"
    assert len(attachments_of([broken])) == 0


def test_attachment_events_never_change_the_status():
    kinds = [EventKind.RECEIVED, EventKind.ATTACHED, EventKind.DETACHED, EventKind.HANDED_OVER, EventKind.ATTACHED]
    folded = fold(kinds)
    assert folded.violations == () and folded.status == fold([EventKind.RECEIVED, EventKind.HANDED_OVER]).status


def test_sizes_count_a_reused_file_once_and_limits_name_both_sizes():
    found = attachments_of([_attached("e1", "0001", size=700), _attached("e2", "0002", size=700)])
    assert stored_size(found) == 700
    with pytest.raises(DomainError) as caught:
        FileLimits(per_file=1000, per_dossier=1500).check_dossier(1400, 200)
    assert caught.value.code == "attachment.dossier_full"


def test_a_draft_with_a_bad_hash_is_refused():
    with pytest.raises(DomainError) as caught:
        AttachmentDraft("../x", 1, 1)
    assert caught.value.code == "attachment.bad_hash"


def test_a_kind_without_a_target_never_changes_the_fold_wherever_it_sorts():
    from itertools import permutations

    from counter_app.domain.status import TRANSITIONS, changes_status

    passing = [k for k in TRANSITIONS if not changes_status(k)]
    assert {EventKind.ATTACHED, EventKind.DETACHED, EventKind.PRINTED, EventKind.NOTE} <= set(passing)
    base = [EventKind.RECEIVED, EventKind.HANDED_OVER, EventKind.RESULT_RECEIVED]
    for kind in passing:
        for at in range(len(base) + 1):
            for order in permutations(base):
                mixed = [*order[:at], kind, *order[at:]]
                assert fold(mixed).status == fold(list(order)).status
