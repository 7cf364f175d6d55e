"""Backups carry the attachments: each file once in the backups' mirror, copied only when new,
and a restore onto an empty data folder (a new PC) brings the scans back."""
from __future__ import annotations

import os
import shutil
import stat

from counter_app.app import build_services
from counter_app.maintenance import restore
from counter_app.paths import FILES_DIR
from counter_app.services.commands import ApplicantInput, ReceiveCommand

AN = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678",
                    address="Số 12 đường Lê Lợi, phường Đông Hà, tỉnh Quảng Trị")


def _scan(services, text: bytes):
    draft = services.attachments.stage(b"%PDF-1.4 " + text, pages=1, component="Tờ khai đăng ký khai sinh")
    view = services.reception.receive(ReceiveCommand(procedure_code="1.001193", applicant=AN,
                                                     attachments=(draft,)), "canbo1")
    return draft.sha256, view.code


def test_each_backup_copies_the_new_files_once_and_a_restore_brings_them_back(demo, data_dir, tmp_path, clock):
    folder = tmp_path / "usb"
    first, _ = _scan(demo, b"first")
    demo.backup.backup_now("admin", folder / "counter-1.sqlite")
    mirror = folder / "files"
    copied = mirror / first[:2] / first
    assert copied.read_bytes().endswith(b"first") and stat.S_IMODE(os.stat(copied).st_mode) == 0o600
    before = os.stat(copied).st_mtime_ns
    second, code = _scan(demo, b"second")
    demo.backup.backup_now("admin", folder / "counter-2.sqlite")
    assert os.stat(copied).st_mtime_ns == before  # not copied again
    assert sorted(p.name for p in mirror.glob("??/*")) == sorted([first, second])

    # The disk died: a new PC, an empty data folder, the USB stick's backup.
    shutil.rmtree(data_dir)
    fresh = tmp_path / "new-pc"
    fresh.mkdir()
    restore(fresh, folder / "counter-2.sqlite", actor="admin", clock=clock)
    again = build_services(fresh, clock=clock)
    for sha in (first, second):
        assert (fresh / FILES_DIR / sha[:2] / sha).is_file()
    [shown] = again.attachments.of_dossier(code)
    assert shown.local and again.attachments.files.verify(shown.attachment.sha256)
