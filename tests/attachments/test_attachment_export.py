"""The citizen's copy of an attached file: written whole into the folder the clerk chose, never over
a file there, audited; a file not on this counter is fetched or reported; a damaged local copy
is refused and fetched again."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from test_attachment_service import AN, pdf

from counter_app.domain.errors import DomainError
from counter_app.services.attachments import as_result
from counter_app.services.commands import ReceiveCommand
from counter_app.storage.file_models import file_sync


def _with_result(demo):
    code = demo.reception.receive(ReceiveCommand(procedure_code="1.001193", applicant=AN), "canbo1").code
    data = pdf("Giấy khai sinh", 2)
    [shown] = demo.attachments.attach(code, "canbo1", [as_result(demo.attachments.stage(data, pages=2))])
    return code, shown, data


def test_the_copy_is_the_file_named_after_the_dossier_never_over_another_and_audited(demo, tmp_path):
    code, shown, data = _with_result(demo)
    stick = tmp_path / "usb"
    stick.mkdir()
    first = demo.attachments.export(code, shown.id, "canbo2", str(stick))
    second = demo.attachments.export(code, shown.id, "canbo2", str(stick))
    assert first == str(stick / f"{code}_ket-qua.pdf")
    assert second == str(stick / f"{code}_ket-qua-2.pdf")
    assert open(first, "rb").read() == data and open(second, "rb").read() == data
    with demo.database.uow() as uow:
        rows = uow.audit.list(action="attachment.export")
    assert [(r.actor, r.detail) for r in rows] == [("canbo2", {"code": code, "attachment": shown.id,
                                                               "role": "result", "signed": False})] * 2


def test_a_folder_that_cannot_be_written_is_a_message_and_leaves_nothing(demo, tmp_path):
    code, shown, _data = _with_result(demo)
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_bytes(b"x")
    with pytest.raises(DomainError) as failed:
        demo.attachments.export(code, shown.id, "canbo1", str(not_a_folder))
    assert failed.value.code == "file.write_failed" and "a-file" in str(failed.value)
    with demo.database.uow() as uow:
        assert uow.audit.list(action="attachment.export") == []


def test_offline_without_the_file_it_says_so_and_a_damaged_copy_is_fetched_again(demo, tmp_path):
    code, shown, data = _with_result(demo)
    store = demo.attachments.files
    store.remove(shown.attachment.sha256)
    with pytest.raises(DomainError) as offline:
        demo.attachments.export(code, shown.id, "canbo1", str(tmp_path))
    assert offline.value.code == "file.not_downloaded" and list(tmp_path.glob("*.pdf")) == []
    store.put_bytes(data)
    path = store.path(shown.attachment.sha256)
    with open(path, "r+b") as damaged:  # a bad sector under the stored file
        damaged.seek(100)
        damaged.write(b"XXXX")
    with pytest.raises(DomainError) as mismatch:
        demo.attachments.export(code, shown.id, "canbo1", str(tmp_path))
    assert mismatch.value.code == "file.hash_mismatch" and list(tmp_path.glob("*.pdf")) == []
    assert not store.has(shown.attachment.sha256)
    with demo.database.engine.connect() as conn:
        rows = {(r.sha256, r.direction, r.state) for r in conn.execute(select(file_sync))}
    assert (shown.attachment.sha256, "down", "pending") in rows
