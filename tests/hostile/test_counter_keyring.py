"""All data folders of one OS account shared one keyring entry (``device_token``): enrolling a
second folder re-keyed the first, whose pushes were then refused and which showed the other
office's review list. Real keyring (keyrings.alt's file backend), real server, real counters."""
from __future__ import annotations

from pathlib import Path

import keyring

from counter_app.app import build_services, build_sync_services
from counter_app.credentials import SERVICE, KeyringSecretStore
from counter_app.services.commands import ApplicantInput, ReceiveCommand
from counter_app.services.sync import TOKEN_KEY
from counter_app.sync.engine import RetryPolicy

OFFICE_A, OFFICE_B = "H45.301", "H45.302"
CLERK = {OFFICE_A: "canbo.a", OFFICE_B: "canbo.b"}
APPLICANT = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678",
                           address="Số 12 đường Lê Lợi, phường Đông Hà", email="")


class Folder:
    """A counter data folder wired as the app does, with the default (OS keyring) secret store."""

    def __init__(self, server, data_dir: Path) -> None:
        self.server, self.data_dir = server, data_dir
        self.services = build_services(data_dir)
        self.sync = build_sync_services(data_dir, services=self.services,
                                        connect=lambda _url, token: server.transport(token),
                                        retry=RetryPolicy(attempts=1, sleep=lambda _s: None, rand=lambda: 0.5))

    def enroll(self, office: str):
        return self.sync.enrollment.enroll("http://testserver", self.server.enroll_code(office), "Quầy", None)

    def receive_and_sync(self, office: str):
        self.services.reception.receive(ReceiveCommand(procedure_code="1.001193", applicant=APPLICANT, pages=2),
                                        CLERK[office])
        return self.sync.engine().run_round()


def test_two_folders_enrolled_separately_keep_their_own_tokens(server, tmp_path: Path, file_keyring):
    first, second = Folder(server, tmp_path / "a"), Folder(server, tmp_path / "b")
    first.enroll(OFFICE_A)
    token_a = KeyringSecretStore(folder=first.data_dir).get(TOKEN_KEY)
    second.enroll(OFFICE_B)
    token_b = KeyringSecretStore(folder=second.data_dir).get(TOKEN_KEY)
    assert token_a and token_b and token_a != token_b
    assert KeyringSecretStore(folder=first.data_dir).get(TOKEN_KEY) == token_a  # not re-keyed by the second
    assert keyring.get_password(SERVICE, TOKEN_KEY) is None  # no shared entry any more
    round_a = first.receive_and_sync(OFFICE_A)
    assert round_a.ok and round_a.error_code in (None, ""), round_a
    assert first.sync.status.status().to_json()["pending"] == 0  # its pushes were accepted as office A's
    assert second.receive_and_sync(OFFICE_B).ok


def test_the_old_shared_entry_moves_to_the_enrolled_folder_only(server, tmp_path: Path, file_keyring):
    enrolled, fresh = Folder(server, tmp_path / "enrolled"), Folder(server, tmp_path / "fresh")
    enrolled.enroll(OFFICE_A)
    store = KeyringSecretStore(folder=enrolled.data_dir)
    token = store.get(TOKEN_KEY)
    # As an older version left it: one unscoped entry, nothing under the folder's own key.
    store.delete(TOKEN_KEY)
    keyring.set_password(SERVICE, TOKEN_KEY, token)
    assert build_sync_services(fresh.data_dir, services=fresh.services).status.status().to_json()["enrolled"] is False
    assert keyring.get_password(SERVICE, TOKEN_KEY) == token  # a folder that never enrolled takes nothing
    again = build_sync_services(enrolled.data_dir, services=enrolled.services,
                                connect=lambda _url, t: server.transport(t))
    assert again.status.status().to_json()["enrolled"] is True
    assert KeyringSecretStore(folder=enrolled.data_dir).get(TOKEN_KEY) == token
    assert keyring.get_password(SERVICE, TOKEN_KEY) is None
