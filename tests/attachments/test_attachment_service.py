"""Attaching files to dossiers on a real data folder: at reception with the dossier, later, a
result, limits, taking one back, viewing (audited), reuse of an applicant's earlier papers."""
from __future__ import annotations

import pytest
from attachment_helpers import FORM, pdf
from sqlalchemy import select

from counter_app.domain.attachments import AttachmentRole, AttachmentSource
from counter_app.domain.errors import DomainError
from counter_app.services.attachments import FileSetting, as_result
from counter_app.services.commands import ApplicantInput, ReceiveCommand
from counter_app.storage.file_models import file_sync

AN = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678",
                    address="Số 12 đường Lê Lợi, phường Đông Hà, tỉnh Quảng Trị")


def _queued(demo) -> list[tuple[str, str, str]]:
    with demo.database.engine.connect() as conn:
        return [(r.sha256, r.direction, r.state) for r in conn.execute(select(file_sync))]


def _receive(demo, *drafts):
    return demo.reception.receive(ReceiveCommand(procedure_code="1.001193", applicant=AN, attachments=drafts), "canbo1")


def test_papers_scanned_at_reception_are_recorded_with_the_dossier_and_queued_for_upload(demo):
    draft = demo.attachments.stage(pdf("Tờ khai", 2), pages=2, component=FORM)
    view = _receive(demo, draft)
    [shown] = demo.attachments.of_dossier(view.code)
    a = shown.attachment
    assert (a.component, a.pages, a.sha256, a.role, a.added_by) == (FORM, 2, draft.sha256, AttachmentRole.DOSSIER,
                                                                     "canbo1")
    assert shown.local and _queued(demo) == [(draft.sha256, "up", "pending")]
    got = demo.dossiers.get(view.code)
    assert [e.kind for e in got.events] == ["received", "attached"] and got.attachments == (a,)
    with demo.database.uow() as uow:  # the record goes upstream like every event
        assert [e.kind for e in uow.outbox.pending()][-1] == "dossier.event"


def test_an_electronic_result_is_attached_later_by_a_clerk_who_may_hand_over(demo):
    view = _receive(demo)
    result = as_result(demo.attachments.stage(pdf("Giấy khai sinh"), pages=1))
    [added] = demo.attachments.attach(view.code, "canbo1", [result])
    assert added.attachment.role is AttachmentRole.RESULT and added.attachment.component == ""


def test_limits_refuse_before_anything_is_recorded(demo):
    view = _receive(demo)
    with pytest.raises(DomainError) as empty:
        demo.attachments.stage(b"", pages=0)
    assert empty.value.code == "file.empty"
    with demo.database.uow() as uow:
        uow.settings.set(FileSetting.MAX_FILE_MB, "1")
        uow.settings.set(FileSetting.MAX_DOSSIER_MB, "2")
        uow.commit()
    with pytest.raises(DomainError) as big:
        demo.attachments.stage(b"%PDF" + b"0" * (1024 * 1024 + 1), pages=1)
    assert big.value.code == "file.too_large" and "1.0 MB" in str(big.value)
    drafts = [demo.attachments.stage(b"%PDF" + bytes([n]) * (900 * 1024), pages=1, component=FORM) for n in range(3)]
    with pytest.raises(DomainError) as full:
        demo.attachments.attach(view.code, "canbo1", drafts)
    assert full.value.code == "attachment.dossier_full" and "2.0 MB" in str(full.value)
    assert demo.attachments.of_dossier(view.code) == [] and _queued(demo) == []


def test_a_detached_file_leaves_the_list_but_stays_in_the_history(demo):
    draft = demo.attachments.stage(pdf("Nhầm hồ sơ"), pages=1, component=FORM)
    view = _receive(demo, draft)
    [shown] = demo.attachments.of_dossier(view.code)
    demo.attachments.detach(view.code, "canbo1", shown.id, "Quét nhầm hồ sơ")
    assert demo.attachments.of_dossier(view.code) == []
    kinds = [e.kind for e in demo.dossiers.get(view.code).events]
    assert kinds == ["received", "attached", "detached"]
    with pytest.raises(DomainError) as missing:
        demo.attachments.detach(view.code, "canbo1", shown.id, "again")
    assert missing.value.code == "attachment.not_found"


def test_every_view_is_audited_and_a_missing_file_is_fetched_or_reported(demo):
    draft = demo.attachments.stage(pdf("CCCD"), pages=1, component=FORM)
    view = _receive(demo, draft)
    [shown] = demo.attachments.of_dossier(view.code)
    path = demo.attachments.open(view.code, shown.id, "canbo2")
    assert open(path, "rb").read().startswith(b"%PDF")
    with demo.database.uow() as uow:
        views = uow.audit.list(action="attachment.view")
    assert [(v.actor, v.detail["code"]) for v in views] == [("canbo2", view.code)]
    store = demo.attachments.files
    data = store.read(draft.sha256)
    store.remove(draft.sha256)
    with pytest.raises(DomainError) as offline:
        demo.attachments.open(view.code, shown.id, "canbo2")
    assert offline.value.code == "file.not_downloaded"
    demo.attachments.fetcher = lambda sha: store.put_verified(sha, [data])
    assert open(demo.attachments.open(view.code, shown.id, "canbo2"), "rb").read() == data


def test_an_applicants_earlier_papers_are_offered_and_reused_without_a_new_file(demo):
    cccd = "Bản sao CCCD"
    first = _receive(demo, demo.attachments.stage(pdf("CCCD cũ"), pages=1, component=cccd))
    offered = demo.attachments.reusable(AN.id_number)
    assert [(o.attachment.component, o.dossier_code) for o in offered] == [(cccd, first.code)]
    draft = demo.attachments.reuse(offered[0], cccd)
    assert draft.source is AttachmentSource.REUSE and draft.reused_from == offered[0].id
    second = _receive(demo, draft)
    [again] = demo.attachments.of_dossier(second.code)
    assert again.attachment.sha256 == offered[0].attachment.sha256
    assert len(_queued(demo)) == 1  # one file, one upload
    assert demo.attachments.reusable("045090009999") == []


def test_the_integrity_check_finds_damage_loss_and_orphans_and_repairs_only_what_it_can(demo):
    mine = demo.attachments.stage(pdf("của máy này"), pages=1, component=FORM)
    view = _receive(demo, mine)
    orphan = demo.attachments.stage(pdf("quét rồi bỏ"), pages=1, component=FORM)  # never attached
    store = demo.attachments.files
    assert demo.attachments.check().to_dict() == {"ok": True, "checked": 1, "damaged": [], "lost": [],
                                                    "not_downloaded": [], "orphans": [orphan.sha256]}
    with open(store.path(mine.sha256), "ab") as f:
        f.write(b"bit rot")
    requeued = []
    report = demo.attachments.check(repair=True, requeue=lambda *task: requeued.append(task))
    assert report.damaged == [mine.sha256] and not report.ok
    # Never uploaded: the damaged copy is the only one, so it is kept, not "repaired" away.
    assert store.has(mine.sha256) and requeued == [] and not store.has(orphan.sha256)
    with demo.database.uow() as uow:  # once the server confirmed it, a fresh copy can be fetched
        uow.file_sync.queue(mine.sha256, "up", mine.size, view.id, demo.context.clock.now())
        uow.commit()
    from counter_app.storage.file_sync_store import SqlFileSyncQueue

    SqlFileSyncQueue(demo.database.engine).mark_done(mine.sha256, "up", demo.context.clock.now())
    demo.attachments.check(repair=True, requeue=lambda *task: requeued.append(task))
    assert not store.has(mine.sha256) and requeued == [(mine.sha256, "down", mine.size, view.id)]
    assert demo.attachments.check().not_downloaded == [mine.sha256]
