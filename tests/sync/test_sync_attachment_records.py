"""Attachment records ride the spine as dossier events: a second counter of the office learns of
the file and queues its download; the server refuses a record that names no file it can trust.
(The bytes travel on the file channel, tested with it.)"""
from __future__ import annotations

import dataclasses

import pytest
from simulation import APPLICANT, CLERK, OFFICE_A
from sqlalchemy import select

from counter_app.domain.changes import encode_event
from counter_app.domain.errors import DomainError
from counter_app.server.payloads import validate_event
from counter_app.services.commands import ReceiveCommand
from counter_app.storage.file_models import file_sync
from counter_app.sync.protocol import Change, ChangeKind


def _downloads(counter) -> list[tuple[str, str]]:
    with counter.services.database.engine.connect() as conn:
        return [(r.sha256, r.state) for r in conn.execute(select(file_sync).where(file_sync.c.direction == "down"))]


def test_a_second_counter_sees_the_attachment_and_queues_its_file(make_counter) -> None:
    a1, a2 = make_counter(OFFICE_A), make_counter(OFFICE_A)
    draft = a1.services.attachments.stage(b"%PDF-1.4 scan of the form", pages=1, component="Tờ khai")
    view = a1.services.reception.receive(
        ReceiveCommand(procedure_code="1.001193", applicant=APPLICANT, attachments=(draft,)), CLERK[OFFICE_A])
    assert a1.round().ok and _downloads(a1) == []  # its own file: nothing to fetch
    a2.round()
    [seen] = a2.services.attachments.of_dossier(view.code)
    assert seen.attachment.sha256 == draft.sha256 and not seen.local
    assert _downloads(a2) == [(draft.sha256, "pending")]
    a2.round()  # pulled again (a re-sent page): still one download
    assert _downloads(a2) == [(draft.sha256, "pending")]


def test_the_server_refuses_an_attachment_record_without_a_valid_hash(make_counter) -> None:
    a1 = make_counter(OFFICE_A)
    draft = a1.services.attachments.stage(b"%PDF-1.4 x", pages=1, component="Tờ khai")
    view = a1.services.reception.receive(
        ReceiveCommand(procedure_code="1.001193", applicant=APPLICANT, attachments=(draft,)), CLERK[OFFICE_A])
    [event] = [e for e in a1.services.dossiers.get(view.code).events if e.kind == "attached"]
    with a1.services.database.uow() as uow:
        stored = [e for e in uow.events.for_dossier(view.id) if e.id == event.id][0]
    bad = dataclasses.replace(stored, data={**stored.data, "sha256": "../../etc/passwd"})
    change = Change(change_id="c" * 8, kind=ChangeKind.DOSSIER_EVENT, entity_id=bad.id, hlc=bad.hlc,
                    payload=encode_event(bad), created_at=bad.at)
    with pytest.raises(DomainError) as refused:
        validate_event(change)
    assert refused.value.code == "payload.invalid" and "attachment.unreadable" in str(refused.value)
