"""Every office hub of one OS account kept its upstream token in one keyring entry
(``upstream_token``): enrolling a second hub folder (another office, a test hub) re-keyed the
first, which then pushed and pulled as the other office. Keyed by the hub's data folder now, as
a counter's device token is. Real keyring (keyrings.alt's file backend), real hubs on their own
SQLite files, the real upstream on SQLite and PostgreSQL."""
from __future__ import annotations

from pathlib import Path

import keyring

from counter_app.entry.cli_server import hub_secrets
from counter_app.server.hub import KEYRING_SERVICE, TOKEN_KEY, HubReplicator, enroll_hub, open_hub
from counter_app.sync.engine import RetryPolicy


class Hub:
    """An office hub on its own data folder, wired as ``serve --upstream`` wires it."""

    def __init__(self, server, folder: Path) -> None:
        self.server, self.folder = server, folder
        self.url = f"sqlite:///{folder / 'server.sqlite'}"
        folder.mkdir(parents=True, exist_ok=True)
        self.service = open_hub(self.url)

    def connect(self, _url: str, token):
        return self.server.transport(token)

    def secrets(self):
        """A new store each time, as a restarted hub process makes it."""
        return hub_secrets(self.service, self.url, None)

    def enroll(self, office: str) -> None:
        enroll_hub(self.service, "http://testserver", self.server.enroll_code(office), self.secrets(), self.connect)

    def round(self):
        return HubReplicator(self.service, self.secrets(), self.connect, retry=RetryPolicy(attempts=1)).run_round()

    def upstream_device(self):
        return self.server.service.authenticate(self.secrets().get(TOKEN_KEY))

    def close(self) -> None:
        self.service.db.dispose()


def test_two_hub_folders_keep_their_own_upstream_tokens(server, tmp_path: Path, file_keyring, build):
    first, second = Hub(server, tmp_path / "hub-a"), Hub(server, tmp_path / "hub-b")
    try:
        first.enroll(build.A)
        second.enroll(build.B)
        for hub, office in ((first, build.A), (second, build.B)):
            device = hub.upstream_device()
            assert (device.id, device.office_code) == (hub.service.state("device_id"), office)
        assert keyring.get_password(KEYRING_SERVICE, TOKEN_KEY) is None  # no entry shared by the account
        summary = first.round()
        assert summary.ok and summary.pulled > 0, summary
        assert first.service.state("office_code") == build.A
    finally:
        first.close()
        second.close()


def test_the_old_shared_entry_moves_to_the_enrolled_hub_only(server, tmp_path: Path, file_keyring, build):
    enrolled, fresh = Hub(server, tmp_path / "enrolled"), Hub(server, tmp_path / "fresh")
    try:
        enrolled.enroll(build.A)
        token = enrolled.secrets().get(TOKEN_KEY)
        # As an older version left it: one entry for the OS account, nothing under the folder's key.
        enrolled.secrets().delete(TOKEN_KEY)
        keyring.set_password(KEYRING_SERVICE, TOKEN_KEY, token)
        assert fresh.secrets().get(TOKEN_KEY) is None  # a hub that never enrolled takes nothing
        assert keyring.get_password(KEYRING_SERVICE, TOKEN_KEY) == token
        assert enrolled.secrets().get(TOKEN_KEY) == token
        assert keyring.get_password(KEYRING_SERVICE, TOKEN_KEY) is None  # moved, not copied
        assert enrolled.round().ok
    finally:
        enrolled.close()
        fresh.close()


def test_a_hub_on_a_database_url_is_keyed_by_its_data_folder(tmp_path: Path, file_keyring):
    """``--db`` pointing elsewhere than the data folder: the database file's own folder decides."""
    a, b = tmp_path / "a", tmp_path / "b"
    hubs = []
    try:
        for folder, token in ((a, "token-a"), (b, "token-b")):
            folder.mkdir()
            url = f"sqlite:///{folder / 'hub.sqlite'}"
            hubs.append((open_hub(url), url))
            hub_secrets(hubs[-1][0], url, tmp_path / "ignored").set(TOKEN_KEY, token)
        assert [hub_secrets(hub, url, tmp_path / "ignored").get(TOKEN_KEY) for hub, url in hubs] == ["token-a",
                                                                                                     "token-b"]
        assert (a / "keyring-id").exists() and (b / "keyring-id").exists()
        assert not (tmp_path / "ignored").exists()
    finally:
        for hub, _ in hubs:
            hub.db.dispose()
