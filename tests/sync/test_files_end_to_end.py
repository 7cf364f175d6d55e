"""Done when: a dossier scanned at counter A is opened, pages and all, at counter B of the office and
at the competent agency after one sync, through the counters' own wiring (composition root, file
channel on its worker, the viewer's fetch); the server keeps the file once."""
from __future__ import annotations

import hashlib
import os

from simulation import APPLICANT, CLERK, OFFICE_A, OFFICE_B, ROUTED

from counter_app.services.commands import ReceiveCommand


def test_a_scan_at_counter_a_opens_at_counter_b_and_at_the_competent_agency(make_counter, host) -> None:
    a1, a2, agency = make_counter(OFFICE_A), make_counter(OFFICE_A), make_counter(OFFICE_B)
    scan = b"%PDF-1.4\n" + os.urandom(600_000)
    draft = a1.services.attachments.stage(scan, pages=3, component="Tờ khai")
    view = a1.services.reception.receive(
        ReceiveCommand(procedure_code=ROUTED, applicant=APPLICANT, attachments=(draft,)), CLERK[OFFICE_A])
    assert a1.sync.files.counts().up == 1
    assert a1.sync.files.gate()  # the dossier is not pushed yet: files wait
    assert a1.round().ok
    assert not a1.sync.files.gate()
    report = a1.sync.files.worker.run_pass()
    assert report is not None and report.uploaded == 1 and a1.sync.files.counts().up == 0
    blobs = host.service.file_service().blobs
    assert blobs.path(draft.sha256).read_bytes() == scan and list(blobs.hashes()) == [draft.sha256]

    # The other counter of the office opens it from the dossier view: fetched at once.
    assert a2.round().ok
    [seen] = a2.services.attachments.of_dossier(view.code)
    assert not seen.local
    opened = a2.services.attachments.open(view.code, seen.id, CLERK[OFFICE_A])
    assert hashlib.sha256(open(opened, "rb").read()).hexdigest() == draft.sha256
    assert a2.sync.files.counts().down == 0

    # The competent agency downloads it in the background (an open dossier of its own).
    assert agency.round().ok
    assert agency.sync.files.counts().down == 1
    assert agency.sync.files.worker.run_pass().downloaded == 1
    [theirs] = agency.services.attachments.of_dossier(view.code)
    assert theirs.local
    assert agency.services.attachments.files.read(draft.sha256) == scan


def test_background_downloads_follow_the_setting_and_opening_still_fetches(make_counter) -> None:
    from counter_app.services.attachments import FileSetting

    a1, a2 = make_counter(OFFICE_A), make_counter(OFFICE_A)
    draft = a1.services.attachments.stage(b"%PDF-1.4 " + os.urandom(5000), pages=1, component="Tờ khai")
    view = a1.services.reception.receive(
        ReceiveCommand(procedure_code="1.001193", applicant=APPLICANT, attachments=(draft,)), CLERK[OFFICE_A])
    assert a1.round().ok and a1.sync.files.worker.run_pass().uploaded == 1
    with a2.services.context.uow() as uow:
        uow.settings.set(FileSetting.BACKGROUND_DOWNLOAD, "0")
        uow.commit()
    assert a2.round().ok
    assert a2.sync.files.worker.run_pass().downloaded == 0 and a2.sync.files.counts().down == 1
    [seen] = a2.services.attachments.of_dossier(view.code)
    a2.services.attachments.open(view.code, seen.id, CLERK[OFFICE_A])
    assert a2.sync.files.counts().down == 0
