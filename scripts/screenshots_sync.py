"""Screenshots of sync (issue #3): enrolment in the wizard, the badge states, the Sync screen, the banners.

Called by scripts/screenshots.py; runs its own in-process server and an in-memory
secret store (never the keyring of the PC taking the pictures).
"""
from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from PySide6.QtCore import QCoreApplication
from PySide6.QtTest import QTest

from counter_app.app import build_services, build_sync_services
from counter_app.server.app import create_app
from counter_app.server.bootstrap import open_server
from counter_app.services.commands import ApplicantInput, ReceiveCommand
from counter_app.sync.client import HttpTransport
from counter_app.sync.engine import RetryPolicy
from counter_app.ui.main import AppController

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from memory_secrets import MemorySecrets  # noqa: E402 - the tests' fake of the SecretStore port

OFFICE, CLERK, PASSWORD = "H45.301", "canbo.xa", "matkhau123"
APPLICANT = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678",
                           address="Số 12 đường Lê Lợi, phường Đông Hà", email="")


class _Line:
    """The server through TestClient while up; a closed port while down."""

    def __init__(self, client: TestClient) -> None:
        self.client, self.up = client, True

    def connect(self, _url: str, token: Any) -> Any:
        line = self

        class Switch:
            def __getattr__(self, name: str) -> Any:
                return getattr(HttpTransport(line.client if line.up else "http://127.0.0.1:9", token), name)

        return Switch()


def _sync_round(ctl: Any) -> None:
    """One sync round, waited for."""
    before = ctl.rounds_run
    ctl.sync_now()
    _wait(lambda: ctl.rounds_run > before and not ctl.running)


def _screen_as(ctl: Any, window: Any, username: str, role: str) -> Any:
    """The sync screen as another account sees it, beside the main window, same size."""
    from counter_app.ui.sync import SyncScreen

    screen = SyncScreen(username=username, role=role)
    screen.attach_sync(ctl)
    screen.resize(window.size())
    screen.show()
    return screen


def _wait(cond: Any, timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while not cond() and time.monotonic() < end:
        QCoreApplication.processEvents()
        QTest.qWait(20)
    for _ in range(5):
        QCoreApplication.processEvents()
        QTest.qWait(20)


def _review_shots(out: Path, save: Any, server: Any, client: TestClient, controller: Any, services: Any,
                  sync: Any) -> None:
    """Two workstations shared a number slot: the server keeps both dossiers and lists them for a supervisor."""
    from counter_app.domain.hlc import format_stamp
    from counter_app.domain.ids import uuid7
    from counter_app.server.models import DossierRow

    window, ctl = controller.window, controller.sync_controller
    server.now = lambda: datetime.now(UTC)
    out_list: list[Any] = []
    before = ctl.rounds_run
    controller.runner.submit(lambda: services.reception.receive(
        ReceiveCommand(procedure_code="1.001193", applicant=APPLICANT, pages=2), CLERK), out_list.append)
    _wait(lambda: ctl.rounds_run > before and not ctl.running)
    with server.db.read() as s:
        row = s.get(DossierRow, out_list[0].id) if out_list else None
        twin = {**row.fields, "id": uuid7()} if row is not None else None
    if twin is None:
        return
    token = client.post("/api/v1/enroll", json={"code": server.issue_enroll_code(OFFICE)["code"]}).json()["token"]
    change = {"change_id": uuid7(), "kind": "dossier.upsert", "entity_id": twin["id"], "payload": twin,
              "hlc": format_stamp(int(time.time() * 1000), 0, "old-pc"), "created_at": datetime.now(UTC).isoformat()}
    client.post("/api/v1/sync/push", json={"changes": [change]}, headers={"Authorization": f"Bearer {token}"})
    _sync_round(ctl)
    window.show_screen("sync")
    save(window, out, "49-sync-review-clerk")
    supervisor = _screen_as(ctl, window, "giamsat", "supervisor")
    supervisor.review.selectRow(0)
    _wait(lambda: True, 0.2)
    save(supervisor, out, "50-sync-review-supervisor")
    ctl.sig_snapshot.disconnect(supervisor.show_snapshot)
    ctl.sig_running.disconnect(supervisor._set_running)
    supervisor.close()
    supervisor.deleteLater()
    _wait(lambda: True, 0.2)


def _update_shots(out: Path, save: Any, server: Any, controller: Any, root: Path) -> None:
    """The server offers 0.2.0 and requires it: the clerk's passive banner, the administrator's line,
    before and after the verified download (nothing is run)."""
    import os

    from counter_app.server.updates import load_updates

    window, ctl = controller.window, controller.sync_controller
    server.now = lambda: datetime.now(UTC)
    server.add_user(OFFICE, "quantri", "Phạm Quản Trị", "administrator", PASSWORD)
    _sync_round(ctl)  # the administrator's account comes down
    installer = root / "srv" / "counter-app-0.2.0-setup.exe"
    installer.parent.mkdir(parents=True, exist_ok=True)
    installer.write_bytes(os.urandom(3 * 2**20))
    server.updates = load_updates(installer=installer, minimum="0.2.0", environ={})
    _sync_round(ctl)
    window.show_screen("sync")
    save(window, out, "51-sync-update-required-clerk")
    admin = _screen_as(ctl, window, "quantri", "administrator")
    _wait(lambda: True, 0.2)
    save(admin, out, "52-sync-update-offer-admin")
    admin.download_button.click()
    _wait(lambda: not ctl.downloading and admin.folder_button.isEnabled())
    save(admin, out, "53-sync-update-downloaded-admin")
    ctl.sig_snapshot.disconnect(admin.show_snapshot)
    ctl.sig_running.disconnect(admin._set_running)
    ctl.sig_update_progress.disconnect(admin._update_progressed)
    admin.close()
    admin.deleteLater()
    server.updates = None
    _wait(lambda: True, 0.2)


def sync_shots(out: Path, save: Any, lang: str = "vi") -> None:
    root = Path(tempfile.mkdtemp(prefix=f"counter-sync-shots-{lang}-"))
    server = open_server(f"sqlite:///{root / 'server.sqlite'}", seed=True)
    server.add_office(OFFICE, "UBND xã Hải Thượng")
    server.add_user(OFFICE, CLERK, "Lê Thị Hoa", "clerk", PASSWORD)
    client = TestClient(create_app(server))
    client.__enter__()
    line = _Line(client)
    services = build_services(root / "counter")
    services.office.set_setting("language", lang)  # the wizard, the login and the window in that language
    sync = build_sync_services(root / "counter", services=services, secrets=MemorySecrets(), connect=line.connect,
                               retry=RetryPolicy(attempts=1))
    controller = AppController(services=services, sync_factory=lambda _s: sync,
                               sync_options={"after_save_ms": 30, "first_delay_ms": 30})
    controller.start()
    _wait(lambda: controller.first_run is not None)
    wizard = controller.first_run
    wizard.show()
    wizard.enrol_button.click()
    page = wizard.enrol_page
    page.fields["server_url"].setText("https://motcua.quangtri.gov.vn")
    page.fields["code"].setText(server.issue_enroll_code(OFFICE)["code"])
    page.fields["device_name"].setText("Quầy 2")
    save(wizard, out, "40-sync-enrol")
    page.fields["server_url"].setText("http://testserver")
    page.submit()
    _wait(lambda: controller.login is not None)
    page.fields["server_url"].setText("https://motcua.quangtri.gov.vn")
    save(wizard, out, "41-sync-enrol-downloaded")
    login = controller.login
    login.username.setText(CLERK)
    login.password.setText(PASSWORD)
    login.submit()
    _wait(lambda: controller.window is not None and controller.sync_controller.rounds_run >= 1)
    window, ctl = controller.window, controller.sync_controller
    save(window.statusBar(), out, "42-sync-badge-online")
    window.show_screen("sync")
    save(window, out, "43-sync-screen-online")

    line.up = False
    before = ctl.rounds_run
    def receive_with_scan() -> None:  # the scan waits on the file channel behind its dossier
        scan = services.attachments.stage(b"%PDF-1.4\n" + bytes(200_000), pages=2, component="Tờ khai")
        services.reception.receive(ReceiveCommand(procedure_code="1.001193", applicant=APPLICANT, pages=2,
                                                  attachments=(scan,)), CLERK)

    controller.runner.submit(receive_with_scan)
    _wait(lambda: ctl.rounds_run > before and not ctl.running)
    save(window.statusBar(), out, "44-sync-badge-offline")
    save(window, out, "45-sync-screen-offline")

    # A change the server refuses: another office claimed the dossier id first.
    entry = next((e for e in sync.gateway._store.pending_batch(10) if e.kind == "dossier.upsert"), None)
    if entry is not None:
        server.add_office("H45.302", "UBND xã bên cạnh")
        token = client.post("/api/v1/enroll",
                            json={"code": server.issue_enroll_code("H45.302")["code"]}).json()["token"]
        change = {"change_id": "other-" + entry.change_id[:30], "kind": "dossier.upsert", "entity_id": entry.entity_id,
                  "payload": {**entry.payload, "office_code": "H45.302"}, "hlc": entry.hlc,
                  "created_at": entry.created_at.isoformat()}
        client.post("/api/v1/sync/push", json={"changes": [change]}, headers={"Authorization": f"Bearer {token}"})
    server.now = lambda: datetime.now(UTC) + timedelta(minutes=12)  # this PC's clock is 12 minutes slow
    line.up = True
    _sync_round(ctl)
    save(window.statusBar(), out, "46-sync-badge-problems")
    save(window, out, "47-sync-screen-problems-clock-banner")

    _review_shots(out, save, server, client, controller, services, sync)
    _update_shots(out, save, server, controller, root)

    server.revoke_device(ctl.snapshot.device_id)
    _sync_round(ctl)
    save(window, out, "48-sync-revoked")
    ctl.stop()
    window.close()
    controller.runner.wait_idle()
    controller.runner.shutdown()
    client.__exit__(None, None, None)
    server.db.dispose()
